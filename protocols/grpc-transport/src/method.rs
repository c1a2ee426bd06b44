//! The four kinds of gRPC method, and typed adapters from prost messages.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use bytes::Bytes;
use layotto_grpc::Status;

use crate::{Call, Messages, Sink};

pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// What a handler returns: the encoded response, or the status that ends the call.
pub type Reply = BoxFuture<Result<Bytes, Status>>;
/// What a streaming handler returns once it has sent its messages.
pub type Done = BoxFuture<Result<(), Status>>;

/// A method's handler, by streaming kind. Messages cross this boundary as encoded bytes, so
/// the server needs no knowledge of any message type.
#[derive(Clone)]
pub enum Method {
    Unary(Rc<dyn Fn(Call, Bytes) -> Reply>),
    ServerStreaming(Rc<dyn Fn(Call, Bytes, Sink) -> Done>),
    ClientStreaming(Rc<dyn Fn(Call, Messages) -> Reply>),
    Bidi(Rc<dyn Fn(Call, Messages, Sink) -> Done>),
}

impl Method {
    pub fn kind(&self) -> layotto_grpc::MethodKind {
        use layotto_grpc::MethodKind as K;
        match self {
            Method::Unary(_) => K::Unary,
            Method::ServerStreaming(_) => K::ServerStreaming,
            Method::ClientStreaming(_) => K::ClientStreaming,
            Method::Bidi(_) => K::Bidi,
        }
    }
}

/// Decodes a request message; a body that is not the expected message is INVALID_ARGUMENT,
/// not INTERNAL: the caller sent it.
pub fn decode<M: prost::Message + Default>(bytes: &Bytes) -> Result<M, Status> {
    M::decode(bytes.clone())
        .map_err(|e| Status::invalid_argument(format!("cannot decode request: {e}")))
}

fn encode<M: prost::Message>(m: &M) -> Bytes {
    Bytes::from(m.encode_to_vec())
}

/// A unary method from `async fn(Call, Req) -> Result<Resp, Status>`.
pub fn unary<Req, Resp, F, Fut>(f: F) -> Method
where
    Req: prost::Message + Default + 'static,
    Resp: prost::Message + 'static,
    F: Fn(Call, Req) -> Fut + 'static,
    Fut: Future<Output = Result<Resp, Status>> + 'static,
{
    let f = Rc::new(f);
    Method::Unary(Rc::new(move |call, bytes| {
        let f = Rc::clone(&f);
        Box::pin(async move {
            let req = decode::<Req>(&bytes)?;
            f(call, req).await.map(|r| encode(&r))
        })
    }))
}

/// A server-streaming method: one request, any number of responses pushed into the [`Sink`].
pub fn server_streaming<Req, F, Fut>(f: F) -> Method
where
    Req: prost::Message + Default + 'static,
    F: Fn(Call, Req, Sink) -> Fut + 'static,
    Fut: Future<Output = Result<(), Status>> + 'static,
{
    let f = Rc::new(f);
    Method::ServerStreaming(Rc::new(move |call, bytes, sink| {
        let f = Rc::clone(&f);
        Box::pin(async move {
            let req = decode::<Req>(&bytes)?;
            f(call, req, sink).await
        })
    }))
}

/// A client-streaming method: messages in, one response out.
pub fn client_streaming<Resp, F, Fut>(f: F) -> Method
where
    Resp: prost::Message + 'static,
    F: Fn(Call, Messages) -> Fut + 'static,
    Fut: Future<Output = Result<Resp, Status>> + 'static,
{
    let f = Rc::new(f);
    Method::ClientStreaming(Rc::new(move |call, messages| {
        let f = Rc::clone(&f);
        Box::pin(async move { f(call, messages).await.map(|r| encode(&r)) })
    }))
}

/// A bidirectional method.
pub fn bidi<F, Fut>(f: F) -> Method
where
    F: Fn(Call, Messages, Sink) -> Fut + 'static,
    Fut: Future<Output = Result<(), Status>> + 'static,
{
    let f = Rc::new(f);
    Method::Bidi(Rc::new(move |call, messages, sink| {
        let f = Rc::clone(&f);
        Box::pin(async move { f(call, messages, sink).await })
    }))
}
