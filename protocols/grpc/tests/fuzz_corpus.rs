//! Replays the `grpc_message` fuzz corpus and a few thousand pseudo-random
//! inputs through `fuzz_logic`, so the fuzz target's invariants also run on
//! stable.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use layotto_grpc::fuzz_logic;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz/corpus/grpc_message")
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
        fuzz_logic::message(data);
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
            // Random, but with frame-like prefixes: flag 0/1 and small lengths.
            let len = (rng.next() % 400) as usize;
            let mut d: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
            let mut at = 2;
            while at + 5 <= d.len() {
                d[at] &= 1;
                d[at + 1] = 0;
                d[at + 2] = 0;
                d[at + 3] &= 0x01;
                at += 5 + usize::from(d[at + 4]) + usize::from(d[at + 3]) * 256;
            }
            d
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
        fuzz_logic::message(&data);
    }
}
