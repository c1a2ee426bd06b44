//! `bindings`: output bindings, an operation sent to an external system (Layotto §3.8).

use bytes::Bytes;

use crate::{Call, Metadata};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvokeRequest {
    pub operation: String,
    pub data: Bytes,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvokeResponse {
    pub data: Bytes,
    pub metadata: Metadata,
}

pub trait OutputBinding {
    /// The operations this binding accepts; others are refused before any I/O.
    fn operations(&self) -> &[&'static str];

    fn invoke(&self, req: InvokeRequest) -> Call<'_, InvokeResponse>;
}
