//! Request methods (RFC 9110 §9).

use bytes::Bytes;

/// A request method. Methods are case-sensitive (RFC 9110 §9.1), so `get`
/// is [`Method::Other`], not [`Method::Get`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Options,
    Patch,
    Trace,
    Connect,
    /// Any other token; the decoder guarantees it is a valid token.
    Other(Bytes),
}

impl Method {
    /// Classifies an already validated method token.
    pub(crate) fn from_token(token: Bytes) -> Method {
        match &token[..] {
            b"GET" => Method::Get,
            b"HEAD" => Method::Head,
            b"POST" => Method::Post,
            b"PUT" => Method::Put,
            b"DELETE" => Method::Delete,
            b"OPTIONS" => Method::Options,
            b"PATCH" => Method::Patch,
            b"TRACE" => Method::Trace,
            b"CONNECT" => Method::Connect,
            _ => Method::Other(token),
        }
    }

    /// The method name. An `Other` built by hand from non-UTF-8 bytes
    /// yields `""`; decoded methods are always ASCII tokens.
    pub fn as_str(&self) -> &str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Connect => "CONNECT",
            Method::Other(b) => std::str::from_utf8(b).unwrap_or(""),
        }
    }

    /// The method name as sent on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Method::Other(b) => b,
            known => known.as_str().as_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_other() {
        assert_eq!(Method::from_token(Bytes::from_static(b"GET")), Method::Get);
        // Case matters: "get" is an extension method, not GET.
        let m = Method::from_token(Bytes::from_static(b"get"));
        assert_eq!(m, Method::Other(Bytes::from_static(b"get")));
        assert_eq!(m.as_str(), "get");
        assert_eq!(Method::Connect.as_bytes(), b"CONNECT");
        assert_eq!(Method::Other(Bytes::from_static(b"\xff")).as_str(), "");
    }
}
