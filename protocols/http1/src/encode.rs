//! Serialising heads and chunks. The encoder owns the framing fields: it
//! drops any Content-Length or Transfer-Encoding in the given headers and
//! writes the one matching the body, so a head can never announce two
//! lengths. Fields that could not have been decoded (non-token name,
//! controls in the value) are skipped, so nothing passed in can split the
//! message.

use bytes::{BufMut, BytesMut};

use crate::syntax::{is_field_value_byte, is_tchar, is_token};
use crate::{BodyKind, Headers, Method, RequestHead, ResponseHead};

/// Writes the request line, fields and framing field, then the blank line.
/// `BodyKind::Empty` writes `content-length: 0` only for methods that
/// usually carry content (RFC 9110 §8.6); `CloseDelimited` is not valid
/// for requests and writes no framing field.
pub fn encode_request_head(head: &RequestHead, body: &BodyKind, dst: &mut BytesMut) {
    let target = &head.target;
    dst.reserve(head.method.as_bytes().len() + target.len() + 12 + fields_len(&head.headers));
    put_filtered(dst, head.method.as_bytes(), is_tchar);
    dst.put_u8(b' ');
    // Only visible ASCII minus '#' can be a target; anything else is a
    // caller bug that must not reach the wire.
    put_filtered(dst, target, |b| (b'!'..=b'~').contains(&b) && b != b'#');
    dst.put_u8(b' ');
    dst.put_slice(head.version.as_bytes());
    dst.put_slice(b"\r\n");
    put_fields(&head.headers, dst);
    match body {
        BodyKind::Empty => {
            if matches!(head.method, Method::Post | Method::Put | Method::Patch) {
                dst.put_slice(b"content-length: 0\r\n");
            }
        }
        BodyKind::Length(n) => put_content_length(*n, dst),
        BodyKind::Chunked => dst.put_slice(b"transfer-encoding: chunked\r\n"),
        BodyKind::CloseDelimited => {}
    }
    dst.put_slice(b"\r\n");
}

/// Writes the status line, fields and framing field, then the blank line.
/// 1xx and 204 never get a framing field (RFC 9110 §8.6, RFC 9112 §6.1),
/// nor does a 304 with an empty body. `Chunked` on an HTTP/1.0 head and
/// `CloseDelimited` are the caller's choice; the latter writes nothing and
/// the caller must close after the body.
pub fn encode_response_head(head: &ResponseHead, body: &BodyKind, dst: &mut BytesMut) {
    dst.reserve(17 + head.reason.len() + fields_len(&head.headers));
    dst.put_slice(head.version.as_bytes());
    dst.put_u8(b' ');
    put_decimal(u64::from(head.status), dst);
    dst.put_u8(b' ');
    if head.reason.iter().all(|&b| is_field_value_byte(b)) {
        dst.put_slice(&head.reason);
    }
    dst.put_slice(b"\r\n");
    put_fields(&head.headers, dst);
    let bodiless = (100..200).contains(&head.status) || head.status == 204;
    match body {
        _ if bodiless => {}
        BodyKind::Empty if head.status == 304 => {}
        BodyKind::Empty => dst.put_slice(b"content-length: 0\r\n"),
        BodyKind::Length(n) => put_content_length(*n, dst),
        BodyKind::Chunked => dst.put_slice(b"transfer-encoding: chunked\r\n"),
        BodyKind::CloseDelimited => {}
    }
    dst.put_slice(b"\r\n");
}

/// Writes one chunk. Empty data writes nothing: a zero-size chunk would
/// end the body (use [`encode_last_chunk`]).
pub fn encode_chunk(data: &[u8], dst: &mut BytesMut) {
    if data.is_empty() {
        return;
    }
    dst.reserve(data.len() + 20);
    put_hex(data.len() as u64, dst);
    dst.put_slice(b"\r\n");
    dst.put_slice(data);
    dst.put_slice(b"\r\n");
}

/// Writes the last chunk and trailer section. Framing and routing fields
/// are left out of trailers (RFC 9110 §6.5.1).
pub fn encode_last_chunk(trailers: Option<&Headers>, dst: &mut BytesMut) {
    dst.put_slice(b"0\r\n");
    if let Some(trailers) = trailers {
        dst.reserve(fields_len(trailers));
        for (name, value) in trailers.iter() {
            if !name.eq_ignore_ascii_case(b"host") {
                put_field(name, value, dst);
            }
        }
    }
    dst.put_slice(b"\r\n");
}

fn fields_len(headers: &Headers) -> usize {
    headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 4)
        .sum::<usize>()
        + 32
}

fn put_fields(headers: &Headers, dst: &mut BytesMut) {
    for (name, value) in headers.iter() {
        put_field(name, value, dst);
    }
}

/// Writes `name: value` unless it is a framing field or invalid.
fn put_field(name: &[u8], value: &[u8], dst: &mut BytesMut) {
    let framing = name.eq_ignore_ascii_case(b"content-length")
        || name.eq_ignore_ascii_case(b"transfer-encoding");
    if framing || !is_token(name) || !value.iter().all(|&b| is_field_value_byte(b)) {
        return;
    }
    dst.put_slice(name);
    dst.put_slice(b": ");
    dst.put_slice(value);
    dst.put_slice(b"\r\n");
}

fn put_filtered(dst: &mut BytesMut, bytes: &[u8], keep: impl Fn(u8) -> bool) {
    if bytes.iter().all(|&b| keep(b)) {
        dst.put_slice(bytes);
    } else {
        bytes
            .iter()
            .filter(|&&b| keep(b))
            .for_each(|&b| dst.put_u8(b));
    }
}

fn put_content_length(n: u64, dst: &mut BytesMut) {
    dst.put_slice(b"content-length: ");
    put_decimal(n, dst);
    dst.put_slice(b"\r\n");
}

fn put_decimal(mut n: u64, dst: &mut BytesMut) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    dst.put_slice(&buf[i..]);
}

fn put_hex(mut n: u64, dst: &mut BytesMut) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n & 0xf) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    dst.put_slice(&buf[i..]);
}

#[cfg(test)]
mod tests;
