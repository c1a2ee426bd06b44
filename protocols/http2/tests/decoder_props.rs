//! Property tests of the decoder (RFC 9113 §4): chunking does not matter,
//! encode -> decode is the identity for every frame type, and arbitrary
//! input never panics nor needs more than max_frame_size + 9 buffered.

// Test helpers outside #[test] fns unwrap their own fixtures too.
#![allow(clippy::unwrap_used)]

use bytes::{Bytes, BytesMut};
use layotto_http2::codec::{FrameDecoder, FrameEncoder, HeaderBlockAssembler};
use layotto_http2::frame::*;
use proptest::prelude::*;

fn stream() -> impl Strategy<Value = StreamId> {
    (1u32..=StreamId::MAX.value()).prop_map(StreamId::new)
}

fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
    proptest::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

fn dependency() -> impl Strategy<Value = StreamDependency> {
    (0u32..=StreamId::MAX.value(), any::<u8>(), any::<bool>()).prop_map(|(d, weight, exclusive)| {
        StreamDependency {
            dependency: StreamId::new(d),
            weight,
            exclusive,
        }
    })
}

fn settings() -> impl Strategy<Value = Settings> {
    let value = || proptest::option::of(any::<u32>());
    prop_oneof![
        Just(Settings::ack()),
        (
            value(),
            proptest::option::of(any::<bool>()),
            value(),
            proptest::option::of(0..=MAX_INITIAL_WINDOW_SIZE),
            proptest::option::of(DEFAULT_MAX_FRAME_SIZE..=MAX_FRAME_LEN),
            value(),
        )
            .prop_map(|(a, b, c, d, e, f)| Settings {
                ack: false,
                header_table_size: a,
                enable_push: b,
                max_concurrent_streams: c,
                initial_window_size: d,
                max_frame_size: e,
                max_header_list_size: f,
            }),
    ]
}

/// Any valid frame of any type.
fn frame() -> impl Strategy<Value = Frame> {
    let pad = || proptest::option::of(any::<u8>());
    prop_oneof![
        (stream(), bytes(64), any::<bool>(), pad()).prop_map(
            |(stream_id, data, end_stream, pad_len)| Data {
                stream_id,
                data,
                end_stream,
                pad_len
            }
            .into()
        ),
        (
            stream(),
            bytes(64),
            any::<bool>(),
            any::<bool>(),
            pad(),
            proptest::option::of(dependency())
        )
            .prop_map(
                |(stream_id, header_block, end_stream, end_headers, pad_len, priority)| Headers {
                    stream_id,
                    header_block,
                    end_stream,
                    end_headers,
                    pad_len,
                    priority
                }
                .into()
            ),
        (stream(), dependency())
            .prop_filter("no self-dependency", |(s, d)| *s != d.dependency)
            .prop_map(|(stream_id, dependency)| Priority {
                stream_id,
                dependency
            }
            .into()),
        (stream(), any::<u32>()).prop_map(|(s, r)| RstStream::new(s, Reason::new(r)).into()),
        settings().prop_map(Frame::from),
        (stream(), stream(), bytes(64), any::<bool>(), pad()).prop_map(
            |(stream_id, promised_id, header_block, end_headers, pad_len)| PushPromise {
                stream_id,
                promised_id,
                header_block,
                end_headers,
                pad_len
            }
            .into()
        ),
        (any::<bool>(), any::<[u8; 8]>()).prop_map(|(ack, payload)| Ping { ack, payload }.into()),
        (0u32..=StreamId::MAX.value(), any::<u32>(), bytes(32)).prop_map(|(l, c, debug_data)| {
            GoAway {
                last_stream_id: StreamId::new(l),
                error_code: Reason::new(c),
                debug_data,
            }
            .into()
        }),
        (0u32..=StreamId::MAX.value(), 1u32..=MAX_INITIAL_WINDOW_SIZE)
            .prop_map(|(s, inc)| WindowUpdate::new(StreamId::new(s), inc).into()),
        (stream(), bytes(64), any::<bool>()).prop_map(|(stream_id, header_block, end_headers)| {
            Continuation {
                stream_id,
                header_block,
                end_headers,
            }
            .into()
        }),
        (
            10u8..=255,
            any::<u8>(),
            0u32..=StreamId::MAX.value(),
            bytes(32)
        )
            .prop_map(|(kind, flags, s, payload)| {
                Unknown {
                    kind,
                    flags: Flags(flags),
                    stream_id: StreamId::new(s),
                    payload,
                }
                .into()
            }),
    ]
}

fn encode_all(frames: &[Frame]) -> Vec<u8> {
    let mut buf = BytesMut::new();
    for f in frames {
        f.encode(&mut buf);
    }
    buf.to_vec()
}

/// Feeds `wire` split at `cuts` and returns every decoded frame.
fn decode_chunked(wire: &[u8], cuts: &[usize]) -> Vec<Frame> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (wire.len() + 1)).collect();
    points.push(wire.len());
    points.sort_unstable();
    let mut dec = FrameDecoder::default();
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    let mut at = 0;
    for p in points {
        buf.extend_from_slice(&wire[at..p]);
        at = p;
        while let Some(f) = dec.decode(&mut buf).unwrap() {
            out.push(f);
        }
    }
    assert!(buf.is_empty());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn split_anywhere(frames in proptest::collection::vec(frame(), 1..12), cuts in proptest::collection::vec(any::<usize>(), 0..16)) {
        let wire = encode_all(&frames);
        prop_assert_eq!(decode_chunked(&wire, &cuts), frames);
    }

    #[test]
    fn round_trip_every_type(f in frame()) {
        let mut buf = BytesMut::new();
        f.encode(&mut buf);
        let len = buf.len();
        let decoded = FrameDecoder::default().decode(&mut buf).unwrap();
        prop_assert_eq!(decoded, Some(f.clone()));
        prop_assert!(buf.is_empty(), "{} octets left of {}", buf.len(), len);
        // The fuzz harness's own invariants hold too.
        let mut seeded = vec![0u8];
        seeded.extend_from_slice(&encode_all(&[f]));
        layotto_http2::fuzz_logic::frames(&seeded);
    }

    #[test]
    fn split_header_blocks_reassemble(stream_id in stream(), block in proptest::collection::vec(any::<u8>(), 0..70_000), end_stream in any::<bool>()) {
        let h = Headers::new(stream_id, Bytes::from(block), end_stream);
        let mut buf = BytesMut::new();
        FrameEncoder::default().headers(&h, &mut buf);
        let frames = decode_chunked(&buf, &[]);
        prop_assert!(frames.len() <= 5);
        let mut asm = HeaderBlockAssembler::default();
        let mut done = None;
        for f in frames {
            done = asm.push(f).unwrap().or(done);
        }
        prop_assert_eq!(done, Some(Frame::Headers(h)));
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), max_extra in 0u32..4096) {
        let max = DEFAULT_MAX_FRAME_SIZE + max_extra;
        let mut dec = FrameDecoder::new(max);
        let mut asm = HeaderBlockAssembler::default();
        let mut buf = BytesMut::new();
        'feed: for byte in &data {
            buf.extend_from_slice(&[*byte]);
            loop {
                prop_assert!(buf.len() <= max as usize + FRAME_HEADER_LEN);
                match dec.decode(&mut buf) {
                    Ok(None) => break,
                    Ok(Some(f)) => {
                        if asm.push(f).is_err() {
                            break 'feed;
                        }
                    }
                    Err(e) if e.is_connection_error() => break 'feed,
                    Err(_) => {}
                }
            }
        }
        layotto_http2::fuzz_logic::frames(&data);
    }
}

#[test]
fn oversized_header_rejected_before_payload() {
    // Only the 9-octet header of a 1 MiB DATA frame: rejected at once.
    let mut buf = BytesMut::from(&b"\x10\x00\x00\x00\x00\x00\x00\x00\x01"[..]);
    let e = FrameDecoder::default().decode(&mut buf).unwrap_err();
    assert_eq!(
        e.reaction(),
        layotto_http2::Reaction::Connection(Reason::FRAME_SIZE_ERROR)
    );
}
