//! RESP2 commands to a Redis-compatible server, pipelined.
//!
//! Commands are encoded by hand as arrays of bulk strings. Replies are
//! parsed just far enough to know where each one ends and whether it is an
//! error: every RESP2 type (simple string, error, integer, bulk, null bulk,
//! array, null array, nested arrays) is framed exactly, iteratively, so a
//! deep or huge reply cannot blow the stack, and nothing is copied.

use std::collections::VecDeque;

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{Codec, ErrorKind, Outcome, Protocol, ProtocolError};

/// Largest bulk string accepted (Redis' own proto-max-bulk-len default).
const MAX_BULK: usize = 512 * 1024 * 1024;
/// Most elements one reply may announce in total.
const MAX_ELEMENTS: usize = 1 << 24;

/// Which command every request sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Ping,
    Get,
    Set,
}

/// The command, key space and value of a run.
#[derive(Debug, Clone)]
pub struct Resp {
    command: Command,
    key_prefix: Bytes,
    key_space: u64,
    value: Bytes,
    /// The encoded command when every request is the same (key space 1).
    fixed: Option<Bytes>,
}

impl Resp {
    /// Keys are `key_prefix` followed by a number below `key_space` (just
    /// the prefix when `key_space` is 1); values are `value_size` bytes of `x`.
    pub fn new(command: Command, key_prefix: &str, key_space: u64, value_size: usize) -> Resp {
        let mut resp = Resp {
            command,
            key_prefix: Bytes::copy_from_slice(key_prefix.as_bytes()),
            key_space: key_space.max(1),
            value: Bytes::from(vec![b'x'; value_size]),
            fixed: None,
        };
        if resp.key_space == 1 {
            let mut wire = BytesMut::new();
            resp.encode_key(&resp.key_prefix.clone(), &mut wire);
            resp.fixed = Some(wire.freeze());
        }
        resp
    }

    fn encode_key(&self, key: &[u8], dst: &mut BytesMut) {
        match self.command {
            Command::Ping => encode_command(&[b"PING"], dst),
            Command::Get => encode_command(&[b"GET", key], dst),
            Command::Set => encode_command(&[b"SET", key, &self.value], dst),
        }
    }
}

/// Writes `*N\r\n` and N bulk strings.
pub fn encode_command(args: &[&[u8]], dst: &mut BytesMut) {
    dst.reserve(16 + args.iter().map(|a| a.len() + 16).sum::<usize>());
    put_header(b'*', args.len(), dst);
    for arg in args {
        put_header(b'$', arg.len(), dst);
        dst.put_slice(arg);
        dst.put_slice(b"\r\n");
    }
}

fn put_header(kind: u8, n: usize, dst: &mut BytesMut) {
    dst.put_u8(kind);
    dst.put_slice(n.to_string().as_bytes());
    dst.put_slice(b"\r\n");
}

/// The top-level type of one complete reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Simple,
    /// An error reply and its first word (`ERR`, `WRONGTYPE`).
    Error(String),
    Integer(i64),
    /// A bulk string of this many bytes.
    Bulk(usize),
    /// `$-1` or `*-1`.
    Null,
    /// An array of this many elements (each fully framed).
    Array(usize),
}

/// The length and type of the complete reply at the start of `src`, or
/// `None` if more bytes are needed.
pub fn parse_reply(src: &[u8]) -> Result<Option<(usize, Reply)>, ProtocolError> {
    let mut pos = 0;
    let mut remaining: usize = 1;
    let mut top = None;
    let mut total: usize = 0;
    while remaining > 0 {
        let Some((line, next)) = line_at(src, pos)? else {
            return Ok(None);
        };
        let (&kind, body) = line
            .split_first()
            .ok_or_else(|| ProtocolError("empty RESP line".into()))?;
        remaining -= 1;
        let reply = match kind {
            b'+' => Reply::Simple,
            b'-' => Reply::Error(first_word(body)),
            b':' => Reply::Integer(parse_int(body)?),
            b'$' => match parse_int(body)? {
                -1 => Reply::Null,
                n => Reply::Bulk(to_len(n, MAX_BULK)?),
            },
            b'*' => match parse_int(body)? {
                -1 => Reply::Null,
                n => Reply::Array(to_len(n, MAX_ELEMENTS)?),
            },
            other => {
                return Err(ProtocolError(format!(
                    "unknown RESP type byte 0x{other:02x}"
                )))
            }
        };
        pos = next;
        match reply {
            Reply::Bulk(n) => {
                let end = pos + n;
                if src.len() < end + 2 {
                    return Ok(None);
                }
                if &src[end..end + 2] != b"\r\n" {
                    return Err(ProtocolError("bulk string not followed by CRLF".into()));
                }
                pos = end + 2;
            }
            Reply::Array(n) => {
                total += n;
                if total > MAX_ELEMENTS {
                    return Err(ProtocolError("reply has too many elements".into()));
                }
                remaining += n;
            }
            _ => {}
        }
        top.get_or_insert(reply);
    }
    Ok(top.map(|reply| (pos, reply)))
}

/// The line starting at `pos` (without CRLF) and the index after its CRLF.
fn line_at(src: &[u8], pos: usize) -> Result<Option<(&[u8], usize)>, ProtocolError> {
    let rest = &src[pos.min(src.len())..];
    let Some(lf) = rest.iter().position(|&b| b == b'\n') else {
        if rest.len() > 64 * 1024 {
            return Err(ProtocolError("RESP line too long".into()));
        }
        return Ok(None);
    };
    if lf == 0 || rest[lf - 1] != b'\r' {
        return Err(ProtocolError("RESP line not ended by CRLF".into()));
    }
    Ok(Some((&rest[..lf - 1], pos + lf + 1)))
}

fn parse_int(digits: &[u8]) -> Result<i64, ProtocolError> {
    std::str::from_utf8(digits)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| ProtocolError("bad RESP integer".into()))
}

fn to_len(n: i64, max: usize) -> Result<usize, ProtocolError> {
    usize::try_from(n)
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| ProtocolError(format!("bad RESP length {n}")))
}

fn first_word(msg: &[u8]) -> String {
    let word: Vec<u8> = msg
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .take(32)
        .copied()
        .collect();
    if word.is_empty() {
        "unknown".into()
    } else {
        String::from_utf8_lossy(&word).into_owned()
    }
}

impl Protocol for Resp {
    type Codec = RespCodec;

    fn name(&self) -> &'static str {
        "resp"
    }

    fn codec(&self) -> RespCodec {
        RespCodec {
            proto: self.clone(),
            pending: VecDeque::new(),
            next_key: 0,
        }
    }
}

/// Per-connection state: tokens awaiting replies, in order.
#[derive(Debug)]
pub struct RespCodec {
    proto: Resp,
    pending: VecDeque<u64>,
    next_key: u64,
}

impl Codec for RespCodec {
    fn encode(&mut self, token: u64, dst: &mut BytesMut) {
        match &self.proto.fixed {
            Some(wire) => dst.extend_from_slice(wire),
            None => {
                // A Weyl sequence walks the key space evenly without a RNG.
                self.next_key = self.next_key.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let n = self.next_key % self.proto.key_space;
                let mut key = self.proto.key_prefix.to_vec();
                key.extend_from_slice(n.to_string().as_bytes());
                self.proto.encode_key(&key, dst);
            }
        }
        self.pending.push_back(token);
    }

    fn decode(
        &mut self,
        src: &mut BytesMut,
        _ctrl: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError> {
        while let Some((len, reply)) = parse_reply(src)? {
            src.advance(len);
            let token = self
                .pending
                .pop_front()
                .ok_or_else(|| ProtocolError("reply without a command".into()))?;
            let outcome = match reply {
                Reply::Error(word) => Outcome::Failed(ErrorKind::Reply(word)),
                _ => Outcome::Ok,
            };
            done.push((token, outcome));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
