//! Connection options and persistence (RFC 9112 §9.3, RFC 9110 §7.6.1).

use crate::syntax::{is_token, list_members};
use crate::{Error, Headers, Version};

/// Whether the connection stays open after this message.
pub(crate) fn keep_alive(headers: &Headers, version: Version) -> Result<bool, Error> {
    let mut close = false;
    let mut keep = false;
    for value in headers.get_all("connection") {
        for option in list_members(value) {
            // Empty list members MUST be tolerated (RFC 9110 §5.6.1).
            if option.is_empty() {
                continue;
            }
            if !is_token(option) {
                return Err(Error::BadConnection);
            }
            // A hop-by-hop framing or routing field would be stripped by a
            // proxy (RFC 9110 §7.6.1), leaving the next hop a different
            // message than the one we framed: refuse it outright.
            if [&b"host"[..], b"content-length", b"transfer-encoding"]
                .iter()
                .any(|f| option.eq_ignore_ascii_case(f))
            {
                return Err(Error::BadConnection);
            }
            close |= option.eq_ignore_ascii_case(b"close");
            keep |= option.eq_ignore_ascii_case(b"keep-alive");
        }
    }
    // RFC 9112 §9.3: close always wins; HTTP/1.1 persists by default;
    // HTTP/1.0 only with keep-alive.
    Ok(!close && (version == Version::Http11 || keep))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ka(version: Version, conn: Option<&'static str>) -> Result<bool, Error> {
        let mut h = Headers::new();
        if let Some(v) = conn {
            h.push("Connection", v);
        }
        keep_alive(&h, version)
    }

    #[test]
    fn persistence_rules() {
        assert_eq!(ka(Version::Http11, None), Ok(true));
        assert_eq!(ka(Version::Http11, Some("close")), Ok(false));
        assert_eq!(ka(Version::Http11, Some("Upgrade, CLOSE")), Ok(false));
        assert_eq!(ka(Version::Http10, None), Ok(false));
        assert_eq!(ka(Version::Http10, Some("Keep-Alive")), Ok(true));
        assert_eq!(ka(Version::Http10, Some("keep-alive, close")), Ok(false));
        assert_eq!(ka(Version::Http11, Some(" , keep-alive,")), Ok(true));
    }

    #[test]
    fn framing_fields_refused() {
        for v in ["Content-Length", "transfer-encoding", "close, Host"] {
            assert_eq!(
                ka(Version::Http11, Some(v)),
                Err(Error::BadConnection),
                "{v}"
            );
        }
        assert_eq!(ka(Version::Http11, Some("a b")), Err(Error::BadConnection));
    }
}
