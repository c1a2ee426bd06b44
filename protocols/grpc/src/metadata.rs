//! Custom metadata: which header fields are the application's, and how
//! their values are carried (`PROTOCOL-HTTP2.md`, "Custom-Metadata").
//!
//! Keys are lower-case `0-9 a-z _ - .`; keys ending in `-bin` carry
//! arbitrary bytes as base64 (padded or not on receipt, unpadded when sent,
//! several values may be comma-joined in one field); other values are
//! printable ASCII (0x20–0x7E).
//!
//! Reserved fields belong to the transport and never appear in
//! [`Metadata`]: pseudo-headers (`:path` …), `te`, `content-type`,
//! HTTP/2 connection-specific fields, and every `grpc-*` field except the
//! tracing ones an application may set (`grpc-trace-bin`, `grpc-tags-bin`).
//! `user-agent` is special: received, it is shown to the application (it
//! identifies the client library); sent, it is dropped, because the
//! transport writes its own.

mod map;

use bytes::Bytes;
use thiserror::Error;

use crate::base64::{self, Base64Error};

pub use map::Metadata;

/// `grpc-*` fields an application may set and see.
const APP_GRPC_KEYS: [&[u8]; 2] = [b"grpc-trace-bin", b"grpc-tags-bin"];

/// Fields owned by the transport (besides `:`-pseudo and `grpc-*`).
const TRANSPORT_KEYS: [&[u8]; 7] = [
    b"te",
    b"content-type",
    b"connection",
    b"keep-alive",
    b"proxy-connection",
    b"transfer-encoding",
    b"upgrade",
];

/// Why metadata was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MetadataError {
    /// The key has bytes outside `0-9 a-z _ - .` or is empty.
    #[error("invalid metadata key {0:?}")]
    InvalidKey(String),
    /// The key belongs to the transport.
    #[error("metadata key {0:?} is reserved")]
    ReservedKey(String),
    /// An ASCII value with bytes outside 0x20–0x7E.
    #[error("metadata value for {0:?} is not printable ASCII")]
    InvalidAsciiValue(String),
    /// A `-bin` value that is not base64.
    #[error("metadata value for {key:?} is not base64: {source}")]
    InvalidBinaryValue {
        /// The offending key.
        key: String,
        /// What the base64 decoder said.
        source: Base64Error,
    },
}

/// Whether the field belongs to the transport. `user-agent` is not
/// reserved here (see the module docs).
pub fn is_reserved(name: &[u8]) -> bool {
    if name.starts_with(b":") || TRANSPORT_KEYS.contains(&name) {
        return true;
    }
    name.starts_with(b"grpc-") && !APP_GRPC_KEYS.contains(&name)
}

/// Whether the key ends in `-bin` (a binary value, base64 on the wire).
pub fn is_binary_key(name: &[u8]) -> bool {
    name.ends_with(b"-bin")
}

/// Whether the key matches the spec's `1*( %x30-39 / %x61-7A / "_" / "-" / ".")`.
pub fn is_valid_key(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_digit() || b.is_ascii_lowercase() || b"_-.".contains(&b))
}

/// Whether an ASCII value is all printable (0x20–0x7E).
pub fn is_valid_ascii_value(value: &[u8]) -> bool {
    value.iter().all(|&b| (0x20..=0x7e).contains(&b))
}

/// Encodes a binary value for the wire (unpadded base64).
pub fn encode_binary_value(value: &[u8]) -> Bytes {
    base64::encode(value)
}

/// Decodes one `-bin` field: each comma-separated element is a separate
/// base64 value (spaces around elements are ignored).
pub fn decode_binary_value(key: &[u8], value: &[u8]) -> Result<Vec<Bytes>, MetadataError> {
    value
        .split(|&b| b == b',')
        .map(|part| {
            base64::decode(part.trim_ascii()).map_err(|source| MetadataError::InvalidBinaryValue {
                key: lossy(key),
                source,
            })
        })
        .collect()
}

pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names() {
        for name in [
            &b":path"[..],
            b":authority",
            b"te",
            b"content-type",
            b"grpc-timeout",
            b"grpc-encoding",
            b"grpc-accept-encoding",
            b"grpc-status",
            b"grpc-message",
            b"grpc-status-details-bin",
            b"connection",
        ] {
            assert!(is_reserved(name), "{name:?}");
        }
        for name in [
            &b"user-agent"[..],
            b"grpc-trace-bin",
            b"grpc-tags-bin",
            b"authorization",
            b"x-request-id",
            b"grpcx",
        ] {
            assert!(!is_reserved(name), "{name:?}");
        }
    }

    #[test]
    fn key_syntax() {
        assert!(is_valid_key(b"x-user_id.v2-bin"));
        assert!(!is_valid_key(b""));
        assert!(!is_valid_key(b"X-Upper"));
        assert!(!is_valid_key(b"sp ace"));
        assert!(!is_valid_key(b"colon:"));
        assert!(is_binary_key(b"trace-bin"));
        assert!(!is_binary_key(b"binary"));
    }

    #[test]
    fn ascii_values() {
        assert!(is_valid_ascii_value(b"Bearer abc ~"));
        assert!(is_valid_ascii_value(b""));
        assert!(!is_valid_ascii_value(b"tab\there"));
        assert!(!is_valid_ascii_value("caf\u{e9}".as_bytes()));
        assert!(!is_valid_ascii_value(b"\x7f"));
    }

    #[test]
    fn binary_values_padded_unpadded_and_joined() {
        let one = decode_binary_value(b"k-bin", b"AAEC").unwrap();
        assert_eq!(one, vec![Bytes::from_static(b"\x00\x01\x02")]);
        let got = decode_binary_value(b"k-bin", b"Zg==, Zm8").unwrap();
        assert_eq!(
            got,
            vec![Bytes::from_static(b"f"), Bytes::from_static(b"fo")]
        );
        assert_eq!(
            decode_binary_value(b"k-bin", b"").unwrap(),
            vec![Bytes::new()]
        );
        assert!(matches!(
            decode_binary_value(b"k-bin", b"@@@@"),
            Err(MetadataError::InvalidBinaryValue { .. })
        ));
        assert_eq!(&encode_binary_value(b"\x00\x01\x02\x03")[..], b"AAECAw");
    }
}
