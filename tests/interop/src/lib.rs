//! Shared fixtures of the interop tests: the generated echo service.
#![allow(clippy::all, clippy::unwrap_used, missing_docs)]

pub mod echo {
    tonic::include_proto!("test.echo");
}
