//! DATA frames (RFC 9113 §6.1).
//!
//! ```text
//! DATA Frame {
//!   Length (24), Type (8) = 0x00,
//!   Unused Flags (4), PADDED Flag (1), Unused Flags (2), END_STREAM Flag (1),
//!   Reserved (1), Stream Identifier (31),
//!   [Pad Length (8)], Data (..), Padding (..2040),
//! }
//! ```

use bytes::{Bytes, BytesMut};

use super::{padding, Flags, Head, Kind, StreamId};
use crate::FrameError;

/// A DATA frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data {
    /// Stream the data belongs to (never 0).
    pub stream_id: StreamId,
    /// Application data, padding removed.
    pub data: Bytes,
    /// END_STREAM: last frame the sender will send on this stream.
    pub end_stream: bool,
    /// Pad Length when PADDED was set.
    pub pad_len: Option<u8>,
}

impl Data {
    /// An unpadded DATA frame.
    pub fn new(stream_id: StreamId, data: Bytes, end_stream: bool) -> Self {
        Data {
            stream_id,
            data,
            end_stream,
            pad_len: None,
        }
    }

    /// Octets counted against flow control: §6.9.1 says the entire payload,
    /// Pad Length octet and padding included.
    pub fn flow_controlled_len(&self) -> u32 {
        (self.data.len() + padding::overhead(self.pad_len)) as u32
    }

    /// Decodes a DATA payload.
    pub fn decode(head: Head, mut payload: Bytes) -> Result<Self, FrameError> {
        // §6.1: "If a DATA frame is received whose Stream Identifier field is
        // 0x00, the recipient MUST respond with a connection error of type
        // PROTOCOL_ERROR."
        super::require_stream(&head)?;
        // §6.1: padding as long as the payload MUST be a PROTOCOL_ERROR.
        let pad_len = padding::strip(&head, &mut payload)?;
        Ok(Data {
            stream_id: head.stream_id,
            data: payload,
            end_stream: head.flags.contains(Flags::END_STREAM),
            pad_len,
        })
    }

    /// Writes the frame; `data` must fit the peer's SETTINGS_MAX_FRAME_SIZE.
    pub fn encode(&self, dst: &mut BytesMut) {
        let flags = Flags::from_pairs(&[
            (Flags::END_STREAM, self.end_stream),
            (Flags::PADDED, self.pad_len.is_some()),
        ]);
        let len = self.data.len() + padding::overhead(self.pad_len);
        Head::encode(Kind::Data, flags, self.stream_id, len, dst);
        padding::put_pad_len(self.pad_len, dst);
        dst.extend_from_slice(&self.data);
        padding::put_padding(self.pad_len, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Frame;

    fn parse(raw: &'static [u8]) -> Result<Data, FrameError> {
        let head = Head::parse(raw).unwrap();
        Data::decode(head, Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn padded_end_stream() {
        // len 9 (1 + 5 + 3), DATA, PADDED|END_STREAM, stream 1,
        // pad length 3, "hello", three zero padding octets
        let raw: &[u8] = b"\x00\x00\x09\x00\x09\x00\x00\x00\x01\x03hello\x00\x00\x00";
        let d = parse(raw).unwrap();
        assert_eq!(d.stream_id, StreamId::new(1));
        assert_eq!(&d.data[..], b"hello");
        assert!(d.end_stream);
        assert_eq!(d.pad_len, Some(3));
        assert_eq!(d.flow_controlled_len(), 9);
        let mut out = BytesMut::new();
        Frame::from(d).encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn plain_round_trip() {
        let d = Data::new(StreamId::new(5), Bytes::from_static(b"xyz"), false);
        let mut out = BytesMut::new();
        d.encode(&mut out);
        // len 3, DATA, no flags, stream 5, "xyz"
        assert_eq!(&out[..], b"\x00\x00\x03\x00\x00\x00\x00\x00\x05xyz");
        let head = Head::parse(&out).unwrap();
        assert_eq!(Data::decode(head, out.freeze().slice(9..)).unwrap(), d);
    }

    #[test]
    fn stream_zero() {
        // len 0, DATA, stream 0
        assert_eq!(
            parse(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
            Err(FrameError::StreamIdRequired { kind: Kind::Data })
        );
    }

    #[test]
    fn padding_too_long() {
        // len 2, DATA, PADDED, stream 1, pad length 2 but only 1 octet left
        assert_eq!(
            parse(b"\x00\x00\x02\x00\x08\x00\x00\x00\x01\x02\x00"),
            Err(FrameError::PaddingTooLong { kind: Kind::Data })
        );
    }

    #[test]
    fn padded_without_pad_length() {
        // len 0, DATA, PADDED, stream 1
        assert_eq!(
            parse(b"\x00\x00\x00\x00\x08\x00\x00\x00\x01"),
            Err(FrameError::BadFrameSize {
                kind: Kind::Data,
                length: 0
            })
        );
    }
}
