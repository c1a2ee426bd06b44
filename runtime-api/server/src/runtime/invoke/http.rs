//! InvokeService's HTTP/1.1 exchange: `layotto-http1-transport` under one deadline for the
//! connect and the whole answer, the body capped at what fits in one gRPC response message.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use layotto_grpc_transport::Status;
use layotto_http1::{Method, ResponseHead};
use layotto_http1_transport::{ExchangeError, ExchangeLimits};

/// The largest response body: the gRPC default message limit, less room for the envelope.
pub(crate) const MAX_BODY: usize = 4 * 1024 * 1024 - 1024;

/// Sends `request` to the first address that accepts and reads the whole response, all
/// before `deadline`.
pub(crate) async fn exchange(
    addrs: &[SocketAddr],
    request: BytesMut,
    method: &Method,
    deadline: Instant,
) -> Result<(ResponseHead, Bytes), Status> {
    let left = deadline.saturating_duration_since(Instant::now());
    let limits = ExchangeLimits {
        connect: left,
        response: left,
        max_body: MAX_BODY,
    };
    let run = layotto_http1_transport::exchange(addrs, request, method, limits);
    match monoio::time::timeout(left, run).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(e)) => Err(match e {
            ExchangeError::Timeout { phase } => {
                Status::deadline_exceeded(format!("invoke: timed out {phase}"))
            }
            e @ ExchangeError::BodyTooLarge { .. } => {
                Status::resource_exhausted(format!("invoke {e}"))
            }
            e => Status::unavailable(format!("invoke {e}")),
        }),
        Err(_) => Err(Status::deadline_exceeded(
            "invoke: timed out waiting for the response",
        )),
    }
}
