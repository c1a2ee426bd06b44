//! The connection's public vocabulary: roles, events, heads and errors.

use bytes::Bytes;
use layotto_hpack::Header;

use crate::frame::{Reason, StreamId};

/// Which end of the connection we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Accepts streams (odd ids) opened by the client.
    Server,
    /// Opens streams (odd ids); never accepts pushes.
    Client,
}

/// A request head: the four request pseudo-header fields (RFC 9113
/// §8.3.1) and the regular fields. For CONNECT (§8.5) `scheme` and `path`
/// are empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// `:method`.
    pub method: Bytes,
    /// `:scheme` (empty for CONNECT).
    pub scheme: Bytes,
    /// `:authority`, or the `host` field if `:authority` was absent; may be
    /// empty when neither was sent (only allowed for non-http(s) schemes).
    pub authority: Bytes,
    /// `:path` (empty for CONNECT).
    pub path: Bytes,
    /// Regular fields, lowercase names, in received order.
    pub headers: Vec<Header>,
}

/// Something the application must know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Server: a new request. `headers` exclude pseudo-headers, already
    /// validated (RFC 9113 §8.3.1).
    Request {
        /// The new stream.
        stream: StreamId,
        /// Pseudo-headers and fields.
        head: RequestHead,
        /// No body follows.
        end_stream: bool,
    },
    /// Client: the final response head (1xx informational heads are skipped).
    Response {
        /// The stream the request went out on.
        stream: StreamId,
        /// `:status`.
        status: u16,
        /// Regular fields.
        headers: Vec<Header>,
        /// No body follows.
        end_stream: bool,
    },
    /// Body bytes (padding already credited back). The application must
    /// call `release_capacity` once it has consumed them.
    Data {
        /// The stream.
        stream: StreamId,
        /// The bytes (a slice of the receive buffer).
        data: Bytes,
        /// Last frame of the body.
        end_stream: bool,
    },
    /// Trailers; they end the stream.
    Trailers {
        /// The stream.
        stream: StreamId,
        /// Trailer fields.
        headers: Vec<Header>,
    },
    /// The peer reset the stream (`remote`), or we did because of a stream
    /// error: the application must stop using it. Its unreleased DATA has
    /// been credited back already.
    Reset {
        /// The stream.
        stream: StreamId,
        /// RST_STREAM code.
        reason: Reason,
        /// Whether the peer sent it.
        remote: bool,
    },
    /// The peer sent GOAWAY: streams above `last_stream_id` were not
    /// processed (a client may retry them; each also gets a
    /// `Reset { reason: REFUSED_STREAM, remote: true }`).
    GoAway {
        /// Highest stream the peer may have acted on.
        last_stream_id: StreamId,
        /// GOAWAY code.
        reason: Reason,
        /// Opaque debug data.
        debug: Bytes,
    },
    /// The peer acknowledged one of our PINGs.
    PingAck {
        /// The payload we sent.
        payload: [u8; 8],
    },
}

/// A connection error (RFC 9113 §5.4.1): GOAWAY with `reason` has been
/// queued; flush output and close.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("HTTP/2 connection error {reason}: {debug}")]
pub struct ConnectionError {
    /// The GOAWAY code.
    pub reason: Reason,
    /// Human-readable cause (also sent as GOAWAY debug data).
    pub debug: String,
}

/// Why an application send call was refused. Nothing was queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No such stream (never opened, or closed and forgotten).
    #[error("unknown stream")]
    UnknownStream,
    /// The stream is reset, or our side of it has already ended.
    #[error("stream closed for sending")]
    StreamClosed,
    /// Client: the peer's SETTINGS_MAX_CONCURRENT_STREAMS is reached; retry
    /// after a stream completes.
    #[error("peer's concurrent stream limit reached")]
    StreamsExhausted,
    /// Client: stream ids are used up (2^31-1); open a new connection.
    #[error("stream ids exhausted")]
    IdsExhausted,
    /// A GOAWAY was sent or received: no new streams.
    #[error("connection is going away")]
    GoingAway,
    /// The connection failed with a connection error.
    #[error("connection closed")]
    ConnectionClosed,
    /// The call does not fit this side (e.g. a client sending a response).
    #[error("not allowed for this role")]
    WrongRole,
    /// A final response head was already queued on this stream.
    #[error("response head already sent")]
    HeadAlreadySent,
    /// DATA or trailers before the head.
    #[error("head not sent yet")]
    HeadNotSent,
    /// An informational (1xx) status with END_STREAM, or a status outside 100..=999.
    #[error("invalid status for this head")]
    InvalidStatus,
}
