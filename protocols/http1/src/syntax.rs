//! Character classes and small grammar helpers shared by every parser
//! (RFC 9110 §5.6).

/// `tchar` from RFC 9110 §5.6.2.
pub(crate) fn is_tchar(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
    ) || b.is_ascii_alphanumeric()
}

/// `token = 1*tchar`.
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// `OWS` members: SP and HTAB (RFC 9110 §5.6.3).
pub(crate) fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Bytes allowed inside a field value: HTAB, SP, VCHAR and obs-text
/// (RFC 9110 §5.5). NUL, CR, LF and the other controls are not.
pub(crate) fn is_field_value_byte(b: u8) -> bool {
    b == b'\t' || (b' '..=b'~').contains(&b) || b >= 0x80
}

/// Strips leading and trailing OWS.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_ows(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ows(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// Byte offsets of `s` once OWS is trimmed, relative to `s`.
pub(crate) fn trim_ows_range(s: &[u8]) -> std::ops::Range<usize> {
    let start = s.iter().position(|&b| !is_ows(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|&b| !is_ows(b)).map_or(start, |i| i + 1);
    start..end
}

/// Members of a `#rule` list (RFC 9110 §5.6.1), OWS-trimmed. Empty
/// members are yielded too; callers decide whether to ignore them.
pub(crate) fn list_members(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value.split(|&b| b == b',').map(trim_ows)
}

/// Length of a `quoted-string` (RFC 9110 §5.6.4) at the start of `s`,
/// quotes included, or `None` if it is unterminated or holds controls.
pub(crate) fn quoted_string_len(s: &[u8]) -> Option<usize> {
    if s.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(&b) = s.get(i) {
        match b {
            b'"' => return Some(i + 1),
            b'\\' => {
                let escaped = *s.get(i + 1)?;
                if !is_field_value_byte(escaped) {
                    return None;
                }
                i += 2;
            }
            _ if is_field_value_byte(b) => i += 1,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"Content-Length"));
        assert!(!is_token(b""));
        assert!(!is_token(b"Bad Name"));
        assert!(!is_token(b"a:b"));
    }

    #[test]
    fn trimming() {
        assert_eq!(trim_ows(b" \t a b \t"), b"a b");
        assert_eq!(trim_ows(b"   "), b"");
        assert_eq!(trim_ows_range(b"  ab "), 2..4);
        assert_eq!(trim_ows_range(b"  "), 2..2);
    }

    #[test]
    fn lists() {
        let v: Vec<&[u8]> = list_members(b"a , b,,c").collect();
        assert_eq!(v, vec![&b"a"[..], b"b", b"", b"c"]);
    }

    #[test]
    fn quoted() {
        assert_eq!(quoted_string_len(b"\"ab\"rest"), Some(4));
        assert_eq!(quoted_string_len(b"\"a\\\"b\""), Some(6));
        assert_eq!(quoted_string_len(b"\"open"), None);
        assert_eq!(quoted_string_len(b"\"a\0\""), None);
        assert_eq!(quoted_string_len(b"x"), None);
    }
}
