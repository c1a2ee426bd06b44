//! What a component call can fail with, typed so the Runtime API can pick a gRPC code per
//! variant without matching strings (etag mismatch → Aborted, invalid etag → InvalidArgument,
//! not found → NotFound, unsupported → Unimplemented, ...). No gRPC type appears here: the
//! mapping lives in the runtime, once.

/// Why a component could not be built, or why one of its calls failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComponentError {
    /// A metadata key has a value the component cannot use.
    #[error("metadata.{key}: {message}")]
    Metadata { key: String, message: String },
    /// The backend refused or failed during initialisation.
    #[error("init failed: {0}")]
    Init(String),
    /// A conditional write or delete whose etag is not the stored version.
    #[error("etag mismatch for key {key:?}")]
    EtagMismatch { key: String },
    /// An etag that cannot be a version of this store (e.g. not a number).
    #[error("invalid etag {etag:?} for key {key:?}")]
    EtagInvalid { key: String, etag: String },
    /// The named thing (file, secret, ...) does not exist.
    #[error("{what} {name:?} not found")]
    NotFound { what: &'static str, name: String },
    /// The request is malformed for this component.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The component does not do this (e.g. transactions on a non-transactional store).
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// A bound was hit: a size limit, or a subscriber that fell too far behind.
    #[error("resource exhausted: {0}")]
    ResourceExhausted(String),
    /// The backend cannot be reached or refused the connection.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The backend did not answer in time.
    #[error("timed out while {op}")]
    Timeout { op: &'static str },
    /// An HTTP backend answered with an error status (output bindings).
    #[error("backend answered status {status}: {body}")]
    Status { status: u16, body: String },
    /// Anything else: a bug or an unexpected backend answer.
    #[error("internal: {0}")]
    Internal(String),
}
