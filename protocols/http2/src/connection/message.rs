//! HTTP semantics of received field blocks (RFC 9113 §8.1-§8.3, §8.2.1-§8.2.2)
//! and the downgrade-smuggling defences (shared/http-defenses.md B8, A4).
//! A violation makes the message malformed: a stream error PROTOCOL_ERROR
//! (§8.1.1), decided by the caller.

use bytes::Bytes;
use layotto_hpack::Header;

use super::types::RequestHead;

/// Why a message is malformed (for debugging; the wire only sees
/// RST_STREAM(PROTOCOL_ERROR)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Malformed(pub &'static str);

type Result<T> = std::result::Result<T, Malformed>;

/// A validated request head plus its `content-length`, if any.
pub(super) fn request(fields: Vec<Header>) -> Result<(RequestHead, Option<u64>)> {
    let mut method = None;
    let mut scheme = None;
    let mut authority = None;
    let mut path = None;
    let mut fields = fields.into_iter().peekable();
    // §8.3: pseudo-header fields come first, each at most once, and only
    // the defined request ones (§8.3.1). `:protocol` belongs to extended
    // CONNECT (RFC 8441), which we never enable.
    while let Some(h) = fields.next_if(|h| h.name.starts_with(b":")) {
        let slot = match &h.name[..] {
            b":method" => &mut method,
            b":scheme" => &mut scheme,
            b":authority" => &mut authority,
            b":path" => &mut path,
            _ => return Err(Malformed("unknown request pseudo-header")),
        };
        if slot.replace(h.value).is_some() {
            return Err(Malformed("duplicate pseudo-header"));
        }
    }
    let (headers, content_length) = regular(fields)?;
    let method = method.ok_or(Malformed("missing :method"))?;
    if method.is_empty() || !method.iter().all(|&b| is_tchar(b)) {
        return Err(Malformed(":method is not a token"));
    }
    if let Some(a) = &authority {
        check_value(a)?;
        if a.iter().any(|&b| b <= b' ' || b == b'@') {
            return Err(Malformed("bad :authority"));
        }
    }
    // A4: `:authority` wins for routing; a `host` naming another authority
    // is ambiguous across hops.
    let host = headers.iter().find(|h| &h.name[..] == b"host");
    if let (Some(a), Some(h)) = (&authority, host) {
        if a != &h.value {
            return Err(Malformed(":authority and host differ"));
        }
    }
    let authority = authority.or_else(|| host.map(|h| h.value.clone()));
    if &method[..] == b"CONNECT" {
        // §8.5: CONNECT carries only :method and :authority.
        if scheme.is_some() || path.is_some() {
            return Err(Malformed("CONNECT with :scheme or :path"));
        }
        let authority = authority.ok_or(Malformed("CONNECT without :authority"))?;
        let head = RequestHead {
            method,
            scheme: Bytes::new(),
            authority,
            path: Bytes::new(),
            headers,
        };
        return Ok((head, content_length));
    }
    let scheme = scheme.ok_or(Malformed("missing :scheme"))?;
    let path = path.ok_or(Malformed("missing :path"))?;
    // §8.3.1: `:path` MUST NOT be empty for http(s); no SP or controls
    // either (B8: `GET / HTTP/1.1` smuggled in a path).
    if path.is_empty() || path.iter().any(|&b| b <= b' ' || b == 0x7f) {
        return Err(Malformed("bad :path"));
    }
    if scheme.is_empty()
        || !scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err(Malformed("bad :scheme"));
    }
    let web = scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https");
    // §8.3.1: http(s) requests MUST carry :authority or host.
    if web && authority.as_ref().is_none_or(|a| a.is_empty()) {
        return Err(Malformed("missing :authority"));
    }
    let head = RequestHead {
        method,
        scheme,
        authority: authority.unwrap_or_default(),
        path,
        headers,
    };
    Ok((head, content_length))
}

/// A validated response head: status, fields, `content-length`.
pub(super) fn response(fields: Vec<Header>) -> Result<(u16, Vec<Header>, Option<u64>)> {
    let mut status = None;
    let mut fields = fields.into_iter().peekable();
    while let Some(h) = fields.next_if(|h| h.name.starts_with(b":")) {
        if &h.name[..] != b":status" {
            return Err(Malformed("unknown response pseudo-header"));
        }
        if status.replace(h.value).is_some() {
            return Err(Malformed("duplicate :status"));
        }
    }
    let (headers, content_length) = regular(fields)?;
    let status = status.ok_or(Malformed("missing :status"))?;
    // §8.3.2: the three-digit status code.
    let code = match &status[..] {
        [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => return Err(Malformed("bad :status")),
    };
    if code < 100 {
        return Err(Malformed("bad :status"));
    }
    Ok((code, headers, content_length))
}

/// Validated trailers: no pseudo-header fields (§8.1).
pub(super) fn trailers(fields: Vec<Header>) -> Result<Vec<Header>> {
    if fields.iter().any(|h| h.name.starts_with(b":")) {
        return Err(Malformed("pseudo-header in trailers"));
    }
    regular(fields.into_iter()).map(|(h, _)| h)
}

/// Checks the regular fields (after the pseudo-headers) and collects them
/// with the `content-length` they declare.
fn regular(fields: impl Iterator<Item = Header>) -> Result<(Vec<Header>, Option<u64>)> {
    let mut out = Vec::new();
    let mut content_length = None;
    for h in fields {
        check_name(&h.name)?;
        check_value(&h.value)?;
        match &h.name[..] {
            // §8.2.2: connection-specific fields make a message malformed.
            b"connection" | b"keep-alive" | b"proxy-connection" | b"transfer-encoding"
            | b"upgrade" => return Err(Malformed("connection-specific field")),
            // ... except `te: trailers`.
            b"te" if !h.value.eq_ignore_ascii_case(b"trailers") => {
                return Err(Malformed("te other than trailers"))
            }
            b"content-length" => {
                let n = parse_length(&h.value)?;
                // A1: repeats only if identical.
                if content_length.replace(n).is_some_and(|old| old != n) {
                    return Err(Malformed("conflicting content-length"));
                }
            }
            _ => {}
        }
        out.push(h);
    }
    Ok((out, content_length))
}

/// §8.2.1: names are lowercase visible ASCII without colon; a `:` name
/// here is a pseudo-header after a regular field (§8.3).
fn check_name(name: &[u8]) -> Result<()> {
    if name.is_empty() {
        return Err(Malformed("empty field name"));
    }
    if name.starts_with(b":") {
        return Err(Malformed("pseudo-header after regular field"));
    }
    if name
        .iter()
        .any(|&b| b <= 0x20 || b.is_ascii_uppercase() || b >= 0x7f || b == b':')
    {
        return Err(Malformed("invalid field name"));
    }
    Ok(())
}

/// §8.2.1: no NUL, CR or LF, and no leading or trailing SP/HTAB.
fn check_value(value: &[u8]) -> Result<()> {
    if value.iter().any(|&b| b == 0 || b == b'\r' || b == b'\n') {
        return Err(Malformed("invalid field value"));
    }
    let ws = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t'));
    if ws(value.first()) || ws(value.last()) {
        return Err(Malformed("field value with edge whitespace"));
    }
    Ok(())
}

/// `1*DIGIT`, at most 19 digits so it fits u64 (A1).
fn parse_length(v: &[u8]) -> Result<u64> {
    if v.is_empty() || v.len() > 19 || !v.iter().all(u8::is_ascii_digit) {
        return Err(Malformed("bad content-length"));
    }
    Ok(v.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0')))
}

/// RFC 9110 §5.6.2 tchar.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(n: &'static str, v: &'static str) -> Header {
        Header::new(n, v)
    }

    fn base() -> Vec<Header> {
        vec![
            h(":method", "GET"),
            h(":scheme", "https"),
            h(":authority", "a"),
            h(":path", "/"),
        ]
    }

    #[test]
    fn good_request() {
        let mut f = base();
        f.push(h("content-length", "5"));
        f.push(h("te", "trailers"));
        let (head, cl) = request(f).unwrap();
        assert_eq!(&head.path[..], b"/");
        assert_eq!(cl, Some(5));
        assert_eq!(head.headers.len(), 2);
    }

    #[test]
    fn bad_requests() {
        let cases: Vec<Vec<Header>> = vec![
            vec![
                h(":method", "GET"),
                h(":scheme", "https"),
                h(":authority", "a"),
            ],
            vec![h(":method", "GET"), h(":authority", "a"), h(":path", "/")],
            vec![h(":scheme", "https"), h(":authority", "a"), h(":path", "/")],
            [base(), vec![h(":path", "/x")]].concat(),
            [base(), vec![h(":protocol", "websocket")]].concat(),
            [base(), vec![h("Upper", "x")]].concat(),
            [base(), vec![h("connection", "close")]].concat(),
            [base(), vec![h("te", "gzip")]].concat(),
            [base(), vec![h("x", "a\r\nb")]].concat(),
            [
                base(),
                vec![h("content-length", "1"), h("content-length", "2")],
            ]
            .concat(),
            [base(), vec![h("host", "b")]].concat(),
            vec![
                h(":method", "GET"),
                h("x", "y"),
                h(":scheme", "https"),
                h(":path", "/"),
            ],
            vec![
                h(":method", "GET"),
                h(":scheme", "https"),
                h(":authority", "a"),
                h(":path", ""),
            ],
            vec![
                h(":method", "CONNECT"),
                h(":authority", "a"),
                h(":path", "/"),
            ],
            vec![h(":status", "200")],
        ];
        for (i, f) in cases.into_iter().enumerate() {
            assert!(request(f).is_err(), "case {i}");
        }
    }

    #[test]
    fn responses() {
        assert_eq!(response(vec![h(":status", "204")]).unwrap().0, 204);
        assert!(response(vec![h(":status", "20")]).is_err());
        assert!(response(vec![h(":status", "2000")]).is_err());
        assert!(response(vec![h("x", "y")]).is_err());
        assert!(response(vec![h(":status", "200"), h(":path", "/")]).is_err());
        assert!(trailers(vec![h(":status", "200")]).is_err());
        assert!(trailers(vec![h("grpc-status", "0")]).is_ok());
    }
}
