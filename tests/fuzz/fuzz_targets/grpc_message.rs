//! gRPC message-framing fuzz target (decoder with identity and gzip, plus
//! grpc-timeout, status and metadata parsing): the logic lives in
//! `layotto_grpc::fuzz_logic` so stable tests replay the same corpus.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    layotto_grpc::fuzz_logic::message(data);
});
