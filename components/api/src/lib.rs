//! The seam between config, components and the Runtime API.
//!
//! A config names components by API and type (`state.kv = {"type": "redis"}`); the
//! [`Registry`] maps each `(Api, type)` pair to a [`Factory`] and builds the [`Component`].
//! The binary is the only place that fills the registry with concrete types, so nothing above
//! this crate names a backend, and a type that does not exist fails with the list of those
//! that do.
//!
//! Every component is a [`HealthIndicator`]: the actuator's readiness is the fold of them all.
//! A built component is a blueprint shared by all cores; each worker asks it for an
//! [`Instance`] on its own thread ([`instance`] says why). The per-API traits
//! ([`StateStore`], [`LockStore`], ...) speak domain types only: no gRPC, no proto. The
//! runtime maps proto to these types, [`ComponentError`] to status codes, and applies
//! Layotto's [`key_prefix`] rules before a key reaches a component.
#![forbid(unsafe_code)]

pub mod binding;
pub mod clock;
pub mod configuration;
mod error;
pub mod file;
pub mod hello;
pub mod instance;
pub mod key_prefix;
pub mod lock;
pub mod pubsub;
mod registry;
pub mod secret;
pub mod sequencer;
pub mod state;

use std::collections::BTreeMap;

pub use binding::OutputBinding;
pub use clock::{Clock, ManualClock, SystemClock};
pub use configuration::{ConfigStore, ConfigSubscription};
pub use error::ComponentError;
pub use file::{FileReader, FileStore, FileWriter};
pub use hello::Hello;
pub use instance::{Call, Instance, WorkerInfo};
pub use layotto_config::{Api, ComponentSpec};
pub use layotto_health::{Health, HealthIndicator};
pub use lock::LockStore;
pub use pubsub::{PubSub, Subscription};
pub use registry::{Factory, Registry, RegistryError};
pub use secret::SecretStore;
pub use sequencer::Sequencer;
pub use state::StateStore;

/// Request and item metadata: string to string, as the proto maps are.
pub type Metadata = BTreeMap<String, String>;

/// A configured component: the blueprint every worker builds its instance from.
pub trait Component: HealthIndicator {
    fn api(&self) -> Api;
    fn type_name(&self) -> &str;

    /// This component's handle for one worker. Called on that worker's thread, once; the
    /// result never leaves it. Fails if the worker cannot get what it needs (a connection).
    fn instance(&self, worker: &WorkerInfo) -> Result<Instance, ComponentError>;
}

/// The name a component reports its health under: `<api key>/<component name>`.
pub fn indicator_name(spec: &ComponentSpec) -> String {
    format!("{}/{}", spec.api.key(), spec.name)
}

/// A metadata value that must be a positive integer (a queue depth, a bound), or `default`
/// when absent; anything else is a metadata error naming the key.
pub fn positive_metadata(
    spec: &ComponentSpec,
    key: &str,
    default: usize,
) -> Result<usize, ComponentError> {
    let Some(raw) = spec.metadata_str(key) else {
        return Ok(default);
    };
    raw.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ComponentError::Metadata {
            key: key.into(),
            message: format!("{raw:?} is not a positive integer"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(metadata: &str) -> ComponentSpec {
        let text = format!(
            r#"{{"servers":[{{"listeners":[{{"name":"g","address":"127.0.0.1:0","bind_port":true,
            "filter_chains":[{{"filters":[{{"type":"grpc","config":{{"grpc_config":{{
            "pub_subs":{{"p":{{"type":"in-memory","metadata":{metadata}}}}}}}}}}}]}}]}}]}}]}}"#
        );
        let parsed = layotto_config::Config::from_json(&text).unwrap();
        let l = parsed.config.listeners().next().unwrap().clone();
        l.grpc().unwrap().grpc_config.components[0].clone()
    }

    #[test]
    fn positive_metadata_defaults_parses_and_refuses() {
        assert_eq!(positive_metadata(&spec("{}"), "depth", 7), Ok(7));
        assert_eq!(
            positive_metadata(&spec(r#"{"depth":" 8 "}"#), "depth", 7),
            Ok(8)
        );
        assert_eq!(
            positive_metadata(&spec(r#"{"depth":5}"#), "depth", 7),
            Ok(5)
        );
        for bad in [
            r#"{"depth":"0"}"#,
            r#"{"depth":"-1"}"#,
            r#"{"depth":"many"}"#,
        ] {
            let e = positive_metadata(&spec(bad), "depth", 7).unwrap_err();
            assert!(e.to_string().starts_with("metadata.depth:"), "{e}");
        }
    }
}
