//! PING frames (RFC 9113 §6.7).
//!
//! ```text
//! PING Frame {
//!   Length (24) = 0x08, Type (8) = 0x06,
//!   Unused Flags (7), ACK Flag (1),
//!   Reserved (1), Stream Identifier (31) = 0,
//!   Opaque Data (64),
//! }
//! ```

use bytes::{Bytes, BytesMut};

use super::{Flags, Head, Kind, StreamId};
use crate::FrameError;

/// Size of the opaque data.
pub const PING_PAYLOAD_LEN: usize = 8;

/// A PING frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping {
    /// ACK: this is the response to a PING.
    pub ack: bool,
    /// Opaque data, echoed back unchanged in the ACK.
    pub payload: [u8; PING_PAYLOAD_LEN],
}

impl Ping {
    /// A PING request.
    pub fn new(payload: [u8; PING_PAYLOAD_LEN]) -> Self {
        Ping {
            ack: false,
            payload,
        }
    }

    /// §6.7: "Receivers of a PING frame that does not include an ACK flag
    /// MUST send a PING frame with the ACK flag set in response, with an
    /// identical frame payload."
    pub fn pong(payload: [u8; PING_PAYLOAD_LEN]) -> Self {
        Ping { ack: true, payload }
    }

    /// Decodes a PING payload.
    pub fn decode(head: Head, payload: Bytes) -> Result<Self, FrameError> {
        // §6.7: "If a PING frame is received with a Stream Identifier field
        // value other than 0x00, the recipient MUST respond with a connection
        // error of type PROTOCOL_ERROR."
        super::require_connection(&head)?;
        // §6.7: "Receipt of a PING frame with a length field value other than
        // 8 MUST be treated as a connection error of type FRAME_SIZE_ERROR."
        let data: [u8; PING_PAYLOAD_LEN] =
            payload[..].try_into().map_err(|_| super::bad_size(&head))?;
        Ok(Ping {
            ack: head.flags.contains(Flags::ACK),
            payload: data,
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        let flags = Flags::from_pairs(&[(Flags::ACK, self.ack)]);
        Head::encode(Kind::Ping, flags, StreamId::ZERO, PING_PAYLOAD_LEN, dst);
        dst.extend_from_slice(&self.payload);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<Ping, FrameError> {
        Ping::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn ack_round_trip() {
        // len 8, PING, ACK, stream 0, "12345678"
        let raw: &[u8] = b"\x00\x00\x08\x06\x01\x00\x00\x00\x0012345678";
        let p = parse(raw).unwrap();
        assert_eq!(p, Ping::pong(*b"12345678"));
        let mut out = BytesMut::new();
        p.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn non_zero_stream() {
        // len 8, PING, stream 1
        assert_eq!(
            parse(b"\x00\x00\x08\x06\x00\x00\x00\x00\x0112345678"),
            Err(FrameError::StreamIdForbidden { kind: Kind::Ping })
        );
    }

    #[test]
    fn wrong_length() {
        // len 7, PING, stream 0
        assert_eq!(
            parse(b"\x00\x00\x07\x06\x00\x00\x00\x00\x001234567"),
            Err(FrameError::BadFrameSize {
                kind: Kind::Ping,
                length: 7
            })
        );
    }
}
