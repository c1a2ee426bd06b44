//! Standard-alphabet base64 (RFC 4648 §4) as gRPC uses it for `-bin`
//! metadata and `grpc-status-details-bin`.
//!
//! The gRPC HTTP/2 spec says implementations MUST accept padded and
//! unpadded values and SHOULD emit unpadded ones, so [`encode`] never pads
//! and [`decode`] takes either. Written here because it is forty lines and
//! the crate keeps its dependency list short.

use bytes::{BufMut, Bytes, BytesMut};
use thiserror::Error;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why a base64 value was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Base64Error {
    /// A byte outside the standard alphabet (or `=` before the end).
    #[error("invalid base64 byte 0x{0:02x}")]
    InvalidByte(u8),
    /// Length leaves a lone 6-bit group, which cannot encode a byte.
    #[error("invalid base64 length")]
    InvalidLength,
}

/// Encodes without padding.
pub fn encode(input: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // One input byte gives two output symbols, two give three, three four.
        for i in 0..=chunk.len() {
            out.put_u8(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize]);
        }
    }
    out.freeze()
}

fn value_of(byte: u8) -> Result<u32, Base64Error> {
    let v = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return Err(Base64Error::InvalidByte(byte)),
    };
    Ok(u32::from(v))
}

/// Decodes padded or unpadded input. Padding, when present, must be exactly
/// what makes the length a multiple of four.
pub fn decode(input: &[u8]) -> Result<Bytes, Base64Error> {
    let body = if input.len() % 4 == 0 {
        match input {
            [rest @ .., b'=', b'='] => rest,
            [rest @ .., b'='] => rest,
            _ => input,
        }
    } else {
        input
    };
    if body.len() % 4 == 1 {
        return Err(Base64Error::InvalidLength);
    }
    let mut out = BytesMut::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value_of(c)? << (18 - 6 * i);
        }
        // Unused low bits of a short last group are ignored, not checked:
        // Go's decoder (what grpc-go uses) accepts them too.
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4648 §10 test vectors, padding stripped for the encoder.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, padded) in VECTORS {
            let unpadded = padded.trim_end_matches('=');
            assert_eq!(&encode(plain.as_bytes())[..], unpadded.as_bytes());
            assert_eq!(&decode(padded.as_bytes()).unwrap()[..], plain.as_bytes());
            assert_eq!(&decode(unpadded.as_bytes()).unwrap()[..], plain.as_bytes());
        }
    }

    #[test]
    fn all_byte_values_round_trip() {
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            assert_eq!(&decode(&encode(&all[..len])).unwrap()[..], &all[..len]);
        }
        assert_eq!(&encode(&[0xfb, 0xff])[..], b"+/8");
    }

    #[test]
    fn rejects_malformed() {
        assert_eq!(decode(b"Z"), Err(Base64Error::InvalidLength));
        assert_eq!(decode(b"Zm9vY"), Err(Base64Error::InvalidLength));
        assert_eq!(decode(b"Zg=a"), Err(Base64Error::InvalidByte(b'=')));
        assert_eq!(decode(b"Zg==="), Err(Base64Error::InvalidLength));
        assert_eq!(decode(b"Z==="), Err(Base64Error::InvalidByte(b'=')));
        assert_eq!(decode(b"Zm-v"), Err(Base64Error::InvalidByte(b'-')));
        // Non-canonical trailing bits are tolerated, as Go does.
        assert_eq!(&decode(b"Zh").unwrap()[..], b"f");
    }
}
