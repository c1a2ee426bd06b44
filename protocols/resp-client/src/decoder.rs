//! Replies out of a byte stream, with a size bound: the pure half of a connection's reader,
//! kept apart from I/O so that fuzzing and property tests can drive it with any bytes in any
//! chunking.

use bytes::BytesMut;
use redis_protocol::resp2::decode::decode_bytes_mut;

use crate::Reply;

/// Why the stream cannot be decoded any further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Not RESP2.
    Malformed(String),
    /// An incomplete reply already holds more than the limit.
    TooLarge { limit: usize },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Malformed(e) => write!(f, "{e}"),
            DecodeError::TooLarge { limit } => write!(f, "a reply larger than {limit} bytes"),
        }
    }
}

/// Buffers bytes and yields each complete reply once.
pub struct ReplyDecoder {
    buf: BytesMut,
    max: usize,
}

impl ReplyDecoder {
    pub fn new(max: usize) -> ReplyDecoder {
        ReplyDecoder {
            buf: BytesMut::new(),
            max,
        }
    }

    /// The buffer to read into; bytes appended to it are decoded by [`next`](Self::next).
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
    pub fn next(&mut self) -> Result<Option<Reply>, DecodeError> {
        match decode_bytes_mut(&mut self.buf) {
            Ok(Some((frame, _, _))) => Ok(Some(Reply::from(frame))),
            Ok(None) if self.buf.len() > self.max => Err(DecodeError::TooLarge { limit: self.max }),
            Ok(None) => Ok(None),
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
                while let Some(r) = d.next().unwrap() {
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
                match d.next() {
                    Ok(Some(_)) => continue,
                    _ => break,
                }
            }
        }
    }

    #[test]
    fn an_incomplete_reply_over_the_limit_is_refused() {
        let mut d = ReplyDecoder::new(16);
        d.buffer().extend_from_slice(b"$1000\r\n");
        assert_eq!(d.next(), Ok(None));
        d.buffer().extend_from_slice(&[b'x'; 32]);
        assert_eq!(d.next(), Err(DecodeError::TooLarge { limit: 16 }));
        let mut d = ReplyDecoder::new(16);
        d.buffer().extend_from_slice(b"?what\r\n");
        assert!(matches!(d.next(), Err(DecodeError::Malformed(_))));
    }
}
