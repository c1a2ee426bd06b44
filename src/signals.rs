//! Shutdown signals: the first SIGTERM or SIGINT drains, a second one exits at once.

use std::sync::Arc;

use layotto_health::{Lifecycle, Phase};
use layotto_runtime_api::HealthService;
use layotto_worker::Drain;

/// First SIGTERM or SIGINT: drain. Second: exit at once.
pub fn watch(
    lifecycle: Arc<Lifecycle>,
    health: Arc<HealthService>,
    drain: Drain,
) -> Result<signal_hook::iterator::Handle, String> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT])
        .map_err(|e| format!("cannot install signal handlers: {e}"))?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("layotto-signals".into())
        .spawn(move || {
            for (n, signal) in signals.forever().enumerate() {
                if n == 0 {
                    tracing::info!(signal, "shutdown requested; draining");
                    lifecycle.advance(Phase::Draining);
                    // gRPC health checkers see NOT_SERVING before connections get GOAWAY.
                    health.shutdown();
                    drain.start();
                } else {
                    tracing::warn!(signal, "second signal; exiting now");
                    std::process::exit(130);
                }
            }
        })
        .map_err(|e| format!("cannot start the signal thread: {e}"))?;
    Ok(handle)
}
