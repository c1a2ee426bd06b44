//! Where the first reply in a buffer ends, found without recursion and without trusting any
//! announced length beyond [`Limits`].

use crate::decoder::{DecodeError, Limits};

fn malformed(what: impl Into<String>) -> DecodeError {
    DecodeError::Malformed(what.into())
}

/// The end of the line starting at `from` (index of its `\r`), `None` if it is not all here.
fn line_end(buf: &[u8], from: usize, limit: usize) -> Result<Option<usize>, DecodeError> {
    let window = &buf[from..buf.len().min(from.saturating_add(limit + 2))];
    match window.windows(2).position(|w| w == b"\r\n") {
        Some(i) => Ok(Some(from + i)),
        None if window.len() >= limit + 2 => Err(DecodeError::OverLimit(format!(
            "a reply line longer than {limit} bytes"
        ))),
        None => Ok(None),
    }
}

/// A decimal integer as Redis writes it: an optional `-`, then digits.
fn integer(line: &[u8]) -> Result<i64, DecodeError> {
    let digits = line.strip_prefix(b"-").unwrap_or(line);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(malformed(format!(
            "{:?} is not an integer",
            String::from_utf8_lossy(line)
        )));
    }
    std::str::from_utf8(line)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| malformed("integer out of range"))
}

/// A bulk or array length: -1 (nil) or a count.
fn length(line: &[u8]) -> Result<Option<usize>, DecodeError> {
    match integer(line)? {
        -1 => Ok(None),
        n if n < 0 => Err(malformed(format!("length {n}"))),
        n => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
    }
}

/// How far framing got into an incomplete reply, so that the next call resumes there rather
/// than walking again what it already framed: a large array trickled in small reads would
/// otherwise cost time quadratic in its size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    /// The start of the next value; everything before it is framed.
    pos: usize,
    /// Elements still expected by each open array, innermost last.
    open: Vec<usize>,
    elements: usize,
}

/// The byte length of the first complete reply in `buf`, or `None` if it is not complete yet
/// (then `scan` remembers the progress for the next call with the same, longer, buffer).
pub(crate) fn frame_len(
    buf: &[u8],
    limits: &Limits,
    scan: &mut Scan,
) -> Result<Option<usize>, DecodeError> {
    loop {
        let Some(&kind) = buf.get(scan.pos) else {
            return Ok(None);
        };
        let Some(end) = line_end(buf, scan.pos + 1, limits.line)? else {
            return Ok(None);
        };
        let line = &buf[scan.pos + 1..end];
        let mut next = end + 2;
        match kind {
            b'+' | b'-' => {}
            b':' => {
                integer(line)?;
            }
            b'$' => {
                if let Some(n) = length(line)? {
                    if n > limits.bulk {
                        return Err(DecodeError::OverLimit(format!(
                            "a bulk string of {n} bytes (limit {})",
                            limits.bulk
                        )));
                    }
                    let Some(after) = next.checked_add(n).and_then(|p| p.checked_add(2)) else {
                        return Err(malformed("bulk length overflows"));
                    };
                    if buf.len() < after {
                        return Ok(None);
                    }
                    if &buf[next + n..after] != b"\r\n" {
                        return Err(malformed("a bulk string not followed by CRLF"));
                    }
                    next = after;
                }
            }
            b'*' => {
                if let Some(n) = length(line)?.filter(|n| *n > 0) {
                    if scan.elements.saturating_add(n) > limits.elements {
                        return Err(DecodeError::OverLimit(format!(
                            "a reply of more than {} elements",
                            limits.elements
                        )));
                    }
                    if scan.open.len() >= limits.depth {
                        return Err(DecodeError::OverLimit(format!(
                            "arrays nested deeper than {}",
                            limits.depth
                        )));
                    }
                    scan.elements += n;
                    scan.open.push(n);
                    scan.pos = next;
                    continue;
                }
            }
            other => {
                return Err(malformed(format!(
                    "reply type byte {:?}",
                    char::from(other)
                )))
            }
        }
        scan.pos = next;
        // A value ended: it may complete its array, and that array its parent.
        loop {
            match scan.open.last_mut() {
                None => {
                    let len = scan.pos;
                    *scan = Scan::default();
                    return Ok(Some(len));
                }
                Some(left) => {
                    *left -= 1;
                    if *left > 0 {
                        break;
                    }
                    scan.open.pop();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resuming_frames_the_same_as_starting_over() {
        let reply = b"*3\r\n$3\r\nabc\r\n*2\r\n:1\r\n+OK\r\n$-1\r\n:9\r\n";
        let limits = Limits::default();
        // The first reply is all but the trailing `:9`.
        for cut in 0..reply.len() - 4 {
            let mut scan = Scan::default();
            let first = frame_len(&reply[..cut], &limits, &mut scan).unwrap();
            assert_eq!(first, None, "cut {cut}");
            assert!(scan.pos <= cut);
            let done = frame_len(reply, &limits, &mut scan).unwrap();
            assert_eq!(done, Some(reply.len() - 4), "cut {cut}");
            assert_eq!(scan, Scan::default());
        }
    }
}
