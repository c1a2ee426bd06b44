//! The decoder's MUSTs: each malformed input is rejected with its error,
//! and the stream-level header list limit leaves the table usable.

// A test crate: unwrapping fixtures and results is how it fails.
#![allow(clippy::unwrap_used)]

mod common;

use bytes::Bytes;
use common::{decode, encode, headers, hex};
use layotto_hpack::{Decoder, DecoderError, Encoder, Header};

#[test]
fn index_zero_is_an_error() {
    // §6.1: index 0 in an indexed field.
    assert_eq!(
        decode(&mut Decoder::new(4096), &[0x80]),
        Err(DecoderError::InvalidIndex)
    );
}

#[test]
fn index_out_of_range_is_an_error() {
    let mut d = Decoder::new(4096);
    assert_eq!(decode(&mut d, &[0xbe]), Err(DecoderError::InvalidIndex)); // 62, empty table
                                                                          // Literal whose name index is out of range.
    assert_eq!(
        decode(&mut Decoder::new(4096), &[0x7f, 0x00, 0x00]),
        Err(DecoderError::InvalidIndex)
    );
    assert_eq!(
        decode(&mut Decoder::new(4096), &[0x0f, 0x30, 0x00]),
        Err(DecoderError::InvalidIndex)
    );
    // After one insertion 62 is valid and 63 is not.
    let mut d = Decoder::new(4096);
    decode(&mut d, &hex("4001 6101 62")).unwrap();
    assert_eq!(decode(&mut d, &[0xbe]).unwrap(), headers(&[("a", "b")]));
    assert_eq!(decode(&mut d, &[0xbf]), Err(DecoderError::InvalidIndex));
}

#[test]
fn table_size_update_rules() {
    // Above the limit (§6.3).
    let mut d = Decoder::new(4096);
    assert_eq!(
        decode(&mut d, &hex("3fe2 1f")),
        Err(DecoderError::TableSizeUpdateTooLarge)
    ); // 4097
       // Exactly the limit is fine, and several at the start are fine.
    let mut d = Decoder::new(4096);
    assert_eq!(
        decode(&mut d, &hex("20 3fe1 1f 82")).unwrap(),
        headers(&[(":method", "GET")])
    );
    assert_eq!(d.dynamic_table().max_size(), 4096);
    // After a field (§4.2).
    let mut d = Decoder::new(4096);
    assert_eq!(
        decode(&mut d, &hex("82 20")),
        Err(DecoderError::TableSizeUpdateNotAtStart)
    );
    // A block of only updates is fine.
    let mut d = Decoder::new(4096);
    assert_eq!(decode(&mut d, &hex("2a")).unwrap(), vec![]);
    assert_eq!(d.dynamic_table().max_size(), 10);
}

#[test]
fn size_update_evicts() {
    let mut d = Decoder::new(4096);
    decode(&mut d, &hex("4001 6101 62 4001 6301 64")).unwrap();
    assert_eq!(d.dynamic_table().len(), 2);
    // 34 bytes keeps only the newest entry (c: d).
    decode(&mut d, &hex("3f03")).unwrap();
    assert_eq!(d.dynamic_table().len(), 1);
    assert_eq!(decode(&mut d, &[0xbe]).unwrap(), headers(&[("c", "d")]));
}

#[test]
fn lowered_limit_requires_update() {
    let mut d = Decoder::new(4096);
    d.set_max_table_size(100);
    // A block that does not shrink the table first (§4.2).
    assert_eq!(
        decode(&mut d, &[0x82]),
        Err(DecoderError::TableSizeUpdateMissing)
    );

    let mut d = Decoder::new(4096);
    d.set_max_table_size(0);
    d.set_max_table_size(4096);
    // Went down to 0 and back: the peer must signal 0 (then may grow again).
    assert_eq!(
        decode(&mut Decoder::clone(&d), &hex("3fe1 1f 82")),
        Err(DecoderError::TableSizeUpdateMissing)
    );
    assert_eq!(
        decode(&mut d, &hex("20 3fe1 1f 82")).unwrap(),
        headers(&[(":method", "GET")])
    );
    // Satisfied: later blocks need no update.
    assert_eq!(
        decode(&mut d, &[0x82]).unwrap(),
        headers(&[(":method", "GET")])
    );

    // Raising the limit needs no update.
    let mut d = Decoder::new(4096);
    d.set_max_table_size(8192);
    assert_eq!(
        decode(&mut d, &[0x82]).unwrap(),
        headers(&[(":method", "GET")])
    );
    assert_eq!(decode(&mut d, &hex("3fe1 3f")).unwrap(), vec![]); // 8192
}

#[test]
fn header_list_too_large_keeps_table_in_sync() {
    let mut d = Decoder::new(4096);
    // Two indexed-literal fields of 34 bytes each; limit 40 admits one.
    let block = Bytes::from(hex("4001 6101 62 4001 6301 64"));
    let mut got = Vec::new();
    let r = d.decode(&block, 40, |h| got.push(h));
    assert_eq!(r, Err(DecoderError::HeaderListTooLarge));
    assert!(!r.unwrap_err().is_connection_error());
    assert_eq!(got, headers(&[("a", "b")]));
    // Both were still added to the table.
    assert_eq!(d.dynamic_table().len(), 2);
    assert_eq!(
        decode(&mut d, &hex("be bf")).unwrap(),
        headers(&[("c", "d"), ("a", "b")])
    );
    // Exactly at the limit is allowed.
    let mut got = Vec::new();
    d.decode(&Bytes::from(hex("be")), 34, |h| got.push(h))
        .unwrap();
    assert_eq!(got.len(), 1);
}

#[test]
fn a_real_error_beats_header_list_too_large() {
    let mut d = Decoder::new(4096);
    let r = d.decode(&Bytes::from(hex("4001 6101 62 80")), 10, |_| {});
    assert_eq!(r, Err(DecoderError::InvalidIndex));
}

#[test]
fn truncation_is_detected() {
    for block in [
        "40",             // literal, no name
        "4005 6162",      // name shorter than its length
        "4001 61",        // no value
        "4001 6105 6162", // value shorter than its length
        "3f",             // size update integer cut off
        "ff",             // index integer cut off
        "0f",             // name index cut off
        "047f",           // value length integer cut off
    ] {
        assert_eq!(
            decode(&mut Decoder::new(4096), &hex(block)),
            Err(DecoderError::Truncated),
            "{block}"
        );
    }
}

#[test]
fn hostile_lengths_fail_before_allocation() {
    // Length u32::MAX on a tiny block.
    let block = hex("40 7f 80 ff ff ff 0f");
    assert_eq!(
        decode(&mut Decoder::new(4096), &block),
        Err(DecoderError::StringTooLong)
    );
    // Length overflowing u32.
    let block = hex("40 7f ff ff ff ff 7f");
    assert_eq!(
        decode(&mut Decoder::new(4096), &block),
        Err(DecoderError::IntegerOverflow)
    );
    // Over a configured limit, though present in the block.
    let mut d = Decoder::new(4096);
    d.set_max_string_len(3);
    assert_eq!(
        decode(&mut d, &hex("4004 6161 6161 00")),
        Err(DecoderError::StringTooLong)
    );
    assert_eq!(
        decode(&mut d, &hex("4003 6161 61 00")).unwrap(),
        headers(&[("aaa", "")])
    );
}

#[test]
fn invalid_huffman_is_a_compression_error() {
    // Name is Huffman with 8 bits of padding.
    let r = decode(&mut Decoder::new(4096), &hex("4081 ff 00"));
    assert_eq!(r, Err(DecoderError::InvalidHuffman));
    assert!(r.unwrap_err().is_connection_error());
    // Value is Huffman EOS.
    let r = decode(&mut Decoder::new(4096), &hex("0001 61 84 ffff ffff"));
    assert_eq!(r, Err(DecoderError::InvalidHuffman));
}

#[test]
fn never_indexed_is_preserved_and_not_indexed() {
    let mut e = Encoder::new(4096);
    let list = vec![
        Header::sensitive("authorization", "Bearer xyz"),
        Header::sensitive(":method", "GET"), // full static match, still a literal
        Header::new("cookie", "a=b"),
    ];
    let block = encode(&mut e, &list);
    // Only the non-sensitive cookie was indexed.
    assert_eq!(e.dynamic_table().len(), 1);
    let mut d = Decoder::new(4096);
    let got = decode(&mut d, &block).unwrap();
    assert_eq!(got, list);
    assert_eq!(d.dynamic_table(), e.dynamic_table());
}

#[test]
fn encoder_indexing_policy() {
    let mut e = Encoder::new(256);
    let big = "x".repeat(200); // 200 + 3 + 32 > 3/4 of 256
    let list = vec![
        Header::new("big", big.clone()),
        Header::new("content-length", "123"),
        Header::new("x-small", "1"),
    ];
    let block = encode(&mut e, &list);
    assert_eq!(
        e.dynamic_table().iter().collect::<Vec<_>>(),
        [(&b"x-small"[..], &b"1"[..])]
    );
    assert_eq!(decode(&mut Decoder::new(256), &block).unwrap(), list);
    // A repeat of the indexed field is one byte.
    assert_eq!(encode(&mut e, &headers(&[("x-small", "1")])), [0xbe]);
}

#[test]
fn encoder_signals_smallest_then_final_size() {
    let mut e = Encoder::new(4096);
    let mut d = Decoder::new(4096);
    let list = headers(&[("k", "v")]);
    let b = encode(&mut e, &list);
    decode(&mut d, &b).unwrap();

    e.update_max_table_size(0);
    e.update_max_table_size(2048);
    d.set_max_table_size(0);
    d.set_max_table_size(2048);
    let b = encode(&mut e, &list);
    // 0, then 2048 (0x3f e1 0f), then the field as a fresh literal.
    assert_eq!(&b[..4], &hex("20 3fe1 0f")[..]);
    assert_eq!(decode(&mut d, &b).unwrap(), list);
    assert_eq!(d.dynamic_table(), e.dynamic_table());
    assert_eq!(e.dynamic_table().max_size(), 2048);

    // No change, no update.
    e.update_max_table_size(2048);
    assert_eq!(encode(&mut e, &list), [0xbe]);
}

#[test]
fn encoder_caps_its_table() {
    let mut e = Encoder::new(1 << 20);
    let b = encode(&mut e, &[]);
    assert_eq!(b, hex("3fe1 7f")); // announces 16384
    assert_eq!(
        e.dynamic_table().max_size(),
        layotto_hpack::MAX_ENCODER_TABLE_SIZE
    );
}
