//! [`RespError`] → [`ComponentError`]: connection trouble is UNAVAILABLE (worth a retry),
//! a missed deadline is a timeout, anything Redis itself refused is internal.

use layotto_component_api::ComponentError;
use layotto_resp_client::RespError;

pub(crate) fn component(e: RespError) -> ComponentError {
    match e {
        RespError::Timeout { .. } => ComponentError::Timeout {
            op: "waiting for redis",
        },
        e if e.is_connection() => ComponentError::Unavailable(e.to_string()),
        e => ComponentError::Internal(e.to_string()),
    }
}
