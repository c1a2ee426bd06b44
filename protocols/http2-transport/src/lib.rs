//! HTTP/2 connections on a worker's monoio runtime: the only place the HTTP/2 stack touches
//! sockets.
//!
//! The protocol lives in `layotto-http2`'s sans-I/O [`Connection`]; this crate gives it a
//! socket and gives applications streams. Each connection runs two loops on its worker:
//!
//! - the **reader** reads into one buffer, feeds [`Connection::recv`], and routes the events to
//!   per-stream slots, waking whoever waits on them (a server spawns a handler task per
//!   request);
//! - the **writer** waits until anything is sendable, drains [`Connection::poll_output`] into
//!   one buffer and writes it with one syscall: all frames produced in a loop turn (SETTINGS
//!   ACKs, HEADERS, DATA of many streams) leave in one write.
//!
//! Neither loop is ever cancelled mid-operation (io_uring owns the buffer of an operation in
//! flight); the writer ends the connection, and the reader is dropped only when the socket is
//! done. Everything is `Rc`-shared and `!Send`: a connection never leaves its worker.
//!
//! Backpressure both ways: a stream's received data is credited back to the peer only when the
//! application takes it ([`RecvStream::data`]), so a slow consumer stalls its peer through flow
//! control rather than growing a buffer; a producer's [`SendStream::send_data`] waits while too
//! much of its output is queued.
#![forbid(unsafe_code)]

mod client;
pub(crate) mod dispatch;
mod error;
mod server;
mod shared;
mod stream;
pub mod tls;

pub use client::{Client, Response, ResponseFuture};
pub use dispatch::Timeouts;
pub use error::{StreamError, TransportError};
pub use layotto_hpack::Header;
pub use layotto_http2::connection::{Connection, RequestHead, Role};
pub use layotto_http2::limits::Limits;
pub use layotto_http2::Reason;
pub use server::{serve, serve_with, Handler, Request};
pub use stream::{RecvStream, SendStream};
