//! gRPC calls over one of our HTTP/2 client connections.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_grpc::message::{encode_raw, DEFAULT_MAX_MESSAGE_SIZE};
use layotto_grpc::{encode_timeout, Encoding, MessageDecoder, Metadata, Status};
use layotto_hpack::Header;
use layotto_http2_transport::{Client, Limits, RecvStream, RequestHead, SendStream};

use crate::call::stream_status;

/// A gRPC channel to one peer: one HTTP/2 connection, calls multiplexed on it.
#[derive(Clone)]
pub struct GrpcClient {
    h2: Client,
    authority: Bytes,
    max_message: usize,
}

/// Options of one call.
#[derive(Default, Clone)]
pub struct CallOptions {
    pub timeout: Option<Duration>,
    pub metadata: Metadata,
}

impl GrpcClient {
    pub async fn connect(addr: SocketAddr) -> Result<GrpcClient, Status> {
        let h2 = Client::connect(addr, Limits::default())
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        Ok(GrpcClient::new(h2, Bytes::from(addr.to_string())))
    }

    pub fn new(h2: Client, authority: Bytes) -> GrpcClient {
        GrpcClient {
            h2,
            authority,
            max_message: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.h2.is_closed()
    }

    fn head(&self, path: &str, options: &CallOptions) -> RequestHead {
        let mut headers = vec![
            Header::new(&b"content-type"[..], &b"application/grpc"[..]),
            Header::new(&b"te"[..], &b"trailers"[..]),
            Header::new(&b"user-agent"[..], &b"layotto-rs-grpc"[..]),
        ];
        if let Some(t) = options.timeout {
            headers.push(Header::new(&b"grpc-timeout"[..], encode_timeout(t)));
        }
        for (k, v) in options.metadata.to_headers() {
            headers.push(Header::new(k, v));
        }
        RequestHead {
            method: Bytes::from_static(b"POST"),
            scheme: Bytes::from_static(b"http"),
            authority: self.authority.clone(),
            path: Bytes::copy_from_slice(path.as_bytes()),
            headers,
        }
    }

    /// Opens a call whose request messages are sent through the returned [`CallSender`].
    pub async fn open(
        &self,
        path: &str,
        options: &CallOptions,
    ) -> Result<(CallSender, Responses), Status> {
        let (send, response) = self
            .h2
            .send_request(self.head(path, options), false)
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let sender = CallSender {
            stream: send,
            max_message: self.max_message,
        };
        let responses = Responses::pending(response, self.max_message);
        Ok((sender, responses))
    }

    /// A unary call.
    pub async fn unary<Req: prost::Message, Resp: prost::Message + Default>(
        &self,
        path: &str,
        request: &Req,
        options: &CallOptions,
    ) -> Result<Resp, Status> {
        let run = async {
            let (mut sender, mut responses) = self.open(path, options).await?;
            sender.send(request).await?;
            sender.close().await?;
            let reply = match responses.next_message::<Resp>().await {
                Some(r) => r?,
                None => return Err(responses.status().await),
            };
            match responses.status().await {
                s if s.is_ok() => Ok(reply),
                s => Err(s),
            }
        };
        with_timeout(options.timeout, run).await
    }
}

async fn with_timeout<T>(
    timeout: Option<Duration>,
    f: impl std::future::Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    match timeout {
        Some(t) => monoio::time::timeout(t, f)
            .await
            .unwrap_or_else(|_| Err(Status::deadline_exceeded("deadline exceeded"))),
        None => f.await,
    }
}

/// The request side of a call.
pub struct CallSender {
    stream: SendStream,
    max_message: usize,
}

impl CallSender {
    pub async fn send<M: prost::Message>(&mut self, message: &M) -> Result<(), Status> {
        self.send_bytes(&message.encode_to_vec()).await
    }

    pub async fn send_bytes(&mut self, payload: &[u8]) -> Result<(), Status> {
        if payload.len() > self.max_message {
            return Err(Status::resource_exhausted("request message too large"));
        }
        let mut framed = BytesMut::with_capacity(payload.len() + 5);
        encode_raw(payload, &mut framed)?;
        self.stream
            .send_data(framed.freeze(), false)
            .await
            .map_err(|e| stream_status(&e))
    }

    /// Half-closes: no more request messages.
    pub async fn close(&mut self) -> Result<(), Status> {
        self.stream
            .send_data(Bytes::new(), true)
            .await
            .map_err(|e| stream_status(&e))
    }
}

/// The response side of a call: messages, then the final status.
pub struct Responses {
    state: State,
    buf: BytesMut,
    decoder: MessageDecoder,
    status: Option<Status>,
}

enum State {
    Pending(Option<layotto_http2_transport::ResponseFuture>),
    Body(RecvStream),
    Done,
}

impl Responses {
    fn pending(f: layotto_http2_transport::ResponseFuture, max: usize) -> Responses {
        Responses {
            state: State::Pending(Some(f)),
            buf: BytesMut::new(),
            decoder: MessageDecoder::new(max, Encoding::Identity),
            status: None,
        }
    }

    async fn ensure_head(&mut self) {
        let State::Pending(f) = &mut self.state else {
            return;
        };
        let Some(f) = f.take() else {
            self.state = State::Done;
            return;
        };
        match f.response().await {
            Err(e) => {
                self.status = Some(stream_status(&e));
                self.state = State::Done;
            }
            Ok(r) => {
                let headers = r
                    .headers
                    .iter()
                    .map(|h| (h.name.as_ref(), h.value.as_ref()));
                // Trailers-Only: the status is in the head.
                if r.status != 200 || r.headers.iter().any(|h| h.name.as_ref() == b"grpc-status") {
                    self.status = Some(Status::from_response(r.status, headers));
                    self.state = State::Done;
                    return;
                }
                let enc = r
                    .headers
                    .iter()
                    .find(|h| h.name.as_ref() == b"grpc-encoding")
                    .map(|h| h.value.as_ref());
                match Encoding::from_optional_header(enc) {
                    Ok(e) => {
                        self.decoder = MessageDecoder::new(self.decoder.max_message_size(), e);
                        self.state = State::Body(r.body);
                    }
                    Err(s) => {
                        self.status = Some(s);
                        self.state = State::Done;
                    }
                }
            }
        }
    }

    /// The next response message's bytes; `None` when the server finished (see [`Responses::status`]).
    pub async fn next(&mut self) -> Option<Result<Bytes, Status>> {
        self.ensure_head().await;
        loop {
            let State::Body(body) = &mut self.state else {
                return None;
            };
            match self.decoder.decode(&mut self.buf) {
                Ok(Some(m)) => return Some(Ok(m)),
                Ok(None) => {}
                Err(s) => {
                    self.status = Some(s.clone());
                    self.state = State::Done;
                    return Some(Err(s));
                }
            }
            match body.data().await {
                Some(Ok(chunk)) => self.buf.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    let s = stream_status(&e);
                    self.status = Some(s.clone());
                    self.state = State::Done;
                    return Some(Err(s));
                }
                None => {
                    let trailers = body.trailers().unwrap_or_default();
                    let status = Status::from_headers(
                        trailers.iter().map(|h| (h.name.as_ref(), h.value.as_ref())),
                    )
                    .unwrap_or_else(|| Status::internal("response ended without grpc-status"));
                    self.status = Some(match self.decoder.finish(&self.buf) {
                        Err(s) => s,
                        Ok(()) => status,
                    });
                    self.state = State::Done;
                    return None;
                }
            }
        }
    }

    pub async fn next_message<M: prost::Message + Default>(&mut self) -> Option<Result<M, Status>> {
        Some(self.next().await?.and_then(|b| crate::method::decode(&b)))
    }

    /// The call's final status, reading to the end if needed.
    pub async fn status(&mut self) -> Status {
        while self.status.is_none() {
            if self.next().await.is_none() && self.status.is_none() {
                self.status = Some(Status::internal("call ended without a status"));
            }
        }
        self.status.clone().unwrap_or_else(Status::ok)
    }
}
