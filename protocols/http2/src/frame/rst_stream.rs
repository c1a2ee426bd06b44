//! RST_STREAM frames (RFC 9113 §6.4).
//!
//! ```text
//! RST_STREAM Frame {
//!   Length (24) = 0x04, Type (8) = 0x03, Unused Flags (8),
//!   Reserved (1), Stream Identifier (31),
//!   Error Code (32),
//! }
//! ```

use bytes::{BufMut, Bytes, BytesMut};

use super::{Flags, Head, Kind, Reason, StreamId};
use crate::FrameError;

/// A RST_STREAM frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RstStream {
    /// Stream being terminated (never 0).
    pub stream_id: StreamId,
    /// Why (§7); unknown codes are kept.
    pub reason: Reason,
}

impl RstStream {
    /// A RST_STREAM frame.
    pub fn new(stream_id: StreamId, reason: Reason) -> Self {
        RstStream { stream_id, reason }
    }

    /// Decodes a RST_STREAM payload.
    pub fn decode(head: Head, payload: Bytes) -> Result<Self, FrameError> {
        // §6.4: "If a RST_STREAM frame is received with a stream identifier of
        // 0x00, the recipient MUST treat this as a connection error of type
        // PROTOCOL_ERROR."
        super::require_stream(&head)?;
        // §6.4: "A RST_STREAM frame with a length other than 4 octets MUST be
        // treated as a connection error of type FRAME_SIZE_ERROR."
        let code: [u8; 4] = payload[..].try_into().map_err(|_| super::bad_size(&head))?;
        // The idle-stream check (§6.4, connection PROTOCOL_ERROR) needs stream
        // state: see `StreamState::recv_rst`.
        Ok(RstStream {
            stream_id: head.stream_id,
            reason: Reason::new(u32::from_be_bytes(code)),
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        Head::encode(Kind::RstStream, Flags(0), self.stream_id, 4, dst);
        dst.put_u32(self.reason.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<RstStream, FrameError> {
        RstStream::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn round_trip() {
        // len 4, RST_STREAM, stream 1, CANCEL (8)
        let raw: &[u8] = b"\x00\x00\x04\x03\x00\x00\x00\x00\x01\x00\x00\x00\x08";
        let r = parse(raw).unwrap();
        assert_eq!(r, RstStream::new(StreamId::new(1), Reason::CANCEL));
        let mut out = BytesMut::new();
        r.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn unknown_code_kept() {
        // len 4, RST_STREAM, stream 1, code 0x1234
        let r = parse(b"\x00\x00\x04\x03\x00\x00\x00\x00\x01\x00\x00\x12\x34").unwrap();
        assert_eq!(r.reason, Reason::new(0x1234));
    }

    #[test]
    fn stream_zero() {
        assert_eq!(
            parse(b"\x00\x00\x04\x03\x00\x00\x00\x00\x00\x00\x00\x00\x08"),
            Err(FrameError::StreamIdRequired {
                kind: Kind::RstStream
            })
        );
    }

    #[test]
    fn wrong_length() {
        // len 3, RST_STREAM, stream 1
        assert_eq!(
            parse(b"\x00\x00\x03\x03\x00\x00\x00\x00\x01\x00\x00\x08"),
            Err(FrameError::BadFrameSize {
                kind: Kind::RstStream,
                length: 3
            })
        );
    }
}
