//! Content-Length bodies: hand out exactly the announced number of bytes.

use bytes::BytesMut;

use crate::{BodyEvent, Headers};

/// One step for a body with `remaining` bytes still to come.
pub(super) fn decode(remaining: &mut u64, src: &mut BytesMut) -> Option<BodyEvent> {
    if *remaining == 0 {
        return Some(BodyEvent::End {
            trailers: Headers::new(),
        });
    }
    if src.is_empty() {
        return None;
    }
    // The announced length can exceed any buffer; take what is here, never
    // reserving anything based on the peer's number.
    let take = usize::try_from(*remaining).map_or(src.len(), |r| r.min(src.len()));
    *remaining -= take as u64;
    Some(BodyEvent::Data(src.split_to(take).freeze()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn exact_length_then_end() {
        let mut src = BytesMut::from(&b"helloGET"[..]);
        let mut rem = 5;
        assert_eq!(
            decode(&mut rem, &mut src),
            Some(BodyEvent::Data(Bytes::from_static(b"hello")))
        );
        assert!(matches!(
            decode(&mut rem, &mut src),
            Some(BodyEvent::End { .. })
        ));
        assert_eq!(&src[..], b"GET");
    }

    #[test]
    fn partial_and_huge() {
        let mut src = BytesMut::from(&b"ab"[..]);
        let mut rem = u64::MAX;
        assert_eq!(
            decode(&mut rem, &mut src),
            Some(BodyEvent::Data(Bytes::from_static(b"ab")))
        );
        assert_eq!(rem, u64::MAX - 2);
        assert_eq!(decode(&mut rem, &mut src), None);
    }
}
