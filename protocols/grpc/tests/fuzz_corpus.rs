//! Replays the `grpc_message` fuzz corpus and a few thousand pseudo-random
//! inputs through `fuzz_logic`, so the fuzz target's invariants also run on
//! stable.

#![allow(clippy::unwrap_used)]

use layotto_fuzz_corpus::{corpus, Rng};

use layotto_grpc::fuzz_logic;

const TARGET: &str = "grpc_message";

#[test]
fn corpus_replays_cleanly() {
    for (_, data) in &corpus(TARGET, 10) {
        fuzz_logic::message(data);
    }
}

#[test]
fn pseudo_random_inputs() {
    let mut rng = Rng(0x0bad_cafe_f00d_d00d);
    let corpus: Vec<Vec<u8>> = corpus(TARGET, 1).into_iter().map(|(_, d)| d).collect();
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
