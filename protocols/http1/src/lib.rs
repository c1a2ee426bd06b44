//! A pure HTTP/1.1 codec (RFC 9112): bytes in, message heads and body
//! events out, and the reverse for writing.
//!
//! Its job is framing and syntax, done strictly: every rule that decides
//! where one message ends and the next begins is enforced so that this
//! codec never reads a byte stream differently from a strict peer
//! (request smuggling), and every size is capped as bytes arrive.
//!
//! It leaves to others: sockets and buffering ([`RequestDecoder::decode`]
//! only reads the caller's `BytesMut`), time-outs, routing, content
//! codings, connection upgrades and tunnels, and turning an [`Error`] into
//! a response ([`Error::status`] gives the code to send).
//!
//! A server loop: call [`RequestDecoder::decode`] until it yields a
//! [`Request`], drive a [`BodyDecoder`] built from [`Request::body`] until
//! [`BodyEvent::End`], and repeat on the same buffer while
//! [`Request::keep_alive`] holds; pipelined requests simply stay queued in
//! the buffer.

#![forbid(unsafe_code)]

mod body;
mod connection;
mod encode;
mod error;
mod field;
mod framing;
mod headers;
mod limits;
mod method;
mod request;
mod response;
mod scan;
mod syntax;
mod version;

#[doc(hidden)]
pub mod fuzz_logic;

pub use body::{BodyDecoder, BodyEvent, BodyKind};
pub use encode::{encode_chunk, encode_last_chunk, encode_request_head, encode_response_head};
pub use error::Error;
pub use headers::Headers;
pub use limits::Limits;
pub use method::Method;
pub use request::{Request, RequestDecoder, RequestHead};
pub use response::{Response, ResponseDecoder, ResponseHead};
pub use version::Version;
