//! Message framing from Content-Length and Transfer-Encoding
//! (RFC 9112 §6). Being strict here is what stops request smuggling: any
//! header set two parties could read as different body lengths is refused.

use crate::syntax::list_members;
use crate::{BodyKind, Error, Headers, Version};

/// At most 19 digits, so the value always fits in a u64 before the checked
/// arithmetic even runs (u64::MAX has 20).
const MAX_CL_DIGITS: usize = 19;

/// The body length the fields announce, or `None` if neither field is
/// present (the caller picks the default for requests vs responses).
pub(crate) fn body_kind(headers: &Headers, version: Version) -> Result<Option<BodyKind>, Error> {
    let te_lines = headers.count("transfer-encoding");
    let has_cl = headers.contains("content-length");
    if te_lines > 0 {
        // RFC 9112 §6.1: TE in an HTTP/1.0 message MUST be treated as
        // faulty framing.
        if version == Version::Http10 {
            return Err(Error::TransferEncodingInHttp10);
        }
        // RFC 9112 §6.1 / §6.3 item 3: a server MAY reject a message with
        // both; we always do, as either reading could be the smuggled one.
        if has_cl {
            return Err(Error::ContentLengthWithTransferEncoding);
        }
        if te_lines > 1 {
            return Err(Error::DuplicateTransferEncoding);
        }
        let value = headers.get("transfer-encoding").unwrap_or_default();
        check_transfer_coding(value)?;
        return Ok(Some(BodyKind::Chunked));
    }
    if has_cl {
        let n = content_length(headers)?;
        return Ok(Some(if n == 0 {
            BodyKind::Empty
        } else {
            BodyKind::Length(n)
        }));
    }
    Ok(None)
}

/// Accepts only a value whose sole member is `chunked`.
fn check_transfer_coding(value: &[u8]) -> Result<(), Error> {
    let mut chunked = false;
    let mut unknown = false;
    for member in list_members(value) {
        if member.is_empty() {
            return Err(Error::BadTransferEncoding);
        }
        // chunked MUST be the final coding and MUST NOT be applied twice
        // (RFC 9112 §6.1); past it the length is unknowable, so 400.
        if chunked {
            return Err(Error::ChunkedNotLast);
        }
        // Coding names are case-insensitive (RFC 9112 §7).
        if member.eq_ignore_ascii_case(b"chunked") {
            chunked = true;
        } else {
            unknown = true;
        }
    }
    // RFC 9112 §6.1: a server receiving a coding it does not understand
    // SHOULD answer 501. Chunked is the only one we decode.
    if unknown || !chunked {
        return Err(Error::UnknownTransferCoding);
    }
    Ok(())
}

/// All Content-Length lines and list members must agree (RFC 9110 §8.6
/// lets a recipient accept a list of identical values; anything else MUST
/// be treated as unrecoverable, RFC 9112 §6.3 item 5).
fn content_length(headers: &Headers) -> Result<u64, Error> {
    let mut seen: Option<u64> = None;
    for value in headers.get_all("content-length") {
        for member in list_members(value) {
            let n = parse_decimal(member)?;
            match seen {
                Some(prev) if prev != n => return Err(Error::ConflictingContentLength),
                _ => seen = Some(n),
            }
        }
    }
    seen.ok_or(Error::BadContentLength)
}

/// `1*DIGIT`, nothing else: no sign, no hex prefix, no inner spaces.
fn parse_decimal(s: &[u8]) -> Result<u64, Error> {
    if s.is_empty() || s.len() > MAX_CL_DIGITS {
        return Err(Error::BadContentLength);
    }
    let mut n: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return Err(Error::BadContentLength);
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or(Error::BadContentLength)?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(fields: &[(&'static str, &'static str)]) -> Result<Option<BodyKind>, Error> {
        let mut h = Headers::new();
        for (n, v) in fields {
            h.push(*n, *v);
        }
        body_kind(&h, Version::Http11)
    }

    type Case = (
        &'static [(&'static str, &'static str)],
        Result<Option<BodyKind>, Error>,
    );

    #[test]
    fn checklist_table() {
        use Error::*;
        let cases: &[Case] = &[
            (
                &[("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
                Err(ContentLengthWithTransferEncoding),
            ),
            (
                &[("Transfer-Encoding", "xchunked")],
                Err(UnknownTransferCoding),
            ),
            (
                &[("Transfer-Encoding", "gzip, chunked")],
                Err(UnknownTransferCoding),
            ),
            (
                &[("Transfer-Encoding", "chunked, identity")],
                Err(ChunkedNotLast),
            ),
            (
                &[("Transfer-Encoding", "chunked, chunked")],
                Err(ChunkedNotLast),
            ),
            (
                &[
                    ("Transfer-Encoding", "chunked"),
                    ("Transfer-Encoding", "chunked"),
                ],
                Err(DuplicateTransferEncoding),
            ),
            (&[("Transfer-Encoding", "")], Err(BadTransferEncoding)),
            (
                &[("Transfer-Encoding", "chunked,")],
                Err(BadTransferEncoding),
            ),
            (
                &[("Transfer-Encoding", "chunked, gzip")],
                Err(ChunkedNotLast),
            ),
            (&[("Content-Length", "+5")], Err(BadContentLength)),
            (&[("Content-Length", "0x5")], Err(BadContentLength)),
            (&[("Content-Length", "")], Err(BadContentLength)),
            (&[("Content-Length", "5, 6")], Err(ConflictingContentLength)),
            (
                &[("Content-Length", "5"), ("Content-Length", "6")],
                Err(ConflictingContentLength),
            ),
            (
                &[("Content-Length", "99999999999999999999")],
                Err(BadContentLength),
            ),
            (&[("Content-Length", "5, 5")], Ok(Some(BodyKind::Length(5)))),
            (
                &[("Content-Length", "5"), ("content-length", "5")],
                Ok(Some(BodyKind::Length(5))),
            ),
            (&[("Content-Length", "0")], Ok(Some(BodyKind::Empty))),
            (
                &[("Content-Length", "9999999999999999999")],
                Ok(Some(BodyKind::Length(9_999_999_999_999_999_999))),
            ),
            (
                &[("Transfer-Encoding", "CHUNKED")],
                Ok(Some(BodyKind::Chunked)),
            ),
            (&[], Ok(None)),
        ];
        for (fields, want) in cases {
            assert_eq!(&kind(fields), want, "{fields:?}");
        }
        for (fields, want) in cases {
            if let Err(e) = want {
                let s = e.status();
                assert!(s == 400 || s == 501, "{fields:?}");
            }
        }
    }

    #[test]
    fn te_in_http10() {
        let mut h = Headers::new();
        h.push("Transfer-Encoding", "chunked");
        assert_eq!(
            body_kind(&h, Version::Http10),
            Err(Error::TransferEncodingInHttp10)
        );
    }

    #[test]
    fn many_codings() {
        let v = "gzip, ".repeat(20) + "chunked";
        let mut h = Headers::new();
        h.push("Transfer-Encoding", v);
        assert_eq!(
            body_kind(&h, Version::Http11),
            Err(Error::UnknownTransferCoding)
        );
    }
}
