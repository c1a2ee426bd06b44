//! Response heads: the status line (RFC 9112 §4) and response framing,
//! which depends on the request method (RFC 9112 §6.3).

#[cfg(test)]
mod tests;

use std::ops::Range;

use bytes::{Bytes, BytesMut};

use crate::scan::{BlockLimits, BlockScanner};
use crate::syntax::is_field_value_byte;
use crate::{connection, framing, BodyKind, Error, Headers, Limits, Method, Version};

/// A status line and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub version: Version,
    /// Three digits, 100..=999.
    pub status: u16,
    /// The reason phrase as sent (possibly empty); carries no meaning.
    pub reason: Bytes,
    pub headers: Headers,
}

/// A decoded response head plus how to read what follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub head: ResponseHead,
    pub body: BodyKind,
    /// False for close-delimited bodies and per the Connection rules.
    pub keep_alive: bool,
}

/// Decodes response heads from an upstream connection's read buffer.
#[derive(Debug)]
pub struct ResponseDecoder {
    limits: Limits,
    scanner: BlockScanner,
}

impl ResponseDecoder {
    pub fn new(limits: Limits) -> ResponseDecoder {
        ResponseDecoder {
            limits,
            scanner: BlockScanner::new(true),
        }
    }

    /// The limits this decoder enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Same contract as [`RequestDecoder::decode`](crate::RequestDecoder::decode).
    /// `request_method` is the method of the request this answers: a
    /// response to HEAD never has a body, whatever its fields say. A 1xx
    /// response is returned like any other; the final one follows it.
    pub fn decode(
        &mut self,
        src: &mut BytesMut,
        request_method: &Method,
    ) -> Result<Option<Response>, Error> {
        let lim = BlockLimits {
            start_line: self.limits.max_request_line,
            field_line: self.limits.max_field_line,
            total: self.limits.max_head,
            count: self.limits.max_headers,
            too_large: Error::HeadTooLarge,
        };
        let len = match self.scanner.scan(src, &lim) {
            Ok(Some(len)) => len,
            Ok(None) => return Ok(None),
            Err(e) => {
                self.scanner.reset();
                return Err(e);
            }
        };
        let block = src.split_to(len).freeze();
        let response = build(&self.scanner, &block, request_method);
        self.scanner.reset();
        response.map(Some)
    }
}

fn build(scanner: &BlockScanner, block: &Bytes, method: &Method) -> Result<Response, Error> {
    let line = scanner.start_line().ok_or(Error::BadStartLine)?;
    let (version, status, reason) = parse_status_line(block, line)?;
    let headers = scanner.headers(block);
    let persistent = connection::keep_alive(&headers, version)?;
    let body = if has_no_body(method, status) {
        BodyKind::Empty
    } else {
        // RFC 9112 §6.3 item 8: neither field means read until close.
        framing::body_kind(&headers, version)?.unwrap_or(BodyKind::CloseDelimited)
    };
    Ok(Response {
        head: ResponseHead {
            version,
            status,
            reason,
            headers,
        },
        keep_alive: persistent && body != BodyKind::CloseDelimited,
        body,
    })
}

/// RFC 9112 §6.3 items 1 and 2: responses to HEAD, 1xx, 204 and 304 end
/// at the head; a 2xx to CONNECT turns the connection into a tunnel, so
/// no body is framed either (the caller switches to raw bytes).
fn has_no_body(method: &Method, status: u16) -> bool {
    matches!(method, Method::Head)
        || (100..200).contains(&status)
        || status == 204
        || status == 304
        || (matches!(method, Method::Connect) && (200..300).contains(&status))
}

/// `HTTP-version SP 3DIGIT SP [reason-phrase]`. The SP before an empty
/// reason is optional here: many servers omit it and it carries nothing.
fn parse_status_line(block: &Bytes, line: Range<usize>) -> Result<(Version, u16, Bytes), Error> {
    let raw = block.get(line.clone()).ok_or(Error::BadStartLine)?;
    let version = Version::parse(raw.get(..8).ok_or(Error::BadStartLine)?)?;
    let Some((b' ', rest)) = raw.get(8..).and_then(|r| r.split_first()) else {
        return Err(Error::BadStartLine);
    };
    let (code, after) = rest.split_at(rest.len().min(3));
    // RFC 9110 §15: a status code is three digits; the first is the class.
    let status = match code {
        [a @ b'1'..=b'9', b, c] if b.is_ascii_digit() && c.is_ascii_digit() => {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => return Err(Error::BadStatus),
    };
    let reason_start = match after.split_first() {
        None => raw.len(),
        Some((b' ', _)) => 13,
        Some(_) => return Err(Error::BadStatus),
    };
    let reason = &raw[reason_start..];
    // RFC 9112 §4: reason-phrase = *( HTAB / SP / VCHAR / obs-text ).
    if !reason.iter().all(|&b| is_field_value_byte(b)) {
        return Err(Error::BadStatus);
    }
    let at = line.start;
    Ok((
        version,
        status,
        block.slice(at + reason_start..at + raw.len()),
    ))
}
