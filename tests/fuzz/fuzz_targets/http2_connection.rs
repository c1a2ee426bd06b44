//! Fuzzes the HTTP/2 server connection state machine with arbitrary frames
//! after a valid preface (logic in `layotto_http2::fuzz_logic::connection`,
//! shared with stable tests).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_http2::fuzz_logic::connection(data);
});
