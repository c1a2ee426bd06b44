//! Per-worker counters, summed only when read.
//!
//! Each worker owns one [`WorkerCounters`] and is the only thread that writes it; the block is
//! padded to its own cache lines so two cores never write the same line. Readers (the actuator,
//! from any worker) walk every block and add up, which is the only moment numbers from
//! different cores meet. Relaxed atomics are enough: a scrape needs each number, not a
//! consistent cut across them.
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The counters of one worker. Written by that worker alone.
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct WorkerCounters {
    connections_accepted: AtomicU64,
    connections_closed: AtomicU64,
    requests: AtomicU64,
}

impl WorkerCounters {
    pub fn connection_opened(&self) {
        bump(&self.connections_accepted);
    }

    pub fn connection_closed(&self) {
        bump(&self.connections_closed);
    }

    pub fn request(&self) {
        bump(&self.requests);
    }

    pub fn snapshot(&self) -> Snapshot {
        let accepted = self.connections_accepted.load(Ordering::Relaxed);
        let closed = self.connections_closed.load(Ordering::Relaxed);
        Snapshot {
            connections_accepted: accepted,
            connections_active: accepted.saturating_sub(closed),
            requests: self.requests.load(Ordering::Relaxed),
        }
    }
}

/// Only the owning worker writes, so a load and a store is enough: no locked
/// read-modify-write instruction on the hot path.
fn bump(counter: &AtomicU64) {
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

/// Numbers read at one moment, for one worker or summed over all.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub connections_accepted: u64,
    pub connections_active: u64,
    pub requests: u64,
}

impl std::ops::Add for Snapshot {
    type Output = Snapshot;
    fn add(self, o: Snapshot) -> Snapshot {
        Snapshot {
            connections_accepted: self.connections_accepted + o.connections_accepted,
            connections_active: self.connections_active + o.connections_active,
            requests: self.requests + o.requests,
        }
    }
}

/// Every worker's counters, indexed by worker id.
#[derive(Debug)]
pub struct Counters {
    workers: Box<[WorkerCounters]>,
}

impl Counters {
    pub fn new(workers: usize) -> Arc<Counters> {
        Arc::new(Counters {
            workers: (0..workers).map(|_| WorkerCounters::default()).collect(),
        })
    }

    /// The block of worker `id`. Panics never: an out-of-range id is a wiring bug caught by the
    /// debug assertion, and release builds fall back to the last block.
    pub fn worker(&self, id: usize) -> &WorkerCounters {
        debug_assert!(id < self.workers.len(), "worker id {id} out of range");
        let last = self.workers.len().saturating_sub(1);
        &self.workers[id.min(last)]
    }

    pub fn per_worker(&self) -> Vec<Snapshot> {
        self.workers.iter().map(WorkerCounters::snapshot).collect()
    }

    pub fn total(&self) -> Snapshot {
        self.workers
            .iter()
            .map(WorkerCounters::snapshot)
            .fold(Snapshot::default(), |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_sum_every_worker() {
        let c = Counters::new(3);
        c.worker(0).connection_opened();
        c.worker(2).connection_opened();
        c.worker(2).connection_opened();
        c.worker(2).connection_closed();
        c.worker(1).request();
        let t = c.total();
        assert_eq!(t.connections_accepted, 3);
        assert_eq!(t.connections_active, 2);
        assert_eq!(t.requests, 1);
        assert_eq!(c.per_worker()[2].connections_active, 1);
    }

    #[test]
    fn blocks_do_not_share_cache_lines() {
        assert!(std::mem::align_of::<WorkerCounters>() >= 128);
    }

    #[test]
    fn written_from_their_own_threads() {
        let c = Counters::new(2);
        std::thread::scope(|s| {
            for id in 0..2 {
                let c = &c;
                s.spawn(move || {
                    for _ in 0..10_000 {
                        c.worker(id).request();
                    }
                });
            }
        });
        assert_eq!(c.total().requests, 20_000);
    }
}
