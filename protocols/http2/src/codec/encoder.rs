//! Frame writers that respect the peer's SETTINGS_MAX_FRAME_SIZE (RFC 9113
//! §4.2): field blocks are split into HEADERS/PUSH_PROMISE + CONTINUATION
//! (§4.3, sent back to back as §6.10 requires) and bodies into DATA frames.

use bytes::BytesMut;

use crate::frame::{
    continuation, Frame, Head, Headers, Kind, PushPromise, StreamId, DEFAULT_MAX_FRAME_SIZE,
};
use crate::frame::{Flags, MAX_FRAME_LEN};

/// Writes frames into a `BytesMut` sized by the peer's limit.
#[derive(Debug, Clone)]
pub struct FrameEncoder {
    max_frame_size: u32,
}

impl FrameEncoder {
    /// An encoder for a peer that accepts payloads up to `max_frame_size`
    /// (clamped to §6.5.2's [2^14, 2^24-1]).
    pub fn new(max_frame_size: u32) -> Self {
        FrameEncoder {
            max_frame_size: max_frame_size.clamp(DEFAULT_MAX_FRAME_SIZE, MAX_FRAME_LEN),
        }
    }

    /// The peer's payload limit in use.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Applies the peer's SETTINGS_MAX_FRAME_SIZE.
    pub fn set_max_frame_size(&mut self, max_frame_size: u32) {
        *self = Self::new(max_frame_size);
    }

    /// Writes any frame; HEADERS, PUSH_PROMISE and DATA are split as needed,
    /// the rest are always small enough.
    pub fn frame(&self, frame: &Frame, dst: &mut BytesMut) {
        match frame {
            Frame::Headers(h) => self.headers(h, dst),
            Frame::PushPromise(p) => self.push_promise(p, dst),
            Frame::Data(d) if d.flow_controlled_len() as usize > self.max() => {
                // Padding is dropped when splitting; it only hides lengths.
                self.data(d.stream_id, &d.data, d.end_stream, dst);
            }
            other => other.encode(dst),
        }
    }

    /// Writes HEADERS with as much of the block as fits, then CONTINUATION
    /// frames; END_HEADERS goes on the last one (its `end_headers` field is
    /// ignored: the block given is always complete).
    pub fn headers(&self, headers: &Headers, dst: &mut BytesMut) {
        let first_cap = self.max().saturating_sub(headers.overhead());
        let (first, rest) = split_at_most(&headers.header_block, first_cap);
        headers.encode_fragment(first, rest.is_empty(), dst);
        self.continuations(headers.stream_id, rest, dst);
    }

    /// Like [`FrameEncoder::headers`] for PUSH_PROMISE.
    pub fn push_promise(&self, promise: &PushPromise, dst: &mut BytesMut) {
        let first_cap = self.max().saturating_sub(promise.overhead());
        let (first, rest) = split_at_most(&promise.header_block, first_cap);
        promise.encode_fragment(first, rest.is_empty(), dst);
        self.continuations(promise.stream_id, rest, dst);
    }

    /// Writes `data` as unpadded DATA frames of at most the peer's limit,
    /// END_STREAM on the last. Empty data writes one empty frame if
    /// `end_stream`, else nothing. Flow control is the caller's business:
    /// pass only what the windows allow.
    pub fn data(&self, stream_id: StreamId, data: &[u8], end_stream: bool, dst: &mut BytesMut) {
        if data.is_empty() {
            if end_stream {
                Head::encode(Kind::Data, Flags(Flags::END_STREAM), stream_id, 0, dst);
            }
            return;
        }
        let mut chunks = data.chunks(self.max()).peekable();
        while let Some(chunk) = chunks.next() {
            let last = chunks.peek().is_none();
            let flags = Flags::from_pairs(&[(Flags::END_STREAM, end_stream && last)]);
            Head::encode(Kind::Data, flags, stream_id, chunk.len(), dst);
            dst.extend_from_slice(chunk);
        }
    }

    fn continuations(&self, stream_id: StreamId, rest: &[u8], dst: &mut BytesMut) {
        let mut chunks = rest.chunks(self.max()).peekable();
        while let Some(chunk) = chunks.next() {
            continuation::encode_fragment(stream_id, chunk, chunks.peek().is_none(), dst);
        }
    }

    fn max(&self) -> usize {
        self.max_frame_size as usize
    }
}

impl Default for FrameEncoder {
    fn default() -> Self {
        FrameEncoder::new(DEFAULT_MAX_FRAME_SIZE)
    }
}

fn split_at_most(block: &[u8], n: usize) -> (&[u8], &[u8]) {
    block.split_at(n.min(block.len()))
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::codec::{FrameDecoder, HeaderBlockAssembler};
    use crate::frame::{Continuation, Data, StreamDependency};

    fn decode_all(mut buf: BytesMut) -> Vec<Frame> {
        let mut dec = FrameDecoder::default();
        let mut out = Vec::new();
        while let Some(f) = dec.decode(&mut buf).unwrap() {
            out.push(f);
        }
        assert!(buf.is_empty());
        out
    }

    #[test]
    fn small_block_single_frame() {
        let enc = FrameEncoder::default();
        let h = Headers::new(StreamId::new(1), Bytes::from_static(b"\x82"), true);
        let mut buf = BytesMut::new();
        enc.headers(&h, &mut buf);
        assert_eq!(decode_all(buf), vec![Frame::Headers(h)]);
    }

    #[test]
    fn large_block_split_into_continuations() {
        let enc = FrameEncoder::new(16_384);
        let block = Bytes::from(vec![7u8; 16_384 * 2 + 10]);
        let mut h = Headers::new(StreamId::new(3), block.clone(), false);
        h.priority = Some(StreamDependency::default());
        h.pad_len = Some(4);
        let mut buf = BytesMut::new();
        enc.headers(&h, &mut buf);
        let frames = decode_all(buf);
        assert_eq!(frames.len(), 3);
        match &frames[0] {
            Frame::Headers(first) => {
                assert!(!first.end_headers);
                assert_eq!(first.header_block.len(), 16_384 - 10);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &frames[1],
            Frame::Continuation(Continuation {
                end_headers: false,
                ..
            })
        ));
        assert!(matches!(
            &frames[2],
            Frame::Continuation(Continuation {
                end_headers: true,
                ..
            })
        ));
        let mut asm = HeaderBlockAssembler::new(5, 1 << 20);
        let mut done = None;
        for f in frames {
            done = asm.push(f).unwrap().or(done);
        }
        let Some(Frame::Headers(joined)) = done else {
            panic!("no block")
        };
        assert_eq!(joined.header_block, block);
        assert!(joined.end_headers);
    }

    #[test]
    fn push_promise_split() {
        let enc = FrameEncoder::default();
        let p = PushPromise {
            stream_id: StreamId::new(1),
            promised_id: StreamId::new(2),
            header_block: Bytes::from(vec![1u8; 20_000]),
            end_headers: true,
            pad_len: None,
        };
        let mut buf = BytesMut::new();
        enc.push_promise(&p, &mut buf);
        let frames = decode_all(buf);
        assert_eq!(frames.len(), 2);
        assert!(matches!(
            &frames[0],
            Frame::PushPromise(PushPromise {
                end_headers: false,
                ..
            })
        ));
    }

    #[test]
    fn data_split_end_stream_on_last() {
        let enc = FrameEncoder::default();
        let body = vec![9u8; 16_384 + 1];
        let mut buf = BytesMut::new();
        enc.data(StreamId::new(1), &body, true, &mut buf);
        let frames = decode_all(buf);
        let expected: Vec<Frame> = vec![
            Data::new(StreamId::new(1), Bytes::from(vec![9u8; 16_384]), false).into(),
            Data::new(StreamId::new(1), Bytes::from_static(&[9]), true).into(),
        ];
        assert_eq!(frames, expected);
    }

    #[test]
    fn empty_data() {
        let enc = FrameEncoder::default();
        let mut buf = BytesMut::new();
        enc.data(StreamId::new(1), b"", false, &mut buf);
        assert!(buf.is_empty());
        enc.data(StreamId::new(1), b"", true, &mut buf);
        assert_eq!(
            decode_all(buf),
            vec![Frame::Data(Data::new(StreamId::new(1), Bytes::new(), true))]
        );
    }
}
