//! Prefix-coded integers (RFC 7541 §5.1).
//!
//! An integer fills the low `N` bits of its first byte; if it does not fit,
//! those bits are all ones and the rest follows in 7-bit groups, least
//! significant first, the high bit of each byte saying "more follows".

use bytes::BufMut;

use crate::DecoderError;

/// Continuation bytes accepted after the prefix. Five groups of 7 bits plus
/// any prefix cover every `u32`; more can only be padding or an attack
/// (RFC 7541 §5.1 asks decoders to guard against overflow).
const MAX_CONTINUATION_BYTES: usize = 5;

/// Largest value accepted; every HPACK quantity (index, length, table size)
/// fits comfortably, and it keeps arithmetic on `usize` safe on 32-bit hosts.
const MAX_VALUE: u64 = u32::MAX as u64;

/// Decodes an integer whose prefix is the low `prefix_bits` (1..=8) bits of
/// `buf[*pos]`, advancing `pos` past it. The caller has checked that
/// `*pos < buf.len()`; the high bits of the first byte are ignored here.
pub(crate) fn decode(buf: &[u8], pos: &mut usize, prefix_bits: u8) -> Result<usize, DecoderError> {
    debug_assert!((1..=8).contains(&prefix_bits));
    let mask: u8 = if prefix_bits >= 8 {
        0xff
    } else {
        (1u8 << prefix_bits) - 1
    };
    let first = *buf.get(*pos).ok_or(DecoderError::Truncated)? & mask;
    *pos += 1;
    if first < mask {
        return Ok(usize::from(first));
    }
    let mut value = u64::from(mask);
    for i in 0..MAX_CONTINUATION_BYTES {
        let byte = *buf.get(*pos).ok_or(DecoderError::Truncated)?;
        *pos += 1;
        value += u64::from(byte & 0x7f) << (7 * i);
        if value > MAX_VALUE {
            return Err(DecoderError::IntegerOverflow);
        }
        if byte & 0x80 == 0 {
            return usize::try_from(value).map_err(|_| DecoderError::IntegerOverflow);
        }
    }
    Err(DecoderError::IntegerOverflow)
}

/// Appends `value` with an `prefix_bits`-bit prefix; `flags` supplies the
/// high bits of the first byte (the representation's pattern).
pub(crate) fn encode(dst: &mut impl BufMut, flags: u8, prefix_bits: u8, value: usize) {
    debug_assert!((1..=8).contains(&prefix_bits));
    let mask: usize = (1usize << prefix_bits) - 1;
    if value < mask {
        // Fits in the prefix: `value < mask <= 255`, so the cast is exact.
        dst.put_u8(flags | value as u8);
        return;
    }
    dst.put_u8(flags | mask as u8);
    let mut rest = value - mask;
    while rest >= 0x80 {
        dst.put_u8((rest & 0x7f) as u8 | 0x80);
        rest >>= 7;
    }
    dst.put_u8(rest as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(prefix: u8, v: usize) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, 0, prefix, v);
        out
    }

    fn dec(prefix: u8, bytes: &[u8]) -> Result<(usize, usize), DecoderError> {
        let mut pos = 0;
        decode(bytes, &mut pos, prefix).map(|v| (v, pos))
    }

    #[test]
    fn rfc_c1_examples() {
        // C.1.1: 10 with a 5-bit prefix.
        assert_eq!(enc(5, 10), [0x0a]);
        // C.1.2: 1337 with a 5-bit prefix.
        assert_eq!(enc(5, 1337), [0x1f, 0x9a, 0x0a]);
        assert_eq!(dec(5, &[0x1f, 0x9a, 0x0a]), Ok((1337, 3)));
        // C.1.3: 42 at an octet boundary.
        assert_eq!(enc(8, 42), [0x2a]);
        assert_eq!(dec(8, &[0x2a]), Ok((42, 1)));
    }

    #[test]
    fn prefix_boundaries_round_trip() {
        for prefix in 1..=8u8 {
            let max = (1usize << prefix) - 1;
            for v in [
                0,
                1,
                max - 1,
                max,
                max + 1,
                127,
                128,
                300,
                16_383,
                16_384,
                1 << 20,
            ] {
                let bytes = enc(prefix, v);
                assert_eq!(
                    dec(prefix, &bytes),
                    Ok((v, bytes.len())),
                    "prefix {prefix} v {v}"
                );
            }
            let bytes = enc(prefix, u32::MAX as usize);
            assert_eq!(dec(prefix, &bytes), Ok((u32::MAX as usize, bytes.len())));
        }
    }

    #[test]
    fn high_flag_bits_are_ignored() {
        assert_eq!(dec(5, &[0xea]), Ok((10, 1)));
    }

    #[test]
    fn truncated() {
        assert_eq!(dec(5, &[]), Err(DecoderError::Truncated));
        assert_eq!(dec(5, &[0x1f]), Err(DecoderError::Truncated));
        assert_eq!(dec(5, &[0x1f, 0x80]), Err(DecoderError::Truncated));
    }

    #[test]
    fn overflow() {
        // Too many continuation bytes, even if they are zero padding.
        assert_eq!(
            dec(5, &[0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]),
            Err(DecoderError::IntegerOverflow)
        );
        // u32::MAX + 1.
        let bytes = enc(5, u32::MAX as usize + 1);
        assert_eq!(dec(5, &bytes), Err(DecoderError::IntegerOverflow));
        assert_eq!(
            dec(7, &[0x7f, 0xff, 0xff, 0xff, 0xff, 0x7f]),
            Err(DecoderError::IntegerOverflow)
        );
    }
}
