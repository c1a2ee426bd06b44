//! Shared fixtures of the interop tests: the generated echo service, and a tonic client for
//! Layotto's Runtime API (used by the root package's integration tests).
#![allow(clippy::all, clippy::unwrap_used, missing_docs)]

pub mod echo {
    tonic::include_proto!("test.echo");
}

pub mod runtime {
    tonic::include_proto!("spec.proto.runtime.v1");
}
