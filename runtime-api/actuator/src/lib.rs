//! Layotto's actuator: `/actuator/health/liveness`, `/actuator/health/readiness`,
//! `/actuator/info` and `/actuator/logger`, over our own HTTP/1 codec.
//!
//! Paths and JSON bodies follow Layotto (`{"status": "UP", "components": {...}}`), with one
//! deliberate difference: a state other than UP answers 503, as Layotto documents and as
//! orchestrators expect, where Layotto's code sends 500.
//!
//! The blueprint ([`Actuator`]) is shared by all workers; each answer is computed on the
//! worker that accepted the connection, by asking every indicator and summing the per-worker
//! counters at that moment.
#![forbid(unsafe_code)]

mod endpoints;
mod server;

use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use layotto_health::{HealthIndicator, Lifecycle};
use layotto_metrics::Counters;
use layotto_worker::{Connection, Service, ServiceFactory, WorkerCtx};

pub use endpoints::Reply;

/// Changes the log filter at run time, for `POST /actuator/logger`.
pub trait LogControl: Send + Sync {
    /// `target` narrows the change to one module path (`layotto_worker`); `None` sets the
    /// default level. Returns the filter now in force.
    fn set_level(&self, target: Option<&str>, level: &str) -> Result<String, String>;
}

/// Everything the actuator reports, built once at start-up.
pub struct Actuator {
    pub lifecycle: Arc<Lifecycle>,
    /// Components in config order; each reports its own health.
    pub components: Vec<Arc<dyn HealthIndicator>>,
    pub counters: Arc<Counters>,
    /// The static part of `/actuator/info` (version, workers, driver, listeners, components),
    /// set once the listeners are bound and their real addresses known.
    pub info: Arc<OnceLock<serde_json::Value>>,
    pub log: Option<Arc<dyn LogControl>>,
}

impl ServiceFactory for Actuator {
    fn build(&self, _worker: &Rc<WorkerCtx>) -> Rc<dyn Service> {
        Rc::new(ActuatorService {
            state: self.shared(),
        })
    }
}

impl Actuator {
    fn shared(&self) -> Arc<Actuator> {
        Arc::new(Actuator {
            lifecycle: Arc::clone(&self.lifecycle),
            components: self.components.clone(),
            counters: Arc::clone(&self.counters),
            info: Arc::clone(&self.info),
            log: self.log.clone(),
        })
    }
}

struct ActuatorService {
    state: Arc<Actuator>,
}

impl Service for ActuatorService {
    fn serve(
        self: Rc<Self>,
        conn: Connection,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> {
        Box::pin(async move {
            let state = Arc::clone(&self.state);
            server::serve(conn, move |req, body| endpoints::handle(&state, req, body)).await;
        })
    }
}
