//! `grpc-message` percent-encoding (gRPC `PROTOCOL-HTTP2.md`, "Responses").
//!
//! The message is UTF-8 text; every byte outside 0x20–0x7E, and `%` itself,
//! is sent as `%XX` (upper-case hex). The spec also says a receiver MUST NOT
//! fail or drop the message on a bad encoding and may instead hand over the
//! raw value: [`decode`] does exactly that, and decoded bytes that are not
//! UTF-8 are replaced lossily rather than refused.

use bytes::{BufMut, Bytes, BytesMut};

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn is_unreserved(byte: u8) -> bool {
    (0x20..=0x7e).contains(&byte) && byte != b'%'
}

/// Percent-encodes a status message for the `grpc-message` trailer.
pub fn encode(message: &str) -> Bytes {
    let bytes = message.as_bytes();
    // Common case: plain ASCII text, copied once.
    if bytes.iter().all(|&b| is_unreserved(b)) {
        return Bytes::copy_from_slice(bytes);
    }
    let mut out = BytesMut::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if is_unreserved(b) {
            out.put_u8(b);
        } else {
            out.put_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
    }
    out.freeze()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Decodes a `grpc-message` value. A `%` not followed by two hex digits
/// makes the whole value come back raw (lossily as UTF-8), as the spec
/// allows; lower-case hex is accepted although senders use upper case.
pub fn decode(value: &[u8]) -> String {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let b = value[i];
        if b == b'%' {
            let hi = value.get(i + 1).copied().and_then(hex_value);
            let lo = value.get(i + 2).copied().and_then(hex_value);
            match (hi, lo) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => return String::from_utf8_lossy(value).into_owned(),
            }
        }
        out.push(b);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ascii_is_untouched() {
        assert_eq!(
            &encode("deadline exceeded: 5s")[..],
            b"deadline exceeded: 5s"
        );
        assert_eq!(&encode("~ !\"#$&'()")[..], b"~ !\"#$&'()");
    }

    #[test]
    fn spec_reserved_bytes_are_escaped() {
        assert_eq!(&encode("100%")[..], b"100%25");
        assert_eq!(&encode("a\nb\tc")[..], b"a%0Ab%09c");
        assert_eq!(&encode("\u{7f}")[..], b"%7F");
        // U+00E9 is C3 A9 in UTF-8; U+1F600 is F0 9F 98 80.
        assert_eq!(&encode("caf\u{e9}")[..], b"caf%C3%A9");
        assert_eq!(&encode("\u{1f600}")[..], b"%F0%9F%98%80");
    }

    #[test]
    fn decodes_both_hex_cases() {
        assert_eq!(decode(b"caf%C3%A9"), "caf\u{e9}");
        assert_eq!(decode(b"caf%c3%a9"), "caf\u{e9}");
        assert_eq!(decode(b"100%25"), "100%");
        assert_eq!(decode(b""), "");
    }

    #[test]
    fn bad_escapes_keep_the_raw_value() {
        assert_eq!(decode(b"50% off"), "50% off");
        assert_eq!(decode(b"trailing %"), "trailing %");
        assert_eq!(decode(b"short %4"), "short %4");
        assert_eq!(decode(b"%zz%41"), "%zz%41");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        assert_eq!(decode(b"%FFok"), "\u{fffd}ok");
        assert_eq!(decode(b"\xffraw"), "\u{fffd}raw");
    }
}
