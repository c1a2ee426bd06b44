//! One field line: `field-name ":" OWS field-value OWS` (RFC 9112 §5).

use std::ops::Range;

use crate::syntax::{is_field_value_byte, is_ows, is_tchar, trim_ows_range};
use crate::Error;

/// Name and value offsets within a field line (CRLF already removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldRanges {
    pub(crate) name: Range<usize>,
    pub(crate) value: Range<usize>,
}

/// Validates one non-empty field line and locates its name and value.
pub(crate) fn parse_field_line(line: &[u8]) -> Result<FieldRanges, Error> {
    // Obsolete line folding: RFC 9112 §5.2 lets a server reject it with
    // 400, and §2.2 says whitespace before the first field MUST NOT be
    // taken as a continuation. Unfolding invites smuggling, so we refuse.
    if line.first().is_some_and(|&b| is_ows(b)) {
        return Err(Error::ObsFold);
    }
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or(Error::MissingColon)?;
    let name = &line[..colon];
    // RFC 9112 §5.1: a server MUST reject whitespace between the field
    // name and the colon with 400.
    if name.last().is_some_and(|&b| is_ows(b)) {
        return Err(Error::WhitespaceBeforeColon);
    }
    if name.is_empty() || !name.iter().all(|&b| is_tchar(b)) {
        return Err(Error::BadFieldName);
    }
    let raw = &line[colon + 1..];
    // RFC 9110 §5.5: NUL, CR and LF in a value MUST be rejected or
    // replaced; we reject them together with the other controls.
    if !raw.iter().all(|&b| is_field_value_byte(b)) {
        return Err(Error::BadFieldValue);
    }
    let trimmed = trim_ows_range(raw);
    let base = colon + 1;
    Ok(FieldRanges {
        name: 0..colon,
        value: base + trimmed.start..base + trimmed.end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &[u8]) -> Result<(&[u8], &[u8]), Error> {
        parse_field_line(line).map(|r| (&line[r.name], &line[r.value]))
    }

    #[test]
    fn trims_ows_and_keeps_inner_space() {
        assert_eq!(parse(b"X-A: \t a b \t"), Ok((&b"X-A"[..], &b"a b"[..])));
        assert_eq!(parse(b"X:"), Ok((&b"X"[..], &b""[..])));
        // obs-text is kept as is.
        assert_eq!(
            parse(b"X: caf\xc3\xa9"),
            Ok((&b"X"[..], &b"caf\xc3\xa9"[..]))
        );
    }

    #[test]
    fn rejects() {
        // "Transfer-Encoding : chunked": space before the colon.
        assert_eq!(
            parse(b"Transfer-Encoding : chunked"),
            Err(Error::WhitespaceBeforeColon)
        );
        // " X: 1": a whitespace-led line is folding, never a new field.
        assert_eq!(parse(b" X: 1"), Err(Error::ObsFold));
        assert_eq!(parse(b"\tX: 1"), Err(Error::ObsFold));
        // NUL in a value.
        assert_eq!(parse(b"X: a\0b"), Err(Error::BadFieldValue));
        assert_eq!(parse(b"X: a\x7fb"), Err(Error::BadFieldValue));
        // Space inside a name.
        assert_eq!(parse(b"Bad Name: v"), Err(Error::BadFieldName));
        assert_eq!(parse(b": v"), Err(Error::BadFieldName));
        assert_eq!(parse(b"NoColon"), Err(Error::MissingColon));
    }
}
