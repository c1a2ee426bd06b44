//! h2spec-style HPACK conformance (RFC 7541) through a server connection:
//! §2.3 indexing tables, §4 table management, §5 primitive types, §6
//! binary format. Decoding errors are GOAWAY(COMPRESSION_ERROR) (RFC 9113 §4.3).
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use layotto_http2::connection::Event;
use layotto_http2::frame::Reason;
use peer::*;

/// The 4 request pseudo-headers as static-table indexed fields:
/// `:method GET` (2), `:scheme https` (7), `:path /` (4), plus a literal
/// `:authority` without indexing.
const BASE: &[u8] = &[0x82, 0x87, 0x84, 0x01, 0x01, b'a'];

fn send_block(p: &mut Peer, id: u32, block: &[u8]) {
    let _ = p.send_bytes(&raw_frame(HEADERS, END_STREAM | END_HEADERS, id, block));
}

fn request_value(p: &mut Peer, name: &[u8]) -> Vec<u8> {
    let ev = p.events();
    let Some(Event::Request { head, .. }) = ev.last() else {
        panic!("no request: {ev:?}")
    };
    head.headers
        .iter()
        .find(|h| &h.name[..] == name)
        .map(|h| h.value.to_vec())
        .unwrap()
}

#[test]
fn h2_3_1_static_table_indexed_fields() {
    let mut p = Peer::handshake();
    send_block(&mut p, 1, BASE);
    let ev = p.events();
    assert!(
        matches!(&ev[..], [Event::Request { head, .. }] if &head.path[..] == b"/" && &head.scheme[..] == b"https")
    );
}

#[test]
fn h2_3_2_dynamic_table_reused_across_streams() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // Literal with incremental indexing, new name "x-k" = "v1".
    b.extend_from_slice(&[0x40, 0x03, b'x', b'-', b'k', 0x02, b'v', b'1']);
    send_block(&mut p, 1, &b);
    assert_eq!(request_value(&mut p, b"x-k"), b"v1");
    // Index 62: the first dynamic entry.
    let mut b = BASE.to_vec();
    b.push(0x80 | 62);
    send_block(&mut p, 3, &b);
    assert_eq!(request_value(&mut p, b"x-k"), b"v1");
}

#[test]
fn h4_1_table_size_update_above_limit() {
    let mut p = Peer::handshake();
    // 001xxxxx update to 4097 > our 4096.
    let mut b = vec![0x3f, 0xe2, 0x1f];
    b.extend_from_slice(BASE);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h4_2_table_size_update_to_zero_evicts() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.extend_from_slice(&[0x40, 0x03, b'x', b'-', b'k', 0x02, b'v', b'1']);
    send_block(&mut p, 1, &b);
    p.events();
    // Size update 0 then index 62: the entry is gone.
    let mut b = vec![0x20];
    b.extend_from_slice(BASE);
    b.push(0x80 | 62);
    send_block(&mut p, 3, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h4_3_table_size_update_not_at_start() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.push(0x20);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h5_1_integer_overflow() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h5_2_1_huffman_eos_in_string() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // Literal without indexing, name index 58 (user-agent), Huffman value
    // of 4 octets all ones: contains the 30-bit EOS.
    b.extend_from_slice(&[0x0f, 0x2b, 0x84, 0xff, 0xff, 0xff, 0xff]);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h5_2_2_huffman_padding_too_long() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // 'a' is 00011 (5 bits); then 11 bits of ones: padding over 7 bits.
    b.extend_from_slice(&[0x0f, 0x2b, 0x82, 0x1f, 0xff]);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h5_2_3_huffman_padding_not_ones() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // 'a' (00011) then padding 000.
    b.extend_from_slice(&[0x0f, 0x2b, 0x81, 0x18]);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h5_2_4_huffman_value_decodes() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // 'a' (00011) + 111 padding.
    b.extend_from_slice(&[0x0f, 0x2b, 0x81, 0x1f]);
    send_block(&mut p, 1, &b);
    assert_eq!(request_value(&mut p, b"user-agent"), b"a");
}

#[test]
fn h6_1_1_index_zero() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.push(0x80);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h6_1_2_index_past_table() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.push(0x80 | 70);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h6_2_1_literal_never_indexed_is_sensitive() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    b.extend_from_slice(&[0x10, 0x03, b'x', b'-', b's', 0x01, b'1']);
    send_block(&mut p, 1, &b);
    let ev = p.events();
    let Some(Event::Request { head, .. }) = ev.last() else {
        panic!()
    };
    assert!(head.headers[0].sensitive);
}

#[test]
fn h6_2_2_literal_name_index_past_table() {
    let mut p = Peer::handshake();
    let mut b = BASE.to_vec();
    // Literal with incremental indexing, name index 63 (empty dynamic table).
    b.extend_from_slice(&[0x7f, 0x00, 0x01, b'v']);
    send_block(&mut p, 1, &b);
    p.expect_goaway(Reason::COMPRESSION_ERROR);
}

#[test]
fn h6_3_size_update_at_start_accepted() {
    let mut p = Peer::handshake();
    let mut b = vec![0x3f, 0xe1, 0x1f]; // 4096
    b.extend_from_slice(BASE);
    send_block(&mut p, 1, &b);
    assert_eq!(p.events().len(), 1);
}
