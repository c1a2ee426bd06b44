//! Joins HEADERS/PUSH_PROMISE and their CONTINUATION frames into one field
//! block (RFC 9113 §4.3, §6.10), with limits against the CONTINUATION flood
//! (CERT VU#421644): without them a peer can make us buffer an unbounded
//! block that never ends, since HPACK cannot start before END_HEADERS.

use bytes::BytesMut;

use crate::frame::{Continuation, Frame, StreamId};
use crate::limits::Limits;
use crate::FrameError;

/// Field block assembler. Feed every decoded frame through [`push`]; it
/// passes other frames through and returns HEADERS/PUSH_PROMISE only once
/// complete, with the whole block and `end_headers` set.
///
/// [`push`]: HeaderBlockAssembler::push
#[derive(Debug)]
pub struct HeaderBlockAssembler {
    max_continuations: usize,
    max_block_size: usize,
    pending: Option<Pending>,
}

/// A block waiting for its END_HEADERS.
#[derive(Debug)]
struct Pending {
    /// The HEADERS or PUSH_PROMISE that opened the block.
    first: Frame,
    /// Fragments so far.
    block: BytesMut,
    /// CONTINUATION frames seen.
    continuations: usize,
}

impl HeaderBlockAssembler {
    /// Accepts at most `max_continuations` CONTINUATION frames and
    /// `max_block_size` octets of encoded block per field block.
    pub fn new(max_continuations: usize, max_block_size: usize) -> Self {
        HeaderBlockAssembler {
            max_continuations,
            max_block_size,
            pending: None,
        }
    }

    /// Uses the limits configured in `limits`.
    pub fn from_limits(limits: &Limits) -> Self {
        Self::new(limits.max_continuation_frames, limits.max_header_block_size)
    }

    /// The stream whose CONTINUATION is awaited, if a block is open.
    pub fn expecting(&self) -> Option<StreamId> {
        self.pending.as_ref().map(|p| p.first.stream_id())
    }

    /// Feeds one frame. `Ok(None)` means the frame was a fragment absorbed
    /// into an open block; `Ok(Some(f))` is the frame to act on. Every error
    /// is a connection error.
    pub fn push(&mut self, frame: Frame) -> Result<Option<Frame>, FrameError> {
        // On error the open block is dropped: every error here ends the
        // connection.
        if let Some(pending) = self.pending.take() {
            let expected = pending.first.stream_id();
            return match frame {
                Frame::Continuation(c) if c.stream_id == expected => {
                    self.continue_block(pending, c)
                }
                // §6.10: "If the END_HEADERS flag is not set, this frame MUST
                // be followed by another CONTINUATION frame. A receiver MUST
                // treat the receipt of any other type of frame or a frame on a
                // different stream as a connection error of type
                // PROTOCOL_ERROR." This includes unknown frame types.
                other => Err(FrameError::ExpectedContinuation {
                    expected,
                    got: other.kind(),
                    got_stream: other.stream_id(),
                }),
            };
        }
        match frame {
            // §6.10: a CONTINUATION not preceded by an open HEADERS,
            // PUSH_PROMISE or CONTINUATION "MUST" be a connection error of
            // type PROTOCOL_ERROR.
            Frame::Continuation(c) => Err(FrameError::UnexpectedContinuation {
                stream_id: c.stream_id,
            }),
            Frame::Headers(mut h) if !h.end_headers => {
                // The fragment is copied; drop the receive-buffer slice now.
                let block = self.start(&std::mem::take(&mut h.header_block))?;
                self.pending = Some(Pending {
                    first: Frame::Headers(h),
                    block,
                    continuations: 0,
                });
                Ok(None)
            }
            Frame::PushPromise(mut p) if !p.end_headers => {
                // The fragment is copied; drop the receive-buffer slice now.
                let block = self.start(&std::mem::take(&mut p.header_block))?;
                self.pending = Some(Pending {
                    first: Frame::PushPromise(p),
                    block,
                    continuations: 0,
                });
                Ok(None)
            }
            Frame::Headers(ref h) => self.check_size(h.header_block.len()).map(|()| Some(frame)),
            Frame::PushPromise(ref p) => {
                self.check_size(p.header_block.len()).map(|()| Some(frame))
            }
            other => Ok(Some(other)),
        }
    }

    /// Copies the first fragment into a fresh buffer after the size check.
    fn start(&self, fragment: &[u8]) -> Result<BytesMut, FrameError> {
        self.check_size(fragment.len())?;
        Ok(BytesMut::from(fragment))
    }

    fn check_size(&self, len: usize) -> Result<(), FrameError> {
        if len > self.max_block_size {
            return Err(FrameError::HeaderBlockTooLarge {
                limit: self.max_block_size,
            });
        }
        Ok(())
    }

    fn continue_block(
        &mut self,
        mut pending: Pending,
        c: Continuation,
    ) -> Result<Option<Frame>, FrameError> {
        // Every CONTINUATION counts, empty ones too: empty frames without
        // END_HEADERS are the cheapest way to keep a block open forever.
        pending.continuations += 1;
        if pending.continuations > self.max_continuations {
            return Err(FrameError::TooManyContinuations {
                limit: self.max_continuations,
            });
        }
        if pending.block.len() + c.header_block.len() > self.max_block_size {
            return Err(FrameError::HeaderBlockTooLarge {
                limit: self.max_block_size,
            });
        }
        pending.block.extend_from_slice(&c.header_block);
        if !c.end_headers {
            self.pending = Some(pending);
            return Ok(None);
        }
        let Pending {
            mut first, block, ..
        } = pending;
        let block = block.freeze();
        match &mut first {
            Frame::Headers(h) => {
                h.header_block = block;
                h.end_headers = true;
            }
            Frame::PushPromise(p) => {
                p.header_block = block;
                p.end_headers = true;
            }
            // Only HEADERS and PUSH_PROMISE open a block (see `push`).
            _ => {}
        }
        Ok(Some(first))
    }
}

impl Default for HeaderBlockAssembler {
    fn default() -> Self {
        Self::from_limits(&Limits::default())
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::frame::{Headers, Kind, Ping, PushPromise};

    fn headers(stream: u32, block: &'static [u8], end_headers: bool) -> Frame {
        let mut h = Headers::new(StreamId::new(stream), Bytes::from_static(block), true);
        h.end_headers = end_headers;
        h.into()
    }

    fn cont(stream: u32, block: &'static [u8], end_headers: bool) -> Frame {
        Continuation {
            stream_id: StreamId::new(stream),
            header_block: Bytes::from_static(block),
            end_headers,
        }
        .into()
    }

    #[test]
    fn complete_headers_pass_through() {
        let mut a = HeaderBlockAssembler::default();
        assert_eq!(
            a.push(headers(1, b"ab", true)),
            Ok(Some(headers(1, b"ab", true)))
        );
        assert_eq!(
            a.push(Ping::new([0; 8]).into()),
            Ok(Some(Ping::new([0; 8]).into()))
        );
    }

    #[test]
    fn joins_fragments() {
        let mut a = HeaderBlockAssembler::default();
        assert_eq!(a.push(headers(1, b"ab", false)), Ok(None));
        assert_eq!(a.expecting(), Some(StreamId::new(1)));
        assert_eq!(a.push(cont(1, b"", false)), Ok(None));
        assert_eq!(
            a.push(cont(1, b"cd", true)),
            Ok(Some(headers(1, b"abcd", true)))
        );
        assert_eq!(a.expecting(), None);
    }

    #[test]
    fn joins_push_promise() {
        let mut a = HeaderBlockAssembler::default();
        let pp = PushPromise {
            stream_id: StreamId::new(1),
            promised_id: StreamId::new(2),
            header_block: Bytes::from_static(b"x"),
            end_headers: false,
            pad_len: None,
        };
        assert_eq!(a.push(pp.clone().into()), Ok(None));
        let done = PushPromise {
            header_block: Bytes::from_static(b"xy"),
            end_headers: true,
            ..pp
        };
        assert_eq!(a.push(cont(1, b"y", true)), Ok(Some(done.into())));
    }

    #[test]
    fn interleaved_frame_rejected() {
        let mut a = HeaderBlockAssembler::default();
        a.push(headers(1, b"ab", false)).unwrap();
        assert_eq!(
            a.push(Ping::new([0; 8]).into()),
            Err(FrameError::ExpectedContinuation {
                expected: StreamId::new(1),
                got: Kind::Ping,
                got_stream: StreamId::ZERO
            })
        );
    }

    #[test]
    fn continuation_on_other_stream_rejected() {
        let mut a = HeaderBlockAssembler::default();
        a.push(headers(1, b"ab", false)).unwrap();
        let e = a.push(cont(3, b"", true)).unwrap_err();
        assert_eq!(
            e,
            FrameError::ExpectedContinuation {
                expected: StreamId::new(1),
                got: Kind::Continuation,
                got_stream: StreamId::new(3)
            }
        );
        assert!(e.is_connection_error());
    }

    #[test]
    fn unexpected_continuation() {
        let mut a = HeaderBlockAssembler::default();
        assert_eq!(
            a.push(cont(1, b"", true)),
            Err(FrameError::UnexpectedContinuation {
                stream_id: StreamId::new(1)
            })
        );
    }

    #[test]
    fn empty_continuation_flood() {
        let mut a = HeaderBlockAssembler::new(5, 1 << 20);
        a.push(headers(1, b"", false)).unwrap();
        for _ in 0..5 {
            assert_eq!(a.push(cont(1, b"", false)), Ok(None));
        }
        let e = a.push(cont(1, b"", false)).unwrap_err();
        assert_eq!(e, FrameError::TooManyContinuations { limit: 5 });
        assert_eq!(e.reason(), crate::frame::Reason::ENHANCE_YOUR_CALM);
    }

    #[test]
    fn block_size_limit() {
        let mut a = HeaderBlockAssembler::new(5, 4);
        assert_eq!(
            a.push(headers(1, b"abcde", true)),
            Err(FrameError::HeaderBlockTooLarge { limit: 4 })
        );
        let mut a = HeaderBlockAssembler::new(5, 4);
        assert_eq!(
            a.push(headers(1, b"abcde", false)),
            Err(FrameError::HeaderBlockTooLarge { limit: 4 })
        );
        let mut a = HeaderBlockAssembler::new(5, 4);
        a.push(headers(1, b"ab", false)).unwrap();
        assert_eq!(a.push(cont(1, b"cd", false)), Ok(None));
        assert_eq!(
            a.push(cont(1, b"e", true)),
            Err(FrameError::HeaderBlockTooLarge { limit: 4 })
        );
    }
}
