//! HTTP/1.1 on a worker's monoio runtime: the client side, for now.
//!
//! One [`exchange`] sends a request over a fresh connection (`connection: close`) and reads the
//! whole response with the pure `layotto-http1` codec: interim 1xx answers are skipped, the
//! body is capped, and connecting and answering each have a time limit. The HTTP binding and
//! InvokeService both use it; a per-worker keep-alive pool belongs here when the mesh proxy
//! needs one.
#![forbid(unsafe_code)]

mod client;

pub use client::{exchange, ExchangeError, ExchangeLimits};
