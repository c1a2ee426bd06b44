//! One call's view for its handler: who called, incoming messages, and the response sink.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use layotto_grpc::message::encode_raw;
use layotto_grpc::{Encoding, MessageDecoder, Metadata, Status};
use layotto_hpack::Header;
use layotto_http2_transport::{RecvStream, SendStream, StreamError};

/// What a handler knows about its call.
pub struct Call {
    /// `/package.Service/Method`.
    pub path: Bytes,
    /// Custom metadata from the request headers (reserved headers removed).
    pub metadata: Metadata,
    /// From `grpc-timeout`; the server cancels the call with DEADLINE_EXCEEDED when it passes.
    pub deadline: Option<Instant>,
}

/// The request messages of a call, decoded from the HTTP/2 body as they arrive.
pub struct Messages {
    body: RecvStream,
    buf: BytesMut,
    decoder: MessageDecoder,
    done: bool,
}

impl Messages {
    pub(crate) fn new(body: RecvStream, max_message: usize, encoding: Encoding) -> Messages {
        Messages {
            body,
            buf: BytesMut::new(),
            decoder: MessageDecoder::new(max_message, encoding),
            done: false,
        }
    }

    /// The next message's bytes; `None` once the client half-closed. A body that ends inside
    /// a message, or breaks the framing, is an error status.
    pub async fn next(&mut self) -> Option<Result<Bytes, Status>> {
        loop {
            match self.decoder.decode(&mut self.buf) {
                Ok(Some(m)) => return Some(Ok(m)),
                Ok(None) => {}
                Err(s) => {
                    self.done = true;
                    return Some(Err(s));
                }
            }
            if self.done {
                return None;
            }
            match self.body.data().await {
                Some(Ok(chunk)) => self.buf.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(stream_status(&e)));
                }
                None => {
                    self.done = true;
                    if let Err(s) = self.decoder.finish(&self.buf) {
                        return Some(Err(s));
                    }
                    return None;
                }
            }
        }
    }

    /// The next message, decoded as `M`.
    pub async fn next_message<M: prost::Message + Default>(&mut self) -> Option<Result<M, Status>> {
        Some(self.next().await?.and_then(|b| crate::method::decode(&b)))
    }
}

pub(crate) fn stream_status(e: &StreamError) -> Status {
    match e {
        StreamError::Reset { .. } => Status::cancelled(e.to_string()),
        StreamError::ConnectionClosed | StreamError::Closed => Status::unavailable(e.to_string()),
    }
}

/// Where a handler's response messages go. The response head is sent with the first message,
/// so a call that fails before any message gets a Trailers-Only answer.
#[derive(Clone)]
pub struct Sink {
    pub(crate) state: Rc<Responder>,
}

pub(crate) struct Responder {
    // Taken out while a send is in flight, so no RefCell borrow is held across an await.
    stream: Cell<Option<SendStream>>,
    headers_sent: Cell<bool>,
    max_message: usize,
}

impl Responder {
    pub(crate) fn new(stream: SendStream, max_message: usize) -> Rc<Responder> {
        Rc::new(Responder {
            stream: Cell::new(Some(stream)),
            headers_sent: Cell::new(false),
            max_message,
        })
    }

    fn response_headers() -> Vec<Header> {
        vec![
            Header::new(&b"content-type"[..], &b"application/grpc"[..]),
            Header::new(&b"grpc-accept-encoding"[..], &b"identity,gzip"[..]),
        ]
    }

    /// Sends one encoded message (without its prefix).
    pub(crate) async fn send(&self, payload: &[u8]) -> Result<(), Status> {
        if payload.len() > self.max_message {
            return Err(Status::resource_exhausted(format!(
                "response message of {} bytes exceeds the limit of {}",
                payload.len(),
                self.max_message
            )));
        }
        let mut framed = BytesMut::with_capacity(payload.len() + 5);
        encode_raw(payload, &mut framed)?;
        let Some(mut stream) = self.stream.take() else {
            return Err(Status::internal("response already finished"));
        };
        let mut result = Ok(());
        if !self.headers_sent.replace(true) {
            result = stream.send_response(200, Self::response_headers(), false);
        }
        if result.is_ok() {
            result = stream.send_data(framed.freeze(), false).await;
        }
        self.stream.set(Some(stream));
        result.map_err(|e| stream_status(&e))
    }

    /// Ends the call with `status`: trailers after messages, or Trailers-Only.
    pub(crate) fn finish(&self, status: &Status) {
        let Some(mut stream) = self.stream.take() else {
            return;
        };
        let mut trailers: Vec<Header> = status
            .to_headers()
            .into_iter()
            .map(|(n, v)| Header::new(n, v))
            .collect();
        let _ = if self.headers_sent.get() {
            stream.send_trailers(trailers)
        } else {
            let mut headers = Self::response_headers();
            headers.append(&mut trailers);
            stream.send_response(200, headers, true)
        };
    }
}

impl Sink {
    /// Sends a response message.
    pub async fn send<M: prost::Message>(&self, message: &M) -> Result<(), Status> {
        self.state.send(&message.encode_to_vec()).await
    }

    /// Sends an already-encoded response message.
    pub async fn send_bytes(&self, payload: &[u8]) -> Result<(), Status> {
        self.state.send(payload).await
    }
}
