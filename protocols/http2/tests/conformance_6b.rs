//! h2spec-style conformance, RFC 9113 §6.5 SETTINGS (§6.5.2 values, §6.5.3
//! synchronisation), §6.7 PING, §6.8 GOAWAY.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_http2::codec::PREFACE;
use layotto_http2::connection::Event;
use layotto_http2::frame::{Frame, GoAway, Ping, Reason, Settings};
use layotto_http2::limits::Limits;
use peer::*;

// ---- §6.5 SETTINGS ----

#[test]
fn s6_5_1_ack_with_payload() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, ACK, 0, &[0, 3, 0, 0, 0, 1]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_5_2_settings_on_stream() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 1, &[0, 3, 0, 0, 0, 1]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_5_3_settings_length_not_multiple_of_6() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0, 3, 0, 0, 0, 1, 0]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_5_4_settings_acked() {
    let mut p = Peer::handshake();
    p.send(Settings {
        max_concurrent_streams: Some(7),
        ..Settings::default()
    })
    .unwrap();
    assert_eq!(p.frames(), vec![Frame::Settings(Settings::ack())]);
    assert_eq!(p.conn.peer_settings().max_concurrent_streams, Some(7));
}

// ---- §6.5.2 defined settings ----

#[test]
fn s6_5_2_1_enable_push_invalid() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0, 2, 0, 0, 0, 2]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_5_2_2_initial_window_too_large() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0, 4, 0x80, 0, 0, 0]));
    p.expect_goaway(Reason::FLOW_CONTROL_ERROR);
}

#[test]
fn s6_5_2_3_max_frame_size_too_small() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0, 5, 0, 0, 0x3f, 0xff]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_5_2_4_max_frame_size_too_large() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0, 5, 0x01, 0, 0, 0]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_5_2_5_unknown_identifier_ignored() {
    let mut p = Peer::handshake();
    p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0xab, 0xcd, 0, 0, 0, 1]))
        .unwrap();
    assert_eq!(p.frames(), vec![Frame::Settings(Settings::ack())]);
}

#[test]
fn s6_5_2_6_peer_max_frame_size_used_for_data() {
    let mut p = Peer::handshake();
    p.send(Settings {
        max_frame_size: Some(20_000),
        initial_window_size: Some(100_000),
        ..Settings::default()
    })
    .unwrap();
    p.send(Peer::window_update(0, 100_000)).unwrap();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, false);
    p.conn
        .send_data(sid(1), Bytes::from(vec![7u8; 30_000]), true)
        .unwrap();
    let sizes: Vec<usize> = p
        .frames()
        .iter()
        .filter_map(|f| match f {
            Frame::Data(d) => Some(d.data.len()),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, vec![20_000, 10_000]);
}

#[test]
fn s6_5_2_7_too_many_settings_entries() {
    let mut p = Peer::handshake();
    let payload: Vec<u8> = (0..33).flat_map(|_| [0u8, 3, 0, 0, 0, 100]).collect();
    let _ = p.send_bytes(&raw_frame(SETTINGS, 0, 0, &payload));
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

// ---- §6.5.3 settings synchronisation ----

#[test]
fn s6_5_3_1_settings_timeout() {
    let mut p = Peer::raw(Limits::default());
    let mut b = BytesMut::from(&PREFACE[..]);
    Settings::default().encode(&mut b);
    p.send_bytes(&b).unwrap();
    let at = p.conn.next_timeout().unwrap();
    assert_eq!(at, p.now + Duration::from_secs(10));
    assert!(p.conn.on_timeout(p.now + Duration::from_secs(9)).is_ok());
    p.last = p.conn.on_timeout(at);
    p.expect_goaway(Reason::SETTINGS_TIMEOUT);
}

#[test]
fn s6_5_3_2_ack_stops_timer() {
    let mut p = Peer::handshake();
    assert_eq!(p.conn.next_timeout(), None);
    assert!(p.conn.on_timeout(p.now + Duration::from_secs(3600)).is_ok());
}

#[test]
fn s6_5_3_3_table_size_applies_on_ack() {
    // We advertise HEADER_TABLE_SIZE 0: until the ACK the peer may still use
    // the 4096 default; after it, a block without the size update is an error.
    let l = Limits {
        header_table_size: 0,
        ..Limits::default()
    };
    let mut p = Peer::raw(l);
    let mut b = BytesMut::from(&PREFACE[..]);
    Settings::default().encode(&mut b);
    p.send_bytes(&b).unwrap();
    let h = p.req_with(1, &[("x-a", "b")], true);
    p.send(h).unwrap();
    assert_eq!(p.events().len(), 1);
    p.send(Settings::ack()).unwrap();
    let h = p.get(3, true);
    let _ = p.send(h);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn s6_5_3_4_unsolicited_ack_ignored() {
    let mut p = Peer::handshake();
    p.send(Settings::ack()).unwrap();
    p.expect_ignored();
}

// ---- §6.7 PING ----

#[test]
fn s6_7_1_ping_acked_with_same_payload() {
    let mut p = Peer::handshake();
    p.send(Ping::new(*b"h2spec!!")).unwrap();
    assert_eq!(p.frames(), vec![Frame::Ping(Ping::pong(*b"h2spec!!"))]);
}

#[test]
fn s6_7_2_ping_ack_not_answered() {
    let mut p = Peer::handshake();
    p.send(Ping::pong(*b"unasked!")).unwrap();
    assert!(p.frames().is_empty());
    assert!(p.events().is_empty(), "unsolicited ACK ignored");
}

#[test]
fn s6_7_3_ping_on_stream() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(PING, 0, 1, &[0; 8]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_7_4_ping_bad_length() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(PING, 0, 0, &[0; 6]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_7_5_our_ping_ack_reported() {
    let mut p = Peer::handshake();
    p.conn.ping(*b"keepaliv");
    assert_eq!(p.frames(), vec![Frame::Ping(Ping::new(*b"keepaliv"))]);
    p.send(Ping::pong(*b"keepaliv")).unwrap();
    assert_eq!(
        p.events(),
        vec![Event::PingAck {
            payload: *b"keepaliv"
        }]
    );
}

// ---- §6.8 GOAWAY ----

#[test]
fn s6_8_1_goaway_on_stream() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(GOAWAY, 0, 1, &[0, 0, 0, 0, 0, 0, 0, 0]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_8_2_goaway_received() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.events();
    let mut g = GoAway::new(sid(0), Reason::NO_ERROR);
    g.debug_data = Bytes::from_static(b"bye");
    p.send(g).unwrap();
    assert!(
        matches!(&p.events()[..], [Event::GoAway { reason: Reason::NO_ERROR, debug, .. }] if &debug[..] == b"bye")
    );
    assert!(!p.conn.is_finished(), "stream 1 still open");
    p.respond(1, true);
    p.frames();
    assert!(p.conn.is_finished());
}

#[test]
fn s6_8_3_graceful_shutdown_ignores_new_streams() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.conn.go_away(Reason::NO_ERROR, b"draining");
    let f = p.frames();
    assert!(
        matches!(&f[..], [Frame::GoAway(g)] if g.last_stream_id == sid(1) && g.error_code == Reason::NO_ERROR)
    );
    let h = p.get(3, true);
    p.send(h).unwrap();
    assert_eq!(p.events().len(), 1, "stream 3 ignored");
    p.send(Peer::data(3, b"late", true)).unwrap();
    p.respond(1, true);
    p.frames();
    assert!(p.conn.is_finished());
}

#[test]
fn s6_8_4_goaway_bad_length() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(GOAWAY, 0, 0, &[0, 0, 0, 0]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}
