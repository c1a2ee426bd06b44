//! [`MessageDecoder`]: splits a stream's DATA bytes into gRPC messages.
//!
//! Wire form (`PROTOCOL-HTTP2.md`, "Length-Prefixed-Message"): one flag byte
//! (0 = uncompressed, 1 = compressed with the stream's `grpc-encoding`), a
//! big-endian u32 length, then that many bytes. A message may span any
//! number of DATA frames and a frame may hold several messages.

use bytes::{Buf, Bytes, BytesMut};

use super::encoding::Encoding;
use super::inflate::gunzip_capped;
use crate::status::Status;

/// Receive limit everyone defaults to (grpc-go, tonic, C-core): 4 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 4 * 1024 * 1024;

/// Bytes of the flag + length prefix.
pub const PREFIX_LEN: usize = 5;

/// A prefix already read and checked, waiting for its payload.
#[derive(Debug, Clone, Copy)]
struct Pending {
    compressed: bool,
    len: usize,
}

/// Incremental decoder for one stream's messages.
///
/// The caller appends DATA payloads to a `BytesMut` and calls
/// [`decode`](Self::decode) until it returns `Ok(None)`. The prefix is
/// checked, and consumed, as soon as its five bytes are there, so an
/// oversized or malformed message fails before any of its payload is
/// buffered; the caller should stop reading the stream (and answer with the
/// status) on the first error. Errors are sticky: once failed, every later
/// call returns the same status.
///
/// The decoder never reserves the declared length up front: a peer could
/// announce 4 MiB on each of many streams and send nothing. Memory then
/// grows only with bytes actually received, which HTTP/2 flow control bounds.
#[derive(Debug, Clone)]
pub struct MessageDecoder {
    max: usize,
    encoding: Encoding,
    pending: Option<Pending>,
    failed: Option<Status>,
}

impl MessageDecoder {
    /// A decoder that refuses messages (compressed or inflated) over
    /// `max_message_size` bytes, for a stream whose `grpc-encoding` is
    /// `encoding` ([`Encoding::Identity`] when the header is absent).
    pub fn new(max_message_size: usize, encoding: Encoding) -> MessageDecoder {
        MessageDecoder {
            max: max_message_size,
            encoding,
            pending: None,
            failed: None,
        }
    }

    /// The receive limit.
    pub fn max_message_size(&self) -> usize {
        self.max
    }

    /// The stream's encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Takes the next whole message off the front of `src`: `Ok(None)` when
    /// more bytes are needed. Uncompressed payloads are split off `src`
    /// without copying; gzip ones are inflated under the same limit.
    ///
    /// Errors: flag not 0 or 1, or flag 1 on an identity stream →
    /// `INTERNAL`; declared or inflated length over the limit →
    /// `RESOURCE_EXHAUSTED`; bad gzip → `INTERNAL`.
    pub fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Status> {
        if let Some(status) = &self.failed {
            return Err(status.clone());
        }
        let result = self.decode_inner(src);
        if let Err(status) = &result {
            self.failed = Some(status.clone());
        }
        result
    }

    fn decode_inner(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, Status> {
        let pending = match self.pending {
            Some(pending) => pending,
            None => {
                let Some(prefix) = src.get(..PREFIX_LEN) else {
                    return Ok(None);
                };
                let pending = self.check_prefix(prefix)?;
                src.advance(PREFIX_LEN);
                self.pending = Some(pending);
                pending
            }
        };
        if src.len() < pending.len {
            return Ok(None);
        }
        self.pending = None;
        let payload = src.split_to(pending.len).freeze();
        if !pending.compressed {
            return Ok(Some(payload));
        }
        match self.encoding {
            Encoding::Gzip => gunzip_capped(&payload, self.max).map(Some),
            // Refused in check_prefix already; kept total for the compiler.
            Encoding::Identity => Err(compressed_without_encoding()),
        }
    }

    fn check_prefix(&self, prefix: &[u8]) -> Result<Pending, Status> {
        let compressed = match prefix[0] {
            0 => false,
            1 => true,
            flag => {
                return Err(Status::internal(format!(
                    "invalid message flag 0x{flag:02x} (must be 0 or 1)"
                )))
            }
        };
        if compressed && self.encoding == Encoding::Identity {
            return Err(compressed_without_encoding());
        }
        let declared = u32::from_be_bytes([prefix[1], prefix[2], prefix[3], prefix[4]]);
        // u32 always fits usize on the 64-bit targets we build for; a
        // failed conversion is just another too-large message.
        let len = usize::try_from(declared).unwrap_or(usize::MAX);
        if len > self.max {
            return Err(Status::resource_exhausted(format!(
                "message of {declared} bytes exceeds the {}-byte limit",
                self.max
            )));
        }
        Ok(Pending { compressed, len })
    }

    /// The declared length of the message whose prefix has been consumed
    /// and whose payload is still incomplete, if any.
    pub fn pending_len(&self) -> Option<usize> {
        self.pending.map(|p| p.len)
    }

    /// Whether a message is partly received (prefix consumed, or bytes
    /// left in `src`).
    pub fn is_mid_message(&self, src: &BytesMut) -> bool {
        self.pending.is_some() || !src.is_empty()
    }

    /// Call at END_STREAM: a stream that ends inside a message (even inside
    /// its prefix) is `INTERNAL`.
    pub fn finish(&self, src: &BytesMut) -> Result<(), Status> {
        if let Some(status) = &self.failed {
            return Err(status.clone());
        }
        if self.is_mid_message(src) {
            return Err(Status::internal("stream ended in the middle of a message"));
        }
        Ok(())
    }
}

impl Default for MessageDecoder {
    /// 4 MiB limit, identity encoding.
    fn default() -> MessageDecoder {
        MessageDecoder::new(DEFAULT_MAX_MESSAGE_SIZE, Encoding::Identity)
    }
}

fn compressed_without_encoding() -> Status {
    Status::internal("compressed flag set but no grpc-encoding")
}

#[cfg(test)]
mod tests;
