// Shared helpers for the integration tests (a `mod.rs` because Cargo would
// otherwise treat `tests/common.rs` as a test crate of its own).
#![allow(dead_code, clippy::unwrap_used)]

use bytes::{Bytes, BytesMut};
use layotto_hpack::{Decoder, DecoderError, Encoder, Header};

/// Parses hex, ignoring whitespace.
pub fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    assert!(s.len() & 1 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Lowercase hex of `b`.
pub fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Decodes one block with no header list limit.
pub fn decode(d: &mut Decoder, block: &[u8]) -> Result<Vec<Header>, DecoderError> {
    let mut out = Vec::new();
    d.decode(&Bytes::copy_from_slice(block), usize::MAX, |h| out.push(h))?;
    Ok(out)
}

/// Encodes one block.
pub fn encode(e: &mut Encoder, headers: &[Header]) -> Vec<u8> {
    let mut dst = BytesMut::new();
    e.encode(headers, &mut dst);
    dst.to_vec()
}

/// Plain (not sensitive) headers from string pairs.
pub fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs
        .iter()
        .map(|(n, v)| Header::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}
