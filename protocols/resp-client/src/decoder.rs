//! Replies out of a byte stream: the pure half of a connection's reader, kept apart from I/O
//! so that fuzzing and property tests can drive it with any bytes in any chunking.
//!
//! A Redis reply is not trusted input: a spoofed or compromised server can announce
//! `*4294967295`, `$2147483647` or 100 000 nested arrays (http-defenses D3). `redis-protocol`
//! parses recursively, so nesting alone overflows the stack and aborts the process. So every
//! reply is first framed here, iteratively and against [`Limits`], and only a complete,
//! bounded frame is handed to `redis-protocol` to decode.

use bytes::BytesMut;
use redis_protocol::resp2::decode::decode_bytes;

use crate::Reply;

/// Bounds on one reply, checked before waiting for the bytes they announce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest bulk string.
    pub bulk: usize,
    /// Array elements in one reply, nested ones included.
    pub elements: usize,
    /// Arrays inside arrays.
    pub depth: usize,
    /// A status, error or integer line, and a length line.
    pub line: usize,
}

impl Default for Limits {
    /// A value over 4x the gRPC message limit could not be returned anyway; a million elements
    /// is Redis's own old multibulk cap; nothing we send nests replies deeper than 2.
    fn default() -> Limits {
        Limits {
            bulk: 16 << 20,
            elements: 1 << 20,
            depth: 8,
            line: 64 << 10,
        }
    }
}

/// Why the stream cannot be decoded any further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not RESP2.
    Malformed(String),
    /// A reply that would exceed the total `limit` in bytes.
    TooLarge { limit: usize },
    /// A bulk length, element count, nesting depth or line over [`Limits`].
    OverLimit(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Malformed(e) => write!(f, "{e}"),
            DecodeError::TooLarge { limit } => write!(f, "a reply larger than {limit} bytes"),
            DecodeError::OverLimit(what) => write!(f, "{what}"),
        }
    }
}

/// Buffers bytes and yields each complete reply once.
pub struct ReplyDecoder {
    buf: BytesMut,
    max: usize,
    limits: Limits,
    scan: crate::frame::Scan,
}

impl ReplyDecoder {
    /// `max`: the most bytes one reply may take, on top of the default [`Limits`].
    pub fn new(max: usize) -> ReplyDecoder {
        ReplyDecoder::with_limits(max, Limits::default())
    }

    pub fn with_limits(max: usize, limits: Limits) -> ReplyDecoder {
        ReplyDecoder {
            buf: BytesMut::new(),
            max,
            limits,
            scan: crate::frame::Scan::default(),
        }
    }

    /// The buffer to read into; bytes appended to it are decoded by [`next_reply`](Self::next_reply).
    pub fn buffer(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    pub fn take_buffer(&mut self) -> BytesMut {
        std::mem::take(&mut self.buf)
    }

    pub fn put_buffer(&mut self, buf: BytesMut) {
        self.buf = buf;
    }

    /// The next complete reply, `Ok(None)` if more bytes are needed.
    pub fn next_reply(&mut self) -> Result<Option<Reply>, DecodeError> {
        let Some(len) = crate::frame::frame_len(&self.buf, &self.limits, &mut self.scan)? else {
            if self.buf.len() > self.max {
                return Err(DecodeError::TooLarge { limit: self.max });
            }
            return Ok(None);
        };
        if len > self.max {
            return Err(DecodeError::TooLarge { limit: self.max });
        }
        let frame = self.buf.split_to(len).freeze();
        match decode_bytes(&frame) {
            Ok(Some((reply, used))) if used == len => Ok(Some(Reply::from(reply))),
            Ok(_) => Err(DecodeError::Malformed(
                "framing and decoding disagree on where the reply ends".into(),
            )),
            Err(e) => Err(DecodeError::Malformed(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use proptest::prelude::*;

    /// The wire form of `r`, written here by hand so the test does not trust the crate's
    /// encoder to check the crate's decoder.
    fn wire(r: &Reply, out: &mut Vec<u8>) {
        match r {
            Reply::Status(s) => {
                out.push(b'+');
                out.extend_from_slice(s);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Error(e) => out.extend_from_slice(format!("-{e}\r\n").as_bytes()),
            Reply::Integer(n) => out.extend_from_slice(format!(":{n}\r\n").as_bytes()),
            Reply::Bulk(b) => {
                out.extend_from_slice(format!("${}\r\n", b.len()).as_bytes());
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Array(items) => {
                out.extend_from_slice(format!("*{}\r\n", items.len()).as_bytes());
                items.iter().for_each(|i| wire(i, out));
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
        }
    }

    fn line() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 _-]{0,20}"
    }

    fn reply() -> impl Strategy<Value = Reply> {
        let leaf = prop_oneof![
            line().prop_map(|s| Reply::Status(Bytes::from(s))),
            "[A-Z]{1,8}( [a-z ]{0,12})?".prop_map(Reply::Error),
            any::<i64>().prop_map(Reply::Integer),
            proptest::collection::vec(any::<u8>(), 0..64).prop_map(|v| Reply::Bulk(Bytes::from(v))),
            Just(Reply::Nil),
        ];
        leaf.prop_recursive(3, 32, 6, |inner| {
            proptest::collection::vec(inner, 0..6).prop_map(Reply::Array)
        })
    }

    proptest! {
        /// Whatever the chunking, the same replies come out, in order, and nothing is left.
        #[test]
        fn replies_survive_any_chunking(replies in proptest::collection::vec(reply(), 1..8),
                                         cuts in proptest::collection::vec(1usize..17, 1..40)) {
            let mut bytes = Vec::new();
            replies.iter().for_each(|r| wire(r, &mut bytes));
            let mut d = ReplyDecoder::new(1 << 20);
            let mut got = Vec::new();
            let mut at = 0;
            let mut cut = cuts.iter().cycle();
            while at < bytes.len() {
                let n = (*cut.next().unwrap_or(&1)).min(bytes.len() - at);
                d.buffer().extend_from_slice(&bytes[at..at + n]);
                at += n;
                while let Some(r) = d.next_reply().unwrap() {
                    got.push(r);
                }
            }
            prop_assert_eq!(got, replies);
            prop_assert!(d.buffer().is_empty());
        }

        /// Arbitrary bytes: an error or a reply, never a panic.
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let mut d = ReplyDecoder::new(128);
            d.buffer().extend_from_slice(&bytes);
            for _ in 0..64 {
                match d.next_reply() {
                    Ok(Some(_)) => continue,
                    _ => break,
                }
            }
        }
    }

    fn refused(bytes: &[u8]) -> DecodeError {
        let mut d = ReplyDecoder::new(1 << 20);
        d.buffer().extend_from_slice(bytes);
        d.next_reply().unwrap_err()
    }

    #[test]
    fn hostile_announcements_fail_at_once() {
        assert!(matches!(
            refused(b"*4294967295\r\n"),
            DecodeError::OverLimit(_)
        ));
        assert!(matches!(
            refused(b"$2147483647\r\n"),
            DecodeError::OverLimit(_)
        ));
        assert!(matches!(
            refused(&b"*1\r\n".repeat(100_000)),
            DecodeError::OverLimit(_)
        ));
        assert!(matches!(
            refused(&[b'+'; 70_000]),
            DecodeError::OverLimit(_)
        ));
        for bad in [
            &b"$-5\r\n"[..],
            b":+5\r\n",
            b":5x\r\n",
            b"*-2\r\n",
            b"$3\r\nabcd\r\n",
            b"?\r\n",
        ] {
            assert!(
                matches!(refused(bad), DecodeError::Malformed(_)),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn an_incomplete_reply_over_the_limit_is_refused() {
        let mut d = ReplyDecoder::new(16);
        d.buffer().extend_from_slice(b"$1000\r\n");
        assert_eq!(d.next_reply(), Ok(None));
        d.buffer().extend_from_slice(&[b'x'; 32]);
        assert_eq!(d.next_reply(), Err(DecodeError::TooLarge { limit: 16 }));
        let mut d = ReplyDecoder::new(16);
        d.buffer().extend_from_slice(b"?what\r\n");
        assert!(matches!(d.next_reply(), Err(DecodeError::Malformed(_))));
    }
}
