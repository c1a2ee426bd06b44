use layotto_http2::Reason;

/// Why a stream cannot be used any more.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// The peer reset the stream, or we did because it broke a rule.
    #[error("stream reset ({reason:?}, by {})", if *.remote { "peer" } else { "us" })]
    Reset { reason: Reason, remote: bool },
    /// The connection ended (socket closed, GOAWAY, protocol error).
    #[error("connection closed")]
    ConnectionClosed,
    /// The stream is not in a state that allows this (e.g. data after the end).
    #[error("stream is closed for sending")]
    Closed,
}

/// Why a connection could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("connect to {addr}: {source}")]
    Connect {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("connection closed")]
    Closed,
    /// The peer's MAX_CONCURRENT_STREAMS is reached, or it sent GOAWAY.
    #[error("no stream available: {0}")]
    Refused(&'static str),
}
