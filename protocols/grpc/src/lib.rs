//! gRPC over HTTP/2, minus the HTTP/2: the wire rules of gRPC's
//! `PROTOCOL-HTTP2.md` as pure functions and small state machines.
//!
//! What is here:
//! - [`Code`] and [`Status`]: the seventeen status codes, and the trailer
//!   fields that carry a status (`grpc-status`, percent-encoded
//!   `grpc-message`, base64 `grpc-status-details-bin`), plus the code a
//!   client synthesises from a bare HTTP status;
//! - [`message`]: the 5-byte length-prefixed message framing — an
//!   incremental [`MessageDecoder`] that checks the prefix before buffering
//!   the payload, splits payloads off zero-copy and inflates gzip under a
//!   hard cap (decompression bombs); encoders; [`Encoding`] negotiation;
//! - [`timeout`]: strict `grpc-timeout` parsing and encoding;
//! - [`metadata`]: which fields are the application's, `-bin` base64,
//!   and an ordered [`Metadata`] list;
//! - [`request`]: is this request head a gRPC call (method, content-type,
//!   path), and how to refuse it if not (405 / 415 / `UNIMPLEMENTED`);
//! - [`router`]: method path → handler of any type, with the service list
//!   that reflection needs.
//!
//! What it leaves to the gRPC server built on `layotto-http2`: sockets,
//! HTTP/2 streams and flow control, reading DATA into the `BytesMut` that
//! [`MessageDecoder`] consumes (and calling [`MessageDecoder::finish`] at
//! END_STREAM), sending response HEADERS (`:status 200`,
//! `content-type: application/grpc`, `grpc-accept-encoding`) and the
//! trailers from [`Status::to_headers`] (or a Trailers-Only response),
//! turning a `grpc-timeout` into a timer that ends the call with
//! `DEADLINE_EXCEEDED` and cancels upstream, RST_STREAM(CANCEL) handling,
//! keepalive ping policy, metadata size limits (the HTTP/2 header-list
//! limit covers them), and what handlers are.
//!
//! ```
//! use bytes::BytesMut;
//! use layotto_grpc::{message, Code, Encoding, MessageDecoder, Status};
//!
//! let mut wire = BytesMut::new();
//! message::encode_raw(b"hello", &mut wire)?;
//! let mut decoder = MessageDecoder::new(message::DEFAULT_MAX_MESSAGE_SIZE, Encoding::Identity);
//! assert_eq!(decoder.decode(&mut wire)?.as_deref(), Some(&b"hello"[..]));
//! decoder.finish(&wire)?;
//!
//! let trailers = Status::not_found("no such key").to_headers();
//! let back = Status::from_headers(trailers.iter().map(|(n, v)| (&n[..], &v[..])));
//! assert_eq!(back.map(|s| s.code), Some(Code::NotFound));
//! # Ok::<(), Status>(())
//! ```

#![forbid(unsafe_code)]

pub mod base64;
mod code;
pub mod message;
pub mod metadata;
pub mod request;
pub mod router;
mod status;
pub mod timeout;

#[doc(hidden)]
pub mod fuzz_logic;

pub use code::Code;
pub use message::{Encoding, MessageDecoder};
pub use metadata::Metadata;
pub use request::{validate_request, GrpcRequest, RequestError};
pub use router::{MethodKind, Route, RouteError, Router};
pub use status::{percent, Status, GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS_BIN};
pub use timeout::{encode_timeout, parse_timeout, TimeoutError};
