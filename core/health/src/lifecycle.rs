//! The sidecar's lifecycle, published for the actuator and the drain logic.
//!
//! One atomic shared by every worker: it changes a handful of times per process, so sharing it
//! costs nothing on the hot path, and every reader sees the same phase.

use std::sync::atomic::{AtomicU8, Ordering};

use crate::{Health, HealthIndicator};

/// Where the process is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Binding listeners and building components.
    Starting = 0,
    /// Every worker accepts connections.
    Serving = 1,
    /// A shutdown signal arrived: no new connections, in-flight work finishing.
    Draining = 2,
    /// Workers have exited.
    Stopped = 3,
}

impl Phase {
    fn from_u8(v: u8) -> Phase {
        match v {
            0 => Phase::Starting,
            1 => Phase::Serving,
            2 => Phase::Draining,
            _ => Phase::Stopped,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Starting => "starting",
            Phase::Serving => "serving",
            Phase::Draining => "draining",
            Phase::Stopped => "stopped",
        }
    }
}

/// The shared phase. It is also the `runtime_startup` health indicator Layotto reports.
#[derive(Debug, Default)]
pub struct Lifecycle {
    phase: AtomicU8,
}

impl Lifecycle {
    pub fn new() -> Lifecycle {
        Lifecycle::default()
    }

    pub fn phase(&self) -> Phase {
        Phase::from_u8(self.phase.load(Ordering::Acquire))
    }

    /// Moves forward only: a late "serving" after a shutdown began must not undo the drain.
    pub fn advance(&self, to: Phase) {
        self.phase.fetch_max(to as u8, Ordering::AcqRel);
    }
}

impl HealthIndicator for Lifecycle {
    fn name(&self) -> &str {
        "runtime_startup"
    }

    fn health(&self) -> Health {
        match self.phase() {
            Phase::Starting => Health::Init,
            Phase::Serving => Health::Up,
            Phase::Draining | Phase::Stopped => Health::Down("shutdown".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_only_move_forward() {
        let l = Lifecycle::new();
        assert_eq!(l.health(), Health::Init);
        l.advance(Phase::Serving);
        assert!(l.health().is_up());
        l.advance(Phase::Draining);
        l.advance(Phase::Serving);
        assert_eq!(l.phase(), Phase::Draining);
        assert_eq!(l.health(), Health::Down("shutdown".into()));
    }
}
