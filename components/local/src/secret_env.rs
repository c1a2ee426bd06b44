//! `local.env`: each secret is an environment variable of the sidecar's process.

use std::collections::BTreeMap;
use std::sync::Arc;

use layotto_component_api::{
    indicator_name, Api, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
};

pub struct EnvSecretStore {
    indicator: String,
    /// Dapr's `prefix`: only variables starting with it are visible, named without it.
    prefix: String,
}

pub(crate) fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    Ok(Arc::new(EnvSecretStore {
        indicator: indicator_name(spec),
        prefix: spec.metadata_str("prefix").unwrap_or_default(),
    }))
}

impl EnvSecretStore {
    /// The secret `key` as `{key: value}`, the shape Dapr's secret stores answer with.
    pub fn get(&self, key: &str) -> Option<BTreeMap<String, String>> {
        let value = std::env::var(format!("{}{key}", self.prefix)).ok()?;
        Some(BTreeMap::from([(key.to_owned(), value)]))
    }
}

impl HealthIndicator for EnvSecretStore {
    fn name(&self) -> &str {
        &self.indicator
    }
    fn health(&self) -> Health {
        Health::Up
    }
}

impl Component for EnvSecretStore {
    fn api(&self) -> Api {
        Api::SecretStore
    }
    fn type_name(&self) -> &str {
        "local.env"
    }
}
