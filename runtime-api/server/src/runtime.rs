//! Layotto's Runtime API (`spec.proto.runtime.v1.Runtime`): every method, on every worker.
//!
//! [`RuntimeApi`] is one gRPC listener's blueprint: its components (blueprints shared by all
//! cores), its app id and its InvokeService targets. On each worker, [`RouteSource::add_routes`]
//! asks every component for that worker's instance and registers the 26 methods with handlers
//! holding an `Rc<Ctx>`: the worker's instances by name, its WEAK sequencer cache, its HTTP
//! client. Nothing a handler touches is shared with another core, except what a component
//! itself chooses to share behind its instance.
//!
//! The handlers translate proto to the component API's domain types, apply Layotto's key
//! prefixes, and map [`ComponentError`](layotto_component_api::ComponentError) to gRPC codes
//! ([`errors`]); one file per API.

mod binding;
mod cloudevent;
mod configuration;
mod errors;
mod file;
mod hello;
mod invoke;
mod lock;
mod pubsub;
mod secret;
mod sequencer;
mod state;
mod stores;
mod timefmt;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::{Component, ComponentSpec, Metadata, WorkerInfo};
use layotto_config::GrpcConfig;
use layotto_grpc_transport::{Call, Method, Routes, Status};
use layotto_worker::WorkerCtx;

use crate::RouteSource;
use invoke::Targets;
use stores::{Blueprints, Stores};

/// The Runtime API of one gRPC listener.
pub struct RuntimeApi {
    app_id: String,
    blueprints: Blueprints,
    targets: Arc<Targets>,
}

impl RuntimeApi {
    /// From the listener's `grpc_config` (at JSON path `path`, for errors) and the components
    /// built from it. Fails on settings the runtime itself reads: a store's `keyPrefix`, an
    /// InvokeService target.
    pub fn new(
        config: &GrpcConfig,
        components: Vec<(ComponentSpec, Arc<dyn Component>)>,
        path: &str,
    ) -> Result<RuntimeApi, String> {
        Ok(RuntimeApi {
            app_id: config
                .app
                .as_ref()
                .map(|a| a.app_id.clone())
                .unwrap_or_default(),
            blueprints: Blueprints::new(components)?,
            targets: Arc::new(Targets::from_config(config).map_err(|e| format!("{path}.{e}"))?),
        })
    }

    /// Checks what [`new`](RuntimeApi::new) would refuse, without components: `layotto check`.
    pub fn check(config: &GrpcConfig, path: &str) -> Result<(), String> {
        for spec in &config.components {
            stores::prefix_of(spec)?;
        }
        Targets::from_config(config).map_err(|e| format!("{path}.{e}"))?;
        Ok(())
    }

    /// Registers every method for the worker `info`, on that worker's thread.
    pub(crate) fn register(&self, info: &WorkerInfo, routes: &mut Routes) {
        let ctx = Rc::new(Ctx {
            app_id: self.app_id.clone(),
            stores: self.blueprints.instances(info),
            weak_ids: sequencer::WeakIds::default(),
            targets: Arc::clone(&self.targets),
        });
        hello::register(routes, &ctx);
        state::register(routes, &ctx);
        lock::register(routes, &ctx);
        sequencer::register(routes, &ctx);
        configuration::register(routes, &ctx);
        pubsub::register(routes, &ctx);
        file::register(routes, &ctx);
        binding::register(routes, &ctx);
        secret::register(routes, &ctx);
        invoke::register(routes, &ctx);
    }
}

impl RouteSource for RuntimeApi {
    fn add_routes(&self, worker: &Rc<WorkerCtx>, routes: &mut Routes) {
        let info = WorkerInfo {
            id: worker.id,
            workers: worker.workers,
        };
        self.register(&info, routes);
    }

    fn services(&self) -> Vec<String> {
        vec![layotto_proto::RUNTIME_SERVICE.to_owned()]
    }
}

/// One worker's view of the Runtime API: what every handler on that worker shares.
pub(crate) struct Ctx {
    pub(crate) app_id: String,
    pub(crate) stores: Stores,
    pub(crate) weak_ids: sequencer::WeakIds,
    pub(crate) targets: Arc<Targets>,
}

/// `/spec.proto.runtime.v1.Runtime/<method>`.
pub(crate) fn path(method: &str) -> String {
    format!("/{}/{method}", layotto_proto::RUNTIME_SERVICE)
}

/// Registers a unary method whose handler is `f(ctx, call, request)`.
pub(crate) fn unary<Req, Resp, F, Fut>(routes: &mut Routes, ctx: &Rc<Ctx>, method: &str, f: F)
where
    Req: prost::Message + Default + 'static,
    Resp: prost::Message + 'static,
    F: Fn(Rc<Ctx>, Call, Req) -> Fut + 'static,
    Fut: Future<Output = Result<Resp, Status>> + 'static,
{
    let ctx = Rc::clone(ctx);
    routes.add(
        &path(method),
        layotto_grpc_transport::unary(move |call, req| f(Rc::clone(&ctx), call, req)),
    );
}

/// Registers any other kind of method, built by the caller.
pub(crate) fn add(routes: &mut Routes, method: &str, m: Method) {
    routes.add(&path(method), m);
}

/// A proto map as the component API's metadata.
pub(crate) fn meta(m: HashMap<String, String>) -> Metadata {
    m.into_iter().collect()
}

/// Component metadata back into a proto map.
pub(crate) fn proto_meta(m: BTreeMap<String, String>) -> HashMap<String, String> {
    m.into_iter().collect()
}

/// A request field that must not be empty.
pub(crate) fn required(value: &str, field: &str) -> Result<(), Status> {
    if value.is_empty() {
        return Err(Status::invalid_argument(format!("{field} is empty")));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
