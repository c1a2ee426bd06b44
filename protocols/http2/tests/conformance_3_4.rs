//! h2spec-style conformance, RFC 9113 §3.4 (h2spec "3.5" preface), §4.1
//! frame format, §4.2 frame size, §4.3 header compression, §5.5 extensions.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use bytes::{Bytes, BytesMut};
use layotto_http2::codec::PREFACE;
use layotto_http2::connection::Event;
use layotto_http2::frame::{Data, Frame, Ping, Reason, Settings};
use layotto_http2::limits::Limits;
use peer::*;

// ---- §3.4 (h2spec 3.5): HTTP/2 connection preface ----

#[test]
fn s3_5_1_server_sends_settings_first() {
    let mut p = Peer::raw(Limits::default());
    let mut b = BytesMut::from(&PREFACE[..]);
    Settings::default().encode(&mut b);
    p.send_bytes(&b).unwrap();
    let f = p.frames();
    assert!(matches!(&f[0], Frame::Settings(s) if !s.ack && s.max_concurrent_streams == Some(100)));
    assert!(f.contains(&Frame::Settings(Settings::ack())));
}

#[test]
fn s3_5_2_invalid_preface() {
    let mut p = Peer::raw(Limits::default());
    let _ = p.send_bytes(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s3_5_3_first_frame_not_settings() {
    let mut p = Peer::raw(Limits::default());
    let mut b = BytesMut::from(&PREFACE[..]);
    Ping::new([0; 8]).encode(&mut b);
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s3_5_4_first_frame_settings_ack() {
    let mut p = Peer::raw(Limits::default());
    let mut b = BytesMut::from(&PREFACE[..]);
    Settings::ack().encode(&mut b);
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s3_5_5_preface_byte_by_byte() {
    let mut p = Peer::raw(Limits::default());
    let mut all = BytesMut::from(&PREFACE[..]);
    Settings::default().encode(&mut all);
    let mut buf = BytesMut::new();
    for &b in all.iter() {
        buf.extend_from_slice(&[b]);
        p.conn.recv(&mut buf, p.now).unwrap();
    }
    assert!(buf.is_empty());
    assert!(p.frames().contains(&Frame::Settings(Settings::ack())));
}

// ---- §4.1: frame format ----

#[test]
fn s4_1_1_unknown_frame_type_ignored() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(0x16, 0, 0, b"hello"));
    p.expect_ignored();
}

#[test]
fn s4_1_2_undefined_flags_ignored() {
    let mut p = Peer::handshake();
    p.send_bytes(&raw_frame(PING, 0x16 & !ACK, 0, b"12345678"))
        .unwrap();
    assert!(p.frames().contains(&Frame::Ping(Ping::pong(*b"12345678"))));
}

#[test]
fn s4_1_3_reserved_bit_ignored() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    p.send_bytes(&raw_frame(
        HEADERS,
        END_STREAM | END_HEADERS,
        0x8000_0001,
        &block,
    ))
    .unwrap();
    assert!(matches!(&p.events()[..], [Event::Request { stream, .. }] if stream.value() == 1));
}

// ---- §4.2: frame size ----

#[test]
fn s4_2_1_data_at_max_frame_size_accepted() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(Data::new(sid(1), Bytes::from(vec![0u8; 16_384]), true))
        .unwrap();
    let ev = p.events();
    assert!(matches!(&ev[1], Event::Data { data, end_stream: true, .. } if data.len() == 16_384));
}

#[test]
fn s4_2_2_data_exceeding_max_frame_size() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(DATA, 0, 1, &[0u8; 16_385]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s4_2_3_headers_exceeding_max_frame_size() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(HEADERS, END_HEADERS, 1, &[0x82; 16_385]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s4_2_4_oversized_frame_rejected_from_header_alone() {
    let mut p = Peer::handshake();
    // Only the 9-octet header of a 1 MiB frame: no payload is waited for.
    let head = &raw_frame(DATA, 0, 1, &[])[..];
    let mut h = head.to_vec();
    h[0] = 0x10;
    let _ = p.send_bytes(&h);
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

// ---- §4.3: header compression and decompression ----

#[test]
fn s4_3_1_invalid_header_block() {
    let mut p = Peer::handshake();
    // Indexed field 0 is invalid (RFC 7541 §6.1).
    let _ = p.send_bytes(&raw_frame(HEADERS, END_STREAM | END_HEADERS, 1, &[0x80]));
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn s4_3_2_priority_between_headers_and_continuation() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block[..2]);
    b.extend(raw_frame(PRIORITY, 0, 3, &[0, 0, 0, 0, 16]));
    b.extend(raw_frame(CONTINUATION, END_HEADERS, 1, &block[2..]));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s4_3_3_truncated_block_is_compression_error() {
    let mut p = Peer::handshake();
    // Literal with incremental indexing, name length 10 but 2 octets follow.
    let _ = p.send_bytes(&raw_frame(
        HEADERS,
        END_STREAM | END_HEADERS,
        1,
        &[0x40, 0x0a, b'a', b'b'],
    ));
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn s4_3_4_dropped_block_keeps_hpack_in_sync() {
    // A refused stream's block is still decoded: the entry it added to the
    // dynamic table is usable by the next request.
    let l = Limits {
        max_concurrent_streams: 1,
        ..Limits::default()
    };
    let mut p = Peer::handshake_with(l);
    let h = p.get(1, false);
    p.send(h).unwrap();
    let h = p.req_with(3, &[("x-custom", "first")], true);
    p.send(h).unwrap();
    p.expect_rst(3, Reason::REFUSED_STREAM);
    p.send(Peer::data(1, b"", true)).unwrap();
    p.respond(1, true);
    p.frames();
    let h = p.req_with(5, &[("x-custom", "first")], true);
    p.send(h).unwrap();
    let ev = p.events();
    let Some(Event::Request { head, .. }) = ev.last() else {
        panic!("{ev:?}")
    };
    assert_eq!(&head.headers[0].value[..], b"first");
}

// ---- §5.5: extending HTTP/2 ----

#[test]
fn s5_5_1_unknown_setting_ignored() {
    let mut p = Peer::handshake();
    p.send_bytes(&raw_frame(SETTINGS, 0, 0, &[0x00, 0xff, 0, 0, 0, 1]))
        .unwrap();
    assert!(p.frames().contains(&Frame::Settings(Settings::ack())));
}

#[test]
fn s5_5_2_unknown_frame_inside_header_block() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block);
    b.extend(raw_frame(0x16, 0, 1, b"x"));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s5_5_3_unknown_frame_on_idle_stream_ignored() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(0xfe, 0xff, 77, b"whatever"));
    p.expect_ignored();
}
