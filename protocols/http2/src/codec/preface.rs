//! The client connection preface (RFC 9113 §3.4): 24 fixed octets before the
//! client's first SETTINGS frame.

use bytes::{Buf, BytesMut};

use crate::FrameError;

/// `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`.
pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Outcome of looking at the start of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefaceStatus {
    /// Everything so far matches; more octets are needed.
    NeedMore,
    /// The full preface is present.
    Complete,
    /// Mismatch; §3.4: "Clients and servers MUST treat an invalid connection
    /// preface as a connection error of type PROTOCOL_ERROR."
    Invalid,
}

/// Checker for the client preface.
#[derive(Debug, Clone, Copy, Default)]
pub struct Preface;

impl Preface {
    /// Checks the start of `src` without consuming. A mismatch is reported
    /// as soon as one octet differs, so HTTP/1 traffic is rejected early.
    pub fn check(src: &[u8]) -> PrefaceStatus {
        let n = src.len().min(PREFACE.len());
        if src[..n] != PREFACE[..n] {
            PrefaceStatus::Invalid
        } else if n < PREFACE.len() {
            PrefaceStatus::NeedMore
        } else {
            PrefaceStatus::Complete
        }
    }

    /// Consumes the preface from `src`: `Ok(true)` once consumed,
    /// `Ok(false)` if more octets are needed (nothing consumed).
    pub fn consume(src: &mut BytesMut) -> Result<bool, FrameError> {
        match Self::check(src) {
            PrefaceStatus::NeedMore => Ok(false),
            PrefaceStatus::Invalid => Err(FrameError::InvalidPreface),
            PrefaceStatus::Complete => {
                src.advance(PREFACE.len());
                Ok(true)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(Preface::check(b""), PrefaceStatus::NeedMore);
        assert_eq!(
            Preface::check(b"PRI * HTTP/2.0\r\n"),
            PrefaceStatus::NeedMore
        );
        assert_eq!(Preface::check(PREFACE), PrefaceStatus::Complete);
        assert_eq!(
            Preface::check(b"GET / HTTP/1.1\r\n"),
            PrefaceStatus::Invalid
        );
        assert_eq!(
            Preface::check(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\r"),
            PrefaceStatus::Invalid
        );
    }

    #[test]
    fn consume_leaves_rest() {
        let mut buf = BytesMut::from(&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00"[..]);
        assert_eq!(Preface::consume(&mut buf), Ok(true));
        assert_eq!(&buf[..], b"\x00\x00");
        let mut short = BytesMut::from(&b"PRI *"[..]);
        assert_eq!(Preface::consume(&mut short), Ok(false));
        assert_eq!(short.len(), 5);
        let mut bad = BytesMut::from(&b"PRX"[..]);
        assert_eq!(Preface::consume(&mut bad), Err(FrameError::InvalidPreface));
    }
}
