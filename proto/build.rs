//! Compiles the .proto files under this crate with protox (pure Rust, no
//! system `protoc`) and generates prost message types from the result.
//!
//! Outputs in OUT_DIR:
//! - `<package>.rs` per protobuf package (prost messages, no service code);
//! - `file_descriptor_set.bin`: the encoded `FileDescriptorSet`, imports
//!   included, source info stripped; served by gRPC reflection;
//! - `methods.rs`: a static table of every gRPC method, taken from the
//!   descriptors, for the router.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;

use prost::Message as _;

const PROTOS: &[&str] = &[
    "spec/proto/runtime/v1/runtime.proto",
    "spec/proto/runtime/v1/appcallback.proto",
    "spec/proto/runtime/v1/lifecycle.proto",
    "grpc/health/v1/health.proto",
    "grpc/reflection/v1alpha/reflection.proto",
    "grpc/reflection/v1/reflection.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?);

    println!("cargo:rerun-if-changed=build.rs");
    for p in PROTOS {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }

    // protox resolves the google/protobuf well-known imports itself.
    let fds = protox::compile(PROTOS, [&root])?;

    // Descriptor set served at run time: everything a reflection client
    // needs to resolve our files (including google/protobuf/*), without
    // the comment/span info, which only bloats the binary.
    let mut served = fds.clone();
    for f in &mut served.file {
        f.source_code_info = None;
    }
    std::fs::write(out.join("file_descriptor_set.bin"), served.encode_to_vec())?;

    std::fs::write(out.join("methods.rs"), method_table(&served)?)?;

    // Messages only: we write our own gRPC layer, so no service generator.
    let mut cfg = prost_build::Config::new();
    cfg.bytes(["."]);
    cfg.out_dir(&out);
    cfg.compile_fds(fds)?;
    Ok(())
}

/// Renders `pub static METHODS: &[MethodDesc]` for every method of every
/// service in our own (non-google) files, in declaration order.
fn method_table(fds: &prost_types::FileDescriptorSet) -> Result<String, Box<dyn Error>> {
    let mut s = String::new();
    writeln!(
        s,
        "/// Every gRPC method declared in this crate's .proto files."
    )?;
    writeln!(s, "pub static METHODS: &[MethodDesc] = &[")?;
    for file in &fds.file {
        if !PROTOS.contains(&file.name()) {
            continue;
        }
        let pkg = file.package();
        for svc in &file.service {
            let service = format!("{pkg}.{}", svc.name());
            for m in &svc.method {
                writeln!(
                    s,
                    "    MethodDesc {{ service: {service:?}, name: {name:?}, path: {path:?}, \
                     input_type: {input:?}, output_type: {output:?}, \
                     client_streaming: {cs}, server_streaming: {ss} }},",
                    name = m.name(),
                    path = format!("/{service}/{}", m.name()),
                    input = m.input_type().trim_start_matches('.'),
                    output = m.output_type().trim_start_matches('.'),
                    cs = m.client_streaming(),
                    ss = m.server_streaming(),
                )?;
            }
        }
    }
    writeln!(s, "];")?;
    Ok(s)
}
