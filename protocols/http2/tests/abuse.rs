//! Abuse defences (shared/http-defenses.md B1-B7): each attack ends in
//! GOAWAY(ENHANCE_YOUR_CALM) (or a 431) with memory bounded.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_http2::connection::Event;
use layotto_http2::frame::{Frame, Ping, Priority, Reason, RstStream, Settings, StreamDependency};
use layotto_http2::limits;
use peer::*;

#[test]
fn rapid_reset() {
    let mut p = Peer::handshake();
    let mut id = 1;
    let mut result = Ok(());
    for _ in 0..1_000 {
        let h = p.get(id, true);
        let mut b = BytesMut::new();
        Frame::Headers(h).encode(&mut b);
        RstStream::new(sid(id), Reason::CANCEL).encode(&mut b);
        result = p.send_bytes(&b);
        p.events();
        let (streams, control, _) = p.conn.memory_gauges();
        assert!(streams <= 1 && control <= 2, "bounded: {streams} {control}");
        if result.is_err() {
            break;
        }
        id += 2;
    }
    assert!(result.is_err());
    assert!(
        id / 2 <= limits::MAX_EARLY_RESETS_PER_SEC + 1,
        "tripped after {} streams",
        id / 2
    );
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn slow_cancels_are_fine() {
    let mut p = Peer::handshake();
    for i in 0..600 {
        let id = 1 + 2 * i;
        let h = p.get(id, true);
        p.send(h).unwrap();
        p.send(RstStream::new(sid(id), Reason::CANCEL)).unwrap();
        p.advance(Duration::from_millis(100));
    }
    p.events();
    p.expect_alive();
}

#[test]
fn ping_flood_without_reading() {
    let mut p = Peer::handshake();
    let mut b = BytesMut::new();
    for _ in 0..5_000 {
        Ping::new([1; 8]).encode(&mut b);
    }
    let _ = p.send_bytes(&b);
    let (_, control, _) = p.conn.memory_gauges();
    assert!(control <= limits::MAX_PENDING_CONTROL_FRAMES + 1);
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn ping_flood_while_reading_is_bounded() {
    let mut p = Peer::handshake();
    for _ in 0..5_000 {
        p.send(Ping::new([1; 8])).unwrap();
        assert_eq!(p.frames().len(), 1);
    }
}

#[test]
fn settings_flood_without_reading() {
    let mut p = Peer::handshake();
    let mut b = BytesMut::new();
    for _ in 0..5_000 {
        Settings::default().encode(&mut b);
    }
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn empty_data_frames() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    for _ in 0..limits::MAX_EMPTY_DATA_RUN - 1 {
        p.send(Peer::data(1, b"", false)).unwrap();
    }
    let _ = p.send(Peer::data(1, b"", false));
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn empty_data_with_end_stream_always_accepted() {
    let mut p = Peer::handshake();
    for i in 0..50 {
        let h = p.get(1 + 2 * i, false);
        p.send(h).unwrap();
        p.send(Peer::data(1 + 2 * i, b"", true)).unwrap();
    }
    p.expect_alive();
}

#[test]
fn continuation_flood() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block);
    let mut sent = 0;
    let mut res = p.send_bytes(&b);
    while res.is_ok() {
        b = raw_frame(CONTINUATION, 0, 1, &[]);
        res = p.send_bytes(&b);
        sent += 1;
        assert!(sent <= 6, "not stopped within 6 frames");
    }
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn continuation_flood_large_fragments() {
    let mut p = Peer::handshake();
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &[0u8; 16_384]);
    for _ in 0..20 {
        b.extend(raw_frame(CONTINUATION, 0, 1, &[0u8; 16_384]));
    }
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

/// A block adding a 4 000-octet entry, then indexing it `n` times.
fn bomb(p: &mut Peer, n: usize) -> Vec<u8> {
    let mut b = vec![0x82, 0x87, 0x84, 0x01, 0x01, b'a'];
    // Literal with incremental indexing, new name `x-bomb`, 4 000-octet
    // value (length 127 + 33 + 30 x 128): the entry fills the 4 KiB table.
    let _ = p;
    b.extend_from_slice(&[0x40, 0x06]);
    b.extend_from_slice(b"x-bomb");
    b.extend_from_slice(&[0x7f, 0xa1, 0x1e]);
    b.extend(std::iter::repeat_n(b'v', 4_000));
    b.extend(std::iter::repeat_n(0x80 | 62, n));
    b
}

#[test]
fn header_list_too_large_gets_431() {
    let mut p = Peer::handshake();
    let block = bomb(&mut p, 20); // ~84 KB decoded > 64 KiB
    p.send_bytes(&raw_frame(HEADERS, END_HEADERS, 1, &block))
        .unwrap();
    assert!(p.events().is_empty(), "never reaches the app");
    // The rest of the request is dropped (and credited back).
    p.send(Peer::data(1, b"body", true)).unwrap();
    p.frames();
    let (id, fields, end) = p.heads.last().unwrap().clone();
    assert_eq!((id, fields[0].1.as_str(), end), (sid(1), "431", true));
    // The dynamic-table entry the rejected block added is still usable.
    p.send_bytes(&raw_frame(
        HEADERS,
        END_STREAM | END_HEADERS,
        3,
        &[0x82, 0x87, 0x84, 0x01, 0x01, b'a', 0x80 | 62],
    ))
    .unwrap();
    assert!(
        matches!(&p.events()[..], [Event::Request { head, .. }] if head.headers[0].value.len() == 4_000)
    );
}

#[test]
fn header_list_431_then_rst_no_error_if_still_sending() {
    let mut p = Peer::handshake();
    let block = bomb(&mut p, 20);
    p.send_bytes(&raw_frame(HEADERS, END_HEADERS, 1, &block))
        .unwrap();
    let f = p.frames();
    assert!(
        matches!(&f[..], [Frame::Headers(h), Frame::RstStream(r)] if h.end_stream && r.reason == Reason::NO_ERROR),
        "{f:?}"
    );
}

#[test]
fn hpack_bomb_far_above_limit() {
    let mut p = Peer::handshake();
    let block = bomb(&mut p, 100); // ~400 KB decoded > 4 x 64 KiB
    let _ = p.send_bytes(&raw_frame(HEADERS, END_STREAM | END_HEADERS, 1, &block));
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn stream_error_budget() {
    // MadeYouReset: WINDOW_UPDATE(0) makes us reset stream after stream.
    let mut p = Peer::handshake();
    let mut res = Ok(());
    let mut n = 0;
    while res.is_ok() {
        let id = 1 + 2 * n;
        let h = p.get(id, false);
        p.send(h).unwrap();
        res = p.send_bytes(&raw_frame(WINDOW_UPDATE, 0, id, &[0, 0, 0, 0]));
        n += 1;
        if res.is_err() {
            break;
        }
        p.frames();
        p.events();
        assert!(n <= limits::MAX_LOCAL_STREAM_ERRORS);
    }
    assert_eq!(n, limits::MAX_LOCAL_STREAM_ERRORS);
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn priority_flood_on_idle_ids() {
    let mut p = Peer::handshake();
    let mut b = BytesMut::new();
    for i in 0..1_000u32 {
        Priority {
            stream_id: sid(2 * i + 1),
            dependency: StreamDependency::default(),
        }
        .encode(&mut b);
    }
    let _ = p.send_bytes(&b);
    assert_eq!(p.conn.memory_gauges().0, 0, "nothing allocated per id");
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn window_update_flood() {
    let mut p = Peer::handshake();
    let mut b = BytesMut::new();
    for _ in 0..100 {
        Frame::WindowUpdate(Peer::window_update(0, 1)).encode(&mut b);
    }
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::ENHANCE_YOUR_CALM);
}

#[test]
fn unread_response_output_is_what_the_app_queued() {
    // A peer that never opens its window: our queue is the app's data,
    // reported by queued_bytes so the driver can stop its producer.
    let mut p = Peer::handshake();
    p.send(Settings {
        initial_window_size: Some(0),
        ..Settings::default()
    })
    .unwrap();
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, false);
    for _ in 0..10 {
        p.conn
            .send_data(sid(1), Bytes::from(vec![0u8; 1 << 16]), false)
            .unwrap();
    }
    let f = p.frames();
    assert!(!f.iter().any(|f| matches!(f, Frame::Data(_))));
    assert_eq!(p.conn.queued_bytes(sid(1)), 10 << 16);
    assert!(!p.conn.has_output());
}

#[test]
fn closed_stream_memory_is_bounded() {
    let mut p = Peer::handshake();
    for i in 0..5_000 {
        let id = 1 + 2 * i;
        let h = p.get(id, true);
        p.send(h).unwrap();
        p.respond(id, true);
        p.frames();
        p.events();
        p.advance(Duration::from_millis(1));
    }
    assert_eq!(p.conn.memory_gauges().0, 0);
}
