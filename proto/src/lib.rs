//! Protobuf messages for layotto-rs, wire-compatible with Layotto.
//!
//! Generated at build time (see `build.rs`) from the `.proto` files in this
//! crate. The Runtime/AppCallback/Lifecycle definitions match
//! mosn/layotto `spec/proto/runtime/v1/*.proto` field for field; health and
//! reflection match grpc/grpc-proto.
//!
//! Only message types are generated. The gRPC layer lives elsewhere and uses
//! [`METHODS`] / [`method`] to route `/<package>.<Service>/<Method>` paths.

/// `spec.proto.runtime.v1` (Layotto Runtime, AppCallback, Lifecycle).
pub mod spec {
    pub mod proto {
        pub mod runtime {
            #[allow(
                clippy::all,
                clippy::pedantic,
                clippy::nursery,
                clippy::unwrap_used,
                missing_docs,
                rust_2018_idioms,
                unreachable_pub
            )]
            pub mod v1 {
                include!(concat!(env!("OUT_DIR"), "/spec.proto.runtime.v1.rs"));
            }
        }
    }
}

/// Standard gRPC service messages.
pub mod grpc {
    pub mod health {
        #[allow(
            clippy::all,
            clippy::pedantic,
            clippy::nursery,
            clippy::unwrap_used,
            missing_docs,
            rust_2018_idioms,
            unreachable_pub
        )]
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/grpc.health.v1.rs"));
        }
    }

    pub mod reflection {
        #[allow(
            clippy::all,
            clippy::pedantic,
            clippy::nursery,
            clippy::unwrap_used,
            missing_docs,
            rust_2018_idioms,
            unreachable_pub
        )]
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/grpc.reflection.v1.rs"));
        }

        #[allow(
            clippy::all,
            clippy::pedantic,
            clippy::nursery,
            clippy::unwrap_used,
            missing_docs,
            rust_2018_idioms,
            unreachable_pub
        )]
        pub mod v1alpha {
            include!(concat!(env!("OUT_DIR"), "/grpc.reflection.v1alpha.rs"));
        }
    }
}

/// Encoded `google.protobuf.FileDescriptorSet` of every file in this crate
/// plus the well-known types they import (`google/protobuf/any.proto`,
/// `google/protobuf/empty.proto`). Source info is stripped. Decode with
/// `prost_types::FileDescriptorSet::decode`.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/file_descriptor_set.bin"));

/// Fully-qualified name of Layotto's main service.
pub const RUNTIME_SERVICE: &str = "spec.proto.runtime.v1.Runtime";
/// Service the application implements; the sidecar is its client.
pub const APP_CALLBACK_SERVICE: &str = "spec.proto.runtime.v1.AppCallback";
/// Run-time component reconfiguration service.
pub const LIFECYCLE_SERVICE: &str = "spec.proto.runtime.v1.Lifecycle";
/// Standard gRPC health service.
pub const HEALTH_SERVICE: &str = "grpc.health.v1.Health";
/// gRPC server reflection, current version.
pub const REFLECTION_V1_SERVICE: &str = "grpc.reflection.v1.ServerReflection";
/// gRPC server reflection, legacy version still used by many clients.
pub const REFLECTION_V1ALPHA_SERVICE: &str = "grpc.reflection.v1alpha.ServerReflection";

/// One gRPC method, as declared in the descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MethodDesc {
    /// Fully-qualified service, e.g. `spec.proto.runtime.v1.Runtime`.
    pub service: &'static str,
    /// Method name, e.g. `SayHello`.
    pub name: &'static str,
    /// HTTP/2 `:path`, e.g. `/spec.proto.runtime.v1.Runtime/SayHello`.
    pub path: &'static str,
    /// Fully-qualified request message, no leading dot.
    pub input_type: &'static str,
    /// Fully-qualified response message, no leading dot.
    pub output_type: &'static str,
    /// The client sends a stream of requests.
    pub client_streaming: bool,
    /// The server sends a stream of responses.
    pub server_streaming: bool,
}

/// The four gRPC call shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamingKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// Streams both ways.
    Bidi,
}

impl MethodDesc {
    /// Call shape derived from the two streaming flags.
    pub const fn kind(&self) -> StreamingKind {
        match (self.client_streaming, self.server_streaming) {
            (false, false) => StreamingKind::Unary,
            (false, true) => StreamingKind::ServerStreaming,
            (true, false) => StreamingKind::ClientStreaming,
            (true, true) => StreamingKind::Bidi,
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/methods.rs"));

/// Every method of every service, in declaration order.
pub fn methods() -> &'static [MethodDesc] {
    METHODS
}

/// Methods of one fully-qualified service (e.g. [`RUNTIME_SERVICE`]).
pub fn service_methods(service: &str) -> impl Iterator<Item = &'static MethodDesc> + '_ {
    METHODS.iter().filter(move |m| m.service == service)
}

/// Looks a method up by its `:path` (`/package.Service/Method`).
pub fn method(path: &str) -> Option<&'static MethodDesc> {
    METHODS.iter().find(|m| m.path == path)
}

/// Fully-qualified names of every service declared here.
pub fn services() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for m in METHODS {
        if !out.contains(&m.service) {
            out.push(m.service);
        }
    }
    out
}
