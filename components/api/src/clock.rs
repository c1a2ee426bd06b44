//! Time as something a component is given, so expiry (locks, TTLs) is tested by moving a clock
//! rather than by sleeping. Pure logic takes `now: Instant`; the trait impls read a [`Clock`].

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A source of `now`, shared by all workers of one component.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
}

/// The monotonic clock of the machine.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// A clock that moves only when told, for tests.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    // A std mutex: tests only, never held across an await. A poisoned lock still holds a valid
    // offset, so it is recovered rather than propagated.
    offset: Mutex<Duration>,
}

impl ManualClock {
    pub fn new() -> Arc<ManualClock> {
        Arc::new(ManualClock {
            start: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        })
    }

    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
