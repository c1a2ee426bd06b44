//! CONTINUATION frames (RFC 9113 §6.10). Sequencing (a CONTINUATION must
//! directly follow its HEADERS/PUSH_PROMISE) is enforced by
//! [`crate::codec::HeaderBlockAssembler`].
//!
//! ```text
//! CONTINUATION Frame {
//!   Length (24), Type (8) = 0x09,
//!   Unused Flags (5), END_HEADERS Flag (1), Unused Flags (2),
//!   Reserved (1), Stream Identifier (31),
//!   Field Block Fragment (..),
//! }
//! ```

use bytes::{Bytes, BytesMut};

use super::{Flags, Head, Kind, StreamId};
use crate::FrameError;

/// A CONTINUATION frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation {
    /// Stream of the field block being continued (never 0).
    pub stream_id: StreamId,
    /// The next HPACK fragment.
    pub header_block: Bytes,
    /// END_HEADERS: this fragment completes the block.
    pub end_headers: bool,
}

impl Continuation {
    /// Decodes a CONTINUATION payload.
    pub fn decode(head: Head, payload: Bytes) -> Result<Self, FrameError> {
        // §6.10: "If a CONTINUATION frame is received with a Stream Identifier
        // field of 0x00, the recipient MUST respond with a connection error of
        // type PROTOCOL_ERROR."
        super::require_stream(&head)?;
        Ok(Continuation {
            stream_id: head.stream_id,
            header_block: payload,
            end_headers: head.flags.contains(Flags::END_HEADERS),
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        encode_fragment(self.stream_id, &self.header_block, self.end_headers, dst);
    }
}

/// Writes one CONTINUATION carrying `fragment`.
pub(crate) fn encode_fragment(
    stream_id: StreamId,
    fragment: &[u8],
    end_headers: bool,
    dst: &mut BytesMut,
) {
    let flags = Flags::from_pairs(&[(Flags::END_HEADERS, end_headers)]);
    Head::encode(Kind::Continuation, flags, stream_id, fragment.len(), dst);
    dst.extend_from_slice(fragment);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<Continuation, FrameError> {
        Continuation::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn round_trip() {
        // len 2, CONTINUATION, END_HEADERS, stream 1, fragment 86 84
        let raw: &[u8] = b"\x00\x00\x02\x09\x04\x00\x00\x00\x01\x86\x84";
        let c = parse(raw).unwrap();
        assert!(c.end_headers);
        assert_eq!(&c.header_block[..], b"\x86\x84");
        let mut out = BytesMut::new();
        c.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn empty_without_end_headers() {
        // len 0, CONTINUATION, no flags, stream 1
        let c = parse(b"\x00\x00\x00\x09\x00\x00\x00\x00\x01").unwrap();
        assert!(!c.end_headers && c.header_block.is_empty());
    }

    #[test]
    fn stream_zero() {
        assert_eq!(
            parse(b"\x00\x00\x00\x09\x04\x00\x00\x00\x00"),
            Err(FrameError::StreamIdRequired {
                kind: Kind::Continuation
            })
        );
    }
}
