//! Writing length-prefixed messages.
//!
//! Responses are sent uncompressed (flag 0) by default: compression is a
//! per-message choice the server may skip, and skipping it is always valid.
//! [`encode_compressed`] exists for clients and tests that want gzip.

use std::io::Write;

use bytes::{BufMut, BytesMut};
use flate2::write::GzEncoder;
use flate2::Compression;

use super::decoder::PREFIX_LEN;
use super::encoding::Encoding;
use crate::status::Status;

fn put_prefix(compressed: bool, len: usize, dst: &mut BytesMut) -> Result<(), Status> {
    let len = u32::try_from(len).map_err(|_| {
        Status::resource_exhausted(format!("message of {len} bytes cannot be framed (> 4 GiB)"))
    })?;
    dst.reserve(PREFIX_LEN + len as usize);
    dst.put_u8(u8::from(compressed));
    dst.put_u32(len);
    Ok(())
}

/// Appends `payload` as one uncompressed message (flag 0).
/// Fails only for payloads over `u32::MAX` bytes.
pub fn encode_raw(payload: &[u8], dst: &mut BytesMut) -> Result<(), Status> {
    put_prefix(false, payload.len(), dst)?;
    dst.put_slice(payload);
    Ok(())
}

/// Encodes a protobuf message straight into `dst` behind its prefix (no
/// intermediate buffer). Fails only for messages over `u32::MAX` bytes.
pub fn encode_message(msg: &impl prost::Message, dst: &mut BytesMut) -> Result<(), Status> {
    put_prefix(false, msg.encoded_len(), dst)?;
    // Cannot fail: `dst` grows and was reserved above.
    msg.encode(dst)
        .map_err(|e| Status::internal(format!("protobuf encode: {e}")))
}

/// Like [`encode_message`], but refuses with `RESOURCE_EXHAUSTED` before
/// encoding anything when the message is over the send limit.
pub fn encode_message_limited(
    msg: &impl prost::Message,
    max_send: usize,
    dst: &mut BytesMut,
) -> Result<(), Status> {
    let len = msg.encoded_len();
    if len > max_send {
        return Err(Status::resource_exhausted(format!(
            "response of {len} bytes exceeds the {max_send}-byte send limit"
        )));
    }
    encode_message(msg, dst)
}

/// Appends `payload` compressed with `encoding` (flag 1), or uncompressed
/// (flag 0) for [`Encoding::Identity`].
pub fn encode_compressed(
    payload: &[u8],
    encoding: Encoding,
    dst: &mut BytesMut,
) -> Result<(), Status> {
    match encoding {
        Encoding::Identity => encode_raw(payload, dst),
        Encoding::Gzip => {
            let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
            gz.write_all(payload)
                .and_then(|()| gz.flush())
                .map_err(|e| Status::internal(format!("gzip: {e}")))?;
            let body = gz
                .finish()
                .map_err(|e| Status::internal(format!("gzip: {e}")))?;
            put_prefix(true, body.len(), dst)?;
            dst.put_slice(&body);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, PartialEq, prost::Message)]
    struct Hello {
        #[prost(string, tag = "1")]
        name: String,
    }

    #[test]
    fn raw_prefix_bytes() {
        let mut dst = BytesMut::new();
        encode_raw(b"", &mut dst).unwrap();
        encode_raw(b"abc", &mut dst).unwrap();
        assert_eq!(&dst[..], b"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03abc");
    }

    #[test]
    fn protobuf_message_bytes() {
        // field 1, wire type 2 → tag 0x0a, length 5, "world".
        let mut dst = BytesMut::new();
        encode_message(
            &Hello {
                name: "world".into(),
            },
            &mut dst,
        )
        .unwrap();
        assert_eq!(&dst[..], b"\x00\x00\x00\x00\x07\x0a\x05world");
    }

    #[test]
    fn send_limit_checked_before_encoding() {
        let mut dst = BytesMut::new();
        let big = Hello {
            name: "x".repeat(100),
        };
        let err = encode_message_limited(&big, 50, &mut dst).unwrap_err();
        assert_eq!(err.code, crate::code::Code::ResourceExhausted);
        assert!(dst.is_empty());
        encode_message_limited(&big, 102, &mut dst).unwrap();
        assert_eq!(dst.len(), 5 + 102);
    }

    #[test]
    fn gzip_sets_the_flag() {
        let mut dst = BytesMut::new();
        encode_compressed(b"hello", Encoding::Gzip, &mut dst).unwrap();
        assert_eq!(dst[0], 1);
        // gzip magic after the prefix.
        assert_eq!(&dst[5..7], b"\x1f\x8b");
        let mut dst = BytesMut::new();
        encode_compressed(b"hello", Encoding::Identity, &mut dst).unwrap();
        assert_eq!(&dst[..], b"\x00\x00\x00\x00\x05hello");
    }
}
