//! HTTP/1 response decoding; the first byte picks the request method.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_http1::fuzz_logic::response(data);
});
