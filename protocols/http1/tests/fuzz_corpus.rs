//! Replays the fuzz corpus and a deterministic pseudo-random stream of
//! inputs through the fuzz harness on stable, so its invariants are
//! checked by every `cargo test`.

// Helpers outside #[test] fns unwrap their own fixtures too.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use layotto_http1::fuzz_logic;

fn corpus(name: &str) -> Vec<(PathBuf, Vec<u8>)> {
    layotto_fuzz_corpus::corpus(name, 1)
}

#[test]
fn request_corpus() {
    for (path, data) in corpus("http1_request") {
        eprintln!("{}", path.display());
        fuzz_logic::request(&data);
    }
}

#[test]
fn response_corpus() {
    for (path, data) in corpus("http1_response") {
        eprintln!("{}", path.display());
        fuzz_logic::response(&data);
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Random bytes drawn mostly from the characters HTTP framing cares
/// about, and corpus files with random bytes overwritten, so the inputs
/// get past the first line often enough to be interesting.
fn inputs(seed: u64, count: usize, base: &[(PathBuf, Vec<u8>)]) -> Vec<Vec<u8>> {
    const ALPHABET: &[u8] = b"\r\n\r\n :;=,\"\t\0GET /HTTP1.0chunked-length0123456789abcdefxX";
    let mut rng = XorShift(seed);
    (0..count)
        .map(|i| {
            if i % 2 == 0 && !base.is_empty() {
                let mut data = base[rng.next() as usize % base.len()].1.clone();
                for _ in 0..1 + rng.next() % 4 {
                    let at = rng.next() as usize % data.len().max(1);
                    if let Some(b) = data.get_mut(at) {
                        *b = ALPHABET[rng.next() as usize % ALPHABET.len()];
                    }
                }
                data
            } else {
                let len = rng.next() as usize % 200;
                (0..len)
                    .map(|_| match rng.next() % 8 {
                        0 => rng.next() as u8,
                        _ => ALPHABET[rng.next() as usize % ALPHABET.len()],
                    })
                    .collect()
            }
        })
        .collect()
}

#[test]
fn pseudo_random_requests() {
    let base = corpus("http1_request");
    for data in inputs(0x5eed_1234, 3000, &base) {
        fuzz_logic::request(&data);
    }
}

#[test]
fn pseudo_random_responses() {
    let base = corpus("http1_response");
    for data in inputs(0xdead_beef, 3000, &base) {
        fuzz_logic::response(&data);
    }
}
