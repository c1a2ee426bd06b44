//! Fuzzes the HTTP/2 frame decoder and CONTINUATION assembler
//! (logic in `layotto_http2::fuzz_logic`, shared with stable tests).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_http2::fuzz_logic::frames(data);
});
