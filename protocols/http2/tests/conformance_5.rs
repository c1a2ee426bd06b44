//! h2spec-style conformance, RFC 9113 §5.1 stream states, §5.1.1 stream
//! identifiers, §5.1.2 concurrency, §5.3 priority, §5.4 error handling.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use layotto_http2::connection::Event;
use layotto_http2::frame::{Frame, Priority, Reason, RstStream, StreamDependency};
use layotto_http2::limits::Limits;
use peer::*;

// ---- §5.1 idle ----

#[test]
fn s5_1_1_idle_data() {
    let mut p = Peer::handshake();
    let _ = p.send(Peer::data(1, b"x", false));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_2_idle_rst_stream() {
    let mut p = Peer::handshake();
    let _ = p.send(RstStream::new(sid(1), Reason::CANCEL));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_3_idle_window_update() {
    let mut p = Peer::handshake();
    let _ = p.send(Peer::window_update(1, 100));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_4_idle_continuation() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let _ = p.send_bytes(&raw_frame(CONTINUATION, END_HEADERS, 1, &block));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_5_idle_priority_allowed() {
    let mut p = Peer::handshake();
    p.send(Priority {
        stream_id: sid(9),
        dependency: StreamDependency::default(),
    })
    .unwrap();
    p.expect_ignored();
    // ... and the id is still usable afterwards.
    let h = p.get(9, true);
    p.send(h).unwrap();
    assert_eq!(p.events().len(), 1);
}

// ---- §5.1 reserved: servers never accept PUSH_PROMISE ----

#[test]
fn s5_1_6_push_promise_from_client() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let block = p.block(&Peer::req_fields());
    let mut payload = vec![0, 0, 0, 2];
    payload.extend_from_slice(&block);
    let _ = p.send_bytes(&raw_frame(PUSH_PROMISE, END_HEADERS, 1, &payload));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

// ---- §5.1 half-closed (remote) ----

#[test]
fn s5_1_7_half_closed_remote_data() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let _ = p.send(Peer::data(1, b"x", false));
    p.expect_rst(1, Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_8_half_closed_remote_headers() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let h = p.headers(1, &[("x-trailer", "1")], true);
    let _ = p.send(h);
    p.expect_rst(1, Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_9_half_closed_remote_continuation() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let block = p.block(&[("x", "y")]);
    let _ = p.send_bytes(&raw_frame(CONTINUATION, END_HEADERS, 1, &block));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_10_half_closed_remote_window_update_and_priority_ok() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.send(Peer::window_update(1, 10)).unwrap();
    p.send(Priority {
        stream_id: sid(1),
        dependency: StreamDependency::default(),
    })
    .unwrap();
    p.expect_ignored();
}

// ---- §5.1 closed ----

#[test]
fn s5_1_11_closed_data_after_rst() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(RstStream::new(sid(1), Reason::CANCEL)).unwrap();
    let _ = p.send(Peer::data(1, b"x", false));
    p.expect_rst(1, Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_12_closed_headers_after_rst() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(RstStream::new(sid(1), Reason::CANCEL)).unwrap();
    let h = p.headers(1, &[("x", "y")], true);
    let _ = p.send(h);
    p.expect_rst(1, Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_13_closed_continuation_after_rst() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(RstStream::new(sid(1), Reason::CANCEL)).unwrap();
    let _ = p.send_bytes(&raw_frame(CONTINUATION, END_HEADERS, 1, &[0x82]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

fn closed_by_end_stream() -> Peer {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, true);
    p.frames();
    p
}

#[test]
fn s5_1_14_closed_data_after_end_stream() {
    let mut p = closed_by_end_stream();
    let _ = p.send(Peer::data(1, b"x", false));
    p.expect_goaway(Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_15_closed_headers_after_end_stream() {
    let mut p = closed_by_end_stream();
    let h = p.get(1, true);
    let _ = p.send(h);
    p.expect_goaway(Reason::STREAM_CLOSED);
}

#[test]
fn s5_1_16_closed_late_rst_and_window_update_ignored() {
    let mut p = closed_by_end_stream();
    p.send(Peer::window_update(1, 5)).unwrap();
    p.send(RstStream::new(sid(1), Reason::CANCEL)).unwrap();
    p.expect_ignored();
}

#[test]
fn s5_1_17_frames_after_our_rst_ignored() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.conn.send_reset(sid(1), Reason::CANCEL);
    assert!(p
        .frames()
        .contains(&Frame::RstStream(RstStream::new(sid(1), Reason::CANCEL))));
    p.send(Peer::data(1, b"in flight", false)).unwrap();
    p.send(Peer::window_update(1, 5)).unwrap();
    p.expect_ignored();
}

// ---- §5.1.1 stream identifiers ----

#[test]
fn s5_1_1_1_even_stream_id() {
    let mut p = Peer::handshake();
    let h = p.get(2, true);
    let _ = p.send(h);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_1_2_decreasing_stream_id() {
    let mut p = Peer::handshake();
    let h = p.get(5, true);
    p.send(h).unwrap();
    let h = p.get(3, true);
    let _ = p.send(h);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_1_1_3_skipped_ids_are_closed() {
    let mut p = Peer::handshake();
    let h = p.get(7, true);
    p.send(h).unwrap();
    let _ = p.send(Peer::data(3, b"x", true));
    p.expect_goaway(Reason::STREAM_CLOSED);
}

// ---- §5.1.2 stream concurrency ----

#[test]
fn s5_1_2_1_exceeding_max_concurrent_streams() {
    let mut p = Peer::handshake();
    for i in 0..100 {
        let h = p.get(1 + 2 * i, false);
        p.send(h).unwrap();
    }
    assert_eq!(p.conn.active_streams(), 100);
    let h = p.get(201, false);
    p.send(h).unwrap();
    p.expect_rst(201, Reason::REFUSED_STREAM);
    assert_eq!(p.events().len(), 100);
}

#[test]
fn s5_1_2_2_slot_freed_after_stream_ends() {
    let l = Limits {
        max_concurrent_streams: 1,
        ..Limits::default()
    };
    let mut p = Peer::handshake_with(l);
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, true);
    p.frames();
    let h = p.get(3, true);
    p.send(h).unwrap();
    assert_eq!(p.events().len(), 2);
    assert!(!p.frames().iter().any(|f| matches!(f, Frame::RstStream(_))));
}

// ---- §5.3 stream priority ----

#[test]
fn s5_3_1_headers_depends_on_itself() {
    let mut p = Peer::handshake();
    let mut h = p.get(1, true);
    h.priority = Some(StreamDependency {
        dependency: sid(1),
        weight: 15,
        exclusive: false,
    });
    p.send(h).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
    assert!(p.events().is_empty());
}

#[test]
fn s5_3_2_priority_depends_on_itself() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(PRIORITY, 0, 1, &[0, 0, 0, 1, 16]));
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

// ---- §5.4 error handling ----

#[test]
fn s5_4_1_goaway_carries_last_processed_stream() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let h = p.get(3, true);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(PING, 0, 1, &[0; 8]));
    let g = p.expect_goaway(Reason::PROTOCOL_ERROR);
    assert_eq!(g.last_stream_id, sid(3));
}

#[test]
fn s5_4_2_errors_are_sticky() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(PING, 0, 1, &[0; 8]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
    assert!(p.conn.is_finished());
    let again = p.send(Peer::window_update(0, 1));
    assert_eq!(again.unwrap_err().reason, Reason::PROTOCOL_ERROR);
    assert!(p.frames().is_empty(), "nothing after GOAWAY");
}

#[test]
fn s5_4_3_stream_error_reported_to_app() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("content-length", "2")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"abc", true)).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
    let ev = p.events();
    assert!(matches!(
        ev.last(),
        Some(Event::Reset {
            reason: Reason::PROTOCOL_ERROR,
            remote: false,
            ..
        })
    ));
}
