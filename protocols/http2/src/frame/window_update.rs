//! WINDOW_UPDATE frames (RFC 9113 §6.9).
//!
//! ```text
//! WINDOW_UPDATE Frame {
//!   Length (24) = 0x04, Type (8) = 0x08, Unused Flags (8),
//!   Reserved (1), Stream Identifier (31),
//!   Reserved (1), Window Size Increment (31),
//! }
//! ```

use bytes::{BufMut, Bytes, BytesMut};

use super::{Flags, Head, Kind, StreamId};
use crate::FrameError;

/// A WINDOW_UPDATE frame; stream 0 updates the connection window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowUpdate {
    /// Stream whose window grows, or 0 for the connection.
    pub stream_id: StreamId,
    /// Increment in [1, 2^31-1].
    pub increment: u32,
}

impl WindowUpdate {
    /// A WINDOW_UPDATE frame.
    pub fn new(stream_id: StreamId, increment: u32) -> Self {
        WindowUpdate {
            stream_id,
            increment,
        }
    }

    /// Decodes a WINDOW_UPDATE payload. Any stream id is valid here.
    pub fn decode(head: Head, payload: Bytes) -> Result<Self, FrameError> {
        // §6.9: "A WINDOW_UPDATE frame with a length other than 4 octets MUST
        // be treated as a connection error of type FRAME_SIZE_ERROR."
        let raw: [u8; 4] = payload[..].try_into().map_err(|_| super::bad_size(&head))?;
        // §6.9: the reserved bit is ignored, leaving a 31-bit increment.
        let increment = u32::from_be_bytes(raw) & 0x7fff_ffff;
        // §6.9: "A receiver MUST treat the receipt of a WINDOW_UPDATE frame
        // with a flow-control window increment of 0 as a stream error of type
        // PROTOCOL_ERROR; errors on the connection flow-control window MUST be
        // treated as a connection error."
        if increment == 0 {
            return Err(if head.stream_id.is_zero() {
                FrameError::ZeroWindowIncrementConnection
            } else {
                FrameError::ZeroWindowIncrement {
                    stream_id: head.stream_id,
                }
            });
        }
        Ok(WindowUpdate {
            stream_id: head.stream_id,
            increment,
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        Head::encode(Kind::WindowUpdate, Flags(0), self.stream_id, 4, dst);
        dst.put_u32(self.increment & 0x7fff_ffff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<WindowUpdate, FrameError> {
        WindowUpdate::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn round_trip() {
        // len 4, WINDOW_UPDATE, stream 3, increment 65536
        let raw: &[u8] = b"\x00\x00\x04\x08\x00\x00\x00\x00\x03\x00\x01\x00\x00";
        let w = parse(raw).unwrap();
        assert_eq!(w, WindowUpdate::new(StreamId::new(3), 65536));
        let mut out = BytesMut::new();
        w.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn reserved_bit_ignored() {
        // increment with the reserved bit set: 0x80000001 -> 1
        let w = parse(b"\x00\x00\x04\x08\x00\x00\x00\x00\x00\x80\x00\x00\x01").unwrap();
        assert_eq!(w, WindowUpdate::new(StreamId::ZERO, 1));
    }

    #[test]
    fn wrong_length() {
        // len 5
        assert_eq!(
            parse(b"\x00\x00\x05\x08\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00"),
            Err(FrameError::BadFrameSize {
                kind: Kind::WindowUpdate,
                length: 5
            })
        );
    }

    #[test]
    fn zero_increment_connection() {
        // stream 0, increment 0 (reserved bit only)
        let e = parse(b"\x00\x00\x04\x08\x00\x00\x00\x00\x00\x80\x00\x00\x00").unwrap_err();
        assert_eq!(e, FrameError::ZeroWindowIncrementConnection);
        assert!(e.is_connection_error());
    }

    #[test]
    fn zero_increment_stream() {
        // stream 1, increment 0
        let e = parse(b"\x00\x00\x04\x08\x00\x00\x00\x00\x01\x00\x00\x00\x00").unwrap_err();
        assert_eq!(
            e,
            FrameError::ZeroWindowIncrement {
                stream_id: StreamId::new(1)
            }
        );
        assert!(!e.is_connection_error());
    }
}
