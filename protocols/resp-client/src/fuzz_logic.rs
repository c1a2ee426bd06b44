//! What the `resp_reply` fuzz target checks, compiled always so that a stable test replays
//! the corpus (`tests/fuzz_corpus.rs`). Panics mean a bug.
//!
//! The first byte picks a chunk size; the rest is fed to a [`ReplyDecoder`] whole and in
//! chunks of that size. Both must agree on every reply up to the first error, and neither may
//! panic or hold more than its limit plus one read.

use crate::{DecodeError, Reply, ReplyDecoder};

const LIMIT: usize = 4096;

fn decode_all(chunks: &mut dyn Iterator<Item = &[u8]>) -> (Vec<Reply>, Option<DecodeError>) {
    let mut d = ReplyDecoder::new(LIMIT);
    let mut out = Vec::new();
    for chunk in chunks {
        d.buffer().extend_from_slice(chunk);
        loop {
            match d.next_reply() {
                Ok(Some(r)) => out.push(r),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
        assert!(
            d.buffer().len() <= LIMIT + chunk.len(),
            "decoder holds too much"
        );
    }
    (out, None)
}

pub fn replies(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let size = usize::from(first % 16) + 1;
    let (whole, whole_err) = decode_all(&mut std::iter::once(rest));
    let (chunked, chunked_err) = decode_all(&mut rest.chunks(size));
    if whole_err.is_none() && chunked_err.is_none() {
        assert_eq!(whole, chunked, "chunking changed the replies");
    } else {
        // One path may stop earlier (a size limit hit while incomplete), but what both
        // decoded must be the same replies.
        let n = whole.len().min(chunked.len());
        assert_eq!(whole[..n], chunked[..n], "chunking changed the replies");
    }
}
