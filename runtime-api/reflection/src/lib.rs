//! The standard gRPC health and server-reflection services, as pure
//! request → response logic on `layotto-proto`'s prost types.
//!
//! - [`health`]: `grpc.health.v1.Health` — Check, List, and Watch as a
//!   pollable cursor ([`HealthWatch`]);
//! - [`reflection`]: `grpc.reflection.v1.ServerReflection` and
//!   `grpc.reflection.v1alpha.ServerReflection` over an encoded
//!   `FileDescriptorSet` (normally `layotto_proto::FILE_DESCRIPTOR_SET`).
//!
//! No transport: the gRPC server decodes request messages, calls these,
//! encodes the responses and maps `Err(Status)` to trailers. Streams
//! (Watch, ServerReflectionInfo) are driven by the server, one call per
//! message.
//!
//! ```
//! use layotto_grpc_services::{HealthService, ReflectionService, ServingStatus};
//! use layotto_proto::grpc::health::v1::HealthCheckRequest;
//!
//! let health = HealthService::new();
//! health.set_serving_status(layotto_proto::RUNTIME_SERVICE, ServingStatus::Serving);
//! let req = HealthCheckRequest { service: layotto_proto::RUNTIME_SERVICE.into() };
//! assert_eq!(health.check(&req)?.status, ServingStatus::Serving as i32);
//!
//! let reflection = ReflectionService::new(
//!     layotto_proto::FILE_DESCRIPTOR_SET,
//!     [layotto_proto::RUNTIME_SERVICE, layotto_proto::HEALTH_SERVICE],
//! )
//! .expect("the built-in descriptor set is complete");
//! assert_eq!(reflection.services().len(), 2);
//! # Ok::<(), layotto_grpc::Status>(())
//! ```

#![forbid(unsafe_code)]

pub mod health;
pub mod reflection;

pub use health::{HealthService, HealthWatch, ServingStatus};
pub use reflection::{ReflectionAnswer, ReflectionError, ReflectionRequest, ReflectionService};
