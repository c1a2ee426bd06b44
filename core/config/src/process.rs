//! The document root: `servers`, and our optional `worker` and `log` objects.

use std::time::Duration;

use serde_json::Value;

use crate::listener::{self, Listener};
use crate::walk::{invalid, Obj, Result};
use crate::{parse_duration, JsonPath, Warning};

/// The whole config.
#[derive(Debug, Clone)]
pub struct Config {
    pub servers: Vec<Server>,
    pub worker: WorkerOptions,
    pub log: LogOptions,
}

/// One MOSN `servers[]` entry. Layotto configs have exactly one.
#[derive(Debug, Clone)]
pub struct Server {
    /// `default_log_level` (MOSN's spelling: DEBUG, INFO, WARN, ERROR...).
    pub default_log_level: Option<String>,
    /// `graceful_timeout`: how long a shutdown waits for in-flight requests.
    pub graceful_timeout: Option<Duration>,
    /// `processor`: MOSN's GOMAXPROCS; here, the number of workers when `worker.count` is unset.
    pub processor: Option<usize>,
    pub listeners: Vec<Listener>,
}

/// The I/O driver each worker's runtime uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoDriver {
    /// io_uring, falling back to epoll (with a log line) where the kernel refuses it.
    IoUring,
    Epoll,
}

impl IoDriver {
    pub fn parse(s: &str) -> Option<IoDriver> {
        match s {
            "io_uring" | "iouring" | "uring" => Some(IoDriver::IoUring),
            "epoll" | "legacy" => Some(IoDriver::Epoll),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            IoDriver::IoUring => "io_uring",
            IoDriver::Epoll => "epoll",
        }
    }
}

/// Our top-level `worker` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerOptions {
    /// Worker threads; `None` means one per available core.
    pub count: Option<usize>,
    pub cpu_pinning: bool,
    pub io_driver: IoDriver,
    /// Drain deadline; `servers[0].graceful_timeout` is used when this is unset.
    pub drain_timeout: Option<Duration>,
}

impl Default for WorkerOptions {
    fn default() -> Self {
        WorkerOptions {
            count: None,
            cpu_pinning: false,
            io_driver: IoDriver::IoUring,
            drain_timeout: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Our top-level `log` object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogOptions {
    /// A level or a `RUST_LOG`-style filter.
    pub level: Option<String>,
    pub format: LogFormat,
}

impl Config {
    /// The log level the file asks for: `log.level`, else MOSN's `default_log_level`.
    pub fn log_level(&self) -> Option<&str> {
        self.log.level.as_deref().or_else(|| {
            self.servers
                .iter()
                .find_map(|s| s.default_log_level.as_deref())
        })
    }

    /// Workers asked for by the file: `worker.count`, else MOSN's `processor`.
    pub fn worker_count(&self) -> Option<usize> {
        self.worker
            .count
            .or_else(|| self.servers.iter().find_map(|s| s.processor))
    }

    pub fn drain_timeout(&self) -> Option<Duration> {
        self.worker
            .drain_timeout
            .or_else(|| self.servers.iter().find_map(|s| s.graceful_timeout))
    }

    pub fn listeners(&self) -> impl Iterator<Item = &Listener> {
        self.servers.iter().flat_map(|s| s.listeners.iter())
    }
}

/// Top-level keys of a MOSN config that Layotto's files carry and this sidecar does not use.
const ACCEPTED_TOP_LEVEL: &[&str] = &[
    "cluster_manager",
    "tracing",
    "metrics",
    "dynamic_resources",
    "static_resources",
    "admin",
    "pprof",
    "disable_upgrade",
    "extends",
    "close_graceful",
    "inherit_old_mosnconfig",
];

pub(crate) fn parse(root: &Value, warnings: &mut Vec<Warning>) -> Result<Config> {
    let mut top = Obj::new(root, JsonPath::root())?;
    let mut servers = Vec::new();
    for (path, value) in top.array("servers")? {
        servers.push(parse_server(value, path, warnings)?);
    }
    if servers.is_empty() {
        return Err(invalid(
            &top.at("servers"),
            "at least one server is required",
        ));
    }
    let worker = match top.obj("worker")? {
        Some(obj) => parse_worker(obj, warnings)?,
        None => WorkerOptions::default(),
    };
    let log = match top.obj("log")? {
        Some(obj) => parse_log(obj, warnings)?,
        None => LogOptions::default(),
    };
    top.accept(ACCEPTED_TOP_LEVEL);
    top.finish(warnings);
    let config = Config {
        servers,
        worker,
        log,
    };
    listener::check_unique(&config)?;
    Ok(config)
}

fn parse_server(value: &Value, path: JsonPath, warnings: &mut Vec<Warning>) -> Result<Server> {
    let mut obj = Obj::new(value, path)?;
    let default_log_level = obj.str("default_log_level")?.map(str::to_owned);
    let graceful_timeout = duration(&mut obj, "graceful_timeout")?;
    let processor = obj.u64("processor")?.map(|n| n as usize);
    let mut listeners = Vec::new();
    for (path, value) in obj.array("listeners")? {
        listeners.push(listener::parse(value, path, warnings)?);
    }
    obj.accept(&[
        "default_log_path",
        "routers",
        "mosn_server_name",
        "global_log_roller",
        "use_netpoll_mode",
    ]);
    obj.finish(warnings);
    Ok(Server {
        default_log_level,
        graceful_timeout,
        processor,
        listeners,
    })
}

pub(crate) fn duration(obj: &mut Obj<'_>, key: &str) -> Result<Option<Duration>> {
    let path = obj.at(key);
    match obj.raw(key) {
        None => Ok(None),
        Some(Value::String(s)) => parse_duration(s).map(Some).map_err(|e| invalid(&path, e)),
        Some(Value::Number(n)) => n
            .as_f64()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
            .map(Some)
            .ok_or_else(|| invalid(&path, "expected a non-negative number of seconds")),
        Some(other) => Err(crate::walk::type_error(
            &path,
            "duration string like \"30s\"",
            other,
        )),
    }
}

fn parse_worker(mut obj: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<WorkerOptions> {
    let mut opts = WorkerOptions::default();
    if let Some(n) = obj.u64("count")? {
        if n > 1024 {
            return Err(invalid(&obj.at("count"), "at most 1024 workers"));
        }
        // 0 means "one per core", as MOSN's processor 0 does.
        opts.count = (n > 0).then_some(n as usize);
    }
    opts.cpu_pinning = obj.bool("cpu_pinning")?.unwrap_or(false);
    if let Some(d) = obj.str("io_driver")? {
        opts.io_driver = IoDriver::parse(d).ok_or_else(|| {
            invalid(
                &obj.at("io_driver"),
                format!("unknown driver {d:?}; expected \"io_uring\" or \"epoll\""),
            )
        })?;
    }
    opts.drain_timeout = duration(&mut obj, "drain_timeout")?;
    obj.finish(warnings);
    Ok(opts)
}

fn parse_log(mut obj: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<LogOptions> {
    let level = obj.str("level")?.map(str::to_owned);
    let format = match obj.str("format")? {
        None | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(other) => {
            return Err(invalid(
                &obj.at("format"),
                format!("unknown format {other:?}; expected \"text\" or \"json\""),
            ))
        }
    };
    obj.finish(warnings);
    Ok(LogOptions { level, format })
}
