//! In-memory components, one per API: what the embedded default config runs, so the sidecar
//! needs no backend.
//!
//! They hold everything in the process, so they are always healthy. The data structures behind
//! each API (and which core owns each key) arrive with the Runtime API; this crate already
//! registers the types so configs that name them are accepted and reported.
#![forbid(unsafe_code)]

use std::sync::Arc;

use layotto_component_api::{
    indicator_name, Api, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Registry,
};

/// The type name Layotto uses for its in-memory components.
pub const TYPE: &str = "in-memory";

/// The APIs that have an in-memory component.
pub const APIS: [Api; 6] = [
    Api::State,
    Api::Lock,
    Api::Sequencer,
    Api::ConfigStore,
    Api::PubSub,
    Api::File,
];

/// Registers `in-memory` for every API in [`APIS`] and `helloworld` for hellos.
pub fn register(registry: &mut Registry) {
    for api in APIS {
        registry.register(api, TYPE, build);
    }
    registry.register(Api::Hello, "helloworld", build_hello);
}

struct InMemory {
    api: Api,
    type_name: &'static str,
    indicator: String,
}

fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    Ok(Arc::new(InMemory {
        api: spec.api,
        type_name: TYPE,
        indicator: indicator_name(spec),
    }))
}

fn build_hello(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    Ok(Arc::new(InMemory {
        api: Api::Hello,
        type_name: "helloworld",
        indicator: indicator_name(spec),
    }))
}

impl HealthIndicator for InMemory {
    fn name(&self) -> &str {
        &self.indicator
    }
    fn health(&self) -> Health {
        Health::Up
    }
}

impl Component for InMemory {
    fn api(&self) -> Api {
        self.api
    }
    fn type_name(&self) -> &str {
        self.type_name
    }
}
