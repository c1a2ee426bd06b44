//! Body framing: how long a body is, and a decoder that turns body bytes
//! into data slices and a final end-of-body event.

mod chunk_line;
mod chunked;
mod length;

use bytes::{Bytes, BytesMut};

use crate::{Error, Headers, Limits};
use chunked::ChunkedDecoder;

/// How the body following a head is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// No body at all (also used for `Content-Length: 0`).
    Empty,
    /// Exactly this many bytes.
    Length(u64),
    /// The chunked transfer coding (RFC 9112 §7.1).
    Chunked,
    /// Everything until the peer closes; responses only.
    CloseDelimited,
}

/// One step of body decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEvent {
    /// Body bytes, split off the input buffer without copying. Never empty.
    Data(Bytes),
    /// The body is complete; `trailers` is empty unless a chunked body
    /// carried a trailer section.
    End { trailers: Headers },
}

/// Decodes one body. Feed it the bytes that follow the head; it consumes
/// exactly the body and leaves whatever follows (a pipelined message) in
/// the buffer.
#[derive(Debug)]
pub struct BodyDecoder {
    state: State,
}

#[derive(Debug)]
enum State {
    Length(u64),
    Chunked(Box<ChunkedDecoder>),
    UntilClose,
    Done,
}

impl BodyDecoder {
    pub fn new(kind: BodyKind, limits: &Limits) -> BodyDecoder {
        let state = match kind {
            BodyKind::Empty | BodyKind::Length(0) => State::Length(0),
            BodyKind::Length(n) => State::Length(n),
            BodyKind::Chunked => State::Chunked(Box::new(ChunkedDecoder::new(limits))),
            BodyKind::CloseDelimited => State::UntilClose,
        };
        BodyDecoder { state }
    }

    /// `Ok(Some(Data))` for each slice of body bytes, then `Ok(Some(End))`
    /// once; `Ok(None)` means more input is needed, or the body is done.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BodyEvent>, Error> {
        let event = match &mut self.state {
            State::Done => return Ok(None),
            State::Length(remaining) => length::decode(remaining, src),
            State::Chunked(chunked) => chunked.decode(src)?,
            State::UntilClose => (!src.is_empty()).then(|| BodyEvent::Data(src.split().freeze())),
        };
        if matches!(event, Some(BodyEvent::End { .. })) {
            self.state = State::Done;
        }
        Ok(event)
    }

    /// Like [`decode`](Self::decode), for when the peer has closed and no
    /// more bytes will come: ends a close-delimited body, and reports a
    /// length or chunked body cut short as [`Error::IncompleteBody`].
    pub fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<BodyEvent>, Error> {
        if let Some(event) = self.decode(src)? {
            return Ok(Some(event));
        }
        match self.state {
            State::Done => Ok(None),
            State::UntilClose => {
                self.state = State::Done;
                Ok(Some(BodyEvent::End {
                    trailers: Headers::new(),
                }))
            }
            State::Length(_) | State::Chunked(_) => Err(Error::IncompleteBody),
        }
    }

    /// Whether the End event has been returned.
    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Bytes of the current line or trailer section examined but not yet
    /// consumed (for invariant checks).
    pub(crate) fn pending_limit(&self, limits: &Limits) -> usize {
        match &self.state {
            State::Chunked(_) => limits.max_chunk_line.max(limits.max_trailers) + 1,
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_ends_at_once_and_leaves_next_message() {
        let mut src = BytesMut::from(&b"GET"[..]);
        let mut d = BodyDecoder::new(BodyKind::Empty, &Limits::default());
        assert_eq!(
            d.decode(&mut src),
            Ok(Some(BodyEvent::End {
                trailers: Headers::new()
            }))
        );
        assert!(d.is_done());
        assert_eq!(d.decode(&mut src), Ok(None));
        assert_eq!(&src[..], b"GET");
    }

    #[test]
    fn close_delimited_needs_eof() {
        let mut src = BytesMut::from(&b"abc"[..]);
        let mut d = BodyDecoder::new(BodyKind::CloseDelimited, &Limits::default());
        assert_eq!(
            d.decode(&mut src),
            Ok(Some(BodyEvent::Data(Bytes::from_static(b"abc"))))
        );
        assert_eq!(d.decode(&mut src), Ok(None));
        assert!(!d.is_done());
        assert_eq!(
            d.decode_eof(&mut src),
            Ok(Some(BodyEvent::End {
                trailers: Headers::new()
            }))
        );
        assert_eq!(d.decode_eof(&mut src), Ok(None));
    }

    #[test]
    fn truncated_body_at_eof() {
        let mut src = BytesMut::from(&b"ab"[..]);
        let mut d = BodyDecoder::new(BodyKind::Length(3), &Limits::default());
        assert_eq!(
            d.decode_eof(&mut src),
            Ok(Some(BodyEvent::Data(Bytes::from_static(b"ab"))))
        );
        assert_eq!(d.decode_eof(&mut src), Err(Error::IncompleteBody));
        let mut d = BodyDecoder::new(BodyKind::Chunked, &Limits::default());
        assert_eq!(
            d.decode_eof(&mut BytesMut::from(&b"5\r\n"[..])),
            Err(Error::IncompleteBody)
        );
    }
}
