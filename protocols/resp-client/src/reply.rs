//! A decoded reply, as the callers of this crate want it: owned, cheap to clone (`Bytes`), and
//! with the two kinds of "nothing" (nil bulk and nil array) folded into one.

use bytes::Bytes;
use redis_protocol::resp2::types::BytesFrame;

use crate::RespError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `+OK`, `+PONG`, `+QUEUED`.
    Status(Bytes),
    /// `-ERR ...`: kept as a value, see [`RespError::Server`].
    Error(String),
    Integer(i64),
    Bulk(Bytes),
    Array(Vec<Reply>),
    /// A nil bulk string or nil array.
    Nil,
}

impl From<BytesFrame> for Reply {
    fn from(f: BytesFrame) -> Reply {
        match f {
            BytesFrame::SimpleString(b) => Reply::Status(b),
            BytesFrame::Error(s) => Reply::Error(s.to_string()),
            BytesFrame::Integer(n) => Reply::Integer(n),
            BytesFrame::BulkString(b) => Reply::Bulk(b),
            BytesFrame::Array(items) => Reply::Array(items.into_iter().map(Reply::from).collect()),
            BytesFrame::Null => Reply::Nil,
        }
    }
}

impl Reply {
    /// An error reply becomes [`RespError::Server`]; anything else is returned as it is.
    pub fn into_result(self) -> Result<Reply, RespError> {
        match self {
            Reply::Error(e) => Err(RespError::Server(e)),
            other => Ok(other),
        }
    }

    /// The error reply's text, if this is one.
    pub fn error(&self) -> Option<&str> {
        match self {
            Reply::Error(e) => Some(e),
            _ => None,
        }
    }

    /// An integer reply, or a bulk/status string holding a decimal integer (Lua numbers come
    /// back as integers, `GET` of a counter as a string).
    pub fn as_int(&self) -> Result<i64, RespError> {
        match self {
            Reply::Integer(n) => Ok(*n),
            Reply::Bulk(b) | Reply::Status(b) => std::str::from_utf8(b)
                .ok()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| RespError::Unexpected(format!("{:?} is not an integer", b))),
            other => Err(RespError::Unexpected(format!(
                "expected an integer, got {other:?}"
            ))),
        }
    }

    /// A field/value array (`HGETALL`) as pairs; `Nil` or an empty array gives no pairs.
    pub fn into_pairs(self) -> Result<Vec<(Bytes, Bytes)>, RespError> {
        let items = match self {
            Reply::Array(items) => items,
            Reply::Nil => return Ok(Vec::new()),
            other => {
                return Err(RespError::Unexpected(format!(
                    "expected an array, got {other:?}"
                )))
            }
        };
        if items.len() % 2 != 0 {
            return Err(RespError::Unexpected(format!(
                "a field/value array of odd length {}",
                items.len()
            )));
        }
        let mut out = Vec::with_capacity(items.len() / 2);
        let mut it = items.into_iter();
        while let (Some(f), Some(v)) = (it.next(), it.next()) {
            match (f, v) {
                (Reply::Bulk(f), Reply::Bulk(v)) => out.push((f, v)),
                (f, v) => {
                    return Err(RespError::Unexpected(format!(
                        "field/value pair ({f:?}, {v:?}) is not two strings"
                    )))
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_from_hgetall() {
        let r = Reply::Array(vec![
            Reply::Bulk(Bytes::from_static(b"data")),
            Reply::Bulk(Bytes::from_static(b"v")),
            Reply::Bulk(Bytes::from_static(b"version")),
            Reply::Bulk(Bytes::from_static(b"3")),
        ]);
        let pairs = r.into_pairs().unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(&pairs[1].1[..], b"3");
        assert!(Reply::Array(vec![Reply::Nil]).into_pairs().is_err());
        assert!(Reply::Integer(1).into_pairs().is_err());
        assert_eq!(Reply::Nil.into_pairs().unwrap(), vec![]);
    }

    #[test]
    fn integers_from_numbers_and_strings() {
        assert_eq!(Reply::Integer(-3).as_int(), Ok(-3));
        assert_eq!(Reply::Bulk(Bytes::from_static(b"42")).as_int(), Ok(42));
        assert!(Reply::Bulk(Bytes::from_static(b"4x")).as_int().is_err());
        assert!(Reply::Nil.as_int().is_err());
        assert_eq!(
            Reply::Error("ERR x".into()).into_result(),
            Err(RespError::Server("ERR x".into()))
        );
    }
}
