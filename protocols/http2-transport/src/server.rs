//! Serving HTTP/2 on one accepted connection: a handler task per request.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use layotto_http2::connection::{Connection, RequestHead, Role};
use layotto_http2::limits::Limits;
use layotto_http2::StreamId;
use layotto_worker::Shutdown;
use monoio::io::{AsyncReadRent, AsyncWriteRent, Split};

use crate::dispatch::{self, Timeouts};
use crate::shared::{Incoming, Shared};
use crate::{RecvStream, SendStream};

/// A request as the handler receives it.
pub struct Request {
    pub head: RequestHead,
    pub body: RecvStream,
    pub respond: SendStream,
}

/// Answers requests. One instance per worker; `call` runs as its own task per stream and is
/// dropped (cancelled) if the peer resets the stream.
pub trait Handler: 'static {
    fn call(self: Rc<Self>, request: Request) -> Pin<Box<dyn Future<Output = ()>>>;
}

/// Serves one connection (h2c with prior knowledge, or HTTP/2 over an established TLS stream)
/// until the peer leaves, a protocol error ends it, or the drain closes it gracefully.
pub async fn serve<IO>(io: IO, handler: Rc<dyn Handler>, limits: Limits, shutdown: Option<Shutdown>)
where
    IO: Split + AsyncReadRent + AsyncWriteRent,
{
    serve_with(io, handler, limits, Timeouts::SERVER, shutdown).await
}

/// [`serve`] with explicit connection deadlines.
pub async fn serve_with<IO>(
    io: IO,
    handler: Rc<dyn Handler>,
    limits: Limits,
    timeouts: Timeouts,
    shutdown: Option<Shutdown>,
) where
    IO: Split + AsyncReadRent + AsyncWriteRent,
{
    let shared = Rc::new(Shared::new(Connection::new(Role::Server, limits)));
    let on_request = |id: StreamId, head: RequestHead, end_stream: bool| {
        // Three handles: the body, the responder and the task itself.
        shared.open_slot(id, 3);
        if end_stream {
            if let Some(slot) = shared.streams.borrow_mut().get_mut(&id) {
                slot.incoming.push_back(Incoming::End);
            }
        }
        let request = Request {
            head,
            body: RecvStream::new(Rc::clone(&shared), id),
            respond: SendStream::new(Rc::clone(&shared), id, true),
        };
        let (handler, shared) = (Rc::clone(&handler), Rc::clone(&shared));
        monoio::spawn(async move {
            let call = handler.call(request);
            monoio::select! {
                _ = call => {}
                _ = reset(&shared, id) => {
                    tracing::debug!(stream = %id, "request cancelled by reset");
                }
            }
            shared.release_handle(id, false);
        });
    };
    dispatch::run(
        io,
        Rc::clone(&shared),
        Some(&on_request),
        shutdown,
        timeouts,
    )
    .await;
}

/// Resolves when the stream fails (reset by the peer, or the connection went away).
async fn reset(shared: &Shared, id: StreamId) {
    poll_fn(|cx| {
        let mut streams = shared.streams.borrow_mut();
        match streams.get_mut(&id) {
            Some(slot) if slot.failed.is_some() => Poll::Ready(()),
            Some(slot) => {
                slot.cancel_waker = Some(cx.waker().clone());
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    })
    .await
}
