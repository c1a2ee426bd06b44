//! The gRPC codec two ways: against a server-role [`Connection`] in
//! memory (every outcome kind, the stream limit, refusals), and through the
//! real load loops against our gRPC server on loopback.

use std::time::Duration;

use bytes::BytesMut;
use layotto_hpack::Header;
use layotto_http2::limits::Limits;
use layotto_http2::{Connection, Event, Reason, Role, StreamId};

use super::*;
use crate::load::{self, DriverPref, LoadSpec, Pace, Stop};

#[path = "../../../tests/support/grpc_echo.rs"]
mod echo;

/// The client codec and a server connection, wired back to back.
struct Pair {
    codec: GrpcCodec,
    server: Connection,
    done: Vec<(u64, Outcome)>,
}

impl Pair {
    fn new(max_streams: u32) -> Pair {
        let proto =
            Grpc::new("127.0.0.1:1", "/x.Y/Z", &[Bytes::from_static(b"req")]).expect("proto");
        Pair::with(&proto, max_streams)
    }

    fn with(proto: &Grpc, max_streams: u32) -> Pair {
        let mut codec = proto.codec();
        let limits = Limits {
            max_concurrent_streams: max_streams,
            ..Limits::default()
        };
        let mut server = Connection::new(Role::Server, limits);
        let mut wire = BytesMut::new();
        codec.preface(&mut wire);
        server.recv(&mut wire, Instant::now()).expect("preface");
        let mut pair = Pair {
            codec,
            server,
            done: Vec::new(),
        };
        pair.answer();
        pair
    }

    /// Server output to the client; the client's replies back to the server.
    fn answer(&mut self) {
        self.exchange();
        self.done.sort_by_key(|(token, _)| *token);
    }

    fn exchange(&mut self) {
        let mut wire = BytesMut::new();
        self.server.poll_output(&mut wire, 1 << 20);
        let mut ctrl = BytesMut::new();
        self.codec
            .decode(&mut wire, &mut ctrl, &mut self.done)
            .expect("decode");
        self.server
            .recv(&mut ctrl, Instant::now())
            .expect("client bytes");
    }

    /// New requests the server saw, with their full bodies.
    fn requests(&mut self) -> Vec<(StreamId, Vec<u8>)> {
        let mut out: Vec<(StreamId, Vec<u8>)> = Vec::new();
        while let Some(e) = self.server.poll_event() {
            match e {
                Event::Request { stream, head, .. } => {
                    assert_eq!(&head.path[..], b"/x.Y/Z");
                    assert!(head
                        .headers
                        .iter()
                        .any(|h| &h.value[..] == b"application/grpc"));
                    out.push((stream, Vec::new()));
                }
                Event::Data { stream, data, .. } => {
                    if let Some((_, body)) = out.iter_mut().find(|(s, _)| *s == stream) {
                        body.extend_from_slice(&data);
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn send(&mut self, tokens: std::ops::Range<u64>) {
        let mut wire = BytesMut::new();
        for t in tokens {
            self.codec.encode(t, &mut wire);
        }
        self.server
            .recv(&mut wire, Instant::now())
            .expect("requests");
    }
}

fn status(code: &str) -> Vec<Header> {
    vec![Header::new("grpc-status", code.to_string())]
}

fn ok_response(server: &mut Connection, stream: StreamId, body: &[u8]) {
    let head = vec![Header::new("content-type", "application/grpc")];
    server
        .send_response(stream, 200, head, false)
        .expect("head");
    let msg = frame_message(body).expect("frame");
    server.send_data(stream, msg, false).expect("data");
    server.send_trailers(stream, status("0")).expect("trailers");
}

#[test]
fn outcomes_follow_grpc_status_and_the_stream_limit_holds() {
    let mut p = Pair::new(2);
    p.send(0..5);
    let first = p.requests();
    // The server allows 2 streams: the other 3 tokens wait in the codec.
    assert_eq!(first.len(), 2);
    assert_eq!(first[0].1, frame_message(b"req").expect("frame").to_vec());
    ok_response(&mut p.server, first[0].0, b"hello");
    // Trailers-Only: grpc-status in the head.
    p.server
        .send_response(first[1].0, 200, status("5"), true)
        .expect("trailers-only");
    p.answer();
    assert_eq!(
        p.done.drain(..).collect::<Vec<_>>(),
        vec![(0, Outcome::Ok), (1, Outcome::Failed(ErrorKind::Grpc(5)))]
    );
    // The two closed streams let two waiting tokens go.
    let second = p.requests();
    assert_eq!(second.len(), 2);
    p.server.send_reset(second[0].0, Reason::REFUSED_STREAM);
    p.server
        .send_response(second[1].0, 503, status("14"), true)
        .expect("503");
    p.answer();
    assert_eq!(
        p.done.drain(..).collect::<Vec<_>>(),
        vec![(3, Outcome::Failed(ErrorKind::Status(503)))]
    );
    // The refused token 2 goes again, with token 4 after it.
    let third = p.requests();
    assert_eq!(third.len(), 2);
    ok_response(&mut p.server, third[0].0, b"");
    p.server.send_reset(third[1].0, Reason::INTERNAL_ERROR);
    p.answer();
    assert_eq!(
        p.done.drain(..).collect::<Vec<_>>(),
        vec![(2, Outcome::Ok), (4, Outcome::Failed(ErrorKind::Reset(2)))]
    );
    assert!(p.codec.reusable());
}

#[test]
fn a_body_without_status_or_with_torn_framing_is_a_protocol_error() {
    let mut p = Pair::new(10);
    p.send(0..2);
    let reqs = p.requests();
    let head = vec![Header::new("content-type", "application/grpc")];
    p.server
        .send_response(reqs[0].0, 200, head.clone(), false)
        .expect("head");
    p.server
        .send_data(reqs[0].0, Bytes::from_static(b"\0\0\0\0\x01x"), true)
        .expect("no trailers");
    p.server
        .send_response(reqs[1].0, 200, head, false)
        .expect("head");
    // The prefix announces 9 bytes, only 1 follows.
    p.server
        .send_data(reqs[1].0, Bytes::from_static(b"\0\0\0\0\x09x"), false)
        .expect("torn");
    p.server
        .send_trailers(reqs[1].0, status("0"))
        .expect("trailers");
    p.answer();
    assert_eq!(
        p.done,
        vec![
            (0, Outcome::Failed(ErrorKind::Protocol)),
            (1, Outcome::Failed(ErrorKind::Protocol))
        ]
    );
}

#[test]
fn goaway_ends_reuse_once_kept_streams_finish() {
    let mut p = Pair::new(10);
    p.send(0..2);
    let reqs = p.requests();
    p.server.go_away(Reason::NO_ERROR, b"bye");
    ok_response(&mut p.server, reqs[0].0, b"a");
    p.answer();
    // Stream 3 is still open (GOAWAY's last id covers it).
    assert!(p.codec.reusable());
    let mut wire = BytesMut::new();
    p.codec.encode(9, &mut wire);
    ok_response(&mut p.server, reqs[1].0, b"b");
    p.answer();
    assert_eq!(p.done, vec![(0, Outcome::Ok), (1, Outcome::Ok)]);
    // Token 9 never got a stream: the loop re-sends it on a new connection.
    assert!(!p.codec.reusable());
}

/// Server events as `(stream, new request?, data, end_stream)`.
fn server_events(server: &mut Connection) -> Vec<(StreamId, bool, Vec<u8>, bool)> {
    let mut out = Vec::new();
    while let Some(e) = server.poll_event() {
        match e {
            Event::Request {
                stream, end_stream, ..
            } => out.push((stream, true, Vec::new(), end_stream)),
            Event::Data {
                stream,
                data,
                end_stream,
            } => out.push((stream, false, data.to_vec(), end_stream)),
            _ => {}
        }
    }
    out
}

#[test]
fn bidi_round_trips_reuse_streams_and_the_last_waits_for_grpc_status() {
    let proto = Grpc::new("127.0.0.1:1", "/x.Y/Z", &[Bytes::from_static(b"req")])
        .expect("proto")
        .bidi(2)
        .expect("bidi");
    let mut p = Pair::with(&proto, 10);
    let msg = frame_message(b"req").expect("frame").to_vec();
    // Two slots: two streams, each with one message and no END_STREAM.
    p.send(0..2);
    let ev = server_events(&mut p.server);
    let (a, b) = (ev[0].0, ev[2].0);
    assert_eq!(
        ev,
        vec![
            (a, true, vec![], false),
            (a, false, msg.clone(), false),
            (b, true, vec![], false),
            (b, false, msg.clone(), false),
        ]
    );
    let head = vec![Header::new("content-type", "application/grpc")];
    for (s, reply) in [(a, &b"x"[..]), (b, &b""[..])] {
        p.server
            .send_response(s, 200, head.clone(), false)
            .expect("head");
        p.server
            .send_data(s, frame_message(reply).expect("frame"), false)
            .expect("reply");
    }
    p.answer();
    assert_eq!(
        p.done.drain(..).collect::<Vec<_>>(),
        vec![(0, Outcome::Ok), (1, Outcome::Ok)]
    );
    // The next round trips go on the same streams, each its last message,
    // still without END_STREAM.
    p.send(2..4);
    let ev = server_events(&mut p.server);
    assert_eq!(
        ev,
        vec![
            (a, false, msg.clone(), false),
            (b, false, msg.clone(), false)
        ]
    );
    // A reply to the last message is not enough: the client half-closes
    // and the token waits for the trailers.
    p.server
        .send_data(a, frame_message(b"y").expect("frame"), false)
        .expect("reply");
    p.server
        .send_data(b, frame_message(b"z").expect("frame"), false)
        .expect("reply");
    p.answer();
    assert!(p.done.is_empty(), "{:?}", p.done);
    assert_eq!(
        server_events(&mut p.server),
        vec![(a, false, vec![], true), (b, false, vec![], true)]
    );
    p.server.send_trailers(a, status("0")).expect("trailers");
    p.server.send_trailers(b, status("13")).expect("trailers");
    p.answer();
    assert_eq!(
        p.done.drain(..).collect::<Vec<_>>(),
        vec![(2, Outcome::Ok), (3, Outcome::Failed(ErrorKind::Grpc(13)))]
    );
    // Both streams are done: a new one opens; trailers with status 0 but
    // no reply to the outstanding message are a protocol error.
    p.send(4..5);
    let ev = server_events(&mut p.server);
    assert_eq!(ev.len(), 2);
    assert!(ev[0].1 && ev[0].0 != a && ev[0].0 != b, "{ev:?}");
    p.server
        .send_response(ev[0].0, 200, status("0"), true)
        .expect("trailers-only");
    p.answer();
    assert_eq!(p.done, vec![(4, Outcome::Failed(ErrorKind::Protocol))]);
    assert!(p.codec.reusable());
    assert!(proto.clone().bidi(0).is_err());
}

fn spec(addr: std::net::SocketAddr, connections: usize, inflight: usize) -> LoadSpec {
    LoadSpec {
        addr,
        threads: 1,
        connections,
        inflight,
        pace: Pace::Closed,
        warmup: Duration::from_millis(50),
        stop: Stop::After(Duration::from_millis(300)),
        timeout: Duration::from_secs(2),
        pin: false,
        driver: DriverPref::Auto,
    }
}

#[test]
fn drives_our_grpc_server_closed_and_open_loop() {
    // A stream limit below the in-flight depth: the codec has to queue.
    let addr = echo::start(Limits {
        max_concurrent_streams: 4,
        ..Limits::default()
    });
    let proto = Grpc::new(
        &addr.to_string(),
        echo::ECHO,
        &requests::Scenario::SayHello.messages(1),
    )
    .expect("proto");
    let res = load::run(&proto, &spec(addr, 2, 16)).expect("closed");
    assert!(res.rec.ok > 100, "ok = {}", res.rec.ok);
    assert_eq!(res.rec.error_total(), 0, "{:?}", res.rec.errors);
    let open = LoadSpec {
        pace: Pace::Open { rate: 2000.0 },
        inflight: 64,
        ..spec(addr, 2, 64)
    };
    let res = load::run(&proto, &open).expect("open");
    assert!(res.rec.ok > 300, "ok = {}", res.rec.ok);
    assert_eq!(res.rec.error_total(), 0, "{:?}", res.rec.errors);
}

#[test]
fn drives_bidi_ping_pong_on_our_grpc_server() {
    // Fewer streams than slots, and short streams: slots queue for a
    // stream, and streams turn over many times.
    let addr = echo::start(Limits {
        max_concurrent_streams: 4,
        ..Limits::default()
    });
    let proto = Grpc::new(
        &addr.to_string(),
        echo::BIDI_ECHO,
        &requests::Scenario::SayHello.messages(1),
    )
    .expect("proto")
    .bidi(5)
    .expect("bidi");
    let res = load::run(&proto, &spec(addr, 2, 8)).expect("closed");
    assert!(res.rec.ok > 100, "ok = {}", res.rec.ok);
    assert_eq!(res.rec.error_total(), 0, "{:?}", res.rec.errors);
    let open = LoadSpec {
        pace: Pace::Open { rate: 2000.0 },
        ..spec(addr, 2, 64)
    };
    let res = load::run(&proto, &open).expect("open");
    assert!(res.rec.ok > 300, "ok = {}", res.rec.ok);
    assert_eq!(res.rec.error_total(), 0, "{:?}", res.rec.errors);
}

#[test]
fn failing_calls_count_by_grpc_status() {
    let addr = echo::start(Limits::default());
    let proto =
        Grpc::new(&addr.to_string(), echo::FAIL, &[Bytes::from_static(b"x")]).expect("proto");
    let res = load::run(&proto, &spec(addr, 1, 4)).expect("run");
    assert_eq!(res.rec.ok, 0);
    assert!(
        res.rec
            .errors
            .get(&ErrorKind::Grpc(5))
            .copied()
            .unwrap_or(0)
            > 10
    );
    assert_eq!(res.rec.errors.len(), 1, "{:?}", res.rec.errors);
}
