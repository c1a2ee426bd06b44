//! PUSH_PROMISE frames (RFC 9113 §6.6). Decoded so that a server can reject
//! them: a client cannot push (§8.4), see [`crate::FrameError::PushPromiseFromClient`].
//!
//! ```text
//! PUSH_PROMISE Frame {
//!   Length (24), Type (8) = 0x05,
//!   Unused Flags (4), PADDED Flag (1), END_HEADERS Flag (1), Unused Flags (2),
//!   Reserved (1), Stream Identifier (31),
//!   [Pad Length (8)], Reserved (1), Promised Stream ID (31),
//!   Field Block Fragment (..), Padding (..2040),
//! }
//! ```

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{padding, Flags, Head, Kind, StreamId};
use crate::FrameError;

/// Size of the Promised Stream ID field.
const PROMISED_ID_LEN: usize = 4;

/// A PUSH_PROMISE frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushPromise {
    /// Stream the promise is associated with (never 0).
    pub stream_id: StreamId,
    /// Stream the server reserves for the pushed response.
    pub promised_id: StreamId,
    /// HPACK-encoded field block fragment (the promised request).
    pub header_block: Bytes,
    /// END_HEADERS: the block is complete.
    pub end_headers: bool,
    /// Pad Length when PADDED was set.
    pub pad_len: Option<u8>,
}

impl PushPromise {
    /// Decodes a PUSH_PROMISE payload.
    pub fn decode(head: Head, mut payload: Bytes) -> Result<Self, FrameError> {
        // §6.6: "If the Stream Identifier field specifies the value 0x00, a
        // recipient MUST respond with a connection error of type
        // PROTOCOL_ERROR."
        super::require_stream(&head)?;
        // §6.6: padding as long as the payload MUST be a PROTOCOL_ERROR.
        let pad_len = padding::strip(&head, &mut payload)?;
        // §4.2: too small for the Promised Stream ID; a field-block frame, so
        // a connection FRAME_SIZE_ERROR.
        if payload.len() < PROMISED_ID_LEN {
            return Err(super::bad_size(&head));
        }
        // The reserved bit is ignored as in §4.1.
        let promised_id = StreamId::new(payload.get_u32());
        Ok(PushPromise {
            stream_id: head.stream_id,
            promised_id,
            header_block: payload,
            end_headers: head.flags.contains(Flags::END_HEADERS),
            pad_len,
        })
    }

    /// Payload octets besides the fragment.
    pub(crate) fn overhead(&self) -> usize {
        padding::overhead(self.pad_len) + PROMISED_ID_LEN
    }

    /// Writes the frame with `fragment` and the given END_HEADERS.
    pub(crate) fn encode_fragment(&self, fragment: &[u8], end_headers: bool, dst: &mut BytesMut) {
        let flags = Flags::from_pairs(&[
            (Flags::END_HEADERS, end_headers),
            (Flags::PADDED, self.pad_len.is_some()),
        ]);
        Head::encode(
            Kind::PushPromise,
            flags,
            self.stream_id,
            self.overhead() + fragment.len(),
            dst,
        );
        padding::put_pad_len(self.pad_len, dst);
        dst.put_u32(self.promised_id.value());
        dst.extend_from_slice(fragment);
        padding::put_padding(self.pad_len, dst);
    }

    /// Writes the frame as one frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        self.encode_fragment(&self.header_block, self.end_headers, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<PushPromise, FrameError> {
        PushPromise::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn padded_round_trip() {
        // len 8 = 1 pad length + 4 promised id + 1 block + 2 padding;
        // PUSH_PROMISE; PADDED|END_HEADERS; stream 1; promised 2; block 82
        let raw: &[u8] = b"\x00\x00\x08\x05\x0c\x00\x00\x00\x01\x02\x00\x00\x00\x02\x82\x00\x00";
        let p = parse(raw).unwrap();
        assert_eq!(p.promised_id, StreamId::new(2));
        assert_eq!(&p.header_block[..], b"\x82");
        assert_eq!((p.end_headers, p.pad_len), (true, Some(2)));
        let mut out = BytesMut::new();
        p.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn stream_zero() {
        assert_eq!(
            parse(b"\x00\x00\x04\x05\x04\x00\x00\x00\x00\x00\x00\x00\x02"),
            Err(FrameError::StreamIdRequired {
                kind: Kind::PushPromise
            })
        );
    }

    #[test]
    fn padding_too_long() {
        // len 5, PADDED, pad length 5
        assert_eq!(
            parse(b"\x00\x00\x05\x05\x0c\x00\x00\x00\x01\x05\x00\x00\x00\x02"),
            Err(FrameError::PaddingTooLong {
                kind: Kind::PushPromise
            })
        );
    }

    #[test]
    fn missing_promised_id() {
        // len 3, no promised stream id
        assert_eq!(
            parse(b"\x00\x00\x03\x05\x04\x00\x00\x00\x01\x00\x00\x02"),
            Err(FrameError::BadFrameSize {
                kind: Kind::PushPromise,
                length: 3
            })
        );
    }
}
