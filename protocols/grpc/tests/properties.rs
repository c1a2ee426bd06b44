//! Property tests: framing under any chunking (identity and gzip),
//! grpc-timeout, grpc-message percent-encoding, status trailers, base64.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_grpc::message::{encode_compressed, encode_raw};
use layotto_grpc::{base64, encode_timeout, parse_timeout, percent, Code, Encoding};
use layotto_grpc::{MessageDecoder, Metadata, Status};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

/// Splits `wire` at the given cut points (taken modulo its length).
fn chunks(wire: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (wire.len() + 1)).collect();
    points.push(0);
    points.push(wire.len());
    points.sort_unstable();
    points
        .windows(2)
        .map(|w| wire[w[0]..w[1]].to_vec())
        .collect()
}

fn decode_all(decoder: &mut MessageDecoder, pieces: &[Vec<u8>]) -> Vec<Bytes> {
    let mut src = BytesMut::new();
    let mut out = Vec::new();
    for piece in pieces {
        src.extend_from_slice(piece);
        while let Some(msg) = decoder.decode(&mut src).unwrap() {
            out.push(msg);
        }
    }
    decoder.finish(&src).unwrap();
    out
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn messages_round_trip_under_any_chunking(
        messages in prop::collection::vec(
            (prop::collection::vec(any::<u8>(), 0..3000), any::<bool>()),
            0..8,
        ),
        cuts in prop::collection::vec(any::<usize>(), 0..20),
    ) {
        let mut wire = BytesMut::new();
        let mut any_gzip = false;
        for (payload, gzip) in &messages {
            if *gzip {
                any_gzip = true;
                encode_compressed(payload, Encoding::Gzip, &mut wire).unwrap();
            } else {
                encode_raw(payload, &mut wire).unwrap();
            }
        }
        let encoding = if any_gzip { Encoding::Gzip } else { Encoding::Identity };
        let mut decoder = MessageDecoder::new(4096, encoding);
        let got = decode_all(&mut decoder, &chunks(&wire, &cuts));
        let want: Vec<&[u8]> = messages.iter().map(|(p, _)| &p[..]).collect();
        let got: Vec<&[u8]> = got.iter().map(|m| &m[..]).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn oversized_messages_fail_at_the_prefix(len in 4097u32..=u32::MAX) {
        let mut src = BytesMut::new();
        src.extend_from_slice(&[0]);
        src.extend_from_slice(&len.to_be_bytes());
        let err = MessageDecoder::new(4096, Encoding::Identity).decode(&mut src).unwrap_err();
        prop_assert_eq!(err.code, Code::ResourceExhausted);
    }

    #[test]
    fn timeout_values_parse_and_round_trip(value in 0u64..=99_999_999, unit in 0usize..6) {
        let (symbol, per) = [
            ('n', Duration::from_nanos(1)),
            ('u', Duration::from_micros(1)),
            ('m', Duration::from_millis(1)),
            ('S', Duration::from_secs(1)),
            ('M', Duration::from_secs(60)),
            ('H', Duration::from_secs(3600)),
        ][unit];
        let text = format!("{value}{symbol}");
        let d = parse_timeout(text.as_bytes()).unwrap();
        prop_assert_eq!(d.as_nanos(), per.as_nanos() * u128::from(value));
        // A value that parsed is exactly representable, so it comes back exact.
        prop_assert_eq!(parse_timeout(&encode_timeout(d)).unwrap(), d);
    }

    #[test]
    // Below the largest encodable value, 99999999H (above it, saturates).
    fn any_duration_encodes_within_one_unit(secs in 0u64..359_999_996_399, nanos in 0u32..1_000_000_000) {
        let d = Duration::new(secs, nanos);
        let encoded = encode_timeout(d);
        prop_assert!(encoded.len() <= 9);
        let back = parse_timeout(&encoded).unwrap();
        prop_assert!(back >= d);
        let unit = parse_timeout(format!("1{}", char::from(encoded[encoded.len() - 1])).as_bytes()).unwrap();
        prop_assert!(back - d < unit);
    }

    #[test]
    fn percent_encoding_round_trips(message in any::<String>()) {
        let encoded = percent::encode(&message);
        prop_assert!(encoded.iter().all(|b| (0x20..=0x7e).contains(b)));
        prop_assert_eq!(percent::decode(&encoded), message);
    }

    #[test]
    fn status_trailers_round_trip(
        code in 0i32..17,
        message in any::<String>(),
        details in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let status = Status::with_details(Code::from_i32(code), message, Bytes::from(details));
        let headers = status.to_headers();
        let back = Status::from_headers(headers.iter().map(|(n, v)| (&n[..], &v[..])));
        prop_assert_eq!(back, Some(status));
    }

    #[test]
    fn base64_round_trips_padded_and_not(data in prop::collection::vec(any::<u8>(), 0..100)) {
        let unpadded = base64::encode(&data);
        prop_assert_eq!(&base64::decode(&unpadded).unwrap()[..], &data[..]);
        let mut padded = unpadded.to_vec();
        while padded.len() % 4 != 0 {
            padded.push(b'=');
        }
        prop_assert_eq!(&base64::decode(&padded).unwrap()[..], &data[..]);
    }

    #[test]
    fn binary_metadata_round_trips(values in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..5)) {
        let mut md = Metadata::new();
        for v in &values {
            md.append("x-blob-bin", Bytes::from(v.clone())).unwrap();
        }
        let headers = md.to_headers();
        let back = Metadata::from_headers(headers.iter().map(|(n, v)| (&n[..], &v[..]))).unwrap();
        prop_assert_eq!(back, md);
    }
}
