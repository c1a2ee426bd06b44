//! PRIORITY frames (RFC 9113 §6.3) and the priority fields of HEADERS.
//!
//! The RFC 7540 priority scheme is deprecated (§5.3.2); the fields are still
//! parsed so the frame can be validated and then ignored.
//!
//! ```text
//! PRIORITY Frame {
//!   Length (24) = 0x05, Type (8) = 0x02, Unused Flags (8),
//!   Reserved (1), Stream Identifier (31),
//!   Exclusive (1), Stream Dependency (31), Weight (8),
//! }
//! ```

use bytes::{BufMut, Bytes, BytesMut};

use super::{Flags, Head, Kind, StreamId};
use crate::FrameError;

/// Length of the Exclusive/Stream Dependency/Weight fields.
pub(crate) const PRIORITY_FIELDS_LEN: usize = 5;

/// The deprecated priority fields: exclusive bit, dependency, weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamDependency {
    /// Stream this one depends on.
    pub dependency: StreamId,
    /// Weight octet as sent (the weight minus one, §5.3.2 of RFC 7540).
    pub weight: u8,
    /// Exclusive flag.
    pub exclusive: bool,
}

impl StreamDependency {
    /// Parses the 5 octets; the caller has checked the length.
    pub(crate) fn parse(src: &[u8; PRIORITY_FIELDS_LEN]) -> Self {
        StreamDependency {
            dependency: StreamId::from_wire([src[0], src[1], src[2], src[3]]),
            weight: src[4],
            exclusive: src[0] & 0x80 != 0,
        }
    }

    /// Writes the 5 octets.
    pub(crate) fn encode(&self, dst: &mut BytesMut) {
        let e = if self.exclusive { 0x8000_0000 } else { 0 };
        dst.put_u32(e | self.dependency.value());
        dst.put_u8(self.weight);
    }
}

/// A PRIORITY frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Priority {
    /// Stream being reprioritised.
    pub stream_id: StreamId,
    /// The (ignored) priority fields.
    pub dependency: StreamDependency,
}

impl Priority {
    /// Decodes a PRIORITY payload.
    pub fn decode(head: Head, payload: Bytes) -> Result<Self, FrameError> {
        // §6.3: "If a PRIORITY frame is received with a stream identifier of
        // 0x00, the recipient MUST respond with a connection error of type
        // PROTOCOL_ERROR."
        super::require_stream(&head)?;
        // §6.3: "A PRIORITY frame with a length other than 5 octets MUST be
        // treated as a stream error of type FRAME_SIZE_ERROR."
        let Ok(fields) = <&[u8; PRIORITY_FIELDS_LEN]>::try_from(&payload[..]) else {
            return Err(FrameError::PriorityFrameSize {
                stream_id: head.stream_id,
            });
        };
        let dependency = StreamDependency::parse(fields);
        // §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat
        // this as a stream error of type PROTOCOL_ERROR."
        if dependency.dependency == head.stream_id {
            return Err(FrameError::SelfDependency {
                stream_id: head.stream_id,
            });
        }
        Ok(Priority {
            stream_id: head.stream_id,
            dependency,
        })
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        Head::encode(
            Kind::Priority,
            Flags(0),
            self.stream_id,
            PRIORITY_FIELDS_LEN,
            dst,
        );
        self.dependency.encode(dst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &'static [u8]) -> Result<Priority, FrameError> {
        Priority::decode(Head::parse(raw).unwrap(), Bytes::from_static(&raw[9..]))
    }

    #[test]
    fn round_trip() {
        // len 5, PRIORITY, no flags, stream 3, exclusive + depends on 1, weight 15
        let raw: &[u8] = b"\x00\x00\x05\x02\x00\x00\x00\x00\x03\x80\x00\x00\x01\x0f";
        let p = parse(raw).unwrap();
        assert_eq!(p.stream_id, StreamId::new(3));
        assert_eq!(
            p.dependency,
            StreamDependency {
                dependency: StreamId::new(1),
                weight: 15,
                exclusive: true
            }
        );
        let mut out = BytesMut::new();
        p.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn stream_zero() {
        // len 5, PRIORITY, stream 0
        assert_eq!(
            parse(b"\x00\x00\x05\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x0f"),
            Err(FrameError::StreamIdRequired {
                kind: Kind::Priority
            })
        );
    }

    #[test]
    fn wrong_length_is_stream_error() {
        // len 4, PRIORITY, stream 3
        let e = parse(b"\x00\x00\x04\x02\x00\x00\x00\x00\x03\x00\x00\x00\x01").unwrap_err();
        assert_eq!(
            e,
            FrameError::PriorityFrameSize {
                stream_id: StreamId::new(3)
            }
        );
        assert!(!e.is_connection_error());
    }

    #[test]
    fn self_dependency() {
        // len 5, PRIORITY, stream 3 depending on stream 3
        assert_eq!(
            parse(b"\x00\x00\x05\x02\x00\x00\x00\x00\x03\x00\x00\x00\x03\x0f"),
            Err(FrameError::SelfDependency {
                stream_id: StreamId::new(3)
            })
        );
    }
}
