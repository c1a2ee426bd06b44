//! The static Huffman code of RFC 7541 §5.2 / Appendix B.
//!
//! Encoding walks the code table with a 64-bit bit accumulator. Decoding is
//! a nibble-at-a-time state machine (see `huffman/decode_table.rs`) built at
//! compile time, so each input byte costs two table lookups instead of eight
//! tree steps.

mod codes;
mod decode_table;

use bytes::{BufMut, Bytes, BytesMut};

use crate::DecoderError;
use codes::CODES;
use decode_table::{ACCEPT, DECODE, EMIT, FAIL};

/// Number of bytes `src` takes once Huffman-encoded (padding included).
pub fn encoded_len(src: &[u8]) -> usize {
    let bits: usize = src
        .iter()
        .map(|&b| usize::from(CODES[usize::from(b)].1))
        .sum();
    bits.div_ceil(8)
}

/// Appends the Huffman encoding of `src` to `dst`, padded with the most
/// significant bits of EOS, i.e. ones (RFC 7541 §5.2).
pub fn encode(src: &[u8], dst: &mut impl BufMut) {
    // Invariant: fewer than 8 pending bits in `acc` between symbols, so
    // adding a code of at most 30 bits never exceeds 38 bits.
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    for &b in src {
        let (code, len) = CODES[usize::from(b)];
        acc = (acc << len) | u64::from(code);
        bits += u32::from(len);
        while bits >= 8 {
            bits -= 8;
            dst.put_u8((acc >> bits) as u8);
        }
        acc &= (1u64 << bits) - 1;
    }
    if bits > 0 {
        let pad = 8 - bits;
        dst.put_u8(((acc << pad) as u8) | (0xffu8 >> bits));
    }
}

/// Decodes a Huffman string.
///
/// Rejects, as RFC 7541 §5.2 requires of a decoder: an EOS symbol inside the
/// string, padding longer than 7 bits, and padding that is not the
/// most significant bits of EOS (all ones). Any of these is
/// [`DecoderError::InvalidHuffman`].
pub fn decode(src: &[u8]) -> Result<Bytes, DecoderError> {
    // The shortest code is 5 bits, so the output is at most 8/5 of the input.
    let mut out = BytesMut::with_capacity(src.len() / 5 * 8 + 8);
    let mut state = 0usize;
    let mut accepting = true;
    for &byte in src {
        for nibble in [byte >> 4, byte & 0x0f] {
            let t = DECODE[state][usize::from(nibble)];
            if t.flags & FAIL != 0 {
                return Err(DecoderError::InvalidHuffman);
            }
            if t.flags & EMIT != 0 {
                out.put_u8(t.symbol);
            }
            state = usize::from(t.next);
            accepting = t.flags & ACCEPT != 0;
        }
    }
    if !accepting {
        return Err(DecoderError::InvalidHuffman);
    }
    Ok(out.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(s: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        encode(s, &mut v);
        assert_eq!(v.len(), encoded_len(s));
        v
    }

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn code_table_is_a_complete_prefix_code() {
        // Kraft equality: sum of 2^-len over all 257 codes is exactly 1.
        let sum: u64 = CODES.iter().map(|&(_, l)| 1u64 << (30 - l)).sum();
        assert_eq!(sum, 1u64 << 30);
    }

    #[test]
    fn appendix_c_vectors() {
        let cases: [(&str, &str); 9] = [
            ("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"),
            ("no-cache", "a8eb 1064 9cbf"),
            ("custom-key", "25a8 49e9 5ba9 7d7f"),
            ("custom-value", "25a8 49e9 5bb8 e8b4 bf"),
            ("302", "6402"),
            ("private", "aec3 771a 4b"),
            ("Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"),
            ("https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"),
            (
                "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            ),
        ];
        for (plain, coded) in cases {
            let coded = hex(coded);
            assert_eq!(enc(plain.as_bytes()), coded, "{plain}");
            assert_eq!(decode(&coded).unwrap(), plain.as_bytes(), "{plain}");
        }
    }

    #[test]
    fn every_byte_round_trips() {
        for b in 0..=255u8 {
            for n in 1..=9 {
                let s = vec![b; n];
                assert_eq!(decode(&enc(&s)).unwrap(), s, "byte {b} x{n}");
            }
        }
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        assert_eq!(decode(&enc(&all)).unwrap(), all);
        assert_eq!(decode(&[]).unwrap(), &b""[..]);
    }

    #[test]
    fn eos_in_string_is_rejected() {
        // EOS alone (30 ones) padded with 2 ones: 32 ones.
        assert_eq!(
            decode(&[0xff, 0xff, 0xff, 0xff]),
            Err(DecoderError::InvalidHuffman)
        );
        // 'a' (00011) followed by EOS and padding.
        let mut bits = String::from("00011");
        bits.push_str(&"1".repeat(30));
        while bits.len() % 8 != 0 {
            bits.push('1');
        }
        let bytes: Vec<u8> = (0..bits.len())
            .step_by(8)
            .map(|i| u8::from_str_radix(&bits[i..i + 8], 2).unwrap())
            .collect();
        assert_eq!(decode(&bytes), Err(DecoderError::InvalidHuffman));
    }

    #[test]
    fn long_padding_is_rejected() {
        // '0' is 00000 (5 bits) + 3 one bits: valid.
        assert_eq!(decode(&[0x07]).unwrap(), &b"0"[..]);
        // A whole byte of padding (8 ones) after a valid byte.
        assert_eq!(decode(&[0x07, 0xff]), Err(DecoderError::InvalidHuffman));
        // Only padding: 8 ones.
        assert_eq!(decode(&[0xff]), Err(DecoderError::InvalidHuffman));
    }

    #[test]
    fn padding_not_all_ones_is_rejected() {
        // '0' + padding 110.
        assert_eq!(decode(&[0x06]), Err(DecoderError::InvalidHuffman));
        // '0' + padding 000: decodes another partial code, not ones.
        assert_eq!(decode(&[0x00]), Err(DecoderError::InvalidHuffman));
    }
}
