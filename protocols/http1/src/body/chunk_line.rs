//! The chunk-size line: `chunk-size [chunk-ext]` (RFC 9112 §7.1, §7.1.1).

use crate::syntax::{is_tchar, quoted_string_len};
use crate::Error;

/// 16 hex digits cover every u64; more cannot be a size we would honour.
const MAX_SIZE_DIGITS: usize = 16;

/// A parsed chunk-size line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ChunkLine {
    pub(super) size: u64,
    /// Bytes of extensions, counted against the per-body budget.
    pub(super) ext_len: usize,
}

/// Number of leading hex digits, counting at most one past the maximum.
pub(super) fn leading_hex(line: &[u8]) -> usize {
    line.iter()
        .take(MAX_SIZE_DIGITS + 1)
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
}

/// Parses a complete line (CRLF removed). Stricter than the RFC's BWS:
/// no whitespace anywhere, since nothing legitimate sends it and lenient
/// size parsing is a classic smuggling vector.
pub(super) fn parse(line: &[u8]) -> Result<ChunkLine, Error> {
    let digits = leading_hex(line);
    // chunk-size = 1*HEXDIG: rejects "", "+1", " 1"; "0x1" stops at 'x'.
    if digits == 0 || digits > MAX_SIZE_DIGITS {
        return Err(Error::BadChunkSize);
    }
    let (hex, ext) = line.split_at(digits);
    let size = hex
        .iter()
        .fold(0u64, |n, &b| (n << 4) | u64::from(hex_value(b)));
    if !ext.is_empty() && ext.first() != Some(&b';') {
        return Err(Error::BadChunkSize);
    }
    check_extensions(ext)?;
    Ok(ChunkLine {
        size,
        ext_len: ext.len(),
    })
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

/// `*( ";" token [ "=" ( token / quoted-string ) ] )` with no whitespace
/// and, through the quoted-string rules, no control bytes.
fn check_extensions(mut ext: &[u8]) -> Result<(), Error> {
    while let Some((&b';', rest)) = ext.split_first() {
        let name = rest.iter().take_while(|&&b| is_tchar(b)).count();
        if name == 0 {
            return Err(Error::BadChunkExtension);
        }
        ext = &rest[name..];
        if let Some((&b'=', rest)) = ext.split_first() {
            let value = if rest.first() == Some(&b'"') {
                quoted_string_len(rest).ok_or(Error::BadChunkExtension)?
            } else {
                rest.iter().take_while(|&&b| is_tchar(b)).count()
            };
            if value == 0 {
                return Err(Error::BadChunkExtension);
            }
            ext = &rest[value..];
        }
    }
    if ext.is_empty() {
        Ok(())
    } else {
        Err(Error::BadChunkExtension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(size: u64, ext_len: usize) -> Result<ChunkLine, Error> {
        Ok(ChunkLine { size, ext_len })
    }

    #[test]
    fn sizes() {
        assert_eq!(parse(b"1a"), ok(0x1a, 0));
        assert_eq!(parse(b"FFFFFFFFFFFFFFFF"), ok(u64::MAX, 0));
        assert_eq!(parse(b"000"), ok(0, 0));
        // "0x1": hex prefix.
        assert_eq!(parse(b"0x1"), Err(Error::BadChunkSize));
        // "+1": sign.
        assert_eq!(parse(b"+1"), Err(Error::BadChunkSize));
        assert_eq!(parse(b" 1"), Err(Error::BadChunkSize));
        assert_eq!(parse(b"1 "), Err(Error::BadChunkSize));
        assert_eq!(parse(b""), Err(Error::BadChunkSize));
        // 17 hex digits.
        assert_eq!(parse(b"10000000000000000"), Err(Error::BadChunkSize));
    }

    #[test]
    fn extensions() {
        assert_eq!(parse(b"5;a"), ok(5, 2));
        assert_eq!(parse(b"5;a=b;c=\"q \\\" d\""), ok(5, 15));
        assert_eq!(parse(b"5;"), Err(Error::BadChunkExtension));
        assert_eq!(parse(b"5;a="), Err(Error::BadChunkExtension));
        assert_eq!(parse(b"5;a =b"), Err(Error::BadChunkExtension));
        // `1;a="b` is what remains of `1;a="b\r\nc"` once CRLF ends the line.
        assert_eq!(parse(b"1;a=\"b"), Err(Error::BadChunkExtension));
        assert_eq!(parse(b"1;a=\"b\x01\""), Err(Error::BadChunkExtension));
        assert_eq!(parse(b"1;a=b\"c\""), Err(Error::BadChunkExtension));
    }
}
