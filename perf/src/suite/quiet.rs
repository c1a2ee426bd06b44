//! Waiting for a quiet machine. On a shared box (other builds on the same
//! two cores) a run measured under load says little; before each run the
//! suite waits, within a budget, until the rest of the machine is nearly
//! idle. Runs that still had company are marked in the report (see
//! `RunReport::other_cpu_s`), so waiting is an improvement, never a gate.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// Busy share of one core below which the machine counts as quiet.
const QUIET_PERCENT: f64 = 10.0;
const SAMPLE: Duration = Duration::from_millis(300);

fn busy_ticks() -> u64 {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|t| crate::proc_stats::parse_machine_busy(&t))
        .unwrap_or(0)
}

/// Percent of one core the machine is busy with, measured over `over`.
pub fn busy_percent(over: Duration) -> f64 {
    let before = busy_ticks();
    std::thread::sleep(over);
    let ticks = busy_ticks().saturating_sub(before);
    100.0 * ticks as f64 / crate::proc_stats::clk_tck() as f64 / over.as_secs_f64()
}

/// A waiting budget shared by all runs of a suite.
#[derive(Debug, Clone)]
pub struct Quiet {
    budget: Cell<Duration>,
    waited: Cell<Duration>,
}

impl Quiet {
    pub fn new(budget: Duration) -> Quiet {
        Quiet {
            budget: Cell::new(budget),
            waited: Cell::new(Duration::ZERO),
        }
    }

    /// Waits until the machine is quiet or the budget is spent.
    pub fn wait(&self) {
        let start = Instant::now();
        while !self.budget.get().is_zero() && busy_percent(SAMPLE) > QUIET_PERCENT {
            let spent = start.elapsed();
            if spent >= self.budget.get() {
                break;
            }
        }
        let spent = start.elapsed().saturating_sub(SAMPLE);
        self.budget.set(self.budget.get().saturating_sub(spent));
        self.waited.set(self.waited.get() + spent);
    }

    /// Time spent waiting so far.
    pub fn waited(&self) -> Duration {
        self.waited.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_budget_no_wait() {
        let q = Quiet::new(Duration::ZERO);
        let t = Instant::now();
        q.wait();
        assert!(t.elapsed() < Duration::from_millis(100));
        assert_eq!(q.waited(), Duration::ZERO);
        assert!(busy_percent(Duration::from_millis(50)) >= 0.0);
    }
}
