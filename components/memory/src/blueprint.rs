//! The one blueprint shape every in-memory component shares: a name for health, and an `Arc`
//! of the shared truth that each worker's instance is a thin handle on.

use std::sync::Arc;

use layotto_component_api::{
    indicator_name, Api, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Instance, WorkerInfo,
};

/// The state all cores share; builds a worker's handle on it.
pub(crate) trait Shared: Send + Sync + 'static {
    fn instance(this: &Arc<Self>, worker: &WorkerInfo) -> Instance;
}

pub(crate) struct Blueprint<S> {
    api: Api,
    type_name: &'static str,
    indicator: String,
    shared: Arc<S>,
}

impl<S: Shared> Blueprint<S> {
    pub(crate) fn new(spec: &ComponentSpec, type_name: &'static str, shared: S) -> Self {
        Blueprint {
            api: spec.api,
            type_name,
            indicator: indicator_name(spec),
            shared: Arc::new(shared),
        }
    }

    pub(crate) fn into_component(self) -> Arc<dyn Component> {
        Arc::new(self)
    }
}

impl<S: Shared> HealthIndicator for Blueprint<S> {
    fn name(&self) -> &str {
        &self.indicator
    }
    /// Everything is in this process: if the sidecar runs, so does the store.
    fn health(&self) -> Health {
        Health::Up
    }
}

impl<S: Shared> Component for Blueprint<S> {
    fn api(&self) -> Api {
        self.api
    }
    fn type_name(&self) -> &str {
        self.type_name
    }
    fn instance(&self, worker: &WorkerInfo) -> Result<Instance, ComponentError> {
        Ok(S::instance(&self.shared, worker))
    }
}
