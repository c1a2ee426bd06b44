//! What every codec's stable fuzz replay needs: the seed corpus of a target (from
//! `tests/fuzz/corpus/<target>`) and a deterministic pseudo-random byte source to mutate it
//! with, so `cargo test` exercises each fuzz target's invariants without nightly.
#![forbid(unsafe_code)]
#![allow(clippy::unwrap_used)] // test support: a missing corpus is a broken checkout

use std::path::PathBuf;

/// The directory of `target`'s corpus.
pub fn dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target)
}

/// Every file of `target`'s corpus with its path, sorted by path; panics if there are fewer
/// than `at_least`.
pub fn corpus(target: &str, at_least: usize) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = dir(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= at_least,
        "corpus {} has {} files, expected at least {at_least}",
        dir.display(),
        files.len()
    );
    files
}

/// xorshift64*: deterministic and dependency-free, so a failure replays exactly.
pub struct Rng(pub u64);

impl Rng {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn byte(&mut self) -> u8 {
        (self.next() >> 56) as u8
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
