//! Replays the `resp_reply` fuzz corpus and a few thousand pseudo-random inputs through
//! `fuzz_logic`, so the fuzz target's invariants also run on stable.

#![allow(clippy::unwrap_used)]

use layotto_fuzz_corpus::{corpus, Rng};

use layotto_resp_client::fuzz_logic;

const TARGET: &str = "resp_reply";

#[test]
fn corpus_replays_cleanly() {
    for (_, data) in &corpus(TARGET, 10) {
        fuzz_logic::replies(data);
    }
}

#[test]
fn pseudo_random_inputs() {
    let mut rng = Rng(0x0bad_cafe_f00d_d00d);
    let corpus: Vec<Vec<u8>> = corpus(TARGET, 1).into_iter().map(|(_, d)| d).collect();
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
