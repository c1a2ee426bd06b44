//! Replays the fuzz corpus and deterministic pseudo-random inputs through
//! `fuzz_logic::frames` on stable Rust.

// Test helpers outside #[test] fns unwrap their own fixtures too.
#![allow(clippy::unwrap_used)]

use layotto_http2::fuzz_logic;

#[test]
fn replay_corpus() {
    for (_, data) in layotto_fuzz_corpus::corpus("http2_frame", 1) {
        fuzz_logic::frames(&data);
    }
}

#[test]
fn replay_connection_corpus() {
    for (_, data) in layotto_fuzz_corpus::corpus("http2_connection", 1) {
        fuzz_logic::connection(&data);
    }
}

#[test]
fn pseudo_random_connection_inputs() {
    let mut rng = XorShift(7);
    for _ in 0..1500 {
        let mut data = vec![rng.next() as u8];
        for _ in 0..(rng.next() % 12) {
            let len = (rng.next() % 24) as usize;
            let kind = (rng.next() % 11) as u8;
            let flags = rng.next() as u8;
            let stream = (rng.next() % 8) as u32;
            data.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
            data.extend_from_slice(&[kind, flags]);
            data.extend_from_slice(&stream.to_be_bytes());
            data.extend((0..len).map(|_| rng.next() as u8));
        }
        fuzz_logic::connection(&data);
    }
}

/// xorshift64: deterministic, no extra crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn pseudo_random_inputs() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4000 {
        let len = (rng.next() % 256) as usize;
        let mut data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Bias towards plausible headers: small lengths, known types.
        if rng.next() & 1 == 0 && data.len() > 10 {
            data[1] = 0;
            data[2] = 0;
            data[3] %= 32;
            data[4] %= 12;
        }
        fuzz_logic::frames(&data);
    }
}

#[test]
fn pseudo_random_frame_sequences() {
    // Well-formed headers with random payloads, chained, so deeper checks
    // (padding, settings values, CONTINUATION runs) are reached.
    let mut rng = XorShift(42);
    for _ in 0..2000 {
        let mut data = vec![rng.next() as u8];
        for _ in 0..(rng.next() % 8) {
            let len = (rng.next() % 24) as usize;
            let kind = (rng.next() % 11) as u8;
            let flags = rng.next() as u8;
            let stream = (rng.next() % 4) as u32;
            data.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
            data.extend_from_slice(&[kind, flags]);
            data.extend_from_slice(&stream.to_be_bytes());
            data.extend((0..len).map(|_| rng.next() as u8));
        }
        fuzz_logic::frames(&data);
    }
}
