//! Incremental line scanner for a head or a trailer section.
//!
//! It remembers how far it has looked, so bytes trickled in one at a time
//! are each examined once, and it applies every size cap to the partial
//! line as well as to complete ones, so an endless line fails as soon as
//! it passes its cap instead of waiting for a CRLF that never comes.

use std::ops::Range;

use bytes::Bytes;

use crate::field::{parse_field_line, FieldRanges};
use crate::{Error, Headers};

/// Caps for one block, in bytes (lines exclude their CRLF, totals don't).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockLimits {
    pub(crate) start_line: usize,
    pub(crate) field_line: usize,
    pub(crate) total: usize,
    pub(crate) count: usize,
    /// Reported when `total` is passed (head vs trailers differ).
    pub(crate) too_large: Error,
}

/// State carried between calls while a block is incomplete.
#[derive(Debug)]
pub(crate) struct BlockScanner {
    with_start_line: bool,
    /// Bytes already examined; a trailing CR whose LF has not arrived is
    /// left unexamined.
    pos: usize,
    line_start: usize,
    start_line: Option<Range<usize>>,
    fields: Vec<FieldRanges>,
}

impl BlockScanner {
    pub(crate) fn new(with_start_line: bool) -> BlockScanner {
        BlockScanner {
            with_start_line,
            pos: 0,
            line_start: 0,
            start_line: None,
            fields: Vec::new(),
        }
    }

    /// Forgets the current block (keeps the field vector's allocation).
    pub(crate) fn reset(&mut self) {
        self.pos = 0;
        self.line_start = 0;
        self.start_line = None;
        self.fields.clear();
    }

    /// The start line's offsets, once the block is complete.
    pub(crate) fn start_line(&self) -> Option<Range<usize>> {
        self.start_line.clone()
    }

    /// Field offsets, relative to the start of the block.
    #[cfg(test)]
    pub(crate) fn fields(&self) -> &[FieldRanges] {
        &self.fields
    }

    /// The fields of a completed block, as zero-copy slices of it.
    pub(crate) fn headers(&self, block: &Bytes) -> Headers {
        let mut headers = Headers::new();
        for f in &self.fields {
            // Ranges came from scanning these very bytes; the bound check
            // only guards against a caller that swapped buffers.
            if f.name.end <= block.len() && f.value.end <= block.len() {
                headers.push(block.slice(f.name.clone()), block.slice(f.value.clone()));
            }
        }
        headers
    }

    /// Bytes examined so far.
    #[cfg(test)]
    pub(crate) fn examined(&self) -> usize {
        self.pos
    }

    /// Scans what has arrived. `Ok(Some(n))`: the block is the first `n`
    /// bytes of `buf`, blank line included. `Ok(None)`: need more bytes;
    /// the caller must only append to `buf` before calling again.
    pub(crate) fn scan(&mut self, buf: &[u8], lim: &BlockLimits) -> Result<Option<usize>, Error> {
        if buf.len() < self.pos {
            // The caller broke the append-only contract; start over rather
            // than index out of bounds.
            self.reset();
        }
        loop {
            let Some(off) = buf
                .get(self.pos..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\r' || b == b'\n'))
            else {
                self.pos = buf.len();
                self.check_partial(lim)?;
                return Ok(None);
            };
            let cr = self.pos + off;
            // RFC 9112 §2.2 allows a recipient to accept a bare LF as a line
            // terminator; we do not, since peers that disagree on line ends
            // disagree on framing.
            if buf[cr] == b'\n' {
                return Err(Error::BareLf);
            }
            match buf.get(cr + 1) {
                None => {
                    self.pos = cr;
                    self.check_partial(lim)?;
                    return Ok(None);
                }
                Some(b'\n') => {}
                // RFC 9112 §2.2: a bare CR outside content MUST be rejected
                // or replaced; we reject.
                Some(_) => return Err(Error::BareCr),
            }
            let line = self.line_start..cr;
            let next = cr + 2;
            self.check_line(line.len(), lim)?;
            if next > lim.total {
                return Err(lim.too_large);
            }
            self.pos = next;
            self.line_start = next;
            if self.on_line(buf, line, lim)? {
                return Ok(Some(next));
            }
        }
    }

    fn in_start_line(&self) -> bool {
        self.with_start_line && self.start_line.is_none()
    }

    fn check_line(&self, len: usize, lim: &BlockLimits) -> Result<(), Error> {
        if self.in_start_line() {
            if len > lim.start_line {
                return Err(Error::RequestLineTooLong);
            }
        } else if len > lim.field_line {
            return Err(Error::FieldLineTooLong);
        }
        Ok(())
    }

    fn check_partial(&self, lim: &BlockLimits) -> Result<(), Error> {
        self.check_line(self.pos - self.line_start, lim)?;
        if self.pos > lim.total {
            return Err(lim.too_large);
        }
        Ok(())
    }

    /// Handles one complete line; true when it was the closing blank line.
    fn on_line(
        &mut self,
        buf: &[u8],
        line: Range<usize>,
        lim: &BlockLimits,
    ) -> Result<bool, Error> {
        if line.is_empty() {
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line
            // before the request-line. They still count toward max_head.
            return Ok(!self.in_start_line());
        }
        if self.in_start_line() {
            self.start_line = Some(line);
            return Ok(false);
        }
        if self.fields.len() >= lim.count {
            return Err(Error::TooManyHeaders);
        }
        let rel = parse_field_line(&buf[line.clone()])?;
        let at = line.start;
        self.fields.push(FieldRanges {
            name: at + rel.name.start..at + rel.name.end,
            value: at + rel.value.start..at + rel.value.end,
        });
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIM: BlockLimits = BlockLimits {
        start_line: 16,
        field_line: 12,
        total: 64,
        count: 3,
        too_large: Error::HeadTooLarge,
    };

    fn scan_all(input: &[u8]) -> Result<Option<usize>, Error> {
        BlockScanner::new(true).scan(input, &LIM)
    }

    #[test]
    fn finds_block_end_and_fields() {
        let input = b"\r\nGET / HTTP/1.1\r\nA: 1\r\nB:2 \r\n\r\nrest";
        let mut s = BlockScanner::new(true);
        assert_eq!(s.scan(input, &LIM), Ok(Some(input.len() - 4)));
        assert_eq!(s.start_line(), Some(2..16));
        let f = &s.fields()[1];
        assert_eq!(&input[f.name.clone()], b"B");
        assert_eq!(&input[f.value.clone()], b"2");
    }

    #[test]
    fn byte_by_byte_examines_each_byte_once() {
        let input = b"GET / HTTP/1.1\r\nA: 1\r\n\r\n";
        let mut s = BlockScanner::new(true);
        for n in 1..input.len() {
            assert_eq!(s.scan(&input[..n], &LIM), Ok(None));
            // Never further than what has arrived, never behind by more
            // than a pending CR.
            assert!(s.examined() == n || s.examined() + 1 == n);
        }
        assert_eq!(s.scan(input, &LIM), Ok(Some(input.len())));
    }

    #[test]
    fn line_endings() {
        // "GET / HTTP/1.1\n": LF-only request.
        assert_eq!(scan_all(b"GET / HTTP/1.1\nA: 1\n\n"), Err(Error::BareLf));
        // "X: a\rb": CR not followed by LF.
        assert_eq!(
            scan_all(b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"),
            Err(Error::BareCr)
        );
        // A trailing CR waits for its LF.
        assert_eq!(scan_all(b"GET / HTTP/1.1\r"), Ok(None));
    }

    #[test]
    fn caps_apply_to_partial_lines() {
        // 17 bytes of start line with no CRLF yet: fails now.
        assert_eq!(scan_all(&[b'a'; 17]), Err(Error::RequestLineTooLong));
        assert_eq!(scan_all(&[b'a'; 16]), Ok(None));
        // 13-byte partial field line.
        assert_eq!(
            scan_all(b"GET / HTTP/1.1\r\nAAAAAAAAAAAAA"),
            Err(Error::FieldLineTooLong)
        );
        // Fourth field with count 3.
        let four = b"GET / HTTP/1.1\r\nA:1\r\nB:1\r\nC:1\r\nD:1\r\n\r\n";
        assert_eq!(scan_all(four), Err(Error::TooManyHeaders));
        // Total over the cap while every line is within its own cap.
        let lim = BlockLimits { count: 10, ..LIM };
        let head = b"GET / HTTP/1.1\r\nA:123456789\r\nB:123456789\r\nC:123456789\r\nD:1";
        assert_eq!(head.len(), 16 + 13 * 3 + 3);
        assert_eq!(BlockScanner::new(true).scan(&head[..], &lim), Ok(None));
        let over = [&head[..], b"2345678"].concat();
        assert_eq!(
            BlockScanner::new(true).scan(&over, &lim),
            Err(Error::HeadTooLarge)
        );
    }

    #[test]
    fn shrinking_buffer_does_not_panic() {
        let mut s = BlockScanner::new(true);
        assert_eq!(s.scan(b"GET / HTTP/1.1\r\nA", &LIM), Ok(None));
        assert_eq!(s.scan(b"GE", &LIM), Ok(None));
    }
}
