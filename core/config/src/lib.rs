//! The sidecar's configuration, in Layotto's (that is, MOSN's) JSON layout.
//!
//! A Layotto user's file must work here unchanged, so the key names are Layotto's own:
//! `servers[].listeners[].filter_chains[].filters[]`, the `grpc` filter's `grpc_config` with one
//! map of named components per API, the `proxy` filter with the `actuator_filter` stream filter.
//! Two additions of ours, both optional: a top-level `worker` object (thread count, pinning,
//! I/O driver) and a top-level `log` object (level, format).
//!
//! Parsing goes through [`serde_json::Value`] and a hand-written walker rather than derived
//! deserialisers, for two reasons: every error names the JSON path of the offending value
//! (`servers[0].listeners[1].bind_port: expected boolean, found string`), and keys nobody reads
//! come back as [`Warning`]s instead of vanishing. Which component *types* exist is not known
//! here; the component registry checks those against [`ComponentSpec::path`].
#![forbid(unsafe_code)]

mod component;
mod duration;
mod error;
mod listener;
mod path;
mod process;
mod walk;

pub use component::{Api, App, ComponentRef, ComponentSpec, GrpcConfig, SecretRef};
pub use duration::parse_duration;
pub use error::{ConfigError, Warning};
pub use listener::{
    Filter, FilterChain, GrpcFilter, Listener, ProxyFilter, StreamFilter, TlsContext,
};
pub use path::JsonPath;
pub use process::{Config, IoDriver, LogFormat, LogOptions, Server, WorkerOptions};

/// The embedded default config: every API on its in-memory component, the actuator on 34999.
pub const DEFAULT_CONFIG: &str = include_str!("../../../configs/config.json");

/// A parsed config and what the parser had to say about keys it does not know.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub config: Config,
    pub warnings: Vec<Warning>,
}

impl Config {
    /// Parses and validates a config file's text.
    pub fn from_json(text: &str) -> Result<Parsed, ConfigError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        let mut warnings = Vec::new();
        let config = process::parse(&value, &mut warnings)?;
        Ok(Parsed { config, warnings })
    }
}

#[cfg(test)]
mod tests;
