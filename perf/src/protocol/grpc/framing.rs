//! The gRPC length-prefixed message framing of a response body, checked as
//! the bytes arrive and without copying them: the codecs only need to know
//! how many messages are whole and whether the body ended on a boundary.

/// Where a body is in its framing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Framing {
    /// Prefix bytes seen of the current message (0..5).
    prefix: [u8; 5],
    have: usize,
    /// Payload bytes still to skip.
    left: u64,
}

impl Framing {
    /// Scans `data`; returns how many messages it completed.
    pub fn feed(&mut self, mut data: &[u8]) -> u32 {
        let mut whole = 0;
        while !data.is_empty() {
            if self.left > 0 {
                let n = data
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                self.left -= n as u64;
                data = &data[n..];
                if self.left == 0 {
                    whole += 1;
                }
                continue;
            }
            let n = (5 - self.have).min(data.len());
            self.prefix[self.have..self.have + n].copy_from_slice(&data[..n]);
            self.have += n;
            data = &data[n..];
            if self.have == 5 {
                let [_, a, b, c, d] = self.prefix;
                self.left = u64::from(u32::from_be_bytes([a, b, c, d]));
                self.have = 0;
                if self.left == 0 {
                    whole += 1;
                }
            }
        }
        whole
    }

    /// True when the body ended on a message boundary.
    pub fn complete(&self) -> bool {
        self.have == 0 && self.left == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_whole_messages() {
        let mut f = Framing::default();
        assert_eq!(f.feed(b"\0\0\0\0\x02ab\0\0\0"), 1);
        assert!(!f.complete());
        // The prefix ends an empty message; another starts.
        assert_eq!(f.feed(b"\0\0\0\0\0\0\x01"), 1);
        assert_eq!(f.feed(b"c\0\0\0\0\0"), 2);
        assert!(f.complete());
    }
}
