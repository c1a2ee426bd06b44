//! In-memory components, one per API: what the embedded default config runs, so the sidecar
//! needs no backend.
//!
//! Each component is a blueprint holding one truth for the whole process (in [`shards`]-ed
//! mutex maps, see there for why not an owner core) and hands every worker a thin handle on
//! it; changes reach subscribers on other cores through bounded inboxes. Everything is in the
//! process, so they are always healthy, and everything is lost when it exits.
#![forbid(unsafe_code)]

mod blueprint;
mod config;
mod file;
mod hello;
mod inbox;
mod lock;
mod pubsub;
mod sequencer;
mod shards;
mod state;

use std::sync::Arc;

use layotto_component_api::{Api, Component, ComponentError, ComponentSpec, Registry, SystemClock};

use blueprint::Blueprint;
pub use hello::DEFAULT_GREETING;

/// The type name Layotto uses for its in-memory components.
pub const TYPE: &str = "in-memory";
/// The type name of the hello component.
pub const HELLO_TYPE: &str = "helloworld";

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
    registry.register(Api::State, TYPE, build_state);
    registry.register(Api::Lock, TYPE, build_lock);
    registry.register(Api::Sequencer, TYPE, build_sequencer);
    registry.register(Api::ConfigStore, TYPE, build_config);
    registry.register(Api::PubSub, TYPE, build_pubsub);
    registry.register(Api::File, TYPE, build_file);
    registry.register(Api::Hello, HELLO_TYPE, build_hello);
}

fn build_state(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = state::MemoryState::from_spec(spec, Arc::new(SystemClock))?;
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_lock(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = lock::MemoryLock::new(Arc::new(SystemClock));
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_sequencer(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = sequencer::MemorySequencer::new(&spec.bigger_than);
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_config(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = config::MemoryConfig::from_spec(spec)?;
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_pubsub(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = pubsub::MemoryPubSub::from_spec(spec)?;
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_file(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = file::MemoryFiles::from_spec(spec)?;
    Ok(Blueprint::new(spec, TYPE, shared).into_component())
}

fn build_hello(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let shared = hello::Greeting::new(spec.hello.as_deref());
    Ok(Blueprint::new(spec, HELLO_TYPE, shared).into_component())
}

/// Runs `f` to completion on a fresh single-thread monoio runtime.
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut rt = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
        .enable_timer()
        .build()
        .unwrap();
    rt.block_on(f)
}
