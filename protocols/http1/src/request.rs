//! Request heads: the request line (RFC 9112 §3) and the request-specific
//! field rules (Host, framing, persistence, Expect).

#[cfg(test)]
mod tests;

use std::ops::Range;

use bytes::{Bytes, BytesMut};

use crate::scan::{BlockLimits, BlockScanner};
use crate::syntax::{is_ows, is_token};
use crate::{connection, framing, BodyKind, Error, Headers, Limits, Method, Version};

/// A request line and its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: Method,
    /// The request-target exactly as sent (origin, absolute, authority or
    /// asterisk form); guaranteed free of whitespace, controls and `#`.
    pub target: Bytes,
    pub version: Version,
    pub headers: Headers,
}

/// A decoded request head plus what the connection needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub head: RequestHead,
    /// How to read the body; feed it to a [`BodyDecoder`](crate::BodyDecoder).
    pub body: BodyKind,
    /// Whether the connection may carry another request after this one.
    pub keep_alive: bool,
    /// `Expect: 100-continue` on an HTTP/1.1 request (RFC 9110 §10.1.1
    /// says to ignore it on HTTP/1.0).
    pub expect_continue: bool,
}

/// Decodes request heads from a connection's read buffer, one at a time.
#[derive(Debug)]
pub struct RequestDecoder {
    limits: Limits,
    scanner: BlockScanner,
}

impl RequestDecoder {
    pub fn new(limits: Limits) -> RequestDecoder {
        RequestDecoder {
            limits,
            scanner: BlockScanner::new(true),
        }
    }

    /// The limits this decoder enforces.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// `Ok(None)`: the head is incomplete; nothing was consumed, append
    /// more bytes to `src` (and only append) and call again. `Ok(Some)`:
    /// exactly the head was split off `src`; the body, if any, follows.
    /// After an error the connection should be answered and closed.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Request>, Error> {
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
        let request = build(&self.scanner, &block);
        self.scanner.reset();
        request.map(Some)
    }
}

fn build(scanner: &BlockScanner, block: &Bytes) -> Result<Request, Error> {
    let line = scanner.start_line().ok_or(Error::BadStartLine)?;
    let (method, target, version) = parse_request_line(block, line)?;
    let headers = scanner.headers(block);
    check_host(&headers, version)?;
    let keep_alive = connection::keep_alive(&headers, version)?;
    // RFC 9112 §6.3 item 7: a request with neither field has no body.
    let body = framing::body_kind(&headers, version)?.unwrap_or(BodyKind::Empty);
    let expect_continue = version == Version::Http11
        && headers
            .get_all("expect")
            .any(|v| v.eq_ignore_ascii_case(b"100-continue"));
    Ok(Request {
        head: RequestHead {
            method,
            target,
            version,
            headers,
        },
        body,
        keep_alive,
        expect_continue,
    })
}

/// `method SP request-target SP HTTP-version`, single spaces only: RFC
/// 9112 §3 permits lenient whitespace parsing but strictness keeps us in
/// step with whoever is in front of or behind us.
fn parse_request_line(
    block: &Bytes,
    line: Range<usize>,
) -> Result<(Method, Bytes, Version), Error> {
    let raw = block.get(line.clone()).ok_or(Error::BadStartLine)?;
    let (Some(first), Some(last)) = (
        raw.iter().position(|&b| b == b' '),
        raw.iter().rposition(|&b| b == b' '),
    ) else {
        return Err(Error::BadStartLine);
    };
    if first == last {
        return Err(Error::BadStartLine);
    }
    // RFC 9110 §9.1: method = token.
    if !is_token(&raw[..first]) {
        return Err(Error::BadMethod);
    }
    let target = &raw[first + 1..last];
    // RFC 9112 §3.2: none of the four target forms has whitespace or a
    // fragment, and URI characters (RFC 3986 §2) are all visible ASCII.
    if target.is_empty()
        || target
            .iter()
            .any(|&b| !(b'!'..=b'~').contains(&b) || b == b'#')
    {
        return Err(Error::BadTarget);
    }
    let version = Version::parse(&raw[last + 1..])?;
    let at = line.start;
    Ok((
        Method::from_token(block.slice(at..at + first)),
        block.slice(at + first + 1..at + last),
        version,
    ))
}

/// RFC 9112 §3.2: an HTTP/1.1 request lacking Host, or any request with
/// more than one Host line or an invalid value, MUST get 400.
fn check_host(headers: &Headers, version: Version) -> Result<(), Error> {
    match headers.count("host") {
        0 if version == Version::Http11 => Err(Error::MissingHost),
        0 => Ok(()),
        1 => {
            // uri-host [":" port] never holds whitespace or a comma; a list
            // here would let two hops route to different hosts.
            let host = headers.get("host").unwrap_or_default();
            if host.iter().any(|&b| b == b',' || is_ows(b)) {
                Err(Error::BadHost)
            } else {
                Ok(())
            }
        }
        _ => Err(Error::DuplicateHost),
    }
}
