//! GOAWAY frames (RFC 9113 §6.8).
//!
//! ```text
//! GOAWAY Frame {
//!   Length (24), Type (8) = 0x07, Unused Flags (8),
//!   Reserved (1), Stream Identifier (31) = 0,
//!   Reserved (1), Last-Stream-ID (31),
//!   Error Code (32),
//!   Additional Debug Data (..),
//! }
//! ```

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{Flags, Head, Kind, Reason, StreamId};
use crate::FrameError;

/// Fixed part of the payload: Last-Stream-ID and Error Code.
const GOAWAY_FIXED_LEN: usize = 8;

/// A GOAWAY frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoAway {
    /// Highest stream the sender might have processed.
    pub last_stream_id: StreamId,
    /// Why the connection is closing (§7).
    pub error_code: Reason,
    /// Opaque diagnostic data, not to be interpreted (§6.8).
    pub debug_data: Bytes,
}

impl GoAway {
    /// A GOAWAY without debug data.
    pub fn new(last_stream_id: StreamId, error_code: Reason) -> Self {
        GoAway {
            last_stream_id,
            error_code,
            debug_data: Bytes::new(),
        }
    }

    /// Decodes a GOAWAY payload.
    pub fn decode(head: Head, mut payload: Bytes) -> Result<Self, FrameError> {
        // §6.8: "An endpoint MUST treat a GOAWAY frame with a stream
        // identifier other than 0x00 as a connection error of type
        // PROTOCOL_ERROR."
        super::require_connection(&head)?;
        // §4.2: too small to contain Last-Stream-ID and Error Code, and it
        // concerns the connection -> connection FRAME_SIZE_ERROR.
        if payload.len() < GOAWAY_FIXED_LEN {
            return Err(super::bad_size(&head));
        }
        // The reserved bit before Last-Stream-ID is ignored like §4.1's.
        let last_stream_id = StreamId::new(payload.get_u32());
        let error_code = Reason::new(payload.get_u32());
        Ok(GoAway {
            last_stream_id,
            error_code,
            debug_data: payload,
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        let len = GOAWAY_FIXED_LEN + self.debug_data.len();
        Head::encode(Kind::GoAway, Flags(0), StreamId::ZERO, len, dst);
        dst.put_u32(self.last_stream_id.value());
        dst.put_u32(self.error_code.code());
        dst.extend_from_slice(&self.debug_data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<GoAway, FrameError> {
        GoAway::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn round_trip_with_debug_data() {
        // len 11, GOAWAY, stream 0, last stream 7, ENHANCE_YOUR_CALM, "bye"
        let raw: &[u8] = b"\x00\x00\x0b\x07\x00\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x00\x0bbye";
        let g = parse(raw).unwrap();
        assert_eq!(g.last_stream_id, StreamId::new(7));
        assert_eq!(g.error_code, Reason::ENHANCE_YOUR_CALM);
        assert_eq!(&g.debug_data[..], b"bye");
        let mut out = BytesMut::new();
        g.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn reserved_bit_ignored() {
        // last stream id with the reserved bit set
        let g =
            parse(b"\x00\x00\x08\x07\x00\x00\x00\x00\x00\x80\x00\x00\x01\x00\x00\x00\x00").unwrap();
        assert_eq!(g, GoAway::new(StreamId::new(1), Reason::NO_ERROR));
    }

    #[test]
    fn non_zero_stream() {
        assert_eq!(
            parse(b"\x00\x00\x08\x07\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"),
            Err(FrameError::StreamIdForbidden { kind: Kind::GoAway })
        );
    }

    #[test]
    fn too_short() {
        // len 7, GOAWAY, stream 0
        assert_eq!(
            parse(b"\x00\x00\x07\x07\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00"),
            Err(FrameError::BadFrameSize {
                kind: Kind::GoAway,
                length: 7
            })
        );
    }
}
