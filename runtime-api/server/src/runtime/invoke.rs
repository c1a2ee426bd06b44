//! InvokeService (Layotto §3.10), forwarded as one HTTP/1.1 request to the app id's target
//! ([`targets`]).
//!
//! The request: method from `http_extension.verb` (POST when absent or NONE; Layotto's http
//! channel defaults to GET but sends the verb's *name*, so NONE would reach the app as
//! "NONE"), path `<base>/<method>` plus `?querystring`, body `data.value` (the Any's type URL
//! is ignored, as in Layotto), `Content-Type` from `content_type`, header `id` = the app id,
//! and the caller's gRPC metadata as headers (as Layotto copies all of it). The timeout is
//! Layotto's 3 s unless metadata `rpc_request_timeout` gives milliseconds; the call's own
//! deadline still applies. A 2xx answer becomes `InvokeResponse{data, content_type}`; any
//! other status is UNAVAILABLE with the code and the start of the body (Layotto wants exactly
//! 200). Response headers are not sent back as gRPC metadata (Layotto does): our unary
//! handlers cannot set response headers yet.

mod http;
mod targets;

use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_http1::{encode_request_head, BodyKind, Headers, Method, RequestHead, Version};
use layotto_proto::spec::proto::runtime::v1::http_extension::Verb;
use layotto_proto::spec::proto::runtime::v1::{
    CommonInvokeRequest, InvokeResponse, InvokeServiceRequest,
};

use super::{required, unary, Ctx};
pub(crate) use targets::Targets;
use targets::{Lookup, Target};

/// Layotto's default rpc timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_millis(3000);
/// gRPC metadata that overrides it, in milliseconds.
const TIMEOUT_METADATA: &str = "rpc_request_timeout";
/// How much of an error body the status message quotes.
const ERROR_BODY: usize = 512;

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "InvokeService", invoke_service);
}

fn method(verb: Option<Verb>) -> Method {
    match verb {
        None | Some(Verb::None) | Some(Verb::Post) => Method::Post,
        Some(Verb::Get) => Method::Get,
        Some(Verb::Head) => Method::Head,
        Some(Verb::Put) => Method::Put,
        Some(Verb::Delete) => Method::Delete,
        Some(Verb::Connect) => Method::Connect,
        Some(Verb::Options) => Method::Options,
        Some(Verb::Trace) => Method::Trace,
        Some(Verb::Patch) => Method::Patch,
    }
}

/// Headers that frame or route the request: ours to set, never copied from metadata.
fn is_ours(name: &str) -> bool {
    matches!(
        name,
        "host"
            | "connection"
            | "content-length"
            | "transfer-encoding"
            | "te"
            | "upgrade"
            | "keep-alive"
            | "content-type"
            | "id"
            | "rpc_request_timeout"
    ) || name.ends_with("-bin")
}

/// The request's bytes, head and body. Pure: `metadata` is the caller's (key, value) list.
fn encode(
    target: &Target,
    id: &str,
    msg: &CommonInvokeRequest,
    metadata: &[(String, String)],
) -> (Method, BytesMut) {
    let ext = msg.http_extension.as_ref();
    let method = method(ext.map(|e| e.verb()));
    let mut path = format!(
        "{}/{}",
        target.base_path,
        msg.method.trim_start_matches('/')
    );
    if let Some(q) = ext
        .map(|e| e.querystring.as_str())
        .filter(|q| !q.is_empty())
    {
        path.push('?');
        path.push_str(q.trim_start_matches('?'));
    }
    let body = msg
        .data
        .as_ref()
        .map(|a| Bytes::from(a.value.clone()))
        .unwrap_or_default();
    let mut headers = Headers::new();
    headers.push(
        Bytes::from_static(b"host"),
        Bytes::from(target.authority.clone()),
    );
    headers.push(Bytes::from_static(b"id"), Bytes::from(id.to_owned()));
    if !msg.content_type.is_empty() {
        headers.push(
            Bytes::from_static(b"content-type"),
            Bytes::from(msg.content_type.clone()),
        );
    }
    for (k, v) in metadata.iter().filter(|(k, _)| !is_ours(k)) {
        headers.push(Bytes::from(k.clone()), Bytes::from(v.clone()));
    }
    headers.push(
        Bytes::from_static(b"connection"),
        Bytes::from_static(b"close"),
    );
    let kind = if body.is_empty() && matches!(method, Method::Get | Method::Head) {
        BodyKind::Empty
    } else {
        BodyKind::Length(body.len() as u64)
    };
    let head = RequestHead {
        method: method.clone(),
        target: Bytes::from(path),
        version: Version::Http11,
        headers,
    };
    let mut out = BytesMut::with_capacity(256 + body.len());
    encode_request_head(&head, &kind, &mut out);
    out.extend_from_slice(&body);
    (method, out)
}

/// The caller's text metadata, and the timeout it asks for.
fn caller(call: &Call) -> Result<(Vec<(String, String)>, Duration), Status> {
    let mut timeout = DEFAULT_TIMEOUT;
    let mut out = Vec::new();
    for (k, v) in call.metadata.iter() {
        let (Ok(k), Ok(v)) = (std::str::from_utf8(k), std::str::from_utf8(v)) else {
            continue;
        };
        if k == TIMEOUT_METADATA {
            let ms = v
                .trim()
                .parse::<u64>()
                .ok()
                .filter(|ms| *ms > 0)
                .ok_or_else(|| {
                    Status::invalid_argument(format!(
                    "metadata {TIMEOUT_METADATA} {v:?} must be a positive number of milliseconds"
                ))
                })?;
            timeout = Duration::from_millis(ms);
        }
        out.push((k.to_ascii_lowercase(), v.to_owned()));
    }
    Ok((out, timeout))
}

async fn invoke_service(
    ctx: Rc<Ctx>,
    call: Call,
    req: InvokeServiceRequest,
) -> Result<InvokeResponse, Status> {
    required(&req.id, "id")?;
    let msg = req
        .message
        .ok_or_else(|| Status::invalid_argument("message is missing"))?;
    required(&msg.method, "message.method")?;
    let target = match ctx.targets.lookup(&req.id) {
        Lookup::Found(t) => t,
        Lookup::Unsupported(why) => return Err(Status::unimplemented(why.to_owned())),
        Lookup::Unknown { .. } if ctx.targets.is_empty() => {
            return Err(Status::failed_precondition(
                "InvokeService has no targets: set grpc_config.app_targets \
                 ({\"app-id\": \"http://host:port\"}) or an rpcs.mosn http channel",
            ))
        }
        Lookup::Unknown { known } => {
            return Err(Status::not_found(format!(
                "app id {:?} has no InvokeService target; known: {}",
                req.id,
                known.join(", ")
            )))
        }
    };
    let (metadata, timeout) = caller(&call)?;
    let (method, bytes) = encode(target, &req.id, &msg, &metadata);
    let deadline = Instant::now() + timeout;
    let (head, body) = http::exchange(&target.addrs, bytes, &method, deadline).await?;
    if !(200..300).contains(&head.status) {
        let shown = String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY)]).into_owned();
        return Err(Status::unavailable(format!(
            "invoke {:?}: http response code {}, body: {shown}",
            req.id, head.status
        )));
    }
    let content_type = head
        .headers
        .get("content-type")
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default();
    Ok(InvokeResponse {
        data: Some(prost_types::Any {
            type_url: String::new(),
            value: body.to_vec(),
        }),
        content_type,
    })
}

#[cfg(test)]
mod tests;
