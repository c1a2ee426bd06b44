//! Redis components: `state`, `lock` and `sequencer` of type `redis`, in the layouts Layotto
//! and Dapr use on the same Redis (so a layotto-rs sidecar can replace one in place).
//!
//! The blueprint parses metadata once on the main thread ([`settings`]) and starts a health
//! probe ([`health`]); each worker's instance opens its own pipelined connections
//! (`layotto-resp-client`) on its own runtime, so no call crosses a core or takes a lock.
//! The sidecar starts even when Redis is down: readiness says DOWN with the reason, calls
//! answer UNAVAILABLE naming the address, and connections come back by themselves.
#![forbid(unsafe_code)]

mod error;
mod health;
mod lock;
mod sequencer;
mod settings;
mod state;

use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::{
    indicator_name, Api, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Instance, Registry, WorkerInfo,
};
use layotto_resp_client::{Client, ClientConfig};

use settings::Family;

/// The type name Layotto and Dapr use.
pub const TYPE: &str = "redis";

/// Registers `redis` under state, lock and sequencer.
pub fn register(registry: &mut Registry) {
    registry.register(Api::State, TYPE, |s| build(s, Kind::state(s)));
    registry.register(Api::Lock, TYPE, |s| build(s, Ok(Kind::Lock)));
    registry.register(Api::Sequencer, TYPE, |s| {
        build(s, Ok(Kind::Sequencer(s.bigger_than.clone())))
    });
}

enum Kind {
    State { default_ttl: Option<i64> },
    Lock,
    Sequencer(Vec<(String, i64)>),
}

impl Kind {
    fn state(spec: &ComponentSpec) -> Result<Kind, ComponentError> {
        Ok(Kind::State {
            default_ttl: state::default_ttl(spec)?,
        })
    }

    fn api(&self) -> Api {
        match self {
            Kind::State { .. } => Api::State,
            Kind::Lock => Api::Lock,
            Kind::Sequencer(_) => Api::Sequencer,
        }
    }
}

fn build(
    spec: &ComponentSpec,
    kind: Result<Kind, ComponentError>,
) -> Result<Arc<dyn Component>, ComponentError> {
    let kind = kind?;
    let family = match kind {
        Kind::State { .. } => Family::Dapr,
        _ => Family::Layotto,
    };
    let mut config = settings::client_config(spec, family)?;
    config.scripts = match kind {
        Kind::State { .. } => state::scripts(),
        Kind::Lock => lock::RedisLock::scripts(),
        Kind::Sequencer(_) => sequencer::RedisSequencer::scripts(),
    };
    let indicator = indicator_name(spec);
    let prober = health::Prober::start(&indicator, config.clone());
    tracing::info!(component = %indicator, addr = %config.addr, db = config.db,
        pool_per_worker = config.pool_size, "redis component configured");
    Ok(Arc::new(RedisComponent {
        indicator,
        config,
        kind,
        prober,
    }))
}

/// The blueprint: where Redis is and how to talk to it; each worker connects on its own.
struct RedisComponent {
    indicator: String,
    config: ClientConfig,
    kind: Kind,
    prober: health::Prober,
}

impl HealthIndicator for RedisComponent {
    fn name(&self) -> &str {
        &self.indicator
    }
    fn health(&self) -> Health {
        self.prober.health()
    }
}

impl Component for RedisComponent {
    fn api(&self) -> Api {
        self.kind.api()
    }
    fn type_name(&self) -> &str {
        TYPE
    }
    fn instance(&self, _: &WorkerInfo) -> Result<Instance, ComponentError> {
        let client = Client::new(self.config.clone());
        Ok(match &self.kind {
            Kind::State { default_ttl } => {
                Instance::State(Rc::new(state::RedisState::new(client, *default_ttl)))
            }
            Kind::Lock => Instance::Lock(Rc::new(lock::RedisLock::new(client))),
            Kind::Sequencer(floors) => {
                Instance::Sequencer(Rc::new(sequencer::RedisSequencer::new(client, floors)))
            }
        })
    }
}
