//! Unary and bidi-streaming gRPC calls over h2c (HTTP/2 with prior
//! knowledge), on the sidecar's own sans-I/O HTTP/2 [`Connection`] in the
//! client role.
//!
//! Why the sans-I/O connection and not `layotto-http2-transport`'s client:
//! the load loops already own the socket, the buffers and the clock, and a
//! second task per connection (the transport's) would add a hop per
//! request and hide where time goes. Here the codec is just the state
//! machine: `encode` opens a stream (HEADERS + one DATA frame with the
//! pre-encoded, length-prefixed request), `decode` feeds the bytes read to
//! the connection and turns its events into completions by token.
//!
//! Concurrency: the loops keep `--inflight` requests outstanding per
//! connection; when that exceeds the server's SETTINGS_MAX_CONCURRENT_STREAMS
//! the extra tokens wait here and open a stream as soon as one closes (their
//! wait counts as latency). A stream the server refuses (REFUSED_STREAM, as
//! before our SETTINGS were seen) was not processed and is sent again.
//!
//! What counts as success: a response whose trailers (or Trailers-Only
//! head) carry `grpc-status: 0` and whose body is well-formed gRPC framing.
//! A non-zero status is `grpc:<code>`, a non-200 `:status` is `status:NNN`,
//! a reset is `reset:<code>`, and a response ending without `grpc-status`
//! is `protocol`.
//!
//! Bidi ping-pong ([`Grpc::bidi`]): a token is one round trip, not one call.
//! Each in-flight slot keeps a long-lived stream: `encode` sends one message
//! on an idle stream (opening one when none is idle), and the token completes
//! when the reply message is whole; the stream is then idle again. After the
//! N-th reply the client half-closes (an empty DATA frame with END_STREAM)
//! and that token completes only at the trailers, so a stream's
//! `grpc-status` is always judged (the last round trip of each stream
//! includes the close). END_STREAM does not ride on the N-th message: a
//! subscription-style server (SubscribeConfiguration) may stop at the
//! half-close before it has sent the reply the last message asked for.
//!
//! Config pushes, server messages on a long-lived stream, are [`push`].

mod framing;
pub mod push;
pub mod requests;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use layotto_hpack::Header;
use layotto_http2::limits::Limits;
use layotto_http2::{Connection, Event, Reason, RequestHead, Role, SendError, StreamId};

use super::{Codec, ErrorKind, Outcome, Protocol, ProtocolError};
use framing::Framing;

/// Most bytes `poll_output` writes in one call; the loops write it all.
const OUTPUT_CHUNK: usize = 1 << 20;

/// The calls of one run: a method path and the request bodies to cycle
/// through (each already length-prefixed).
#[derive(Debug, Clone)]
pub struct Grpc {
    authority: Bytes,
    path: Bytes,
    bodies: Arc<Vec<Bytes>>,
    /// Gives each connection a different starting body, so the key space is
    /// spread over connections rather than walked by all of them in step.
    next_conn: Arc<AtomicU64>,
    /// Bidi ping-pong: messages per stream; `None` for unary calls.
    per_stream: Option<u32>,
}

impl Grpc {
    /// `messages` are raw protobuf request messages (at least one); each
    /// call sends the next one, round-robin.
    pub fn new(authority: &str, path: &str, messages: &[Bytes]) -> Result<Grpc, String> {
        if messages.is_empty() {
            return Err("a gRPC run needs at least one request message".into());
        }
        let bodies = messages
            .iter()
            .map(|m| frame_message(m))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Grpc {
            authority: Bytes::copy_from_slice(authority.as_bytes()),
            path: Bytes::copy_from_slice(path.as_bytes()),
            bodies: Arc::new(bodies),
            next_conn: Arc::new(AtomicU64::new(0)),
            per_stream: None,
        })
    }

    /// Turns the calls into bidi ping-pong: `messages` round trips (at
    /// least one) per stream before it is ended with END_STREAM.
    pub fn bidi(mut self, messages: u32) -> Result<Grpc, String> {
        if messages == 0 {
            return Err("--messages must be at least 1".into());
        }
        self.per_stream = Some(messages);
        Ok(self)
    }

    /// The length-prefixed request bodies, in send order.
    pub fn bodies(&self) -> &[Bytes] {
        &self.bodies
    }
}

/// The head of a gRPC call over h2c.
pub(crate) fn request_head(authority: &Bytes, path: &Bytes) -> RequestHead {
    RequestHead {
        method: Bytes::from_static(b"POST"),
        scheme: Bytes::from_static(b"http"),
        authority: authority.clone(),
        path: path.clone(),
        headers: vec![
            Header::new("content-type", "application/grpc"),
            Header::new("te", "trailers"),
        ],
    }
}

/// One uncompressed gRPC message: flag 0, u32 big-endian length, payload.
pub fn frame_message(payload: &[u8]) -> Result<Bytes, String> {
    let len = u32::try_from(payload.len())
        .map_err(|_| format!("a {}-byte message cannot be framed", payload.len()))?;
    let mut out = BytesMut::with_capacity(5 + payload.len());
    out.extend_from_slice(&[0]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    Ok(out.freeze())
}

impl Protocol for Grpc {
    type Codec = GrpcCodec;

    fn name(&self) -> &'static str {
        "grpc"
    }

    fn codec(&self) -> GrpcCodec {
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let len = self.bodies.len() as u64;
        GrpcCodec {
            conn: Connection::new(Role::Client, Limits::default()),
            head: request_head(&self.authority, &self.path),
            bodies: Arc::clone(&self.bodies),
            offset: (conn * 7919) % len.max(1),
            streams: HashMap::new(),
            waiting: VecDeque::new(),
            going_away: false,
            per_stream: self.per_stream,
            idle: VecDeque::new(),
        }
    }
}

/// What is known about one open stream's response so far.
#[derive(Debug)]
struct Call {
    /// The request (unary) or round trip (bidi) waiting on this stream;
    /// `None` for an idle bidi stream.
    token: Option<u64>,
    /// `None` while the call looks fine; the first failure otherwise.
    failed: Option<ErrorKind>,
    /// Where the response body is in its length-prefixed framing.
    scan: Framing,
    /// Messages sent and whole messages received (bidi round trips).
    sent: u32,
    received: u32,
}

/// One connection's HTTP/2 state and its calls.
#[derive(Debug)]
pub struct GrpcCodec {
    conn: Connection,
    head: RequestHead,
    bodies: Arc<Vec<Bytes>>,
    offset: u64,
    streams: HashMap<StreamId, Call>,
    /// Tokens waiting for a stream (the server's stream limit is reached).
    waiting: VecDeque<u64>,
    /// The server sent GOAWAY: no new streams on this connection.
    going_away: bool,
    /// Bidi ping-pong: messages per stream; `None` for unary calls.
    per_stream: Option<u32>,
    /// Bidi: open streams with no round trip outstanding, oldest first
    /// (may name streams that have since closed; those are skipped).
    idle: VecDeque<StreamId>,
}

impl GrpcCodec {
    /// Starts waiting tokens while the server allows it.
    fn open_waiting(&mut self) {
        while let Some(&token) = self.waiting.front() {
            if self.going_away || !self.try_start(token) {
                return;
            }
            self.waiting.pop_front();
        }
    }

    /// The request body for `token`.
    fn body(&self, token: u64) -> Bytes {
        let n = self.bodies.len() as u64;
        usize::try_from((token + self.offset) % n.max(1))
            .ok()
            .and_then(|i| self.bodies.get(i))
            .cloned()
            .unwrap_or_default()
    }

    /// Sends `token` (a call, or a bidi round trip); false if it has to wait.
    fn try_start(&mut self, token: u64) -> bool {
        if self.per_stream.is_none() {
            return self.try_open(token);
        }
        // An idle stream first; a closed one left in `idle` is skipped.
        while let Some(stream) = self.idle.pop_front() {
            if self.send_message(stream, token) {
                return true;
            }
        }
        self.try_open(token)
    }

    /// Opens a stream for `token` and sends its (first) message; false if
    /// it has to wait.
    fn try_open(&mut self, token: u64) -> bool {
        let stream = match self.conn.send_request(self.head.clone(), false) {
            Ok(id) => id,
            Err(SendError::GoingAway) => {
                self.going_away = true;
                return false;
            }
            Err(_) => return false,
        };
        self.streams.insert(
            stream,
            Call {
                token: None,
                failed: None,
                scan: Framing::default(),
                sent: 0,
                received: 0,
            },
        );
        // Cannot fail: the stream was opened just above.
        self.send_message(stream, token)
    }

    /// Sends `token`'s message on an open stream (a unary call's with
    /// END_STREAM); false if the stream is gone.
    fn send_message(&mut self, stream: StreamId, token: u64) -> bool {
        let body = self.body(token);
        let Some(call) = self.streams.get_mut(&stream) else {
            return false;
        };
        let unary = self.per_stream.is_none();
        if self.conn.send_data(stream, body, unary).is_err() {
            self.streams.remove(&stream);
            return false;
        }
        call.sent += 1;
        call.token = Some(token);
        true
    }

    fn finish(&mut self, stream: StreamId, done: &mut Vec<(u64, Outcome)>, status: Option<u32>) {
        let Some(call) = self.streams.remove(&stream) else {
            return;
        };
        // An idle bidi stream the server ended has no round trip to judge.
        let Some(token) = call.token else {
            return;
        };
        let answered = self.per_stream.is_none() || call.received >= call.sent;
        let failure = call.failed.or(match status {
            Some(0) if call.scan.complete() && answered => None,
            Some(0) => Some(ErrorKind::Protocol),
            Some(code) => Some(ErrorKind::Grpc(code)),
            None => Some(ErrorKind::Protocol),
        });
        done.push((token, failure.map_or(Outcome::Ok, Outcome::Failed)));
    }

    /// Bidi: `whole` reply messages arrived on `stream`. A reply completes
    /// the round trip, except the reply to the stream's last message: then
    /// the client half-closes and the token waits for the trailers.
    fn on_replies(&mut self, stream: StreamId, whole: u32, done: &mut Vec<(u64, Outcome)>) {
        let Some(per_stream) = self.per_stream else {
            return;
        };
        let Some(call) = self.streams.get_mut(&stream) else {
            return;
        };
        let before = call.received;
        call.received += whole;
        if call.received < call.sent || call.failed.is_some() || call.token.is_none() {
            return;
        }
        if call.sent < per_stream {
            if let Some(token) = call.token.take() {
                done.push((token, Outcome::Ok));
                self.idle.push_back(stream);
            }
        } else if before < call.sent && self.conn.send_data(stream, Bytes::new(), true).is_err() {
            // The stream is gone without its trailers: nothing will judge it.
            if let Some(token) = self.streams.remove(&stream).and_then(|c| c.token) {
                done.push((token, Outcome::Failed(ErrorKind::Protocol)));
            }
        }
    }

    fn on_event(&mut self, event: Event, done: &mut Vec<(u64, Outcome)>) {
        match event {
            Event::Response {
                stream,
                status,
                headers,
                end_stream,
            } => {
                if let Some(call) = self.streams.get_mut(&stream) {
                    if status != 200 {
                        call.failed = Some(ErrorKind::Status(status));
                    }
                }
                if end_stream {
                    // Trailers-Only: grpc-status is in the head.
                    self.finish(stream, done, grpc_status(&headers));
                }
            }
            Event::Data {
                stream,
                data,
                end_stream,
            } => {
                self.conn.release_capacity(stream, data.len());
                if let Some(call) = self.streams.get_mut(&stream) {
                    let whole = call.scan.feed(&data);
                    if whole > 0 {
                        self.on_replies(stream, whole, done);
                    }
                }
                if end_stream {
                    // A body without trailers: no status, so not a success.
                    self.finish(stream, done, None);
                }
            }
            Event::Trailers { stream, headers } => {
                self.finish(stream, done, grpc_status(&headers));
            }
            Event::Reset { stream, reason, .. } => {
                let Some(Call {
                    token: Some(token), ..
                }) = self.streams.remove(&stream)
                else {
                    return;
                };
                if reason == Reason::REFUSED_STREAM {
                    // Not processed: try again, here or (after GOAWAY) on
                    // the next connection, where the loop re-sends it.
                    self.waiting.push_front(token);
                } else {
                    done.push((token, Outcome::Failed(ErrorKind::Reset(reason.code()))));
                }
            }
            Event::GoAway { .. } => self.going_away = true,
            Event::Request { .. } | Event::PingAck { .. } => {}
        }
    }
}

/// The `grpc-status` value, if present and numeric.
pub(crate) fn grpc_status(headers: &[Header]) -> Option<u32> {
    headers
        .iter()
        .find(|h| &h.name[..] == b"grpc-status")
        .and_then(|h| std::str::from_utf8(&h.value).ok())
        .and_then(|v| v.trim().parse().ok())
}

impl Codec for GrpcCodec {
    fn preface(&mut self, dst: &mut BytesMut) {
        self.conn.poll_output(dst, OUTPUT_CHUNK);
    }

    fn encode(&mut self, token: u64, dst: &mut BytesMut) {
        if !self.waiting.is_empty() || self.going_away || !self.try_start(token) {
            self.waiting.push_back(token);
        }
        self.conn.poll_output(dst, dst.len() + OUTPUT_CHUNK);
    }

    fn decode(
        &mut self,
        src: &mut BytesMut,
        ctrl: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError> {
        let received = self.conn.recv(src, Instant::now());
        while let Some(event) = self.conn.poll_event() {
            self.on_event(event, done);
        }
        if let Err(e) = received {
            // Flush the GOAWAY we owe; the loop drops the connection.
            self.conn.poll_output(ctrl, OUTPUT_CHUNK);
            return Err(ProtocolError(e.to_string()));
        }
        self.open_waiting();
        self.conn.poll_output(ctrl, ctrl.len() + OUTPUT_CHUNK);
        Ok(())
    }

    /// After GOAWAY, once the streams the server kept have answered
    /// (idle bidi streams are simply dropped with the connection), the loop
    /// reconnects and re-sends what never got a stream here.
    fn reusable(&self) -> bool {
        !(self.going_away && self.streams.values().all(|c| c.token.is_none()))
    }
}

#[cfg(test)]
mod tests;
