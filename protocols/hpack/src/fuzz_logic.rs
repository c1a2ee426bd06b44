//! Shared body of the `hpack_decoder` fuzz target, compiled always so
//! stable tests can replay the corpus through it.
//!
//! Input format: one control byte, then records. Control: low 7 bits × 64
//! is the initial table size (4 → 256, 64 → 4096); the high bit sets a
//! tight 256-byte header list limit. Each record is a length byte `L` and
//! `L` bytes of header block (the last one may be short); `L = 0` is
//! instead a settings change, the next byte × 64 being our new table size
//! limit.
//!
//! Every block that decodes is re-encoded with [`Encoder`] and decoded by a
//! second [`Decoder`]; the fields and both tables must then agree.

use bytes::{Bytes, BytesMut};

use crate::{Decoder, DecoderError, Encoder, Header};

/// Runs one fuzz input. Panics only on a real bug (a failed assertion).
pub fn decode(data: &[u8]) {
    decode_counting(data);
}

/// [`decode`], returning how many blocks decoded and round-tripped (so
/// tests can tell a seed still reaches the interesting paths).
pub fn decode_counting(data: &[u8]) -> usize {
    let Some((&control, mut rest)) = data.split_first() else {
        return 0;
    };
    let table_size = usize::from(control & 0x7f) * 64;
    let list_limit = if control & 0x80 != 0 { 256 } else { usize::MAX };

    let mut decoder = Decoder::new(table_size);
    let mut encoder = Encoder::new(table_size);
    let mut mirror = Decoder::new(table_size);
    let mut blocks = 0usize;

    while let Some((&len, tail)) = rest.split_first() {
        if len == 0 {
            let Some((&size, tail)) = tail.split_first() else {
                return blocks;
            };
            let size = usize::from(size) * 64;
            decoder.set_max_table_size(size);
            encoder.update_max_table_size(size);
            mirror.set_max_table_size(size);
            rest = tail;
            continue;
        }
        let take = usize::from(len).min(tail.len());
        let (block, tail) = tail.split_at(take);
        rest = tail;

        let mut headers = Vec::new();
        match decoder.decode(&Bytes::copy_from_slice(block), list_limit, |h| {
            headers.push(h)
        }) {
            Ok(()) => {}
            // A stream error: the table must still be usable, so go on.
            Err(DecoderError::HeaderListTooLarge) => continue,
            Err(_) => return blocks,
        }
        check_reencode(&mut encoder, &mut mirror, &headers, blocks & 1 == 0);
        blocks += 1;
    }
    blocks
}

fn check_reencode(encoder: &mut Encoder, mirror: &mut Decoder, headers: &[Header], huffman: bool) {
    encoder.set_huffman(huffman);
    let mut out = BytesMut::new();
    encoder.encode(headers, &mut out);
    let mut again = Vec::with_capacity(headers.len());
    let result = mirror.decode(&out.freeze(), usize::MAX, |h| again.push(h));
    assert_eq!(result, Ok(()), "re-encoded block failed to decode");
    assert_eq!(again, headers, "re-encoded block decoded differently");
    assert_eq!(
        mirror.dynamic_table(),
        encoder.dynamic_table(),
        "encoder and decoder tables diverged"
    );
}
