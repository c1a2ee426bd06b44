//! [`ComponentError`] → gRPC [`Status`], in one place.
//!
//! Layotto maps most component failures to INTERNAL and a few to specific codes (etag
//! mismatch ABORTED, invalid etag INVALID_ARGUMENT, file not found NOT_FOUND). Clients retry
//! on codes, so each variant gets the code that says what a retry would do: UNAVAILABLE and
//! DEADLINE_EXCEEDED may succeed later, ABORTED after a re-read, the rest not without a
//! change. The component's message is kept, prefixed with what the runtime was doing.

use layotto_component_api::ComponentError;
use layotto_grpc_transport::{Code, Status};

/// The code a component failure maps to.
pub(crate) fn code(e: &ComponentError) -> Code {
    match e {
        ComponentError::EtagMismatch { .. } => Code::Aborted,
        ComponentError::EtagInvalid { .. } | ComponentError::InvalidArgument(_) => {
            Code::InvalidArgument
        }
        ComponentError::NotFound { .. } => Code::NotFound,
        ComponentError::Unsupported(_) => Code::Unimplemented,
        ComponentError::ResourceExhausted(_) => Code::ResourceExhausted,
        ComponentError::Unavailable(_) => Code::Unavailable,
        ComponentError::Timeout { .. } => Code::DeadlineExceeded,
        // A misconfigured component: no request can fix it, an operator can.
        ComponentError::Metadata { .. } | ComponentError::Init(_) => Code::FailedPrecondition,
        ComponentError::Status { .. } | ComponentError::Internal(_) => Code::Internal,
    }
}

/// `e` as a status whose message starts with `doing` (e.g. `"state store kv: get"`).
pub(crate) fn status(doing: &str, e: &ComponentError) -> Status {
    Status::new(code(e), format!("{doing}: {e}"))
}

/// A closure for `map_err` that builds [`status`].
pub(crate) fn with(doing: &str) -> impl Fn(ComponentError) -> Status + '_ {
    move |e| status(doing, &e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_meaningful_code() {
        let cases = [
            (
                ComponentError::EtagMismatch { key: "k".into() },
                Code::Aborted,
            ),
            (
                ComponentError::EtagInvalid {
                    key: "k".into(),
                    etag: "x".into(),
                },
                Code::InvalidArgument,
            ),
            (
                ComponentError::InvalidArgument("bad".into()),
                Code::InvalidArgument,
            ),
            (
                ComponentError::NotFound {
                    what: "file",
                    name: "a".into(),
                },
                Code::NotFound,
            ),
            (ComponentError::Unsupported("tx"), Code::Unimplemented),
            (
                ComponentError::ResourceExhausted("full".into()),
                Code::ResourceExhausted,
            ),
            (
                ComponentError::Unavailable("down".into()),
                Code::Unavailable,
            ),
            (
                ComponentError::Timeout { op: "reading" },
                Code::DeadlineExceeded,
            ),
            (ComponentError::Init("x".into()), Code::FailedPrecondition),
            (
                ComponentError::Status {
                    status: 500,
                    body: "oops".into(),
                },
                Code::Internal,
            ),
            (ComponentError::Internal("bug".into()), Code::Internal),
        ];
        for (e, c) in cases {
            assert_eq!(code(&e), c, "{e}");
        }
    }

    #[test]
    fn messages_say_what_was_being_done() {
        let s = status(
            "state store kv: save",
            &ComponentError::EtagMismatch { key: "k".into() },
        );
        assert_eq!(s.code, Code::Aborted);
        assert_eq!(
            s.message,
            "state store kv: save: etag mismatch for key \"k\""
        );
    }
}
