//! Message encodings (`grpc-encoding`, `grpc-accept-encoding`).

use bytes::Bytes;

use crate::status::Status;

/// Header naming the encoding of compressed messages on a stream.
pub const GRPC_ENCODING: &str = "grpc-encoding";
/// Header listing the encodings a peer can decode.
pub const GRPC_ACCEPT_ENCODING: &str = "grpc-accept-encoding";

/// What this crate can decode, as sent in `grpc-accept-encoding`.
const SUPPORTED: &str = "identity,gzip";

/// A message encoding this crate implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// No compression; a compressed-flag message is then a protocol error.
    #[default]
    Identity,
    /// gzip (RFC 1952), inflated with an output cap.
    Gzip,
}

impl Encoding {
    /// The token used in `grpc-encoding`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
        }
    }

    /// Parses a `grpc-encoding` value (surrounding spaces ignored, ASCII
    /// case-insensitive). Anything else is `UNIMPLEMENTED` naming what is
    /// supported; the server should also send
    /// [`Encoding::accept_encoding_header`] with that status.
    pub fn from_header(value: &[u8]) -> Result<Encoding, Status> {
        let token = value.trim_ascii();
        if token.eq_ignore_ascii_case(b"identity") {
            Ok(Encoding::Identity)
        } else if token.eq_ignore_ascii_case(b"gzip") {
            Ok(Encoding::Gzip)
        } else {
            Err(Status::unimplemented(format!(
                "grpc-encoding {:?} is not supported; supported: {SUPPORTED}",
                String::from_utf8_lossy(token)
            )))
        }
    }

    /// The encoding of a stream given its optional `grpc-encoding` header:
    /// absent means identity.
    pub fn from_optional_header(value: Option<&[u8]>) -> Result<Encoding, Status> {
        value.map_or(Ok(Encoding::Identity), Encoding::from_header)
    }

    /// `("grpc-accept-encoding", "identity,gzip")`.
    pub fn accept_encoding_header() -> (Bytes, Bytes) {
        (
            Bytes::from_static(GRPC_ACCEPT_ENCODING.as_bytes()),
            Bytes::from_static(SUPPORTED.as_bytes()),
        )
    }

    /// Whether a peer's `grpc-accept-encoding` list (comma-separated
    /// tokens) includes this encoding; identity is always acceptable.
    pub fn accepted_by(self, accept_encoding: &[u8]) -> bool {
        self == Encoding::Identity
            || accept_encoding.split(|&b| b == b',').any(|t| {
                t.trim_ascii()
                    .eq_ignore_ascii_case(self.as_str().as_bytes())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;

    #[test]
    fn parses_known_tokens() {
        assert_eq!(Encoding::from_header(b"gzip"), Ok(Encoding::Gzip));
        assert_eq!(Encoding::from_header(b" GZip "), Ok(Encoding::Gzip));
        assert_eq!(Encoding::from_header(b"identity"), Ok(Encoding::Identity));
        assert_eq!(Encoding::from_optional_header(None), Ok(Encoding::Identity));
    }

    #[test]
    fn unknown_is_unimplemented_and_names_supported() {
        let err = Encoding::from_header(b"br").unwrap_err();
        assert_eq!(err.code, Code::Unimplemented);
        assert!(err.message.contains("\"br\""), "{}", err.message);
        assert!(err.message.contains("identity,gzip"), "{}", err.message);
        assert!(Encoding::from_header(b"deflate").is_err());
        assert!(Encoding::from_header(b"").is_err());
    }

    #[test]
    fn accept_encoding() {
        let (name, value) = Encoding::accept_encoding_header();
        assert_eq!(
            (&name[..], &value[..]),
            (&b"grpc-accept-encoding"[..], &b"identity,gzip"[..])
        );
        assert!(Encoding::Gzip.accepted_by(b"deflate, gzip"));
        assert!(!Encoding::Gzip.accepted_by(b"deflate,snappy"));
        assert!(Encoding::Identity.accepted_by(b""));
    }
}
