//! `hellos`: the smallest API, a greeting that proves the sidecar answers (Layotto §3.1).

use bytes::Bytes;

use crate::Call;

/// An opaque typed payload passed through untouched (the proto's `Any`, without the proto).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opaque {
    pub type_url: String,
    pub value: Bytes,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelloRequest {
    /// Appended to the greeting when non-empty.
    pub name: String,
    /// Echoed back.
    pub data: Option<Opaque>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelloReply {
    /// `"<greeting>"`, or `"<greeting>, <name>"` when a name was given.
    pub hello: String,
    pub data: Option<Opaque>,
}

pub trait Hello {
    fn say_hello(&self, req: HelloRequest) -> Call<'_, HelloReply>;
}
