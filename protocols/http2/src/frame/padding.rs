//! Optional padding of DATA, HEADERS and PUSH_PROMISE (RFC 9113 §6.1, §6.2,
//! §6.6): a Pad Length octet when PADDED is set, then that many zero octets
//! after the content.

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{Flags, Head};
use crate::FrameError;

/// Removes the Pad Length octet and the padding from `payload`, leaving the
/// content in place, and returns the pad length if PADDED was set.
pub(crate) fn strip(head: &Head, payload: &mut Bytes) -> Result<Option<u8>, FrameError> {
    if !head.flags.contains(Flags::PADDED) {
        return Ok(None);
    }
    // §4.2: a frame too small to contain mandatory fields (here Pad Length)
    // is a FRAME_SIZE_ERROR.
    if payload.is_empty() {
        return Err(super::bad_size(head));
    }
    let pad_len = payload.get_u8();
    // §6.1/§6.2/§6.6: "If the length of the padding is the length of the
    // frame payload or greater, the recipient MUST treat this as a connection
    // error of type PROTOCOL_ERROR." The payload includes the Pad Length octet,
    // so after removing it the padding must fit in what is left.
    if usize::from(pad_len) > payload.len() {
        return Err(FrameError::PaddingTooLong { kind: head.kind });
    }
    payload.truncate(payload.len() - usize::from(pad_len));
    Ok(Some(pad_len))
}

/// Octets padding adds to a payload: the Pad Length octet plus the padding.
pub(crate) fn overhead(pad_len: Option<u8>) -> usize {
    pad_len.map_or(0, |n| 1 + usize::from(n))
}

/// Writes the Pad Length octet, if any.
pub(crate) fn put_pad_len(pad_len: Option<u8>, dst: &mut BytesMut) {
    if let Some(n) = pad_len {
        dst.put_u8(n);
    }
}

/// Writes the padding; §6.1: "Padding octets MUST be set to zero when sending."
pub(crate) fn put_padding(pad_len: Option<u8>, dst: &mut BytesMut) {
    if let Some(n) = pad_len {
        dst.put_bytes(0, usize::from(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{Kind, StreamId};

    fn head(flags: u8, length: u32) -> Head {
        Head {
            length,
            kind: Kind::Data,
            flags: Flags(flags),
            stream_id: StreamId::new(1),
        }
    }

    #[test]
    fn unpadded_untouched() {
        let mut p = Bytes::from_static(b"\x02ab");
        assert_eq!(strip(&head(0, 3), &mut p).unwrap(), None);
        assert_eq!(&p[..], b"\x02ab");
    }

    #[test]
    fn strips_padding() {
        // pad length 2, content "ab", padding 00 00
        let mut p = Bytes::from_static(b"\x02ab\x00\x00");
        assert_eq!(strip(&head(Flags::PADDED, 5), &mut p).unwrap(), Some(2));
        assert_eq!(&p[..], b"ab");
    }

    #[test]
    fn padding_filling_whole_rest_is_ok() {
        // pad length 2 with exactly two padding octets and no content
        let mut p = Bytes::from_static(b"\x02\x00\x00");
        assert_eq!(strip(&head(Flags::PADDED, 3), &mut p).unwrap(), Some(2));
        assert!(p.is_empty());
    }

    #[test]
    fn padding_too_long() {
        // pad length 3 but only 2 octets follow: padding >= payload length (3)
        let mut p = Bytes::from_static(b"\x03\x00\x00");
        assert_eq!(
            strip(&head(Flags::PADDED, 3), &mut p),
            Err(FrameError::PaddingTooLong { kind: Kind::Data })
        );
    }

    #[test]
    fn missing_pad_length() {
        let mut p = Bytes::new();
        assert_eq!(
            strip(&head(Flags::PADDED, 0), &mut p),
            Err(FrameError::BadFrameSize {
                kind: Kind::Data,
                length: 0
            })
        );
    }
}
