//! Config pushes: many server messages on one long-lived stream, the load
//! that SubscribeConfiguration (and SubscribeTopicEvents-style) subscribers
//! put on a sidecar.
//!
//! Why not a server-streaming mode: the Runtime's only server-streaming
//! method is GetFile, whose messages are 100 KiB file chunks, so its
//! messages/s would be a bytes/s figure in disguise. Its streams of many
//! small messages are the subscriptions, and those are bidi: the server
//! pushes when something changes, not when the client asks.
//!
//! So each connection first opens one SubscribeConfiguration stream for a
//! key of its own (`perf-push-<run>-<conn>`, never written before, so no
//! current value is pushed), and a request (token) is one SaveConfiguration
//! of that key on a stream of its own. The token completes when the save
//! answered `grpc-status: 0` *and* a push arrived on the subscription: its
//! latency is the time from the save until the subscriber has the change,
//! and the throughput is pushes/s through one stream per connection. Pushes
//! carry no token, so they are matched to saves in order: the counts are
//! exact, a single sample's latency is as good as that order.
//!
//! The subscription ending (trailers, reset, torn framing) is a protocol
//! error: the loop drops the connection, fails what is pending on it and
//! reconnects, which subscribes again.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use bytes::{Bytes, BytesMut};
use layotto_http2::limits::Limits;
use layotto_http2::{Connection, Event, Reason, RequestHead, Role, SendError, StreamId};

use super::framing::Framing;
use super::requests::{
    content, save_configuration, subscribe_configuration, SAVE_CONFIGURATION,
    SUBSCRIBE_CONFIGURATION,
};
use super::{frame_message, grpc_status, request_head, OUTPUT_CHUNK};
use crate::protocol::{Codec, ErrorKind, Outcome, Protocol, ProtocolError};

/// Distinct contents cycled through by a connection's saves, so each save
/// changes the value (encoded once per connection).
const VERSIONS: u64 = 16;

/// The run: where to connect, and the run's part of every key.
#[derive(Debug, Clone)]
pub struct ConfigPush {
    authority: Bytes,
    run: String,
    next_conn: Arc<AtomicU64>,
}

impl ConfigPush {
    pub fn new(authority: &str) -> ConfigPush {
        // Keys must be new to the store: a key that already has a value is
        // pushed on subscribe, and that push would be counted for a save.
        static RUNS: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let run = format!(
            "{:x}-{:x}-{}",
            std::process::id(),
            nanos,
            RUNS.fetch_add(1, Ordering::Relaxed)
        );
        ConfigPush {
            authority: Bytes::copy_from_slice(authority.as_bytes()),
            run,
            next_conn: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The key connection `conn` subscribes to and saves.
    pub fn key(&self, conn: u64) -> String {
        format!("perf-push-{}-{conn}", self.run)
    }
}

impl Protocol for ConfigPush {
    type Codec = PushCodec;

    fn name(&self) -> &'static str {
        "grpc"
    }

    fn codec(&self) -> PushCodec {
        let key = self.key(self.next_conn.fetch_add(1, Ordering::Relaxed));
        let frame = |m: Bytes| frame_message(&m).unwrap_or_default();
        let saves = (0..VERSIONS)
            .map(|v| frame(save_configuration(&[(key.clone(), content(v))])))
            .collect();
        PushCodec {
            conn: Connection::new(Role::Client, Limits::default()),
            save_head: request_head(
                &self.authority,
                &Bytes::from_static(SAVE_CONFIGURATION.as_bytes()),
            ),
            sub_head: request_head(
                &self.authority,
                &Bytes::from_static(SUBSCRIBE_CONFIGURATION.as_bytes()),
            ),
            subscribe: frame(subscribe_configuration(&[key])),
            saves,
            subscription: None,
            pushed: Framing::default(),
            calls: HashMap::new(),
            waiting: VecDeque::new(),
            saved: VecDeque::new(),
            unclaimed: 0,
            going_away: false,
            broken: None,
        }
    }
}

/// One SaveConfiguration call in flight.
#[derive(Debug)]
struct Save {
    token: u64,
    failed: Option<ErrorKind>,
    scan: Framing,
}

/// One connection: its subscription and its saves.
#[derive(Debug)]
pub struct PushCodec {
    conn: Connection,
    save_head: RequestHead,
    sub_head: RequestHead,
    subscribe: Bytes,
    saves: Vec<Bytes>,
    subscription: Option<StreamId>,
    /// The subscription's framing: whole messages are pushes.
    pushed: Framing,
    calls: HashMap<StreamId, Save>,
    /// Tokens waiting for a stream (the server's stream limit is reached).
    waiting: VecDeque<u64>,
    /// Saves answered, waiting for their push, oldest first.
    saved: VecDeque<u64>,
    /// Pushes that arrived before their save's answer.
    unclaimed: u64,
    going_away: bool,
    /// Why the subscription is over; the connection is then dropped.
    broken: Option<String>,
}

impl PushCodec {
    fn body(&self, token: u64) -> Bytes {
        usize::try_from(token % VERSIONS)
            .ok()
            .and_then(|i| self.saves.get(i))
            .cloned()
            .unwrap_or_default()
    }

    fn try_start(&mut self, token: u64) -> bool {
        let stream = match self.conn.send_request(self.save_head.clone(), false) {
            Ok(id) => id,
            Err(SendError::GoingAway) => {
                self.going_away = true;
                return false;
            }
            Err(_) => return false,
        };
        if self.conn.send_data(stream, self.body(token), true).is_err() {
            return false;
        }
        self.calls.insert(
            stream,
            Save {
                token,
                failed: None,
                scan: Framing::default(),
            },
        );
        true
    }

    fn open_waiting(&mut self) {
        while let Some(&token) = self.waiting.front() {
            if self.going_away || !self.try_start(token) {
                return;
            }
            self.waiting.pop_front();
        }
    }

    /// A save answered OK: done if its push is already here.
    fn saved(&mut self, token: u64, done: &mut Vec<(u64, Outcome)>) {
        if self.unclaimed > 0 {
            self.unclaimed -= 1;
            done.push((token, Outcome::Ok));
        } else {
            self.saved.push_back(token);
        }
    }

    fn pushes(&mut self, n: u32, done: &mut Vec<(u64, Outcome)>) {
        for _ in 0..n {
            match self.saved.pop_front() {
                Some(token) => done.push((token, Outcome::Ok)),
                None => self.unclaimed += 1,
            }
        }
    }

    fn finish(&mut self, stream: StreamId, status: Option<u32>, done: &mut Vec<(u64, Outcome)>) {
        let Some(call) = self.calls.remove(&stream) else {
            return;
        };
        let failure = call.failed.or(match status {
            Some(0) if call.scan.complete() => None,
            Some(0) | None => Some(ErrorKind::Protocol),
            Some(code) => Some(ErrorKind::Grpc(code)),
        });
        match failure {
            None => self.saved(call.token, done),
            Some(kind) => done.push((call.token, Outcome::Failed(kind))),
        }
    }

    fn subscription_over(&mut self, why: String) {
        self.broken.get_or_insert(why);
    }

    fn on_event(&mut self, event: Event, done: &mut Vec<(u64, Outcome)>) {
        let sub = self.subscription;
        match event {
            Event::Response {
                stream,
                status,
                headers,
                end_stream,
            } if Some(stream) == sub => {
                if status != 200 || end_stream {
                    let code = grpc_status(&headers);
                    self.subscription_over(format!(
                        "the subscription was answered with :status {status}, grpc-status {code:?}"
                    ));
                }
            }
            Event::Response {
                stream,
                status,
                headers,
                end_stream,
            } => {
                if let Some(call) = self.calls.get_mut(&stream) {
                    if status != 200 {
                        call.failed = Some(ErrorKind::Status(status));
                    }
                }
                if end_stream {
                    self.finish(stream, grpc_status(&headers), done);
                }
            }
            Event::Data {
                stream,
                data,
                end_stream,
            } => {
                self.conn.release_capacity(stream, data.len());
                if Some(stream) == sub {
                    let n = self.pushed.feed(&data);
                    self.pushes(n, done);
                    if end_stream {
                        self.subscription_over("the subscription ended without trailers".into());
                    }
                    return;
                }
                if let Some(call) = self.calls.get_mut(&stream) {
                    call.scan.feed(&data);
                }
                if end_stream {
                    self.finish(stream, None, done);
                }
            }
            Event::Trailers { stream, headers } if Some(stream) == sub => {
                let code = grpc_status(&headers);
                self.subscription_over(format!("the subscription ended with grpc-status {code:?}"));
            }
            Event::Trailers { stream, headers } => {
                self.finish(stream, grpc_status(&headers), done);
            }
            Event::Reset { stream, reason, .. } if Some(stream) == sub => {
                self.subscription_over(format!("the subscription was reset ({})", reason.code()));
            }
            Event::Reset { stream, reason, .. } => {
                let Some(call) = self.calls.remove(&stream) else {
                    return;
                };
                if reason == Reason::REFUSED_STREAM {
                    self.waiting.push_front(call.token);
                } else {
                    done.push((call.token, Outcome::Failed(ErrorKind::Reset(reason.code()))));
                }
            }
            Event::GoAway { .. } => self.going_away = true,
            Event::Request { .. } | Event::PingAck { .. } => {}
        }
    }
}

impl Codec for PushCodec {
    /// The connection preface, then the subscription, so it is registered
    /// before the first save arrives on the same connection.
    fn preface(&mut self, dst: &mut BytesMut) {
        match self.conn.send_request(self.sub_head.clone(), false) {
            Ok(stream) => {
                self.subscription = Some(stream);
                if self
                    .conn
                    .send_data(stream, self.subscribe.clone(), false)
                    .is_err()
                {
                    self.subscription_over("cannot send the subscription".into());
                }
            }
            Err(e) => self.subscription_over(format!("cannot open the subscription: {e:?}")),
        }
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
            self.conn.poll_output(ctrl, OUTPUT_CHUNK);
            return Err(ProtocolError(e.to_string()));
        }
        if let Some(why) = &self.broken {
            return Err(ProtocolError(why.clone()));
        }
        self.open_waiting();
        self.conn.poll_output(ctrl, ctrl.len() + OUTPUT_CHUNK);
        Ok(())
    }

    /// After GOAWAY, once every save here has been answered and pushed, the
    /// loop reconnects and re-sends what never got a stream.
    fn reusable(&self) -> bool {
        !(self.going_away && self.calls.is_empty() && self.saved.is_empty())
    }
}

#[cfg(test)]
mod tests;
