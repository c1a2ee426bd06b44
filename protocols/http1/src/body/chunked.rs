//! The chunked transfer coding (RFC 9112 §7.1), decoded incrementally.

use bytes::{Buf, BytesMut};

use super::chunk_line::{self, leading_hex};
use crate::scan::{BlockLimits, BlockScanner};
use crate::{BodyEvent, Error, Limits};

/// Trailer fields that would change framing or routing after the fact;
/// RFC 9110 §6.5.1 forbids senders from putting them in trailers and
/// recipients from merging them, so they are dropped.
const FORBIDDEN_TRAILERS: [&str; 3] = ["content-length", "transfer-encoding", "host"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Reading a chunk-size line; `scanned` bytes of it examined.
    Size { scanned: usize },
    /// Inside chunk data with this many bytes left.
    Data(u64),
    /// Expecting the CRLF that closes chunk data.
    DataEnd,
    /// Reading the trailer section after the last chunk.
    Trailers,
}

#[derive(Debug)]
pub(super) struct ChunkedDecoder {
    step: Step,
    ext_total: usize,
    max_line: usize,
    max_ext: usize,
    trailer_limits: BlockLimits,
    trailers: BlockScanner,
}

impl ChunkedDecoder {
    pub(super) fn new(limits: &Limits) -> ChunkedDecoder {
        ChunkedDecoder {
            step: Step::Size { scanned: 0 },
            ext_total: 0,
            max_line: limits.max_chunk_line,
            max_ext: limits.max_chunk_extensions,
            trailer_limits: BlockLimits {
                start_line: 0,
                field_line: limits.max_field_line,
                total: limits.max_trailers,
                count: limits.max_headers,
                too_large: Error::TrailersTooLarge,
            },
            trailers: BlockScanner::new(false),
        }
    }

    pub(super) fn decode(&mut self, src: &mut BytesMut) -> Result<Option<BodyEvent>, Error> {
        loop {
            match self.step {
                Step::Size { scanned } => {
                    let Some(len) = self.scan_size_line(src, scanned)? else {
                        return Ok(None);
                    };
                    let line = chunk_line::parse(&src[..len])?;
                    self.add_ext(line.ext_len)?;
                    src.advance(len + 2);
                    self.step = match line.size {
                        0 => Step::Trailers,
                        n => Step::Data(n),
                    };
                }
                Step::Data(remaining) => {
                    if src.is_empty() {
                        return Ok(None);
                    }
                    let take = usize::try_from(remaining).map_or(src.len(), |r| r.min(src.len()));
                    let left = remaining - take as u64;
                    self.step = if left == 0 {
                        Step::DataEnd
                    } else {
                        Step::Data(left)
                    };
                    return Ok(Some(BodyEvent::Data(src.split_to(take).freeze())));
                }
                Step::DataEnd => {
                    // Exactly chunk-size bytes, then CRLF (RFC 9112 §7.1); a
                    // bare LF here is as wrong as extra data.
                    match (src.first(), src.get(1)) {
                        (None, _) | (Some(b'\r'), None) => return Ok(None),
                        (Some(b'\r'), Some(b'\n')) => {
                            src.advance(2);
                            self.step = Step::Size { scanned: 0 };
                        }
                        _ => return Err(Error::BadChunkData),
                    }
                }
                Step::Trailers => {
                    let Some(len) = self.trailers.scan(src, &self.trailer_limits)? else {
                        return Ok(None);
                    };
                    let block = src.split_to(len).freeze();
                    let mut trailers = self.trailers.headers(&block);
                    for name in FORBIDDEN_TRAILERS {
                        trailers.remove(name);
                    }
                    self.trailers.reset();
                    return Ok(Some(BodyEvent::End { trailers }));
                }
            }
        }
    }

    /// Finds the CRLF ending the size line, resuming at `scanned`. Only
    /// CRLF ends it (RFC 9112 §7.1 grammar); bare CR or LF is an error.
    fn scan_size_line(&mut self, src: &[u8], scanned: usize) -> Result<Option<usize>, Error> {
        let from = scanned.min(src.len());
        let found = src[from..].iter().position(|&b| b == b'\r' || b == b'\n');
        let (end, complete) = match found {
            None => (src.len(), false),
            Some(off) => {
                let cr = from + off;
                if src[cr] == b'\n' {
                    return Err(Error::BareLf);
                }
                match src.get(cr + 1) {
                    None => (cr, false),
                    Some(b'\n') => (cr, true),
                    Some(_) => return Err(Error::BareCr),
                }
            }
        };
        if end > self.max_line {
            return Err(Error::ChunkLineTooLong);
        }
        if complete {
            self.step = Step::Size { scanned: 0 };
            return Ok(Some(end));
        }
        // Charge partial extensions now, so a body that is all extensions
        // fails at the budget rather than at the next line end.
        let partial_ext = end - leading_hex(&src[..end]).min(end);
        if self.ext_total.saturating_add(partial_ext) > self.max_ext {
            return Err(Error::ChunkExtensionsTooLarge);
        }
        self.step = Step::Size { scanned: end };
        Ok(None)
    }

    fn add_ext(&mut self, len: usize) -> Result<(), Error> {
        self.ext_total = self.ext_total.saturating_add(len);
        if self.ext_total > self.max_ext {
            return Err(Error::ChunkExtensionsTooLarge);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Headers;
    use bytes::Bytes;

    /// Runs a whole input; returns the data seen and the final outcome.
    fn run(input: &[u8]) -> (Vec<u8>, Result<Option<Headers>, Error>, BytesMut) {
        let mut d = ChunkedDecoder::new(&Limits::default());
        let mut src = BytesMut::from(input);
        let mut data = Vec::new();
        loop {
            match d.decode(&mut src) {
                Ok(Some(BodyEvent::Data(b))) => data.extend_from_slice(&b),
                Ok(Some(BodyEvent::End { trailers })) => return (data, Ok(Some(trailers)), src),
                Ok(None) => return (data, Ok(None), src),
                Err(e) => return (data, Err(e), src),
            }
        }
    }

    #[test]
    fn body_trailers_and_pipelined_rest() {
        let input = b"5\r\nhello\r\n3;ext=\"v\"\r\n, w\r\n0\r\nX-T: 1\r\nContent-Length: 9\r\nHost: h\r\n\r\nNEXT";
        let (data, end, rest) = run(input);
        assert_eq!(data, b"hello, w");
        let mut want = Headers::new();
        want.push(Bytes::from_static(b"X-T"), Bytes::from_static(b"1"));
        assert_eq!(end, Ok(Some(want)));
        assert_eq!(&rest[..], b"NEXT");
    }

    #[test]
    fn byte_by_byte_matches_whole() {
        let input = b"a;x=y\r\n0123456789\r\n1\r\nZ\r\n0\r\nT: v\r\n\r\n";
        let mut d = ChunkedDecoder::new(&Limits::default());
        let mut src = BytesMut::new();
        let mut data = Vec::new();
        let mut ended = false;
        for &b in input.iter() {
            src.extend_from_slice(&[b]);
            while let Some(ev) = d.decode(&mut src).unwrap() {
                match ev {
                    BodyEvent::Data(b) => data.extend_from_slice(&b),
                    BodyEvent::End { trailers } => {
                        assert_eq!(trailers.get("t"), Some(&b"v"[..]));
                        ended = true;
                    }
                }
            }
        }
        assert!(ended && src.is_empty());
        assert_eq!(data, b"0123456789Z");
    }

    #[test]
    fn checklist_cases_are_400() {
        let cases: &[(&[u8], Error)] = &[
            // Bare LF ends a line that has an extension.
            (b"1;a\nX\r\n0\r\n\r\n", Error::BareLf),
            // Bare LF after the size.
            (b"1\nX\r\n0\r\n\r\n", Error::BareLf),
            (b"1\rX\r\n", Error::BareCr),
            (b"0x1\r\nX\r\n", Error::BadChunkSize),
            (b"+1\r\nX\r\n", Error::BadChunkSize),
            (b" 1\r\nX\r\n", Error::BadChunkSize),
            // 17 hex digits.
            (b"00000000000000001\r\nX\r\n", Error::BadChunkSize),
            // Two data bytes where the size said one.
            (b"1\r\nXY\r\n", Error::BadChunkData),
            // Data ended by a bare LF.
            (b"1\r\nX\n", Error::BadChunkData),
            // CRLF inside a quoted extension value ends the line early.
            (b"1;a=\"b\r\nc\"\r\nX\r\n", Error::BadChunkExtension),
            // Trailers follow field rules.
            (b"0\r\n T: v\r\n\r\n", Error::ObsFold),
            (b"0\r\nT: v\n\r\n", Error::BareLf),
        ];
        for (input, want) in cases {
            let (_, got, _) = run(input);
            assert_eq!(got, Err(*want), "{:?}", String::from_utf8_lossy(input));
            assert_eq!(want.status(), 400);
        }
    }

    #[test]
    fn extension_budget_is_per_body() {
        // 10 000 one-byte chunks, each with a 1 KiB extension.
        let ext = format!(";{}", "e".repeat(1023));
        let chunk = format!("1{ext}\r\nX\r\n");
        let mut d = ChunkedDecoder::new(&Limits::default());
        let mut src = BytesMut::new();
        let mut fed = 0usize;
        let mut failed = None;
        'feed: for _ in 0..10_000 {
            src.extend_from_slice(chunk.as_bytes());
            fed += 1;
            loop {
                match d.decode(&mut src) {
                    Ok(Some(_)) => {}
                    Ok(None) => break,
                    Err(e) => {
                        failed = Some(e);
                        break 'feed;
                    }
                }
            }
        }
        assert_eq!(failed, Some(Error::ChunkExtensionsTooLarge));
        // Every chunk fed carries 1 KiB of extensions.
        assert!(fed * ext.len() < 20 * 1024, "{fed} chunks");
    }

    #[test]
    fn partial_line_caps() {
        let lim = Limits::default();
        let mut d = ChunkedDecoder::new(&lim);
        // A size line that never ends fails at the 4 KiB cap, not later.
        let mut src = BytesMut::from(&b"1;"[..]);
        src.extend_from_slice(&vec![b'a'; lim.max_chunk_line - 2]);
        assert_eq!(d.decode(&mut src), Ok(None));
        src.extend_from_slice(b"a");
        assert_eq!(d.decode(&mut src), Err(Error::ChunkLineTooLong));
        // A trailer section past 16 KiB.
        let mut big = b"0\r\n".to_vec();
        for _ in 0..20 {
            big.extend_from_slice(format!("T: {}\r\n", "v".repeat(1000)).as_bytes());
        }
        let (_, got, _) = run(&big);
        assert_eq!(got, Err(Error::TrailersTooLarge));
    }
}
