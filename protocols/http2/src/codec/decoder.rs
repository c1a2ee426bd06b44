//! Splits a byte stream into frames (RFC 9113 §4.1, §4.2).

use bytes::{Buf, BytesMut};

use crate::frame::{Frame, Head, DEFAULT_MAX_FRAME_SIZE, FRAME_HEADER_LEN, MAX_FRAME_LEN};
use crate::FrameError;

/// Incremental frame decoder; holds only the size limit, the caller owns the
/// buffer. Never needs more than `max_frame_size + 9` buffered octets.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    max_frame_size: u32,
}

impl FrameDecoder {
    /// A decoder accepting payloads up to `max_frame_size`, the
    /// SETTINGS_MAX_FRAME_SIZE we advertised; clamped to the legal
    /// [2^14, 2^24-1] range of §6.5.2.
    pub fn new(max_frame_size: u32) -> Self {
        FrameDecoder {
            max_frame_size: clamp(max_frame_size),
        }
    }

    /// The current payload limit.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Changes the limit, e.g. once the peer ACKs a SETTINGS that raised it
    /// (§6.5.3: new values apply only after the acknowledgement).
    pub fn set_max_frame_size(&mut self, max_frame_size: u32) {
        self.max_frame_size = clamp(max_frame_size);
    }

    /// Decodes one frame from the front of `src`.
    ///
    /// * `Ok(None)`: incomplete; nothing consumed, read more and retry.
    /// * `Ok(Some(frame))`: exactly that frame's octets were consumed.
    /// * `Err(e)` for a too-large frame: nothing consumed (the connection
    ///   is finished anyway). Any other `Err`: the bad frame was consumed,
    ///   so after a stream error decoding can continue.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, FrameError> {
        let Some(head) = Head::parse(src) else {
            return Ok(None);
        };
        // §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a
        // frame exceeds the size defined in SETTINGS_MAX_FRAME_SIZE". Checked
        // on the header alone so an oversized payload is never buffered; any
        // frame type can change connection state here, so it is a connection
        // error.
        if head.length > self.max_frame_size {
            return Err(FrameError::FrameTooLarge {
                length: head.length,
                max: self.max_frame_size,
            });
        }
        let total = FRAME_HEADER_LEN + head.length as usize;
        if src.len() < total {
            // Let the caller's next read land in one allocation.
            src.reserve(total - src.len());
            return Ok(None);
        }
        src.advance(FRAME_HEADER_LEN);
        let payload = src.split_to(head.length as usize).freeze();
        Frame::decode(head, payload).map(Some)
    }
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::new(DEFAULT_MAX_FRAME_SIZE)
    }
}

fn clamp(n: u32) -> u32 {
    n.clamp(DEFAULT_MAX_FRAME_SIZE, MAX_FRAME_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{Ping, StreamId, WindowUpdate};

    #[test]
    fn need_more_consumes_nothing() {
        let mut dec = FrameDecoder::default();
        // PING header plus 3 of 8 payload octets
        let mut buf = BytesMut::from(&b"\x00\x00\x08\x06\x00\x00\x00\x00\x00abc"[..]);
        assert_eq!(dec.decode(&mut buf), Ok(None));
        assert_eq!(buf.len(), 12);
        buf.extend_from_slice(b"defgh");
        assert_eq!(
            dec.decode(&mut buf),
            Ok(Some(Ping::new(*b"abcdefgh").into()))
        );
        assert!(buf.is_empty());
        assert_eq!(dec.decode(&mut buf), Ok(None));
    }

    #[test]
    fn one_frame_at_a_time() {
        let mut dec = FrameDecoder::default();
        let mut buf = BytesMut::new();
        WindowUpdate::new(StreamId::new(1), 5).encode(&mut buf);
        WindowUpdate::new(StreamId::new(3), 7).encode(&mut buf);
        assert_eq!(
            dec.decode(&mut buf),
            Ok(Some(WindowUpdate::new(StreamId::new(1), 5).into()))
        );
        assert_eq!(buf.len(), 13);
        assert_eq!(
            dec.decode(&mut buf),
            Ok(Some(WindowUpdate::new(StreamId::new(3), 7).into()))
        );
    }

    #[test]
    fn too_large_from_header_alone() {
        let mut dec = FrameDecoder::new(16_384);
        // header announces 16385 octets of DATA; no payload present yet
        let mut buf = BytesMut::from(&b"\x00\x40\x01\x00\x00\x00\x00\x00\x01"[..]);
        let e = dec.decode(&mut buf).unwrap_err();
        assert_eq!(
            e,
            FrameError::FrameTooLarge {
                length: 16_385,
                max: 16_384
            }
        );
        assert!(e.is_connection_error());
        dec.set_max_frame_size(1 << 20);
        assert_eq!(dec.decode(&mut buf), Ok(None));
    }

    #[test]
    fn limit_is_clamped() {
        assert_eq!(FrameDecoder::new(0).max_frame_size(), 16_384);
        assert_eq!(FrameDecoder::new(u32::MAX).max_frame_size(), MAX_FRAME_LEN);
    }

    #[test]
    fn error_consumes_bad_frame() {
        let mut dec = FrameDecoder::default();
        // PRIORITY of length 4 on stream 3 (stream error), then a PING
        let mut buf = BytesMut::from(&b"\x00\x00\x04\x02\x00\x00\x00\x00\x03\x00\x00\x00\x01"[..]);
        Ping::new([0; 8]).encode(&mut buf);
        assert_eq!(
            dec.decode(&mut buf),
            Err(FrameError::PriorityFrameSize {
                stream_id: StreamId::new(3)
            })
        );
        assert_eq!(dec.decode(&mut buf), Ok(Some(Ping::new([0; 8]).into())));
    }
}
