//! What a Redis call can fail with. `Clone` because one broken connection fails every call
//! that was waiting on it with the same error.

/// A failed call. Error *replies* from Redis (`-ERR ...`) are not errors at this level: they
/// arrive as [`Reply::Error`](crate::Reply::Error), because scripts use them to report
/// outcomes the caller must tell apart; [`Reply::into_result`](crate::Reply::into_result)
/// turns one into [`RespError::Server`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RespError {
    /// The connection could not be opened (refused, unreachable, DNS, handshake rejected).
    #[error("cannot connect to redis at {addr}: {reason}")]
    Connect { addr: String, reason: String },
    /// A recent connect failed and the slot is backing off; no attempt was made.
    #[error("redis at {addr} is unavailable (retrying in {retry_in_ms} ms): {last}")]
    Unavailable {
        addr: String,
        retry_in_ms: u64,
        last: String,
    },
    /// No reply within the deadline.
    #[error("redis at {addr} did not answer within {timeout_ms} ms")]
    Timeout { addr: String, timeout_ms: u64 },
    /// The connection broke while the call was waiting (peer closed, write failed, or another
    /// call on it timed out).
    #[error("redis connection to {addr} closed: {reason}")]
    Closed { addr: String, reason: String },
    /// Too many calls, or too many unsent bytes, are waiting on this connection already.
    #[error("redis connection to {addr} is full ({reason}); refusing more")]
    Busy { addr: String, reason: String },
    /// Redis answered with an error reply.
    #[error("redis error: {0}")]
    Server(String),
    /// Bytes that are not RESP, a reply nobody asked for, or a reply over the size limit.
    #[error("redis protocol error from {addr}: {reason}")]
    Protocol { addr: String, reason: String },
    /// A reply of a shape the caller cannot use (e.g. a string where a number belongs).
    #[error("unexpected redis reply: {0}")]
    Unexpected(String),
}

impl RespError {
    /// True when the call may not have reached Redis or Redis is not reachable: a caller maps
    /// these to "unavailable" rather than to a data error.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            RespError::Connect { .. }
                | RespError::Unavailable { .. }
                | RespError::Closed { .. }
                | RespError::Busy { .. }
        )
    }
}
