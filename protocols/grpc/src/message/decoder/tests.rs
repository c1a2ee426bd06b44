//! Decoder unit tests: byte vectors written by hand from the
//! Length-Prefixed-Message grammar in gRPC's `PROTOCOL-HTTP2.md`.

use bytes::{BufMut, BytesMut};

use super::*;
use crate::code::Code;
use crate::message::encode_compressed;

fn buf(bytes: &[u8]) -> BytesMut {
    BytesMut::from(bytes)
}

#[test]
fn two_messages_in_one_buffer() {
    let mut d = MessageDecoder::default();
    let mut src = buf(b"\x00\x00\x00\x00\x02hi\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01");
    assert_eq!(d.decode(&mut src).unwrap().as_deref(), Some(&b"hi"[..]));
    // A zero-length message is a real (empty) message, e.g. Empty.
    assert_eq!(d.decode(&mut src).unwrap().as_deref(), Some(&b""[..]));
    assert_eq!(d.decode(&mut src).unwrap(), None);
    assert!(d.is_mid_message(&src));
    src.put_u8(b'!');
    assert_eq!(d.decode(&mut src).unwrap().as_deref(), Some(&b"!"[..]));
    assert!(src.is_empty());
    assert!(d.finish(&src).is_ok());
}

#[test]
fn payload_is_split_off_without_copying() {
    let mut d = MessageDecoder::default();
    let mut src = buf(b"\x00\x00\x00\x00\x04abcd\x00");
    let base = src.as_ptr() as usize;
    let msg = d.decode(&mut src).unwrap().unwrap();
    assert_eq!(msg.as_ptr() as usize, base + PREFIX_LEN);
}

#[test]
fn byte_at_a_time() {
    let wire = b"\x00\x00\x00\x00\x03abc";
    let mut d = MessageDecoder::default();
    let mut src = BytesMut::new();
    for (i, &b) in wire.iter().enumerate() {
        src.put_u8(b);
        let got = d.decode(&mut src).unwrap();
        assert_eq!(got.is_some(), i == wire.len() - 1);
    }
}

#[test]
fn huge_declared_length_fails_on_the_prefix_alone() {
    let mut d = MessageDecoder::default();
    let mut src = buf(b"\x00\xff\xff\xff\xff");
    let err = d.decode(&mut src).unwrap_err();
    assert_eq!(err.code, Code::ResourceExhausted);
    assert!(err.message.contains("4294967295"), "{}", err.message);
    // Sticky, and nothing was consumed or buffered on its behalf.
    assert_eq!(d.decode(&mut src).unwrap_err(), err);
    assert_eq!(d.finish(&src).unwrap_err(), err);
}

#[test]
fn limit_is_inclusive() {
    let max = DEFAULT_MAX_MESSAGE_SIZE;
    let mut over = buf(&[0, 0, 0x40, 0, 1]); // 4 MiB + 1
    assert_eq!(
        MessageDecoder::default()
            .decode(&mut over)
            .unwrap_err()
            .code,
        Code::ResourceExhausted
    );
    // Exactly 4 MiB, delivered in 1000 pieces.
    let mut wire = vec![0u8, 0, 0x40, 0, 0];
    wire.resize(PREFIX_LEN + max, 0x5a);
    let mut d = MessageDecoder::default();
    let mut src = BytesMut::new();
    let mut got = None;
    for piece in wire.chunks(wire.len().div_ceil(1000)) {
        src.extend_from_slice(piece);
        if let Some(m) = d.decode(&mut src).unwrap() {
            got = Some(m);
        }
    }
    assert_eq!(got.map(|m| m.len()), Some(max));
}

#[test]
fn bad_flags_are_internal() {
    for flag in [2u8, 0x80, 0xff] {
        let mut src = buf(&[flag, 0, 0, 0, 0]);
        let err = MessageDecoder::default().decode(&mut src).unwrap_err();
        assert_eq!(err.code, Code::Internal, "flag {flag}");
    }
}

#[test]
fn compressed_flag_on_identity_stream() {
    let mut src = buf(b"\x01\x00\x00\x00\x01x");
    let err = MessageDecoder::default().decode(&mut src).unwrap_err();
    assert_eq!(
        err,
        Status::internal("compressed flag set but no grpc-encoding")
    );
}

#[test]
fn end_stream_inside_a_message() {
    let d = MessageDecoder::default();
    assert_eq!(
        d.finish(&buf(b"\x00\x00\x00")).unwrap_err().code,
        Code::Internal
    );
    let mut d = MessageDecoder::default();
    let mut src = buf(b"\x00\x00\x00\x00\x05ab");
    assert_eq!(d.decode(&mut src).unwrap(), None);
    assert_eq!(d.finish(&src).unwrap_err().code, Code::Internal);
    assert!(MessageDecoder::default().finish(&BytesMut::new()).is_ok());
}

#[test]
fn gzip_stream_accepts_both_flags() {
    let mut src = BytesMut::new();
    encode_compressed(b"squeezed", Encoding::Gzip, &mut src).unwrap();
    src.extend_from_slice(b"\x00\x00\x00\x00\x05plain");
    let mut d = MessageDecoder::new(1024, Encoding::Gzip);
    assert_eq!(
        d.decode(&mut src).unwrap().as_deref(),
        Some(&b"squeezed"[..])
    );
    assert_eq!(d.decode(&mut src).unwrap().as_deref(), Some(&b"plain"[..]));
}

// Output of a stock gzip 1.12 (`printf hello | gzip -n` and 1000 × 'a'
// through `gzip -n -9`), framed by hand: an independent compressor's
// output must inflate, and the inflated size is what the limit applies to.
const GZ_HELLO: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00\x86\xa6\x10\x36\x05\x00\x00\x00";
const GZ_1000_A: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\x4b\x4c\x1c\x05\xa3\x60\x14\x0c\x77\x00\x00\x03\xda\x38\x9a\xe8\x03\x00\x00";

fn framed(gz: &[u8]) -> BytesMut {
    let mut src = BytesMut::new();
    src.put_u8(1);
    src.put_u32(u32::try_from(gz.len()).unwrap());
    src.put_slice(gz);
    src
}

#[test]
fn gzip_from_an_independent_compressor() {
    let mut d = MessageDecoder::new(64, Encoding::Gzip);
    assert_eq!(
        d.decode(&mut framed(GZ_HELLO)).unwrap().as_deref(),
        Some(&b"hello"[..])
    );
    let mut d = MessageDecoder::new(1000, Encoding::Gzip);
    assert_eq!(
        d.decode(&mut framed(GZ_1000_A)).unwrap().unwrap(),
        vec![b'a'; 1000]
    );
    // 29 compressed bytes pass a 999-byte limit; 1000 inflated ones do not.
    let mut d = MessageDecoder::new(999, Encoding::Gzip);
    assert_eq!(
        d.decode(&mut framed(GZ_1000_A)).unwrap_err().code,
        Code::ResourceExhausted
    );
}
