//! gzip inflation with a hard output cap: the decompression-bomb defence.
//!
//! A few hundred KiB of gzip can inflate to gigabytes, so the output is
//! never allowed to grow past the receive limit: inflation stops the moment
//! one byte more than `max` would be produced, and the output buffer's
//! capacity is managed by hand so it never exceeds `max` either (amortised
//! doubling could otherwise reserve up to twice the limit). Peak heap for
//! one message is therefore at most 1.5 × `max` (while the last doubling
//! copies half the limit into the full-size buffer) plus the inflater's
//! ~40 KiB state.

use std::io::Read;

use bytes::Bytes;
use flate2::bufread::MultiGzDecoder;

use crate::status::Status;

/// Inflation step; also the smallest first allocation.
const CHUNK: usize = 16 * 1024;

/// Inflates one gzip-compressed message, refusing any output over `max`
/// bytes with `RESOURCE_EXHAUSTED` and malformed gzip with `INTERNAL`.
///
/// Concatenated gzip members are accepted (RFC 1952 allows them and Go's
/// reader, which grpc-go uses, reads them all). A fresh decompressor is
/// built per message so no state leaks between messages.
pub(crate) fn gunzip_capped(input: &[u8], max: usize) -> Result<Bytes, Status> {
    if input.is_empty() {
        // An empty body is not a gzip stream (a gzip of nothing is 20 bytes).
        return Err(Status::internal("gzip: empty compressed message"));
    }
    let mut decoder = MultiGzDecoder::new(input);
    let mut out: Vec<u8> = Vec::new();
    let mut buf = [0u8; CHUNK];
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Status::internal(format!("gzip: {e}"))),
        };
        let needed = out.len().saturating_add(n);
        if needed > max {
            return Err(too_large(max));
        }
        if needed > out.capacity() {
            // Double, but never beyond the cap: reserve_exact keeps the
            // capacity at what is asked for.
            let target = needed.max(out.len().saturating_mul(2)).max(CHUNK).min(max);
            out.reserve_exact(target - out.len());
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(Bytes::from(out))
}

fn too_large(max: usize) -> Status {
    Status::resource_exhausted(format!("decompressed message exceeds the {max}-byte limit"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::GzEncoder;
    use flate2::Compression;

    use super::*;
    use crate::code::Code;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn inflates_within_the_cap() {
        let data = vec![7u8; 100_000];
        let out = gunzip_capped(&gzip(&data), 100_000).unwrap();
        assert_eq!(&out[..], &data[..]);
        assert!(out.len() <= 100_000);
    }

    #[test]
    fn one_byte_over_is_refused() {
        let data = vec![7u8; 100_001];
        let err = gunzip_capped(&gzip(&data), 100_000).unwrap_err();
        assert_eq!(err.code, Code::ResourceExhausted);
    }

    #[test]
    fn concatenated_members() {
        let mut two = gzip(b"hello ");
        two.extend(gzip(b"world"));
        assert_eq!(&gunzip_capped(&two, 64).unwrap()[..], b"hello world");
    }

    #[test]
    fn malformed_is_internal() {
        for bad in [&b""[..], b"not gzip at all", &gzip(b"abc")[..10]] {
            assert_eq!(
                gunzip_capped(bad, 64).unwrap_err().code,
                Code::Internal,
                "{bad:?}"
            );
        }
        // Corrupt the CRC-32 trailer.
        let mut g = gzip(b"abc");
        let at = g.len() - 8;
        g[at] ^= 0xff;
        assert_eq!(gunzip_capped(&g, 64).unwrap_err().code, Code::Internal);
        // Trailing garbage after a member.
        let mut g = gzip(b"abc");
        g.extend_from_slice(b"junk");
        assert_eq!(gunzip_capped(&g, 64).unwrap_err().code, Code::Internal);
    }
}
