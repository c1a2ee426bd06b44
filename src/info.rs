//! The static part of `/actuator/info`, built once the listeners are bound.

use std::sync::Arc;
use std::time::Duration;

use layotto_component_api::{Component, ComponentSpec};
use layotto_config::Config;
use layotto_worker::{DriverChoice, Workers};
use serde_json::{json, Value};

pub fn document(
    config: &Config,
    workers: &Workers,
    components: &[(ComponentSpec, Arc<dyn Component>)],
    driver: DriverChoice,
    count: usize,
    pin: bool,
    drain_timeout: Duration,
) -> Value {
    let listeners: Vec<Value> = config
        .listeners()
        .map(|l| {
            let bound = workers
                .bound()
                .iter()
                .find(|(n, _)| *n == l.name)
                .map(|(_, a)| a.to_string());
            let role = if l.is_actuator() {
                "actuator"
            } else if l.grpc().is_some() {
                "grpc"
            } else {
                "proxy"
            };
            json!({ "name": l.name, "address": bound.unwrap_or_else(|| l.address.to_string()),
                    "role": role, "bound": workers.bound().iter().any(|(n, _)| *n == l.name) })
        })
        .collect();
    let components: Vec<Value> = components
        .iter()
        .map(|(spec, c)| json!({ "api": spec.api.key(), "name": spec.name, "type": c.type_name() }))
        .collect();
    json!({
        "app": { "name": "layotto-rs", "version": env!("CARGO_PKG_VERSION") },
        "runtime": {
            "workers": count,
            "io_driver": driver.effective.as_str(),
            "io_driver_requested": driver.requested.as_str(),
            "cpu_pinning": pin,
            "drain_timeout_ms": drain_timeout.as_millis() as u64,
        },
        "listeners": listeners,
        "components": components,
    })
}
