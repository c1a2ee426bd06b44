//! gRPC on our HTTP/2 transport.
//!
//! [`GrpcServer`] is a per-worker `layotto_http2_transport::Handler`: it validates the request
//! head (method, content-type, path, encoding), finds the [`Method`] in its routing table,
//! enforces `grpc-timeout` as a deadline, turns the request body into length-prefixed
//! [`Messages`] and the handler's output into DATA frames, and ends every call with
//! `grpc-status` trailers, or a Trailers-Only answer when it fails before any message.
//!
//! A call the peer resets is cancelled by the transport dropping its task. Handlers are plain
//! closures returning `!Send` futures: they run on the worker that accepted the connection.
#![forbid(unsafe_code)]

mod call;
mod channel;
mod client;
mod method;
mod server;

pub use call::{Call, Messages, Sink};
pub use channel::Channel;
pub use client::{CallOptions, CallSender, GrpcClient, Responses};
pub use layotto_grpc::{Code, Status};
pub use method::{bidi, client_streaming, server_streaming, unary, BoxFuture, Method};
pub use server::{GrpcServer, Routes};
