//! HPACK decoder fuzz target: the logic lives in
//! `layotto_hpack::fuzz_logic` so stable tests replay the same corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_hpack::fuzz_logic::decode(data);
});
