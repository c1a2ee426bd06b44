//! Client-role tests: a client and a server Connection wired in memory.
#![allow(clippy::unwrap_used)]

#[path = "support/pair.rs"]
mod pair;

use bytes::Bytes;
use layotto_http2::connection::{Event, SendError};
use layotto_http2::frame::Reason;
use pair::{get, Pair};

fn body(len: usize, seed: u8) -> Bytes {
    Bytes::from(
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect::<Vec<u8>>(),
    )
}

#[test]
fn large_bodies_both_ways_through_default_windows() {
    let mut pair = Pair::new();
    pair.settle();
    let req = body(4 << 20, 1);
    let resp = body(4 << 20, 2);
    let id = pair.client.send_request(get("/upload"), false).unwrap();
    pair.client.send_data(id, req.clone(), true).unwrap();
    let mut got_req = Vec::new();
    let mut got_resp = Vec::new();
    let mut status = 0;
    let resp2 = resp.clone();
    pair.pump(
        |c, e| match e {
            Event::Response { status: s, .. } => status = s,
            Event::Data { stream, data, .. } => {
                got_resp.extend_from_slice(&data);
                c.release_capacity(stream, data.len());
            }
            other => panic!("{other:?}"),
        },
        |s, e| match e {
            Event::Request { .. } => {}
            Event::Data {
                stream,
                data,
                end_stream,
            } => {
                got_req.extend_from_slice(&data);
                s.release_capacity(stream, data.len());
                if end_stream {
                    s.send_response(stream, 200, vec![], false).unwrap();
                    s.send_data(stream, resp2.clone(), true).unwrap();
                }
            }
            other => panic!("{other:?}"),
        },
    );
    assert_eq!(status, 200);
    assert!(got_req == req[..], "request body differs");
    assert!(got_resp == resp[..], "response body differs");
    assert_eq!(pair.client.active_streams(), 0);
    assert_eq!(pair.server.active_streams(), 0);
}

#[test]
fn flow_control_blocks_until_released() {
    let mut pair = Pair::new();
    pair.settle();
    let id = pair.client.send_request(get("/"), false).unwrap();
    pair.client.send_data(id, body(3 << 20, 3), true).unwrap();
    let mut held = 0usize;
    pair.pump(
        |_, e| panic!("{e:?}"),
        |_, e| {
            if let Event::Data { data, .. } = e {
                held += data.len();
            }
        },
    );
    // Stream window: 1 MiB, nothing released.
    assert_eq!(held, 1 << 20);
    assert_eq!(pair.client.queued_bytes(id), 2 << 20);
    assert!(!pair.client.has_output());
    let mut total = held;
    pair.server.release_capacity(id, held);
    pair.pump(
        |_, e| panic!("{e:?}"),
        |s, e| {
            if let Event::Data { stream, data, .. } = e {
                total += data.len();
                s.release_capacity(stream, data.len());
            }
        },
    );
    assert_eq!(total, 3 << 20);
    assert_eq!(pair.client.queued_bytes(id), 0);
}

#[test]
fn concurrency_limit_then_proceed() {
    let mut pair = Pair::new();
    pair.settle();
    assert_eq!(
        pair.client.peer_settings().max_concurrent_streams,
        Some(100)
    );
    let mut opened = Vec::new();
    let mut refused = 0;
    for i in 0..150 {
        match pair.client.send_request(get(&format!("/{i}")), true) {
            Ok(id) => opened.push(id),
            Err(SendError::StreamsExhausted) => refused += 1,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((opened.len(), refused), (100, 50));
    let mut responses = 0;
    let mut waiting = 50;
    for _ in 0..10 {
        pair.pump(
            |_, e| {
                if matches!(
                    e,
                    Event::Response {
                        end_stream: true,
                        ..
                    }
                ) {
                    responses += 1;
                }
            },
            |s, e| {
                if let Event::Request { stream, .. } = e {
                    s.send_response(stream, 204, vec![], true).unwrap();
                }
            },
        );
        while waiting > 0 && pair.client.send_request(get("/late"), true).is_ok() {
            waiting -= 1;
        }
    }
    assert_eq!(waiting, 0);
    assert_eq!(responses, 150);
}

#[test]
fn graceful_goaway_lets_streams_finish() {
    let mut pair = Pair::new();
    pair.settle();
    let id = pair.client.send_request(get("/slow"), true).unwrap();
    pair.pump(
        |_, e| panic!("{e:?}"),
        |_, e| assert!(matches!(e, Event::Request { .. })),
    );
    pair.server.go_away(Reason::NO_ERROR, b"restart");
    let mut goaway = None;
    pair.pump(|_, e| goaway = Some(e), |_, e| panic!("{e:?}"));
    assert!(
        matches!(goaway, Some(Event::GoAway { last_stream_id, reason: Reason::NO_ERROR, .. }) if last_stream_id == id)
    );
    assert_eq!(
        pair.client.send_request(get("/new"), true),
        Err(SendError::GoingAway)
    );
    assert!(!pair.server.is_finished());
    pair.server.send_response(id, 200, vec![], true).unwrap();
    pair.pump(
        |_, e| assert!(matches!(e, Event::Response { .. })),
        |_, e| panic!("{e:?}"),
    );
    assert!(pair.server.is_finished());
    assert!(pair.client.is_finished());
}

#[test]
fn goaway_refuses_unprocessed_streams() {
    let mut pair = Pair::new();
    pair.settle();
    let first = pair.client.send_request(get("/1"), true).unwrap();
    pair.pump(|_, _| {}, |_, _| {});
    pair.server.go_away(Reason::NO_ERROR, b"");
    // Sent before the client learns about the GOAWAY.
    let second = pair.client.send_request(get("/2"), true).unwrap();
    let mut events = Vec::new();
    let mut server_events = Vec::new();
    pair.pump(|_, e| events.push(e), |_, e| server_events.push(e));
    assert!(server_events.is_empty(), "stream {second} was ignored");
    assert!(matches!(&events[0], Event::GoAway { last_stream_id, .. } if *last_stream_id == first));
    assert_eq!(
        events[1],
        Event::Reset {
            stream: second,
            reason: Reason::REFUSED_STREAM,
            remote: true
        }
    );
}

#[test]
fn informational_heads_skipped_and_trailers_delivered() {
    let mut pair = Pair::new();
    pair.settle();
    let id = pair.client.send_request(get("/grpc"), true).unwrap();
    let mut events = Vec::new();
    pair.pump(
        |_, e| events.push(e),
        |s, e| {
            if let Event::Request { stream, .. } = e {
                s.send_response(stream, 103, vec![], false).unwrap();
                s.send_response(stream, 200, vec![], false).unwrap();
                s.send_data(stream, Bytes::from_static(b"msg"), false)
                    .unwrap();
                s.send_trailers(stream, vec![layotto_hpack::Header::new("grpc-status", "0")])
                    .unwrap();
            }
        },
    );
    assert!(matches!(
        &events[0],
        Event::Response {
            status: 200,
            end_stream: false,
            ..
        }
    ));
    assert!(matches!(&events[1], Event::Data { data, .. } if &data[..] == b"msg"));
    assert!(matches!(&events[2], Event::Trailers { stream, .. } if *stream == id));
    assert_eq!(events.len(), 3);
}

#[test]
fn ping_and_reset_round_trip() {
    let mut pair = Pair::new();
    pair.settle();
    pair.client.ping(*b"rtt-prob");
    let id = pair.client.send_request(get("/"), false).unwrap();
    let mut client_events = Vec::new();
    let mut server_events = Vec::new();
    pair.pump(|_, e| client_events.push(e), |_, e| server_events.push(e));
    pair.client.send_reset(id, Reason::CANCEL);
    pair.pump(|_, e| client_events.push(e), |_, e| server_events.push(e));
    assert_eq!(
        client_events,
        vec![Event::PingAck {
            payload: *b"rtt-prob"
        }]
    );
    assert_eq!(
        server_events.last(),
        Some(&Event::Reset {
            stream: id,
            reason: Reason::CANCEL,
            remote: true
        })
    );
    assert_eq!(
        pair.client.send_data(id, Bytes::new(), true),
        Err(SendError::UnknownStream)
    );
}
