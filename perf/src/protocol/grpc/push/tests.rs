//! The push codec against a server-role [`Connection`] in memory: the
//! subscription goes first, saves and pushes are matched in either order,
//! failed saves need no push, and the subscription ending drops the
//! connection.

use bytes::BytesMut;
use layotto_hpack::Header;
use layotto_proto::spec::proto::runtime::v1::{
    SaveConfigurationRequest, SubscribeConfigurationRequest,
};
use prost::Message;

use super::*;

struct Pair {
    codec: PushCodec,
    server: Connection,
    done: Vec<(u64, Outcome)>,
}

/// What the server saw: `(stream, path or "", data, end_stream)`.
type Seen = Vec<(StreamId, String, Vec<u8>, bool)>;

impl Pair {
    fn new(max_streams: u32) -> (Pair, ConfigPush) {
        let proto = ConfigPush::new("127.0.0.1:1");
        let limits = Limits {
            max_concurrent_streams: max_streams,
            ..Limits::default()
        };
        let mut pair = Pair {
            codec: proto.codec(),
            server: Connection::new(Role::Server, limits),
            done: Vec::new(),
        };
        let mut wire = BytesMut::new();
        pair.codec.preface(&mut wire);
        pair.server
            .recv(&mut wire, Instant::now())
            .expect("preface");
        pair.exchange().expect("settings");
        (pair, proto)
    }

    /// Server output to the client, the client's answers back.
    fn exchange(&mut self) -> Result<(), ProtocolError> {
        let mut wire = BytesMut::new();
        self.server.poll_output(&mut wire, 1 << 20);
        let mut ctrl = BytesMut::new();
        let res = self.codec.decode(&mut wire, &mut ctrl, &mut self.done);
        self.server
            .recv(&mut ctrl, Instant::now())
            .expect("client bytes");
        res
    }

    fn send(&mut self, tokens: std::ops::Range<u64>) {
        let mut wire = BytesMut::new();
        for t in tokens {
            self.codec.encode(t, &mut wire);
        }
        self.server.recv(&mut wire, Instant::now()).expect("saves");
    }

    fn seen(&mut self) -> Seen {
        let mut out = Vec::new();
        while let Some(e) = self.server.poll_event() {
            match e {
                Event::Request {
                    stream,
                    head,
                    end_stream,
                } => out.push((
                    stream,
                    String::from_utf8_lossy(&head.path).into_owned(),
                    Vec::new(),
                    end_stream,
                )),
                Event::Data {
                    stream,
                    data,
                    end_stream,
                } => out.push((stream, String::new(), data.to_vec(), end_stream)),
                _ => {}
            }
        }
        out
    }

    fn push(&mut self, sub: StreamId) {
        let msg = frame_message(b"\x0a\x0bconfig_demo").expect("frame");
        self.server.send_data(sub, msg, false).expect("push");
    }

    fn answer_save(&mut self, stream: StreamId, code: &str) {
        let head = vec![Header::new("content-type", "application/grpc")];
        self.server
            .send_response(stream, 200, head, false)
            .expect("head");
        self.server
            .send_data(stream, frame_message(b"").expect("frame"), false)
            .expect("empty");
        self.server
            .send_trailers(stream, vec![Header::new("grpc-status", code.to_string())])
            .expect("trailers");
    }

    fn drain(&mut self) -> Vec<(u64, Outcome)> {
        let mut d: Vec<_> = self.done.drain(..).collect();
        d.sort_by_key(|(t, _)| *t);
        d
    }
}

fn payload(framed: &[u8]) -> &[u8] {
    framed.get(5..).unwrap_or_default()
}

/// Opens the subscription; returns its stream.
fn subscribed(p: &mut Pair, proto: &ConfigPush) -> StreamId {
    let seen = p.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let (sub, path, _, end) = &seen[0];
    assert_eq!((path.as_str(), *end), (SUBSCRIBE_CONFIGURATION, false));
    let req = SubscribeConfigurationRequest::decode(payload(&seen[1].2)).expect("subscribe");
    assert_eq!(req.keys, [proto.key(0)]);
    assert!(!seen[1].3, "the subscription stays open");
    let head = vec![Header::new("content-type", "application/grpc")];
    p.server
        .send_response(*sub, 200, head, false)
        .expect("head");
    *sub
}

#[test]
fn saves_complete_when_answered_and_pushed_in_either_order() {
    let (mut p, proto) = Pair::new(100);
    let sub = subscribed(&mut p, &proto);
    p.send(0..3);
    let seen = p.seen();
    let saves: Vec<StreamId> = seen
        .iter()
        .filter(|(_, path, _, _)| path == SAVE_CONFIGURATION)
        .map(|s| s.0)
        .collect();
    assert_eq!(saves.len(), 3, "{seen:?}");
    let bodies: Vec<&Vec<u8>> = seen.iter().filter(|s| s.3).map(|s| &s.2).collect();
    let first = SaveConfigurationRequest::decode(payload(bodies[0])).expect("save");
    assert_eq!(first.items[0].key, proto.key(0));
    let second = SaveConfigurationRequest::decode(payload(bodies[1])).expect("save");
    assert_ne!(first.items[0].content, second.items[0].content);
    // Save 0 answered, not pushed yet: not done.
    p.answer_save(saves[0], "0");
    p.exchange().expect("decode");
    assert!(p.done.is_empty(), "{:?}", p.done);
    // Two pushes: one for save 0, one ahead of save 1's answer.
    p.push(sub);
    p.push(sub);
    p.exchange().expect("decode");
    assert_eq!(p.drain(), vec![(0, Outcome::Ok)]);
    p.answer_save(saves[1], "0");
    // A failed save completes at once and needs no push.
    p.answer_save(saves[2], "3");
    p.exchange().expect("decode");
    assert_eq!(
        p.drain(),
        vec![(1, Outcome::Ok), (2, Outcome::Failed(ErrorKind::Grpc(3)))]
    );
    assert!(p.codec.reusable());
}

#[test]
fn refused_saves_go_again_and_the_stream_limit_holds() {
    // The subscription takes one of the two streams.
    let (mut p, proto) = Pair::new(2);
    let sub = subscribed(&mut p, &proto);
    p.send(0..2);
    let saves: Vec<StreamId> = p
        .seen()
        .into_iter()
        .filter(|s| s.1 == SAVE_CONFIGURATION)
        .map(|s| s.0)
        .collect();
    assert_eq!(saves.len(), 1);
    p.server.send_reset(saves[0], Reason::REFUSED_STREAM);
    p.exchange().expect("decode");
    assert!(p.done.is_empty());
    // Token 0 again, then token 1 once it is answered.
    let again: Vec<StreamId> = p
        .seen()
        .into_iter()
        .filter(|s| !s.1.is_empty())
        .map(|s| s.0)
        .collect();
    assert_eq!(again.len(), 1);
    p.answer_save(again[0], "0");
    p.push(sub);
    p.exchange().expect("decode");
    assert_eq!(p.drain(), vec![(0, Outcome::Ok)]);
    let third: Vec<StreamId> = p
        .seen()
        .into_iter()
        .filter(|s| !s.1.is_empty())
        .map(|s| s.0)
        .collect();
    assert_eq!(third.len(), 1);
}

#[test]
fn the_subscription_ending_drops_the_connection() {
    let (mut p, proto) = Pair::new(100);
    let sub = subscribed(&mut p, &proto);
    p.send(0..1);
    p.server
        .send_trailers(sub, vec![Header::new("grpc-status", "8")])
        .expect("trailers");
    let err = p.exchange().expect_err("subscription over");
    assert!(err.0.contains("grpc-status Some(8)"), "{err}");
}

#[test]
fn every_run_and_connection_has_its_own_key() {
    let a = ConfigPush::new("x");
    let b = ConfigPush::new("x");
    assert_ne!(a.key(0), b.key(0));
    assert_ne!(a.key(0), a.key(1));
    assert!(a.key(3).starts_with("perf-push-") && a.key(3).ends_with("-3"));
}
