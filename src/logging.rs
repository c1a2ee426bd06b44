//! Structured logs, text or JSON, with a filter that the actuator can change at run time.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use layotto_actuator::LogControl;
use layotto_config::LogFormat;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

/// Maps MOSN's level words (`INFO`, `WARN`, `critical`...) onto tracing's; anything else is
/// taken as a tracing filter as written.
pub fn normalize(level: &str) -> String {
    match level.to_ascii_lowercase().as_str() {
        "warning" | "warn" => "warn".into(),
        "critical" | "fatal" | "error" => "error".into(),
        "off" => "off".into(),
        l @ ("trace" | "debug" | "info") => l.into(),
        _ => level.to_owned(),
    }
}

pub struct Logs {
    handle: reload::Handle<EnvFilter, Registry>,
    state: Mutex<FilterState>,
}

struct FilterState {
    base: String,
    targets: BTreeMap<String, String>,
}

impl FilterState {
    fn render(&self) -> String {
        let mut s = self.base.clone();
        for (t, l) in &self.targets {
            s.push_str(&format!(",{t}={l}"));
        }
        s
    }
}

/// Installs the global subscriber. `filter` is already resolved (flag, RUST_LOG or config).
pub fn init(filter: &str, format: LogFormat) -> Result<Logs, String> {
    let env = EnvFilter::try_new(filter).map_err(|e| format!("bad log filter {filter:?}: {e}"))?;
    let (layer, handle) = reload::Layer::new(env);
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let registry = tracing_subscriber::registry().with(layer);
    let installed = match format {
        LogFormat::Json => registry.with(fmt.json().flatten_event(true)).try_init(),
        LogFormat::Text => registry.with(fmt).try_init(),
    };
    installed.map_err(|e| e.to_string())?;
    Ok(Logs {
        handle,
        state: Mutex::new(FilterState {
            base: filter.to_owned(),
            targets: BTreeMap::new(),
        }),
    })
}

impl LogControl for Logs {
    fn set_level(&self, target: Option<&str>, level: &str) -> Result<String, String> {
        let level = normalize(level);
        if !matches!(
            level.as_str(),
            "trace" | "debug" | "info" | "warn" | "error" | "off"
        ) {
            return Err(format!(
                "unknown level {level:?}; expected trace, debug, info, warn, error or off"
            ));
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match target {
            Some(t)
                if t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') =>
            {
                state.targets.insert(t.to_owned(), level);
            }
            Some(t) => return Err(format!("bad component {t:?}: expected a module path")),
            None => state.base = level,
        }
        let rendered = state.render();
        let filter = EnvFilter::try_new(&rendered).map_err(|e| e.to_string())?;
        self.handle.reload(filter).map_err(|e| e.to_string())?;
        Ok(rendered)
    }
}
