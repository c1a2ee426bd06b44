//! A request: the command name and its arguments, sent as a RESP array of bulk strings (the
//! only request form Redis parses besides inline commands).

use bytes::{BufMut, Bytes, BytesMut};

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

    /// Appends the wire form to `out`. Written by hand rather than through `redis-protocol`'s
    /// frame encoder: a request is always a flat array of bulk strings, and building a frame
    /// per call cost more than the encoding itself on the hot path (the test below holds this
    /// to the crate's output byte for byte).
    pub fn encode(&self, out: &mut BytesMut) {
        let size: usize = self.args.iter().map(|a| a.len() + 16).sum::<usize>() + 16;
        out.reserve(size);
        header(out, b'*', self.args.len());
        for a in &self.args {
            header(out, b'$', a.len());
            out.put_slice(a);
            out.put_slice(b"\r\n");
        }
    }
}

/// `<kind><n>\r\n`, with `n` in decimal.
fn header(out: &mut BytesMut, kind: u8, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.put_u8(kind);
    out.put_slice(&digits[at..]);
    out.put_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_exactly_as_redis_protocol_does() {
        use redis_protocol::resp2::encode::extend_encode;
        use redis_protocol::resp2::types::BytesFrame;
        let args: Vec<Bytes> = [&b""[..], b"EVALSHA", b"x", &[0u8; 300], b"1234567890"]
            .iter()
            .map(|a| Bytes::copy_from_slice(a))
            .collect();
        for n in 1..=args.len() {
            let mut c = Command::new("X");
            for a in &args[..n] {
                c = c.arg(a.clone());
            }
            let mut ours = BytesMut::new();
            c.encode(&mut ours);
            let frame = BytesFrame::Array(
                c.args()
                    .iter()
                    .cloned()
                    .map(BytesFrame::BulkString)
                    .collect(),
            );
            let mut theirs = BytesMut::new();
            extend_encode(&mut theirs, &frame, false).unwrap();
            assert_eq!(ours, theirs);
        }
    }

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
