//! Property tests: encoder/decoder agreement under table size changes,
//! Huffman round trips, and no panics on arbitrary input.

// A test crate: unwrapping fixtures and results is how it fails.
#![allow(clippy::unwrap_used)]

mod common;

use bytes::{Bytes, BytesMut};
use layotto_hpack::{fuzz_logic, huffman, Decoder, Encoder, Header};
use proptest::prelude::*;

/// Names that hit the static table, names that repeat, and random ones.
fn name() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            ":method",
            ":path",
            ":status",
            ":authority",
            "cookie",
            "content-type",
            "user-agent",
            "x-custom",
            "x-trace",
            "grpc-status",
            "content-length",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..20),
    ]
}

/// Values that repeat (and hit static entries), and random ones, some long.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "GET",
            "/",
            "200",
            "gzip, deflate",
            "a",
            "",
            "application/grpc"
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..40),
        prop::collection::vec(any::<u8>(), 100..400),
    ]
}

fn header() -> impl Strategy<Value = Header> {
    (name(), value(), prop::bool::weighted(0.15)).prop_map(|(n, v, sensitive)| Header {
        name: Bytes::from(n),
        value: Bytes::from(v),
        sensitive,
    })
}

/// One block: settings changes applied before it, Huffman on/off, fields.
fn block() -> impl Strategy<Value = (Vec<usize>, bool, Vec<Header>)> {
    (
        prop::collection::vec(
            prop_oneof![Just(0usize), 0usize..600, 0usize..5000, Just(4096usize)],
            0..3,
        ),
        any::<bool>(),
        prop::collection::vec(header(), 0..12),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encoder_and_decoder_agree(initial in 0usize..5000, blocks in prop::collection::vec(block(), 1..8)) {
        let mut e = Encoder::new(initial);
        let mut d = Decoder::new(initial);
        for (sizes, huff, list) in blocks {
            for n in sizes {
                e.update_max_table_size(n);
                d.set_max_table_size(n);
            }
            e.set_huffman(huff);
            let mut dst = BytesMut::new();
            e.encode(&list, &mut dst);
            let mut got = Vec::new();
            d.decode(&dst.freeze(), usize::MAX, |h| got.push(h)).unwrap();
            prop_assert_eq!(got, list);
            prop_assert_eq!(d.dynamic_table(), e.dynamic_table());
            prop_assert!(d.dynamic_table().size() <= d.dynamic_table().max_size());
        }
    }

    #[test]
    fn huffman_round_trip(data in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut coded = Vec::new();
        huffman::encode(&data, &mut coded);
        prop_assert_eq!(coded.len(), huffman::encoded_len(&data));
        prop_assert_eq!(huffman::decode(&coded).unwrap(), data);
    }

    #[test]
    fn arbitrary_bytes_never_panic(table in 0usize..5000, limit in 0usize..2000, data in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut d = Decoder::new(table);
        let block = Bytes::from(data.clone());
        let mut total = 0usize;
        if d.decode(&block, limit, |h| total += h.size()).is_ok() {
            prop_assert!(total <= limit);
        }
        prop_assert!(d.dynamic_table().size() <= d.dynamic_table().max_size());
        let _ = huffman::decode(&data);
        fuzz_logic::decode(&data);
    }

    #[test]
    fn mutated_valid_blocks_never_panic(list in prop::collection::vec(header(), 1..6), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        let mut e = Encoder::new(4096);
        let mut block = common::encode(&mut e, &list);
        for (at, x) in flips {
            let i = at % block.len().max(1);
            if let Some(b) = block.get_mut(i) {
                *b ^= x;
            }
        }
        let _ = common::decode(&mut Decoder::new(4096), &block);
        let mut input = vec![64u8, u8::try_from(block.len().min(255)).unwrap()];
        input.extend_from_slice(&block);
        fuzz_logic::decode(&input);
    }
}
