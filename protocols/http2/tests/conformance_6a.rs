//! h2spec-style conformance, RFC 9113 §6.1 DATA, §6.2 HEADERS, §6.3
//! PRIORITY, §6.4 RST_STREAM.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use bytes::Bytes;
use layotto_http2::connection::Event;
use layotto_http2::frame::{Data, Frame, Reason, RstStream, WindowUpdate};
use peer::*;

// ---- §6.1 DATA ----

#[test]
fn s6_1_1_data_on_stream_zero() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(DATA, 0, 0, b"x"));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_1_2_data_on_half_closed_remote() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let _ = p.send(Peer::data(1, b"x", true));
    p.expect_rst(1, Reason::STREAM_CLOSED);
}

#[test]
fn s6_1_3_invalid_pad_length() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    // Pad Length 6 with only 5 octets of payload after it.
    let _ = p.send_bytes(&raw_frame(
        DATA,
        PADDED,
        1,
        &[6, b'a', b'b', b'c', b'd', b'e'],
    ));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_1_4_padding_is_not_delivered_and_credited() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let mut d = Data::new(sid(1), Bytes::from_static(b"body"), true);
    d.pad_len = Some(200);
    p.send(d).unwrap();
    let ev = p.events();
    assert!(matches!(&ev[1], Event::Data { data, end_stream: true, .. } if &data[..] == b"body"));
}

#[test]
fn s6_1_5_empty_data_with_end_stream() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"", true)).unwrap();
    let ev = p.events();
    assert!(matches!(&ev[1], Event::Data { data, end_stream: true, .. } if data.is_empty()));
}

#[test]
fn s6_1_6_release_sends_window_updates() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    // Just under 512 KiB: under half of either window, nothing yet.
    for _ in 0..31 {
        p.send(Data::new(sid(1), Bytes::from(vec![1u8; 16_384]), false))
            .unwrap();
    }
    p.conn.release_capacity(sid(1), 31 * 16_384);
    assert!(p.frames().is_empty());
    // 1 MiB in all: the stream window is fully due, and half of the 2 MiB
    // connection window.
    for _ in 0..33 {
        p.send(Data::new(sid(1), Bytes::from(vec![1u8; 16_384]), false))
            .unwrap();
    }
    p.conn.release_capacity(sid(1), 33 * 16_384);
    let f = p.frames();
    assert!(
        f.contains(&Frame::WindowUpdate(WindowUpdate::new(sid(1), 1 << 20))),
        "{f:?}"
    );
    assert!(
        f.contains(&Frame::WindowUpdate(WindowUpdate::new(sid(0), 1 << 20))),
        "{f:?}"
    );
    // Unreleased data is never credited: the peer stays blocked.
    p.send(Data::new(sid(1), Bytes::from(vec![1u8; 16_384]), false))
        .unwrap();
    assert!(p.frames().is_empty());
}

// ---- §6.2 HEADERS ----

#[test]
fn s6_2_1_headers_on_stream_zero() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let _ = p.send_bytes(&raw_frame(HEADERS, END_STREAM | END_HEADERS, 0, &block));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_2_2_headers_invalid_pad_length() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut payload = vec![block.len() as u8 + 1];
    payload.extend_from_slice(&block);
    let _ = p.send_bytes(&raw_frame(
        HEADERS,
        END_STREAM | END_HEADERS | PADDED,
        1,
        &payload,
    ));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_2_3_headers_then_priority_without_end_headers() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block);
    b.extend(raw_frame(PRIORITY, 0, 1, &[0, 0, 0, 0, 16]));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_2_4_headers_then_other_stream_continuation() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block);
    b.extend(raw_frame(CONTINUATION, END_HEADERS, 3, &[]));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_2_5_headers_with_padding_and_priority() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut payload = vec![3, 0, 0, 0, 0, 200];
    payload.extend_from_slice(&block);
    payload.extend_from_slice(&[0, 0, 0]);
    p.send_bytes(&raw_frame(
        HEADERS,
        END_STREAM | END_HEADERS | PADDED | PRIORITY_FLAG,
        1,
        &payload,
    ))
    .unwrap();
    assert!(matches!(&p.events()[..], [Event::Request { .. }]));
}

// ---- §6.3 PRIORITY ----

#[test]
fn s6_3_1_priority_on_stream_zero() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(PRIORITY, 0, 0, &[0, 0, 0, 1, 16]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_3_2_priority_bad_length() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(PRIORITY, 0, 1, &[0, 0, 0, 3, 16, 0]));
    p.expect_rst(1, Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_3_3_priority_on_open_stream_ignored() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send_bytes(&raw_frame(PRIORITY, 0, 1, &[0x80, 0, 0, 3, 16]))
        .unwrap();
    p.expect_ignored();
}

// ---- §6.4 RST_STREAM ----

#[test]
fn s6_4_1_rst_on_stream_zero() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(RST_STREAM, 0, 0, &[0, 0, 0, 8]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_4_2_rst_on_idle_stream() {
    let mut p = Peer::handshake();
    let _ = p.send(RstStream::new(sid(3), Reason::CANCEL));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_4_3_rst_bad_length() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(RST_STREAM, 0, 1, &[0, 0, 0, 8, 0]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_4_4_rst_reported_and_output_dropped() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, false);
    p.conn
        .send_data(sid(1), Bytes::from_static(b"never"), true)
        .unwrap();
    p.send(RstStream::new(sid(1), Reason::CANCEL)).unwrap();
    let ev = p.events();
    assert!(matches!(
        ev.last(),
        Some(Event::Reset {
            reason: Reason::CANCEL,
            remote: true,
            ..
        })
    ));
    let f = p.frames();
    assert!(!f.iter().any(|f| matches!(f, Frame::Data(_))), "{f:?}");
    assert_eq!(p.conn.active_streams(), 0);
}
