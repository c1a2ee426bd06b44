//! Ownership-passing reads into the unused tail of a `BytesMut`.
//!
//! monoio's reads write from the start of the buffer they are given (the kernel owns it while
//! the read is in flight, see monoio's "why rent" notes), so appending to data already
//! buffered needs a slice over the spare capacity. This is the one place that does it.

use std::io;

use bytes::BytesMut;
use monoio::buf::IoBufMut;
use monoio::io::AsyncReadRent;

/// Reads once into the spare capacity of `buf`, reserving `min_spare` bytes first.
/// Returns the bytes read (0 at end of stream) and the buffer, with the new bytes appended.
pub async fn read_buf<R: AsyncReadRent>(
    reader: &mut R,
    mut buf: BytesMut,
    min_spare: usize,
) -> (io::Result<usize>, BytesMut) {
    if buf.capacity() - buf.len() < min_spare {
        buf.reserve(min_spare);
    }
    let (start, end) = (buf.len(), buf.capacity());
    let (res, slice) = reader.read(buf.slice_mut(start..end)).await;
    (res, slice.into_inner())
}
