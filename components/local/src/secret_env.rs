//! `local.env`: each secret is an environment variable of the sidecar's process (Dapr v1.5.2,
//! facts §3.9): `get(k)` is `{k: $k}`, and an unset variable is `""`, not an error.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::secret::Secret;
use layotto_component_api::{
    indicator_name, Api, Call, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Instance, Metadata, SecretStore, WorkerInfo,
};

pub struct EnvSecretStore {
    indicator: String,
    env: Env,
}

/// What a worker's instance needs: only the prefix.
#[derive(Clone)]
struct Env {
    /// Dapr's `prefix`: only variables starting with it are visible, named without it.
    prefix: String,
}

pub(crate) fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    Ok(Arc::new(EnvSecretStore {
        indicator: indicator_name(spec),
        env: Env {
            prefix: spec.metadata_str("prefix").unwrap_or_default(),
        },
    }))
}

impl EnvSecretStore {
    /// The secret `key` as `{key: value}`, the shape Dapr's secret stores answer with.
    pub fn get(&self, key: &str) -> Secret {
        self.env.get(key)
    }
}

impl Env {
    fn get(&self, key: &str) -> Secret {
        let value = std::env::var(format!("{}{key}", self.prefix)).unwrap_or_default();
        BTreeMap::from([(key.to_owned(), value)])
    }

    /// Every variable under the prefix; names or values that are not UTF-8 are skipped.
    fn all(&self) -> BTreeMap<String, Secret> {
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter_map(|(k, v)| {
                let name = k.strip_prefix(self.prefix.as_str())?.to_owned();
                Some((name.clone(), BTreeMap::from([(name, v)])))
            })
            .collect()
    }
}

impl SecretStore for Env {
    fn get(&self, key: String, _: Metadata) -> Call<'_, Secret> {
        Box::pin(async move { Ok(Env::get(self, &key)) })
    }

    fn bulk_get(&self, _: Metadata) -> Call<'_, BTreeMap<String, Secret>> {
        Box::pin(async move { Ok(self.all()) })
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
    fn instance(&self, _: &WorkerInfo) -> Result<Instance, ComponentError> {
        Ok(Instance::SecretStore(Rc::new(self.env.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_under_the_prefix_and_unset_is_empty() {
        // PATH is set in every test environment; no variable is set by the test itself.
        let path = std::env::var("PATH").unwrap();
        let plain = Env {
            prefix: String::new(),
        };
        assert_eq!(
            plain.get("PATH"),
            BTreeMap::from([("PATH".into(), path.clone())])
        );
        let unset = "LAYOTTO_TEST_SURELY_UNSET_VARIABLE";
        assert_eq!(
            plain.get(unset),
            BTreeMap::from([(unset.into(), String::new())])
        );
        assert_eq!(
            plain.all().get("PATH").and_then(|s| s.get("PATH")),
            Some(&path)
        );
        let prefixed = Env {
            prefix: "PA".into(),
        };
        assert_eq!(prefixed.get("TH").get("TH"), Some(&path));
        assert!(prefixed.all().contains_key("TH"));
        assert!(!prefixed.all().contains_key("PATH"));
    }
}
