//! The `grpc` listener: what a Layotto app connects to.
//!
//! [`GrpcListener`] is the blueprint every worker builds its gRPC server from: the routing
//! table (the standard health and reflection services, plus every [`RouteSource`]; the one
//! that matters is [`RuntimeApi`], Layotto's Runtime API), the TLS config when the listener
//! has a certificate, and the HTTP/2 limits. Each accepted connection is served by that
//! worker alone.
#![forbid(unsafe_code)]

mod health;
mod listener;
mod reflection;
mod runtime;

pub use layotto_grpc_services::{HealthService, ServingStatus};
pub use listener::{GrpcListener, RouteSource};
pub use runtime::RuntimeApi;
