//! The per-worker gRPC server: from an HTTP/2 request to a finished call.

use std::rc::Rc;
use std::time::Instant;

use bytes::Bytes;
use layotto_grpc::message::DEFAULT_MAX_MESSAGE_SIZE;
use layotto_grpc::{parse_timeout, Encoding, Metadata, Router, Status};
use layotto_hpack::Header;
use layotto_http2_transport::{Handler, Request};

use crate::call::Responder;
use crate::{BoxFuture, Call, Messages, Method, Sink};

/// The routing table: full method path (`/spec.proto.runtime.v1.Runtime/SayHello`) to handler,
/// on `layotto-grpc`'s [`Router`].
#[derive(Default)]
pub struct Routes {
    router: Router<Method>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// Registers a method. A malformed path or a second registration of one path is a wiring
    /// bug: it is logged and the first registration stays.
    pub fn add(&mut self, path: &str, method: Method) -> &mut Routes {
        let kind = method.kind();
        if let Err(e) = self.router.insert(path, kind, method) {
            tracing::error!(path, error = %e, "gRPC route not registered");
        }
        self
    }

    pub fn get(&self, path: &str) -> Option<&Method> {
        self.router.get(path).map(|r| r.handler())
    }

    /// The services served, sorted: what reflection lists.
    pub fn services(&self) -> Vec<String> {
        self.router.services().map(str::to_owned).collect()
    }
}

/// A gRPC server for one worker.
pub struct GrpcServer {
    routes: Routes,
    max_message: usize,
}

impl GrpcServer {
    pub fn new(routes: Routes) -> GrpcServer {
        GrpcServer {
            routes,
            max_message: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }

    /// Receive and send limit per message (RESOURCE_EXHAUSTED past it).
    pub fn with_max_message(mut self, bytes: usize) -> GrpcServer {
        self.max_message = bytes;
        self
    }
}

impl Handler for GrpcServer {
    fn call(self: Rc<Self>, request: Request) -> BoxFuture<()> {
        Box::pin(async move { self.handle(request).await })
    }
}

fn header<'a>(headers: &'a [Header], name: &str) -> Option<&'a [u8]> {
    headers
        .iter()
        .find(|h| h.name.as_ref() == name.as_bytes())
        .map(|h| h.value.as_ref())
}

/// `application/grpc`, alone or followed by `+codec` or `;params` (the gRPC HTTP/2 spec).
fn is_grpc_content_type(v: &[u8]) -> bool {
    let base = b"application/grpc";
    v.starts_with(base) && matches!(v.get(base.len()), None | Some(b'+') | Some(b';'))
}

impl GrpcServer {
    async fn handle(&self, request: Request) {
        let Request {
            head,
            body,
            mut respond,
        } = request;
        // Not gRPC at all: answer in HTTP terms, as the spec asks.
        if head.method.as_ref() != b"POST" {
            let _ =
                respond.send_response(405, vec![Header::new(&b"allow"[..], &b"POST"[..])], true);
            return;
        }
        if !header(&head.headers, "content-type").is_some_and(is_grpc_content_type) {
            let _ = respond.send_response(415, Vec::new(), true);
            return;
        }
        let responder = Responder::new(respond, self.max_message);
        let status = match self.prepare(&head.path, &head.headers) {
            Ok((method, encoding, deadline, metadata)) => {
                let call = Call {
                    path: head.path.clone(),
                    metadata,
                    deadline,
                };
                let messages = Messages::new(body, self.max_message, encoding);
                let sink = Sink {
                    state: Rc::clone(&responder),
                };
                let run = dispatch(method, call, messages, sink);
                match deadline {
                    Some(at) => {
                        let left = at.saturating_duration_since(Instant::now());
                        match monoio::time::timeout(left, run).await {
                            Ok(r) => r,
                            Err(_) => Err(Status::deadline_exceeded("deadline exceeded")),
                        }
                    }
                    None => run.await,
                }
            }
            Err(status) => Err(status),
        };
        match status {
            Ok(()) => responder.finish(&Status::ok()),
            Err(s) => {
                tracing::debug!(path = %String::from_utf8_lossy(&head.path), code = ?s.code, message = %s.message, "grpc call failed");
                responder.finish(&s);
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn prepare(
        &self,
        path: &Bytes,
        headers: &[Header],
    ) -> Result<(Method, Encoding, Option<Instant>, Metadata), Status> {
        let path_str = std::str::from_utf8(path).unwrap_or_default();
        let method = self
            .routes
            .get(path_str)
            .cloned()
            .ok_or_else(|| Status::unimplemented(format!("unknown method {path_str}")))?;
        let encoding = Encoding::from_optional_header(header(headers, "grpc-encoding"))?;
        let deadline = match header(headers, "grpc-timeout") {
            Some(v) => Some(
                Instant::now()
                    + parse_timeout(v)
                        .map_err(|e| Status::invalid_argument(format!("bad grpc-timeout: {e}")))?,
            ),
            None => None,
        };
        let metadata =
            Metadata::from_headers(headers.iter().map(|h| (h.name.as_ref(), h.value.as_ref())))
                .map_err(|e| Status::invalid_argument(format!("bad metadata: {e}")))?;
        Ok((method, encoding, deadline, metadata))
    }
}

async fn dispatch(
    method: Method,
    call: Call,
    mut messages: Messages,
    sink: Sink,
) -> Result<(), Status> {
    match method {
        Method::Unary(f) => {
            let request = single(&mut messages).await?;
            let response = f(call, request).await?;
            sink.send_bytes(&response).await
        }
        Method::ServerStreaming(f) => {
            let request = single(&mut messages).await?;
            f(call, request, sink).await
        }
        Method::ClientStreaming(f) => {
            let response = f(call, messages).await?;
            sink.send_bytes(&response).await
        }
        Method::Bidi(f) => f(call, messages, sink).await,
    }
}

/// Exactly one request message, as unary and server-streaming calls require.
async fn single(messages: &mut Messages) -> Result<Bytes, Status> {
    let first = match messages.next().await {
        Some(m) => m?,
        None => return Err(Status::internal("expected one request message, got none")),
    };
    match messages.next().await {
        None => Ok(first),
        Some(Err(s)) => Err(s),
        Some(Ok(_)) => Err(Status::internal("expected one request message, got more")),
    }
}
