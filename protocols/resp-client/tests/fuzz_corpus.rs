//! Replays the `resp_reply` fuzz corpus and a few thousand pseudo-random inputs through
//! `fuzz_logic`, so the fuzz target's invariants also run on stable.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use layotto_resp_client::fuzz_logic;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz/corpus/resp_reply")
}

fn corpus() -> Vec<Vec<u8>> {
    std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

#[test]
fn corpus_replays_cleanly() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 10,
        "corpus at {} too small",
        corpus_dir().display()
    );
    for data in &corpus {
        fuzz_logic::replies(data);
    }
}

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }
}

#[test]
fn pseudo_random_inputs() {
    let mut rng = Rng(0x0bad_cafe_f00d_d00d);
    let corpus = corpus();
    for i in 0..4000 {
        let data: Vec<u8> = if i % 2 == 0 {
            // Random bytes over RESP's type markers, CRLFs and digits, so lengths parse.
            let len = (rng.next() % 200) as usize;
            let alphabet = b"+-:$*\r\n0123456789-abc";
            (0..len)
                .map(|_| alphabet[(rng.next() as usize) % alphabet.len()])
                .collect()
        } else {
            let mut d = corpus[(rng.next() as usize) % corpus.len()].clone();
            for _ in 0..1 + rng.next() % 4 {
                if !d.is_empty() {
                    let at = (rng.next() as usize) % d.len();
                    d[at] ^= rng.byte();
                }
            }
            d
        };
        fuzz_logic::replies(&data);
    }
}
