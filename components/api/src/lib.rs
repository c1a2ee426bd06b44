//! The seam between config and components.
//!
//! A config names components by API and type (`state.kv = {"type": "redis"}`); the
//! [`Registry`] maps each `(Api, type)` pair to a [`Factory`] and builds the [`Component`].
//! The binary is the only place that fills the registry with concrete types, so nothing above
//! this crate names a backend, and a type that does not exist fails with the list of those
//! that do.
//!
//! Every component is a [`HealthIndicator`]: the actuator's readiness is the fold of them all.
//! The per-API traits (`StateStore`, `LockStore`, ...) build on [`Component`].
#![forbid(unsafe_code)]

mod registry;

pub use layotto_config::{Api, ComponentSpec};
pub use layotto_health::{Health, HealthIndicator};
pub use registry::{Factory, Registry, RegistryError};

/// A configured, started component.
pub trait Component: HealthIndicator {
    fn api(&self) -> Api;
    fn type_name(&self) -> &str;
}

/// Why a component could not be built from its config.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComponentError {
    /// A metadata key has a value the component cannot use.
    #[error("metadata.{key}: {message}")]
    Metadata { key: String, message: String },
    /// The backend refused or failed during initialisation.
    #[error("init failed: {0}")]
    Init(String),
}

/// The name a component reports its health under: `<api key>/<component name>`.
pub fn indicator_name(spec: &ComponentSpec) -> String {
    format!("{}/{}", spec.api.key(), spec.name)
}
