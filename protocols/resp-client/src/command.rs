//! A request: the command name and its arguments, sent as a RESP array of bulk strings (the
//! only request form Redis parses besides inline commands).

use bytes::{Bytes, BytesMut};
use redis_protocol::resp2::encode::extend_encode_borrowed;
use redis_protocol::resp2::types::BorrowedFrame;

/// One Redis command. Arguments are `Bytes`, so a value that arrived in a gRPC message goes
/// to the socket buffer without another copy in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    args: Vec<Bytes>,
}

impl Command {
    pub fn new(name: &'static str) -> Command {
        Command {
            args: vec![Bytes::from_static(name.as_bytes())],
        }
    }

    pub fn arg(mut self, a: impl Into<Bytes>) -> Command {
        self.args.push(a.into());
        self
    }

    /// An argument from a borrowed string (copied).
    pub fn arg_str(self, a: &str) -> Command {
        self.arg(Bytes::copy_from_slice(a.as_bytes()))
    }

    /// A number, in decimal as Redis expects.
    pub fn arg_int(self, n: i64) -> Command {
        self.arg(Bytes::from(n.to_string()))
    }

    pub fn name(&self) -> &[u8] {
        &self.args[0]
    }

    pub fn args(&self) -> &[Bytes] {
        &self.args
    }

    /// Appends the wire form to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        let frames: Vec<BorrowedFrame<'_>> = self
            .args
            .iter()
            .map(|a| BorrowedFrame::BulkString(a))
            .collect();
        // Encoding an array of bulk strings into a growable buffer has no failure mode: the
        // crate's only errors are "buffer too small" (it extends) and invalid frame kinds.
        let encoded = extend_encode_borrowed(out, &BorrowedFrame::Array(&frames), false);
        debug_assert!(encoded.is_ok(), "{encoded:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_an_array_of_bulk_strings() {
        let mut out = BytesMut::new();
        Command::new("SET")
            .arg_str("k")
            .arg(Bytes::from_static(b"a\r\nb"))
            .encode(&mut out);
        Command::new("INCRBY")
            .arg_str("n")
            .arg_int(-5)
            .encode(&mut out);
        assert_eq!(
            &out[..],
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n*3\r\n$6\r\nINCRBY\r\n$1\r\nn\r\n$2\r\n-5\r\n"
        );
    }
}
