//! h2spec-style conformance, RFC 9113 §6.9 WINDOW_UPDATE (§6.9.1 the flow
//! control window, §6.9.2 initial window size), §6.10 CONTINUATION.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use bytes::Bytes;
use layotto_http2::connection::Event;
use layotto_http2::frame::{Data, Frame, Reason, Settings};
use peer::*;

fn data_lens(frames: &[Frame]) -> Vec<usize> {
    frames
        .iter()
        .filter_map(|f| match f {
            Frame::Data(d) => Some(d.data.len()),
            _ => None,
        })
        .collect()
}

/// Stream 1 open with a response head sent and `body` queued.
fn responding(p: &mut Peer, body: usize) {
    let h = p.get(1, true);
    p.send(h).unwrap();
    p.respond(1, false);
    p.conn
        .send_data(sid(1), Bytes::from(vec![b'x'; body]), true)
        .unwrap();
}

// ---- §6.9 WINDOW_UPDATE ----

#[test]
fn s6_9_1_zero_increment_connection() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(WINDOW_UPDATE, 0, 0, &[0, 0, 0, 0]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_9_2_zero_increment_stream() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(WINDOW_UPDATE, 0, 1, &[0, 0, 0, 0]));
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_9_3_bad_length() {
    let mut p = Peer::handshake();
    let _ = p.send_bytes(&raw_frame(WINDOW_UPDATE, 0, 0, &[0, 0, 1]));
    p.expect_goaway(Reason::FRAME_SIZE_ERROR);
}

#[test]
fn s6_9_4_data_respects_connection_window() {
    let mut p = Peer::handshake();
    responding(&mut p, 100_000);
    let f = p.frames();
    assert_eq!(data_lens(&f).iter().sum::<usize>(), 65_535);
    assert!(!p.conn.has_output());
    assert_eq!(p.conn.queued_bytes(sid(1)), 100_000 - 65_535);
    // The stream window (65 535) is spent too; opening only the connection
    // window is not enough.
    p.send(Peer::window_update(0, 40_000)).unwrap();
    assert!(data_lens(&p.frames()).is_empty());
    p.send(Peer::window_update(1, 40_000)).unwrap();
    let f = p.frames();
    assert_eq!(data_lens(&f).iter().sum::<usize>(), 100_000 - 65_535);
    assert!(matches!(f.last(), Some(Frame::Data(d)) if d.end_stream));
}

// ---- §6.9.1 the flow-control window ----

#[test]
fn s6_9_1_1_connection_window_overflow() {
    let mut p = Peer::handshake();
    p.send(Peer::window_update(0, (1 << 31) - 1 - 65_535))
        .unwrap();
    let _ = p.send(Peer::window_update(0, 1));
    p.expect_goaway(Reason::FLOW_CONTROL_ERROR);
}

#[test]
fn s6_9_1_2_stream_window_overflow() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(Peer::window_update(1, (1 << 31) - 1 - 65_535))
        .unwrap();
    let _ = p.send(Peer::window_update(1, 1));
    p.expect_rst(1, Reason::FLOW_CONTROL_ERROR);
}

#[test]
fn s6_9_1_3_data_beyond_stream_window() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    // The stream window is 1 MiB: 65 full frames overrun it by 16 KiB.
    for _ in 0..64 {
        p.send(Data::new(sid(1), Bytes::from(vec![0u8; 16_384]), false))
            .unwrap();
    }
    let _ = p.send(Data::new(sid(1), Bytes::from(vec![0u8; 16_384]), false));
    p.expect_rst(1, Reason::FLOW_CONTROL_ERROR);
}

#[test]
fn s6_9_1_4_data_beyond_connection_window() {
    let mut p = Peer::handshake();
    // Two streams of 1 MiB each fill the 2 MiB connection window.
    for id in [1, 3, 5] {
        let h = p.get(id, false);
        p.send(h).unwrap();
    }
    for id in [1, 3] {
        for _ in 0..64 {
            p.send(Data::new(sid(id), Bytes::from(vec![0u8; 16_384]), false))
                .unwrap();
        }
    }
    let _ = p.send(Peer::data(5, b"x", false));
    p.expect_goaway(Reason::FLOW_CONTROL_ERROR);
}

// ---- §6.9.2 initial flow-control window size ----

#[test]
fn s6_9_2_1_initial_window_zero_blocks_then_update_resumes() {
    let mut p = Peer::handshake();
    p.send(Settings {
        initial_window_size: Some(0),
        ..Settings::default()
    })
    .unwrap();
    p.frames();
    responding(&mut p, 10);
    let f = p.frames();
    assert!(data_lens(&f).is_empty(), "{f:?}");
    assert!(!p.conn.has_output());
    p.send(Peer::window_update(1, 4)).unwrap();
    assert_eq!(data_lens(&p.frames()), vec![4]);
    p.send(Peer::window_update(1, 100)).unwrap();
    assert_eq!(data_lens(&p.frames()), vec![6]);
}

#[test]
fn s6_9_2_2_settings_change_makes_window_negative() {
    let mut p = Peer::handshake();
    responding(&mut p, 70_000);
    p.send(Peer::window_update(0, 100_000)).unwrap();
    assert_eq!(data_lens(&p.frames()).iter().sum::<usize>(), 65_535);
    // 65 535 -> 1 000: the stream window is now 1 000 - 65 535 < 0.
    p.send(Settings {
        initial_window_size: Some(1_000),
        ..Settings::default()
    })
    .unwrap();
    p.send(Peer::window_update(1, 64_535)).unwrap();
    assert!(data_lens(&p.frames()).is_empty(), "window back at 0 only");
    p.send(Peer::window_update(1, 10)).unwrap();
    assert_eq!(data_lens(&p.frames()), vec![10]);
}

#[test]
fn s6_9_2_3_settings_increase_unblocks() {
    let mut p = Peer::handshake();
    p.send(Settings {
        initial_window_size: Some(0),
        ..Settings::default()
    })
    .unwrap();
    responding(&mut p, 10);
    p.frames();
    p.send(Settings {
        initial_window_size: Some(5),
        ..Settings::default()
    })
    .unwrap();
    assert_eq!(data_lens(&p.frames()), vec![5]);
}

#[test]
fn s6_9_2_4_settings_change_overflows_window() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.send(Peer::window_update(1, (1 << 31) - 1 - 65_535))
        .unwrap();
    let _ = p.send(Settings {
        initial_window_size: Some(65_536),
        ..Settings::default()
    });
    p.expect_goaway(Reason::FLOW_CONTROL_ERROR);
}

// ---- §6.10 CONTINUATION ----

#[test]
fn s6_10_1_multiple_continuations() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, END_STREAM, 1, &block[..1]);
    b.extend(raw_frame(CONTINUATION, 0, 1, &block[1..2]));
    b.extend(raw_frame(CONTINUATION, END_HEADERS, 1, &block[2..]));
    p.send_bytes(&b).unwrap();
    assert!(matches!(
        &p.events()[..],
        [Event::Request {
            end_stream: true,
            ..
        }]
    ));
}

#[test]
fn s6_10_2_continuation_after_end_headers() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let _ = p.send_bytes(&raw_frame(CONTINUATION, END_HEADERS, 1, &[0x82]));
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_10_3_continuation_then_data() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, 0, 1, &block);
    b.extend(raw_frame(DATA, 0, 1, b"x"));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_10_4_continuation_on_stream_zero() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, 0, 1, &block);
    b.extend(raw_frame(CONTINUATION, END_HEADERS, 0, &[]));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_10_5_continuation_on_other_stream() {
    let mut p = Peer::handshake();
    let block = p.block(&Peer::req_fields());
    let mut b = raw_frame(HEADERS, 0, 1, &block);
    b.extend(raw_frame(CONTINUATION, END_HEADERS, 3, &[]));
    let _ = p.send_bytes(&b);
    p.expect_goaway(Reason::PROTOCOL_ERROR);
}

#[test]
fn s6_10_6_large_response_head_is_split() {
    let mut p = Peer::handshake();
    let h = p.get(1, true);
    p.send(h).unwrap();
    let big = "v".repeat(40_000);
    let headers = vec![layotto_hpack::Header::new("x-big", big.clone())];
    p.conn.send_response(sid(1), 200, headers, true).unwrap();
    let f = p.frames();
    assert!(matches!(&f[..], [Frame::Headers(h)] if h.end_stream));
    let (_, fields, _) = p.heads.last().unwrap();
    assert_eq!(fields[1].1, big);
}

#[test]
fn s6_9_5_trailers_pass_a_shut_connection_window() {
    let mut p = Peer::handshake();
    // Stream 1 spends the whole connection window; stream 3 only has
    // trailers left, which are not flow-controlled.
    responding(&mut p, 70_000);
    let h = p.get(3, true);
    p.send(h).unwrap();
    p.respond(3, false);
    p.frames();
    p.conn
        .send_trailers(sid(3), vec![layotto_hpack::Header::new("grpc-status", "0")])
        .unwrap();
    let f = p.frames();
    assert!(
        matches!(&f[..], [Frame::Headers(h)] if h.stream_id == sid(3) && h.end_stream),
        "{f:?}"
    );
}
