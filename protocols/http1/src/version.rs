//! The two protocol versions this codec speaks (RFC 9112 §2.3).

/// HTTP/1.0 or HTTP/1.1. Anything else is refused at decode time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    Http10,
    Http11,
}

impl Version {
    /// The version as written in a start line.
    pub fn as_bytes(&self) -> &'static [u8; 8] {
        match self {
            Version::Http10 => b"HTTP/1.0",
            Version::Http11 => b"HTTP/1.1",
        }
    }

    /// Parses the 8-byte version token. Any other well-formed `HTTP/d.d`
    /// is [`Error::UnsupportedVersion`](crate::Error) (answered 505).
    pub(crate) fn parse(raw: &[u8]) -> Result<Version, crate::Error> {
        match raw {
            b"HTTP/1.1" => Ok(Version::Http11),
            b"HTTP/1.0" => Ok(Version::Http10),
            [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
                if major.is_ascii_digit() && minor.is_ascii_digit() =>
            {
                Err(crate::Error::UnsupportedVersion)
            }
            _ => Err(crate::Error::BadVersion),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn parse_versions() {
        assert_eq!(Version::parse(b"HTTP/1.1"), Ok(Version::Http11));
        assert_eq!(Version::parse(b"HTTP/1.0"), Ok(Version::Http10));
        assert_eq!(Version::parse(b"HTTP/2.0"), Err(Error::UnsupportedVersion));
        assert_eq!(Version::parse(b"HTTP/1.10"), Err(Error::BadVersion));
        // Version names are case-sensitive (RFC 9112 §2.3).
        assert_eq!(Version::parse(b"http/1.1"), Err(Error::BadVersion));
    }
}
