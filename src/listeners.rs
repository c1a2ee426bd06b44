//! Turning configured listeners into what the workers serve.

use std::sync::Arc;

use layotto_actuator::Actuator;
use layotto_config::{Config, Listener, TlsContext};
use layotto_runtime_api::{GrpcListener, HealthService, RouteSource};
use layotto_worker::ListenerSpec;

/// What a gRPC listener serves besides health and reflection (its Runtime API).
pub type Sources<'a> = dyn Fn(&Listener) -> Vec<Arc<dyn RouteSource>> + 'a;

/// Builds every bound listener's blueprint. The gRPC listeners share one health registry, so
/// the drain can mark them all NOT_SERVING at once; `sources` gives each its own routes.
pub fn plan(
    config: &Config,
    actuator: &Arc<Actuator>,
    health: &Arc<HealthService>,
    sources: &Sources<'_>,
) -> Result<Vec<ListenerSpec>, String> {
    let mut specs = Vec::new();
    for l in config.listeners() {
        if !l.bind_port {
            tracing::info!(listener = %l.name, "bind_port is false; not listening");
            continue;
        }
        let factory: Arc<dyn layotto_worker::ServiceFactory> = if l.is_actuator() {
            actuator.clone()
        } else if l.grpc().is_some() {
            Arc::new(grpc(l, health, sources(l))?)
        } else {
            continue;
        };
        specs.push(ListenerSpec {
            name: l.name.clone(),
            addr: l.address,
            factory,
        });
    }
    Ok(specs)
}

fn grpc(
    l: &Listener,
    health: &Arc<HealthService>,
    sources: Vec<Arc<dyn RouteSource>>,
) -> Result<GrpcListener, String> {
    let tls = l.tls().map(load_tls).transpose()?;
    GrpcListener::new(Arc::clone(health), sources, tls).map_err(|e| format!("{}: {e}", l.path))
}

fn load_tls(t: &TlsContext) -> Result<Arc<rustls::ServerConfig>, String> {
    let cert =
        TlsContext::load(&t.cert_chain).map_err(|e| format!("{}.cert_chain: {e}", t.path))?;
    let key =
        TlsContext::load(&t.private_key).map_err(|e| format!("{}.private_key: {e}", t.path))?;
    layotto_http2_transport::tls::server_config(&cert, &key).map_err(|e| format!("{}: {e}", t.path))
}
