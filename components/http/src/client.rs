//! The binding's HTTP/1.1 exchange: `layotto-http1-transport` with Dapr's time limits
//! (5 s to connect, its dial timeout; 10 s for the answer, its client timeout), a body cap,
//! and transport failures turned into component errors.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_component_api::ComponentError;
use layotto_http1::{Method, ResponseHead};
use layotto_http1_transport::{ExchangeError, ExchangeLimits};

/// The largest response body read into memory.
pub const MAX_BODY: usize = 16 << 20;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) response: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            response: Duration::from_secs(10),
        }
    }
}

/// Sends `request` and reads the whole response.
pub(crate) async fn exchange(
    addrs: &[SocketAddr],
    request: BytesMut,
    method: &Method,
    t: &Timeouts,
) -> Result<(ResponseHead, Bytes), ComponentError> {
    let limits = ExchangeLimits {
        connect: t.connect,
        response: t.response,
        max_body: MAX_BODY,
    };
    layotto_http1_transport::exchange(addrs, request, method, limits)
        .await
        .map_err(|e| match e {
            ExchangeError::Timeout { phase } => ComponentError::Timeout { op: phase },
            e @ ExchangeError::BodyTooLarge { .. } => {
                ComponentError::ResourceExhausted(format!("http {e}"))
            }
            e => ComponentError::Unavailable(format!("http {e}")),
        })
}
