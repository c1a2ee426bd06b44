//! RESP2 reply decoding fuzz target (what the Redis client reads from a server): the logic
//! lives in `layotto_resp_client::fuzz_logic` so a stable test replays the same corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_resp_client::fuzz_logic::replies(data);
});
