//! [`Status`]: the outcome of a call (code, message, binary details) and
//! its trailer form (`grpc-status`, `grpc-message`, `grpc-status-details-bin`).
//!
//! `percent` implements the `grpc-message` escaping and `headers` the
//! conversion to and from header fields.

mod headers;
pub mod percent;

use std::fmt;

use bytes::Bytes;

use crate::code::Code;

pub use headers::{GRPC_MESSAGE, GRPC_STATUS, GRPC_STATUS_DETAILS_BIN};

/// A gRPC status: what a call ended with.
///
/// `details` is the opaque `grpc-status-details-bin` payload (by convention
/// an encoded `google.rpc.Status`); this crate never looks inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The status code.
    pub code: Code,
    /// Human-readable message for developers (may be empty).
    pub message: String,
    /// Binary details, empty when there are none.
    pub details: Bytes,
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident,)*) => {
        $(
            $(#[$doc])*
            pub fn $name(message: impl Into<String>) -> Status {
                Status::new(Code::$code, message)
            }
        )*
    };
}

impl Status {
    /// A status with a code and message and no details.
    pub fn new(code: Code, message: impl Into<String>) -> Status {
        Status {
            code,
            message: message.into(),
            details: Bytes::new(),
        }
    }

    /// A status carrying `grpc-status-details-bin` bytes.
    pub fn with_details(code: Code, message: impl Into<String>, details: Bytes) -> Status {
        Status {
            code,
            message: message.into(),
            details,
        }
    }

    /// `OK` with an empty message: a successful call.
    pub fn ok() -> Status {
        Status::new(Code::Ok, String::new())
    }

    /// Whether the code is [`Code::Ok`].
    pub fn is_ok(&self) -> bool {
        self.code == Code::Ok
    }

    constructors! {
        /// `CANCELLED` (1).
        cancelled => Cancelled,
        /// `UNKNOWN` (2).
        unknown => Unknown,
        /// `INVALID_ARGUMENT` (3).
        invalid_argument => InvalidArgument,
        /// `DEADLINE_EXCEEDED` (4).
        deadline_exceeded => DeadlineExceeded,
        /// `NOT_FOUND` (5).
        not_found => NotFound,
        /// `ALREADY_EXISTS` (6).
        already_exists => AlreadyExists,
        /// `PERMISSION_DENIED` (7).
        permission_denied => PermissionDenied,
        /// `RESOURCE_EXHAUSTED` (8).
        resource_exhausted => ResourceExhausted,
        /// `FAILED_PRECONDITION` (9).
        failed_precondition => FailedPrecondition,
        /// `ABORTED` (10).
        aborted => Aborted,
        /// `OUT_OF_RANGE` (11).
        out_of_range => OutOfRange,
        /// `UNIMPLEMENTED` (12).
        unimplemented => Unimplemented,
        /// `INTERNAL` (13).
        internal => Internal,
        /// `UNAVAILABLE` (14).
        unavailable => Unavailable,
        /// `DATA_LOSS` (15).
        data_loss => DataLoss,
        /// `UNAUTHENTICATED` (16).
        unauthenticated => Unauthenticated,
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

impl std::error::Error for Status {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_set_the_code() {
        assert_eq!(Status::invalid_argument("x").code, Code::InvalidArgument);
        assert_eq!(
            Status::resource_exhausted("x").code,
            Code::ResourceExhausted
        );
        assert_eq!(Status::unauthenticated("x").code, Code::Unauthenticated);
        assert_eq!(Status::internal("boom").message, "boom");
        assert!(Status::ok().is_ok());
        assert!(Status::ok().details.is_empty());
    }

    #[test]
    fn display() {
        assert_eq!(
            Status::not_found("no such key").to_string(),
            "NOT_FOUND: no such key"
        );
        assert_eq!(Status::aborted("").to_string(), "ABORTED");
    }
}
