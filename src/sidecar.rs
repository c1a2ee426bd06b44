//! Wiring: config → components → listeners → workers, and the signals that end it.
//!
//! This is the only module that names concrete component crates (it fills the registry).

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use layotto_actuator::Actuator;
use layotto_component_api::{Component, ComponentSpec, HealthIndicator, Registry};
use layotto_config::{Config, Filter, LogFormat, Parsed, DEFAULT_CONFIG};
use layotto_health::{Lifecycle, Phase};
use layotto_metrics::Counters;
use layotto_runtime_api::{HealthService, RouteSource, RuntimeApi};
use layotto_worker::{Drain, Driver, DriverChoice, Workers, WorkersConfig};

use crate::cli::{CheckArgs, IoDriverArg, LogFormatArg, StartArgs};
use crate::{info, listeners, logging, signals};

const DEFAULT_DRAIN: Duration = Duration::from_secs(30);
/// Exit code for a config that cannot be used, as `layotto check` and `start` report it.
const EXIT_CONFIG: u8 = 2;

/// Every component type in this build.
fn registry() -> Registry {
    let mut r = Registry::new();
    layotto_component_memory::register(&mut r);
    layotto_component_local::register(&mut r);
    layotto_component_http::register(&mut r);
    layotto_component_redis::register(&mut r);
    r
}

fn load(path: Option<&Path>) -> Result<(String, Parsed), String> {
    let (name, text) = match path {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?,
        ),
        None => (
            "embedded default config".to_owned(),
            DEFAULT_CONFIG.to_owned(),
        ),
    };
    let parsed = Config::from_json(&text).map_err(|e| format!("{name}: {e}"))?;
    Ok((name, parsed))
}

/// The JSON path of a gRPC listener's `grpc_config`, for errors about it.
fn grpc_config_path(l: &layotto_config::Listener) -> String {
    let filter = l
        .filter_chains
        .first()
        .and_then(|c| c.filters.iter().position(|f| matches!(f, Filter::Grpc(_))))
        .unwrap_or(0);
    format!(
        "{}.filter_chains[0].filters[{filter}].config.grpc_config",
        l.path
    )
}

/// Checks what the parser cannot: that component types exist and that each listener runs
/// something this build serves.
fn validate(config: &Config, registry: &Registry) -> Result<(), String> {
    for l in config.listeners() {
        if let Some(grpc) = l.grpc() {
            registry
                .validate(&grpc.grpc_config.components)
                .map_err(|e| e.to_string())?;
            RuntimeApi::check(&grpc.grpc_config, &grpc_config_path(l))?;
        } else if l.proxy().is_some() && !l.is_actuator() {
            return Err(format!(
                "{}.filter_chains[0].filters: the mesh proxy is not in this build yet; \
                 a proxy filter is served only with the actuator_filter stream filter",
                l.path
            ));
        } else if l.filter_chains.is_empty() {
            return Err(format!(
                "{}.filter_chains: a listener needs a filter",
                l.path
            ));
        }
    }
    Ok(())
}

pub fn check(args: CheckArgs) -> ExitCode {
    let (name, parsed) = match load(Some(&args.config)) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    for w in &parsed.warnings {
        eprintln!("warning: {w}");
    }
    if let Err(e) = validate(&parsed.config, &registry()) {
        eprintln!("error: {name}: {e}");
        return ExitCode::from(EXIT_CONFIG);
    }
    let components: usize = parsed
        .config
        .listeners()
        .filter_map(|l| l.grpc())
        .map(|g| g.grpc_config.components.len())
        .sum();
    println!(
        "{name}: ok ({} listeners, {components} components, {} warnings)",
        parsed.config.listeners().count(),
        parsed.warnings.len()
    );
    ExitCode::SUCCESS
}

pub fn start(args: StartArgs) -> ExitCode {
    let (name, parsed) = match load(args.config.as_deref()) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let config = parsed.config;
    let filter = args
        .log_level
        .clone()
        .or_else(|| std::env::var("RUST_LOG").ok().filter(|s| !s.is_empty()))
        .or_else(|| config.log_level().map(logging::normalize))
        .unwrap_or_else(|| "info".to_owned());
    let format = match args.log_format {
        Some(LogFormatArg::Json) => LogFormat::Json,
        Some(LogFormatArg::Text) => LogFormat::Text,
        None => config.log.format,
    };
    let logs = match logging::init(&filter, format) {
        Ok(l) => Arc::new(l),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    tracing::info!(config = %name, version = env!("CARGO_PKG_VERSION"), "starting layotto");
    for w in &parsed.warnings {
        tracing::warn!(path = %w.path, "config: {}", w.message);
    }
    let registry = registry();
    if let Err(e) = validate(&config, &registry) {
        tracing::error!("config: {e}");
        return ExitCode::from(EXIT_CONFIG);
    }
    match run(&config, &args, &registry, logs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run(
    config: &Config,
    args: &StartArgs,
    registry: &Registry,
    logs: Arc<logging::Logs>,
) -> Result<(), String> {
    let mut components: Vec<(ComponentSpec, Arc<dyn Component>)> = Vec::new();
    // Each gRPC listener's Runtime API, over its own components, by listener path.
    let mut runtimes: HashMap<String, Arc<dyn RouteSource>> = HashMap::new();
    for l in config.listeners() {
        let Some(grpc) = l.grpc() else { continue };
        let mut mine = Vec::new();
        for spec in &grpc.grpc_config.components {
            let c = registry.build(spec).map_err(|e| e.to_string())?;
            components.push((spec.clone(), Arc::clone(&c)));
            mine.push((spec.clone(), c));
        }
        let api = RuntimeApi::new(&grpc.grpc_config, mine, &grpc_config_path(l))?;
        runtimes.insert(l.path.clone(), Arc::new(api));
    }
    let requested = match args.io_driver {
        Some(IoDriverArg::IoUring) => Driver::IoUring,
        Some(IoDriverArg::Epoll) => Driver::Epoll,
        None => match config.worker.io_driver {
            layotto_config::IoDriver::IoUring => Driver::IoUring,
            layotto_config::IoDriver::Epoll => Driver::Epoll,
        },
    };
    let driver = DriverChoice::resolve(requested);
    let count = args
        .workers
        .filter(|n| *n > 0)
        .or(config.worker_count())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let drain_timeout = match &args.drain_timeout {
        Some(s) => {
            layotto_config::parse_duration(s).map_err(|e| format!("--drain-timeout: {e}"))?
        }
        None => config.drain_timeout().unwrap_or(DEFAULT_DRAIN),
    };
    let pin = args.cpu_pinning.unwrap_or(config.worker.cpu_pinning);

    let lifecycle = Arc::new(Lifecycle::new());
    let counters = Counters::new(count);
    let drain = Drain::new();
    let info = Arc::new(OnceLock::new());
    let actuator = Arc::new(Actuator {
        lifecycle: Arc::clone(&lifecycle),
        components: components
            .iter()
            .map(|(_, c)| Arc::clone(c) as Arc<dyn HealthIndicator>)
            .collect(),
        counters: Arc::clone(&counters),
        info: Arc::clone(&info),
        log: Some(logs),
    });

    let health = Arc::new(HealthService::new());
    let sources =
        |l: &layotto_config::Listener| runtimes.get(&l.path).cloned().into_iter().collect();
    let listeners = listeners::plan(config, &actuator, &health, &sources)?;

    let signals = signals::watch(Arc::clone(&lifecycle), Arc::clone(&health), drain.clone())?;
    let workers = Workers::start(
        WorkersConfig {
            count,
            pin,
            driver,
            drain_timeout,
        },
        listeners,
        Arc::clone(&counters),
        drain,
    )
    .map_err(|e| e.to_string())?;
    for (name, addr) in workers.bound() {
        tracing::info!(listener = %name, address = %addr, "listening");
    }
    let _ = info.set(info::document(
        config,
        &workers,
        &components,
        driver,
        count,
        pin,
        drain_timeout,
    ));
    lifecycle.advance(Phase::Serving);
    tracing::info!(
        workers = count,
        io_driver = driver.effective.as_str(),
        cpu_pinning = pin,
        "serving"
    );

    let cut = workers.join();
    lifecycle.advance(Phase::Stopped);
    signals.close();
    tracing::info!(connections_cut = cut, "stopped");
    Ok(())
}
