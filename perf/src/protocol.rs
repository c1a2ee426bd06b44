//! What the load loops need from a wire protocol, and nothing more.
//!
//! A [`Protocol`] is a cheap, cloneable description of the requests to send
//! (built once from the command line); each connection gets its own
//! [`Codec`] from it. The loops own sockets, buffers and time; a codec only
//! turns a request number (`token`) into bytes and response bytes back into
//! `(token, outcome)` pairs. Tokens, not arrival order, name completions so
//! that a multiplexed protocol (gRPC over HTTP/2, where streams finish out of
//! order) fits the same loops as the in-order HTTP/1.1 and RESP codecs.

pub mod grpc;
pub mod http1;
pub mod resp;

use std::fmt;

use bytes::BytesMut;

/// Why a request did not count as a success. Ordered so reports list kinds
/// stably.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// The TCP connection could not be established.
    Connect,
    /// Reading or writing failed, or the peer closed with requests pending.
    Io,
    /// No response within `--timeout`.
    Timeout,
    /// The response bytes were not valid for the protocol.
    Protocol,
    /// An HTTP response whose status is not 2xx.
    Status(u16),
    /// A RESP error reply, by its first word (`ERR`, `WRONGTYPE`, ...).
    Reply(String),
    /// A gRPC call that ended with a non-zero `grpc-status`.
    Grpc(u32),
    /// An HTTP/2 stream reset (RST_STREAM) by its code, other than a
    /// refusal, which is retried.
    Reset(u32),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Connect => f.write_str("connect"),
            ErrorKind::Io => f.write_str("io"),
            ErrorKind::Timeout => f.write_str("timeout"),
            ErrorKind::Protocol => f.write_str("protocol"),
            ErrorKind::Status(code) => write!(f, "status:{code}"),
            ErrorKind::Reply(word) => write!(f, "reply:{word}"),
            ErrorKind::Grpc(code) => write!(f, "grpc:{code}"),
            ErrorKind::Reset(code) => write!(f, "reset:{code}"),
        }
    }
}

/// The result of one request whose response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed(ErrorKind),
}

/// The response stream cannot be decoded any further; the connection is
/// dropped and every request still pending on it fails as `protocol`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ProtocolError(pub String);

/// Describes the requests of one run; shared by every thread.
pub trait Protocol: Clone + Send + 'static {
    type Codec: Codec;
    /// Short name for reports (`http1`, `resp`, `grpc`).
    fn name(&self) -> &'static str;
    /// A fresh codec for a new connection.
    fn codec(&self) -> Self::Codec;
}

/// Per-connection request encoder and response decoder.
pub trait Codec {
    /// Bytes to send right after connecting (an HTTP/2 preface); none by default.
    fn preface(&mut self, _dst: &mut BytesMut) {}

    /// Appends request number `token` to `dst`.
    fn encode(&mut self, token: u64, dst: &mut BytesMut);

    /// Consumes every complete response at the front of `src`, pushing one
    /// `(token, outcome)` per finished request onto `done`. Bytes the
    /// protocol itself must send back (acknowledgements, window updates) go
    /// to `ctrl`; the loops write them before the next requests.
    fn decode(
        &mut self,
        src: &mut BytesMut,
        ctrl: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError>;

    /// The peer closed: finish a response delimited by the close, if any.
    fn decode_eof(
        &mut self,
        _src: &mut BytesMut,
        _done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError> {
        Ok(())
    }

    /// False once the peer announced it will close (HTTP `Connection: close`);
    /// the loop then reconnects.
    fn reusable(&self) -> bool {
        true
    }
}
