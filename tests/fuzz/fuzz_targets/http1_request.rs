//! HTTP/1 request decoding: heads, bodies and pipelining, whole vs split.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_http1::fuzz_logic::request(data);
});
