//! Generates the echo test service for both sides: prost messages (ours) and the tonic client
//! and server (the independent peer), from protox, so no system `protoc` is needed. Also a
//! tonic client for Layotto's Runtime API, from the same .proto files the sidecar uses but
//! with tonic's own codegen, so the root package's tests call it as an SDK would.

const RUNTIME_PROTO: &str = "../../proto/spec/proto/runtime/v1/runtime.proto";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/echo.proto");
    println!("cargo:rerun-if-changed={RUNTIME_PROTO}");
    let fds = protox::compile(["proto/echo.proto"], ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .compile_fds(fds)?;
    // protox ships google/protobuf/{any,empty}.proto itself.
    let runtime = protox::compile([RUNTIME_PROTO], ["../../proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(false)
        .compile_fds(runtime)?;
    Ok(())
}
