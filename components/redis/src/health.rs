//! Readiness of a Redis component from a PING loop on its own thread.
//!
//! Why a thread: `HealthIndicator::health` must answer from a cache (the actuator calls it on a
//! worker), and the workers' connections only learn about Redis when requests arrive. A probe
//! every [`INTERVAL`] makes readiness DOWN within seconds of Redis going away, with no traffic,
//! and UP again once it answers. The thread ends when the component is dropped (its sender
//! disconnects). INIT until the first probe has answered.

use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use layotto_component_api::Health;
use layotto_resp_client::{probe, ClientConfig};

const INTERVAL: Duration = Duration::from_secs(2);

pub(crate) struct Prober {
    state: Arc<Mutex<Health>>,
    /// Dropped with the component, which ends the thread.
    _stop: Sender<()>,
}

impl Prober {
    pub(crate) fn start(name: &str, config: ClientConfig) -> Prober {
        let state = Arc::new(Mutex::new(Health::Init));
        let (stop, stopped) = channel::<()>();
        let shared = Arc::clone(&state);
        let label = name.to_owned();
        let spawned = std::thread::Builder::new()
            .name("layotto-redis-health".into())
            .spawn(move || loop {
                let timeout = config.dial_timeout.min(INTERVAL);
                let now = match probe::ping(&config, timeout) {
                    Ok(()) => Health::Up,
                    Err(e) => Health::Down(e.to_string()),
                };
                let changed = {
                    let mut cur = shared.lock().unwrap_or_else(|p| p.into_inner());
                    let changed = *cur != now;
                    *cur = now.clone();
                    changed
                };
                if changed {
                    match &now {
                        Health::Down(reason) => {
                            tracing::warn!(component = %label, %reason, "redis is down")
                        }
                        _ => tracing::info!(component = %label, "redis is up"),
                    }
                }
                match stopped.recv_timeout(INTERVAL) {
                    Err(RecvTimeoutError::Timeout) => continue,
                    _ => return,
                }
            });
        if let Err(e) = spawned {
            let mut cur = state.lock().unwrap_or_else(|p| p.into_inner());
            *cur = Health::Down(format!("cannot start the health thread: {e}"));
        }
        Prober { state, _stop: stop }
    }

    pub(crate) fn health(&self) -> Health {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
