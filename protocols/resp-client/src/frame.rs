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

/// The byte length of the first complete reply in `buf`, or `None` if it is not complete yet.
pub(crate) fn frame_len(buf: &[u8], limits: &Limits) -> Result<Option<usize>, DecodeError> {
    let mut pos = 0usize;
    // Elements still expected by each open array, innermost last.
    let mut open: Vec<usize> = Vec::new();
    let mut elements = 0usize;
    loop {
        let Some(&kind) = buf.get(pos) else {
            return Ok(None);
        };
        let Some(end) = line_end(buf, pos + 1, limits.line)? else {
            return Ok(None);
        };
        let line = &buf[pos + 1..end];
        pos = end + 2;
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
                    let Some(after) = pos.checked_add(n).and_then(|p| p.checked_add(2)) else {
                        return Err(malformed("bulk length overflows"));
                    };
                    if buf.len() < after {
                        return Ok(None);
                    }
                    if &buf[pos + n..after] != b"\r\n" {
                        return Err(malformed("a bulk string not followed by CRLF"));
                    }
                    pos = after;
                }
            }
            b'*' => {
                if let Some(n) = length(line)?.filter(|n| *n > 0) {
                    elements = elements.saturating_add(n);
                    if elements > limits.elements {
                        return Err(DecodeError::OverLimit(format!(
                            "a reply of more than {} elements",
                            limits.elements
                        )));
                    }
                    if open.len() >= limits.depth {
                        return Err(DecodeError::OverLimit(format!(
                            "arrays nested deeper than {}",
                            limits.depth
                        )));
                    }
                    open.push(n);
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
        // A value ended: it may complete its array, and that array its parent.
        loop {
            match open.last_mut() {
                None => return Ok(Some(pos)),
                Some(left) => {
                    *left -= 1;
                    if *left > 0 {
                        break;
                    }
                    open.pop();
                }
            }
        }
    }
}
