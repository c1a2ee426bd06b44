//! Property: random interleavings of valid client operations between an
//! in-memory client and server never produce a protocol error, and every
//! byte of every stream arrives, in order, exactly once.
#![allow(clippy::unwrap_used)]

#[path = "support/pair.rs"]
mod pair;

use std::collections::HashMap;

use bytes::{Bytes, BytesMut};
use layotto_http2::connection::{Connection, Event, SendError};
use layotto_http2::frame::{Reason, StreamId};
use pair::{get, Pair};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Open,
    Send {
        idx: usize,
        len: usize,
    },
    Finish {
        idx: usize,
    },
    Release {
        frac: u8,
    },
    Reset {
        idx: usize,
    },
    /// Move up to this many bytes each way once.
    Step {
        chunk: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Open),
        5 => (0usize..8, 1usize..200_000).prop_map(|(idx, len)| Op::Send { idx, len }),
        2 => (0usize..8).prop_map(|idx| Op::Finish { idx }),
        3 => (1u8..=4).prop_map(|frac| Op::Release { frac }),
        1 => (0usize..8).prop_map(|idx| Op::Reset { idx }),
        4 => (1usize..70_000).prop_map(|chunk| Op::Step { chunk }),
    ]
}

/// Byte `i` of stream `id`'s body.
fn pattern(id: StreamId, i: usize) -> u8 {
    (i as u32).wrapping_mul(7).wrapping_add(id.value()) as u8
}

#[derive(Default)]
struct Server {
    /// Bytes received per stream, checked against the pattern as they come.
    received: HashMap<StreamId, usize>,
    ended: HashMap<StreamId, bool>,
    reset: Vec<StreamId>,
    /// Unreleased bytes per stream.
    held: HashMap<StreamId, usize>,
}

impl Server {
    fn on(&mut self, s: &mut Connection, e: Event) {
        match e {
            Event::Request {
                stream, end_stream, ..
            } => {
                self.received.insert(stream, 0);
                if end_stream {
                    self.finish(s, stream);
                }
            }
            Event::Data {
                stream,
                data,
                end_stream,
            } => {
                let n = self.received.entry(stream).or_default();
                for (k, b) in data.iter().enumerate() {
                    assert_eq!(
                        *b,
                        pattern(stream, *n + k),
                        "stream {stream} byte {}",
                        *n + k
                    );
                }
                *n += data.len();
                *self.held.entry(stream).or_default() += data.len();
                if end_stream {
                    self.finish(s, stream);
                }
            }
            Event::Reset { stream, remote, .. } => {
                assert!(remote, "server reset {stream} itself");
                self.reset.push(stream);
                self.held.remove(&stream);
            }
            other => panic!("server event {other:?}"),
        }
    }

    fn finish(&mut self, s: &mut Connection, stream: StreamId) {
        self.ended.insert(stream, true);
        s.send_response(stream, 200, vec![], true).unwrap();
    }

    fn release(&mut self, s: &mut Connection, frac: u8) {
        for (id, n) in self.held.iter_mut() {
            let r = *n / usize::from(frac);
            s.release_capacity(*id, r);
            *n -= r;
        }
    }
}

fn step(pair: &mut Pair, server: &mut Server, chunk: usize) {
    let mut buf = BytesMut::new();
    pair.client.poll_output(&mut buf, chunk);
    pair.server.recv(&mut buf, pair.now).unwrap();
    while let Some(e) = pair.server.poll_event() {
        server.on(&mut pair.server, e);
    }
    let mut buf = BytesMut::new();
    pair.server.poll_output(&mut buf, chunk);
    pair.client.recv(&mut buf, pair.now).unwrap();
    while let Some(e) = pair.client.poll_event() {
        assert!(
            matches!(e, Event::Response { status: 200, .. }),
            "client event {e:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn interleavings_deliver_in_order(ops in proptest::collection::vec(op(), 1..60)) {
        let mut pair = Pair::new();
        let mut server = Server::default();
        let mut streams: Vec<StreamId> = Vec::new();
        let mut sent: HashMap<StreamId, usize> = HashMap::new();
        let mut finished: Vec<StreamId> = Vec::new();
        let mut reset: Vec<StreamId> = Vec::new();
        for op in ops {
            match op {
                Op::Open => match pair.client.send_request(get("/p"), false) {
                    Ok(id) => {
                        streams.push(id);
                        sent.insert(id, 0);
                    }
                    Err(SendError::StreamsExhausted) => {}
                    Err(e) => panic!("{e:?}"),
                },
                Op::Send { idx, len } => {
                    let Some(&id) = streams.get(idx % streams.len().max(1)) else { continue };
                    if finished.contains(&id) || reset.contains(&id) { continue }
                    let off = sent[&id];
                    let body: Vec<u8> = (0..len).map(|i| pattern(id, off + i)).collect();
                    pair.client.send_data(id, Bytes::from(body), false).unwrap();
                    *sent.get_mut(&id).unwrap() += len;
                }
                Op::Finish { idx } => {
                    let Some(&id) = streams.get(idx % streams.len().max(1)) else { continue };
                    if finished.contains(&id) || reset.contains(&id) { continue }
                    pair.client.send_data(id, Bytes::new(), true).unwrap();
                    finished.push(id);
                }
                Op::Release { frac } => server.release(&mut pair.server, frac),
                Op::Reset { idx } => {
                    let Some(&id) = streams.get(idx % streams.len().max(1)) else { continue };
                    if finished.contains(&id) || reset.contains(&id) { continue }
                    pair.client.send_reset(id, Reason::CANCEL);
                    reset.push(id);
                }
                Op::Step { chunk } => step(&mut pair, &mut server, chunk),
            }
        }
        // Finish every stream and drain with the server releasing everything.
        for &id in &streams {
            if !finished.contains(&id) && !reset.contains(&id) {
                pair.client.send_data(id, Bytes::new(), true).unwrap();
                finished.push(id);
            }
        }
        for _ in 0..10_000 {
            server.release(&mut pair.server, 1);
            step(&mut pair, &mut server, 1 << 20);
            if !pair.client.has_output() && !pair.server.has_output() && server.held.values().all(|n| *n == 0) {
                break;
            }
        }
        for &id in &finished {
            prop_assert_eq!(server.received.get(&id).copied(), Some(sent[&id]), "stream {}", id);
            prop_assert!(server.ended.get(&id).copied().unwrap_or(false));
        }
        prop_assert_eq!(pair.client.active_streams(), 0);
        prop_assert_eq!(pair.server.active_streams(), 0);
    }
}
