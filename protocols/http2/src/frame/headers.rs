//! HEADERS frames (RFC 9113 §6.2).
//!
//! ```text
//! HEADERS Frame {
//!   Length (24), Type (8) = 0x01,
//!   Unused Flags (2), PRIORITY Flag (1), Unused Flag (1), PADDED Flag (1),
//!   END_HEADERS Flag (1), Unused Flag (1), END_STREAM Flag (1),
//!   Reserved (1), Stream Identifier (31),
//!   [Pad Length (8)], [Exclusive (1), Stream Dependency (31), Weight (8)],
//!   Field Block Fragment (..), Padding (..2040),
//! }
//! ```

use bytes::{Bytes, BytesMut};

use super::priority::PRIORITY_FIELDS_LEN;
use super::{padding, Flags, Head, Kind, StreamDependency, StreamId};
use crate::FrameError;

/// A HEADERS frame. The field block fragment stays HPACK-encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    /// Stream the field block opens or continues (never 0).
    pub stream_id: StreamId,
    /// HPACK-encoded field block fragment, padding and priority removed.
    pub header_block: Bytes,
    /// END_STREAM: no DATA follows (trailers, or a body-less message).
    pub end_stream: bool,
    /// END_HEADERS: the block is complete; otherwise CONTINUATION follows.
    pub end_headers: bool,
    /// Pad Length when PADDED was set.
    pub pad_len: Option<u8>,
    /// Deprecated priority fields when PRIORITY was set; ignored (§5.3.2).
    pub priority: Option<StreamDependency>,
}

impl Headers {
    /// A complete, unpadded HEADERS frame without priority.
    pub fn new(stream_id: StreamId, header_block: Bytes, end_stream: bool) -> Self {
        Headers {
            stream_id,
            header_block,
            end_stream,
            end_headers: true,
            pad_len: None,
            priority: None,
        }
    }

    /// Decodes a HEADERS payload.
    pub fn decode(head: Head, mut payload: Bytes) -> Result<Self, FrameError> {
        // §6.2: "If a HEADERS frame is received whose Stream Identifier field
        // is 0x00, the recipient MUST respond with a connection error of type
        // PROTOCOL_ERROR."
        super::require_stream(&head)?;
        // §6.2: padding as long as the payload MUST be a PROTOCOL_ERROR.
        let pad_len = padding::strip(&head, &mut payload)?;
        let priority = if head.flags.contains(Flags::PRIORITY) {
            // §4.2: too small to hold the priority fields -> FRAME_SIZE_ERROR,
            // a connection error because HEADERS carries a field block.
            let fields: &[u8; PRIORITY_FIELDS_LEN] = payload
                .get(..PRIORITY_FIELDS_LEN)
                .and_then(|f| f.try_into().ok())
                .ok_or_else(|| super::bad_size(&head))?;
            let dep = StreamDependency::parse(fields);
            let _ = payload.split_to(PRIORITY_FIELDS_LEN);
            Some(dep)
        } else {
            None
        };
        // A self-dependency (§5.3.1) is a stream error, but the field block
        // must still reach HPACK or the decoder state diverges (§4.3); so it
        // is reported by `priority_error`, not here.
        Ok(Headers {
            stream_id: head.stream_id,
            header_block: payload,
            end_stream: head.flags.contains(Flags::END_STREAM),
            end_headers: head.flags.contains(Flags::END_HEADERS),
            pad_len,
            priority,
        })
    }

    /// §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this
    /// as a stream error of type PROTOCOL_ERROR." Call after the field block
    /// has been decoded, then reset the stream.
    pub fn priority_error(&self) -> Option<FrameError> {
        match self.priority {
            Some(dep) if dep.dependency == self.stream_id => Some(FrameError::SelfDependency {
                stream_id: self.stream_id,
            }),
            _ => None,
        }
    }

    /// The flags octet this frame is written with.
    pub(crate) fn flags(&self) -> Flags {
        Flags::from_pairs(&[
            (Flags::END_STREAM, self.end_stream),
            (Flags::END_HEADERS, self.end_headers),
            (Flags::PADDED, self.pad_len.is_some()),
            (Flags::PRIORITY, self.priority.is_some()),
        ])
    }

    /// Payload octets besides the fragment: padding and priority fields.
    pub(crate) fn overhead(&self) -> usize {
        padding::overhead(self.pad_len) + self.priority.map_or(0, |_| PRIORITY_FIELDS_LEN)
    }

    /// Writes the frame with `fragment` instead of the whole block and the
    /// given END_HEADERS; the encoder uses this to split large blocks.
    pub(crate) fn encode_fragment(&self, fragment: &[u8], end_headers: bool, dst: &mut BytesMut) {
        let mut flags = self.flags();
        if !end_headers {
            flags.0 &= !Flags::END_HEADERS;
        }
        Head::encode(
            Kind::Headers,
            flags,
            self.stream_id,
            self.overhead() + fragment.len(),
            dst,
        );
        padding::put_pad_len(self.pad_len, dst);
        if let Some(dep) = &self.priority {
            dep.encode(dst);
        }
        dst.extend_from_slice(fragment);
        padding::put_padding(self.pad_len, dst);
    }

    /// Writes the frame as one frame (the block must fit the peer's
    /// SETTINGS_MAX_FRAME_SIZE; see the encoder for splitting).
    pub fn encode(&self, dst: &mut BytesMut) {
        self.encode_fragment(&self.header_block, self.end_headers, dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<Headers, FrameError> {
        Headers::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn padded_with_priority_round_trip() {
        let raw: &[u8] = b"\x00\x00\x0a\x01\x2d\x00\x00\x00\x03\
            \x02\
            \x80\x00\x00\x01\xff\
            \x82\x84\
            \x00\x00";
        // len 10 = 1 pad length + 5 priority + 2 block + 2 padding; HEADERS;
        // PRIORITY|PADDED|END_HEADERS|END_STREAM; stream 3; pad 2;
        // exclusive on stream 1 weight 255; block 82 84; two zero pad octets
        let h = parse(raw).unwrap();
        assert_eq!(&h.header_block[..], b"\x82\x84");
        assert!(h.end_stream && h.end_headers);
        assert_eq!(h.pad_len, Some(2));
        assert_eq!(
            h.priority,
            Some(StreamDependency {
                dependency: StreamId::new(1),
                weight: 255,
                exclusive: true
            })
        );
        assert_eq!(h.priority_error(), None);
        let mut out = BytesMut::new();
        h.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn plain_round_trip() {
        let h = Headers::new(StreamId::new(1), Bytes::from_static(b"\x82"), false);
        let mut out = BytesMut::new();
        h.encode(&mut out);
        // len 1, HEADERS, END_HEADERS, stream 1, block 82
        assert_eq!(&out[..], b"\x00\x00\x01\x01\x04\x00\x00\x00\x01\x82");
        assert_eq!(
            Headers::decode(Head::parse(&out).unwrap(), out.freeze().slice(9..)).unwrap(),
            h
        );
    }

    #[test]
    fn stream_zero() {
        // len 1, HEADERS, END_HEADERS, stream 0
        assert_eq!(
            parse(b"\x00\x00\x01\x01\x04\x00\x00\x00\x00\x82"),
            Err(FrameError::StreamIdRequired {
                kind: Kind::Headers
            })
        );
    }

    #[test]
    fn padding_too_long() {
        // len 3, HEADERS, PADDED|END_HEADERS, stream 1, pad length 3
        assert_eq!(
            parse(b"\x00\x00\x03\x01\x0c\x00\x00\x00\x01\x03\x82\x00"),
            Err(FrameError::PaddingTooLong {
                kind: Kind::Headers
            })
        );
    }

    #[test]
    fn truncated_priority() {
        // len 4, HEADERS, PRIORITY|END_HEADERS, stream 1, only 4 priority octets
        assert_eq!(
            parse(b"\x00\x00\x04\x01\x24\x00\x00\x00\x01\x00\x00\x00\x00"),
            Err(FrameError::BadFrameSize {
                kind: Kind::Headers,
                length: 4
            })
        );
    }

    #[test]
    fn self_dependency_reported_after_decode() {
        // len 6, HEADERS, PRIORITY|END_HEADERS, stream 5 depending on 5, block 82
        let h = parse(b"\x00\x00\x06\x01\x24\x00\x00\x00\x05\x00\x00\x00\x05\x10\x82").unwrap();
        assert_eq!(&h.header_block[..], b"\x82");
        assert_eq!(
            h.priority_error(),
            Some(FrameError::SelfDependency {
                stream_id: StreamId::new(5)
            })
        );
    }
}
