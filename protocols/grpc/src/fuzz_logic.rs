//! What the `grpc_message` fuzz target runs, kept in the library so stable
//! tests replay the same corpus. Panics mean a bug: every check below is an
//! invariant, not an expectation about the input.

use bytes::BytesMut;

use crate::message::{encode_raw, Encoding, MessageDecoder, PREFIX_LEN};
use crate::metadata::Metadata;
use crate::request::validate_request;
use crate::status::{percent, Status};
use crate::timeout::{encode_timeout, parse_timeout};

/// Runs every parser in the crate over `data`.
///
/// Byte 0 picks the receive limit (so small limits get exercised), byte 1
/// the chunk size the rest is fed in; the rest goes to a decoder with
/// identity and one with gzip. Slices of the input also go to the timeout,
/// status, metadata and request parsers.
pub fn message(data: &[u8]) {
    let (limit, chunk, body) = match data {
        [a, b, rest @ ..] => (usize::from(*a) * 256 + 8, usize::from(*b % 64) + 1, rest),
        _ => (64, 1, data),
    };
    decode_identity(body, limit, chunk);
    decode_gzip(body, limit, chunk);
    headers(data);
}

/// Identity stream: re-encoding what came out must give back exactly the
/// bytes consumed, and nothing may exceed the limit.
fn decode_identity(body: &[u8], limit: usize, chunk: usize) {
    let mut decoder = MessageDecoder::new(limit, Encoding::Identity);
    let mut src = BytesMut::new();
    let mut reencoded = BytesMut::new();
    for piece in body.chunks(chunk) {
        src.extend_from_slice(piece);
        loop {
            match decoder.decode(&mut src) {
                Ok(Some(msg)) => {
                    assert!(msg.len() <= limit, "message over the limit");
                    // Under the limit means under u32::MAX: cannot fail.
                    let framed = encode_raw(&msg, &mut reencoded);
                    assert!(framed.is_ok());
                }
                Ok(None) => break,
                Err(status) => {
                    assert_eq!(decoder.decode(&mut src), Err(status), "errors are sticky");
                    return;
                }
            }
        }
    }
    // Bytes the decoder holds: `src`, plus a consumed prefix when a
    // message is pending.
    let held = src.len() + decoder.pending_len().map_or(0, |_| PREFIX_LEN);
    let consumed = body.len() - held;
    assert_eq!(&reencoded[..], &body[..consumed], "re-encoding differs");
}

/// Gzip stream: only the limit and the absence of panics are checked.
fn decode_gzip(body: &[u8], limit: usize, chunk: usize) {
    let mut decoder = MessageDecoder::new(limit, Encoding::Gzip);
    let mut src = BytesMut::new();
    for piece in body.chunks(chunk) {
        src.extend_from_slice(piece);
        loop {
            match decoder.decode(&mut src) {
                Ok(Some(msg)) => assert!(msg.len() <= limit, "inflated over the limit"),
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = decoder.finish(&src);
}

fn headers(data: &[u8]) {
    // Every window of up to 10 bytes as a grpc-timeout.
    for start in 0..data.len().min(32) {
        let end = (start + 10).min(data.len());
        for stop in start..=end {
            if let Ok(d) = parse_timeout(&data[start..stop]) {
                let back = parse_timeout(&encode_timeout(d));
                assert!(matches!(back, Ok(b) if b >= d), "timeout round trip");
            }
        }
    }
    // NUL-separated fields, paired up as (name, value).
    let fields: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let pairs: Vec<(&[u8], &[u8])> = fields
        .chunks(2)
        .map(|p| (p[0], p.get(1).copied().unwrap_or_default()))
        .collect();
    if let Some(status) = Status::from_headers(pairs.iter().copied()) {
        let sent = status.to_headers();
        let back = Status::from_headers(sent.iter().map(|(n, v)| (&n[..], &v[..])));
        assert_eq!(back.as_ref(), Some(&status), "status round trip");
    }
    if let Ok(md) = Metadata::from_headers(pairs.iter().copied()) {
        let _ = md.to_headers();
    }
    for field in &fields {
        let text = percent::decode(field);
        assert_eq!(
            percent::decode(&percent::encode(&text)),
            text,
            "percent round trip"
        );
    }
    if let [method, path, ct, rest @ ..] = &fields[..] {
        let _ = validate_request(method, path, Some(ct), rest.iter().copied());
    }
}
