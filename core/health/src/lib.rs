//! Health of the sidecar's parts, as the actuator reports it.
//!
//! Each component (and the runtime itself) is a [`HealthIndicator`]; the actuator asks every
//! indicator when a probe arrives and folds the answers with [`Readiness::of`]. No HTTP here:
//! this crate only knows the three states Layotto reports and how they combine.
#![forbid(unsafe_code)]

mod lifecycle;

pub use lifecycle::{Lifecycle, Phase};

use std::fmt;

/// The state of one part, in Layotto's vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// Not ready yet: still connecting or initialising.
    Init,
    /// Serving.
    Up,
    /// Broken; the reason says why, for the operator reading the probe.
    Down(String),
}

impl Health {
    /// The status word Layotto's actuator uses: `UP`, `DOWN` or `INIT`.
    pub fn status(&self) -> &'static str {
        match self {
            Health::Init => "INIT",
            Health::Up => "UP",
            Health::Down(_) => "DOWN",
        }
    }

    /// The reason attached to a DOWN state; empty otherwise.
    pub fn reason(&self) -> &str {
        match self {
            Health::Down(reason) => reason,
            _ => "",
        }
    }

    pub fn is_up(&self) -> bool {
        matches!(self, Health::Up)
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Health::Down(reason) => write!(f, "DOWN ({reason})"),
            other => f.write_str(other.status()),
        }
    }
}

/// Something whose health the actuator reports under a name.
///
/// `health` is called from whichever worker serves the probe, so it must be cheap and must not
/// block for long: a stat or a cached result, not a network round trip per probe.
pub trait HealthIndicator: Send + Sync {
    /// The name the actuator reports it under, e.g. `secret_store/local`.
    fn name(&self) -> &str;
    fn health(&self) -> Health;
}

/// The folded state of many indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub overall: Health,
    /// Each indicator's name and state, in the order given.
    pub components: Vec<(String, Health)>,
}

impl Readiness {
    /// Folds the indicators the way Layotto does: UP only if every part is UP; any DOWN makes the
    /// whole DOWN; otherwise any INIT makes it INIT.
    pub fn of<'a>(indicators: impl IntoIterator<Item = &'a dyn HealthIndicator>) -> Readiness {
        let components: Vec<(String, Health)> = indicators
            .into_iter()
            .map(|i| (i.name().to_owned(), i.health()))
            .collect();
        let down: Vec<&str> = components
            .iter()
            .filter(|(_, h)| matches!(h, Health::Down(_)))
            .map(|(name, _)| name.as_str())
            .collect();
        let overall = if !down.is_empty() {
            Health::Down(format!("down: {}", down.join(", ")))
        } else if components.iter().any(|(_, h)| *h == Health::Init) {
            Health::Init
        } else {
            Health::Up
        };
        Readiness {
            overall,
            components,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(&'static str, Health);
    impl HealthIndicator for Fixed {
        fn name(&self) -> &str {
            self.0
        }
        fn health(&self) -> Health {
            self.1.clone()
        }
    }

    fn fold(parts: &[Fixed]) -> Readiness {
        Readiness::of(parts.iter().map(|p| p as &dyn HealthIndicator))
    }

    #[test]
    fn all_up_is_up() {
        let r = fold(&[Fixed("a", Health::Up), Fixed("b", Health::Up)]);
        assert_eq!(r.overall, Health::Up);
        assert_eq!(r.components.len(), 2);
    }

    #[test]
    fn down_wins_over_init_and_is_named() {
        let r = fold(&[
            Fixed("a", Health::Init),
            Fixed("b", Health::Down("gone".into())),
            Fixed("c", Health::Up),
        ]);
        assert_eq!(r.overall.status(), "DOWN");
        assert!(r.overall.reason().contains('b'));
    }

    #[test]
    fn init_without_down_is_init() {
        let r = fold(&[Fixed("a", Health::Init), Fixed("c", Health::Up)]);
        assert_eq!(r.overall, Health::Init);
    }

    #[test]
    fn nothing_is_up() {
        assert_eq!(fold(&[]).overall, Health::Up);
    }
}
