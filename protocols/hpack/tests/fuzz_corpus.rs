//! Replays the fuzz corpus and a few thousand pseudo-random inputs through
//! `fuzz_logic`, so the fuzz target's checks also run on stable in CI.

// A test crate: unwrapping fixtures and results is how it fails.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use layotto_fuzz_corpus::Rng;

use layotto_hpack::fuzz_logic;

fn corpus_dir() -> PathBuf {
    layotto_fuzz_corpus::dir("hpack_decoder")
}

#[test]
fn corpus_replays_cleanly() {
    let entries = std::fs::read_dir(corpus_dir()).unwrap();
    let mut count = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_file() {
            let data = std::fs::read(&path).unwrap();
            fuzz_logic::decode(&data);
            count += 1;
        }
    }
    assert!(count > 0, "empty corpus at {}", corpus_dir().display());
}

#[test]
fn seeds_reach_their_paths() {
    let blocks =
        |name: &str| fuzz_logic::decode_counting(&std::fs::read(corpus_dir().join(name)).unwrap());
    for name in [
        "c3_requests_raw",
        "c4_requests_huffman",
        "c5_responses_raw_256",
        "c6_responses_huffman_256",
    ] {
        assert_eq!(blocks(name), 3, "{name}");
    }
    assert_eq!(blocks("c2_1_literal_indexed"), 1);
    assert_eq!(blocks("settings_lowered_with_update"), 3);
    assert_eq!(blocks("settings_down_up"), 2);
    assert_eq!(blocks("settings_lowered_missing_update"), 1);
    assert_eq!(blocks("oversized_entry_empties_table"), 2); // the final 62 is gone
    assert_eq!(blocks("table_zero_literals"), 3);
    // A 256-byte list limit refuses C.5.3 (372 bytes) but its fields still
    // enter the table, so the final `be` (set-cookie) decodes.
    assert_eq!(blocks("c5_tight_list_limit"), 3);
    for name in [
        "err_index_zero",
        "err_size_update_after_field",
        "err_huffman_eos",
        "err_integer_overflow",
    ] {
        assert_eq!(blocks(name), 0, "{name}");
    }
    assert_eq!(blocks("err_index_out_of_range"), 1);
}

#[test]
fn pseudo_random_inputs() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let corpus: Vec<Vec<u8>> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    for i in 0..4000 {
        let data: Vec<u8> = if i % 2 == 0 || corpus.is_empty() {
            // Fully random, biased toward plausible control bytes.
            let len = (rng.next() % 300) as usize;
            let mut d: Vec<u8> = (0..len).map(|_| rng.byte()).collect();
            if let Some(first) = d.first_mut() {
                *first &= 0x7f;
            }
            d
        } else {
            // A corpus entry with a few bytes flipped, kept mostly valid.
            let mut d = corpus[(rng.next() as usize) % corpus.len()].clone();
            for _ in 0..1 + rng.next() % 3 {
                if d.len() > 2 {
                    let at = 2 + (rng.next() as usize) % (d.len() - 2);
                    d[at] ^= rng.byte();
                }
            }
            d
        };
        fuzz_logic::decode(&data);
    }
}
