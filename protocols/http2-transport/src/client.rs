//! An HTTP/2 client connection: multiplexed streams to one peer, on the calling worker.

use std::future::poll_fn;
use std::net::SocketAddr;
use std::rc::Rc;
use std::task::Poll;

use layotto_hpack::Header;
use layotto_http2::connection::{Connection, RequestHead, Role, SendError};
use layotto_http2::limits::Limits;
use layotto_http2::StreamId;
use monoio::io::{AsyncReadRent, AsyncWriteRent, Split};
use monoio::net::TcpStream;

use crate::dispatch;
use crate::shared::Shared;
use crate::{RecvStream, SendStream, StreamError, TransportError};

/// One connection to a peer. Cheap to clone; every clone multiplexes on the same socket.
#[derive(Clone)]
pub struct Client {
    shared: Rc<Shared>,
}

/// A response head and its body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: RecvStream,
}

/// The response to a request sent with [`Client::send_request`].
pub struct ResponseFuture {
    shared: Rc<Shared>,
    id: StreamId,
    taken: bool,
}

impl Client {
    /// Connects over plain TCP (h2c with prior knowledge).
    pub async fn connect(addr: SocketAddr, limits: Limits) -> Result<Client, TransportError> {
        let tcp = TcpStream::connect(addr)
            .await
            .map_err(|source| TransportError::Connect { addr, source })?;
        let _ = tcp.set_nodelay(true);
        Ok(Client::handshake(tcp, limits))
    }

    /// Starts HTTP/2 on an established stream (plain or TLS); the connection runs as a task on
    /// this worker until it ends.
    pub fn handshake<IO>(io: IO, limits: Limits) -> Client
    where
        IO: Split + AsyncReadRent + AsyncWriteRent + 'static,
    {
        let shared = Rc::new(Shared::new(Connection::new(Role::Client, limits)));
        let task_shared = Rc::clone(&shared);
        monoio::spawn(async move {
            dispatch::run(io, task_shared, None, None, dispatch::Timeouts::CLIENT).await;
        });
        Client { shared }
    }

    /// True once the connection cannot carry new requests (closed, or the peer sent GOAWAY).
    pub fn is_closed(&self) -> bool {
        self.shared.closed.get()
    }

    pub fn active_streams(&self) -> usize {
        self.shared.conn.borrow().active_streams()
    }

    /// Opens a stream. With `end_stream` the request has no body; otherwise send it through the
    /// returned [`SendStream`].
    pub fn send_request(
        &self,
        head: RequestHead,
        end_stream: bool,
    ) -> Result<(SendStream, ResponseFuture), TransportError> {
        if self.shared.closed.get() {
            return Err(TransportError::Closed);
        }
        let id = self
            .shared
            .conn
            .borrow_mut()
            .send_request(head, end_stream)
            .map_err(|e| match e {
                SendError::StreamsExhausted => {
                    TransportError::Refused("the peer's MAX_CONCURRENT_STREAMS is reached")
                }
                SendError::GoingAway => TransportError::Refused("the peer sent GOAWAY"),
                _ => TransportError::Closed,
            })?;
        // Two handles: the sender, and the response future (later the body).
        self.shared.open_slot(id, 2);
        self.shared.writable.notify();
        let mut send = SendStream::new(Rc::clone(&self.shared), id, false);
        send.ended = end_stream;
        Ok((
            send,
            ResponseFuture {
                shared: Rc::clone(&self.shared),
                id,
                taken: false,
            },
        ))
    }
}

impl ResponseFuture {
    /// Waits for the response head.
    pub async fn response(mut self) -> Result<Response, StreamError> {
        let head = poll_fn(|cx| {
            let mut streams = self.shared.streams.borrow_mut();
            let Some(slot) = streams.get_mut(&self.id) else {
                return Poll::Ready(Err(StreamError::ConnectionClosed));
            };
            if let Some(head) = slot.head.take() {
                return Poll::Ready(Ok(head));
            }
            if let Some(e) = &slot.failed {
                return Poll::Ready(Err(e.clone()));
            }
            slot.head_waker = Some(cx.waker().clone());
            Poll::Pending
        })
        .await?;
        // The handle passes to the body.
        self.taken = true;
        Ok(Response {
            status: head.status,
            headers: head.headers,
            body: RecvStream::new(Rc::clone(&self.shared), self.id),
        })
    }
}

impl Drop for ResponseFuture {
    fn drop(&mut self) {
        if !self.taken {
            self.shared.release_handle(self.id, false);
        }
    }
}
