//! Component types by API, and building them from config.

use std::collections::BTreeMap;
use std::sync::Arc;

use layotto_config::{Api, ComponentSpec};

use crate::{Component, ComponentError};

/// Builds one component from its config entry.
pub type Factory = fn(&ComponentSpec) -> Result<Arc<dyn Component>, ComponentError>;

/// Every component type this build knows.
#[derive(Default)]
pub struct Registry {
    factories: BTreeMap<(Api, &'static str), Factory>,
}

/// A component that could not be built, with the JSON path of its entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("{path}: unknown {api} component type {type_name:?}; known types: {known}")]
    UnknownType {
        path: String,
        api: &'static str,
        type_name: String,
        known: String,
    },
    #[error("{path}: {source}")]
    Build {
        path: String,
        source: ComponentError,
    },
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    pub fn register(&mut self, api: Api, type_name: &'static str, factory: Factory) {
        self.factories.insert((api, type_name), factory);
    }

    /// The type names registered for `api`, sorted.
    pub fn types(&self, api: Api) -> Vec<&'static str> {
        self.factories
            .keys()
            .filter(|(a, _)| *a == api)
            .map(|(_, t)| *t)
            .collect()
    }

    fn factory(&self, spec: &ComponentSpec) -> Result<Factory, RegistryError> {
        self.factories
            .get(&(spec.api, spec.type_name.as_str()))
            .copied()
            .ok_or_else(|| {
                let known = self.types(spec.api);
                RegistryError::UnknownType {
                    path: spec.type_path(),
                    api: spec.api.key(),
                    type_name: spec.type_name.clone(),
                    known: if known.is_empty() {
                        "(none in this build)".to_owned()
                    } else {
                        known.join(", ")
                    },
                }
            })
    }

    /// Checks that every type exists, without building anything: `layotto check`.
    pub fn validate<'a>(
        &self,
        specs: impl IntoIterator<Item = &'a ComponentSpec>,
    ) -> Result<(), RegistryError> {
        specs
            .into_iter()
            .try_for_each(|s| self.factory(s).map(drop))
    }

    pub fn build(&self, spec: &ComponentSpec) -> Result<Arc<dyn Component>, RegistryError> {
        let factory = self.factory(spec)?;
        factory(spec).map_err(|source| RegistryError::Build {
            path: spec.path.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layotto_health::{Health, HealthIndicator};

    struct Nop(String);
    impl HealthIndicator for Nop {
        fn name(&self) -> &str {
            &self.0
        }
        fn health(&self) -> Health {
            Health::Up
        }
    }
    impl Component for Nop {
        fn api(&self) -> Api {
            Api::Lock
        }
        fn type_name(&self) -> &str {
            "nop"
        }
        fn instance(&self, _: &crate::WorkerInfo) -> Result<crate::Instance, ComponentError> {
            Err(ComponentError::Unsupported("nop"))
        }
    }

    fn spec(type_name: &str) -> ComponentSpec {
        let text = format!(
            r#"{{"servers":[{{"listeners":[{{"name":"g","address":"127.0.0.1:0","bind_port":true,
            "filter_chains":[{{"filters":[{{"type":"grpc","config":{{"grpc_config":{{
            "lock":{{"l":{{"type":"{type_name}"}}}}}}}}}}]}}]}}]}}]}}"#
        );
        let parsed = layotto_config::Config::from_json(&text).unwrap();
        let l = parsed.config.listeners().next().unwrap().clone();
        l.grpc().unwrap().grpc_config.components[0].clone()
    }

    #[test]
    fn unknown_types_list_the_known_ones_with_the_path() {
        let mut r = Registry::new();
        r.register(Api::Lock, "nop", |s| Ok(Arc::new(Nop(s.name.clone()))));
        r.register(Api::Lock, "abc", |s| Ok(Arc::new(Nop(s.name.clone()))));
        let err = r.validate([&spec("redis")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "servers[0].listeners[0].filter_chains[0].filters[0].config.grpc_config.lock.l.type: \
             unknown lock component type \"redis\"; known types: abc, nop"
        );
        let built = r.build(&spec("nop")).unwrap();
        assert_eq!(built.name(), "l");
    }
}
