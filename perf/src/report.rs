//! The one description of a finished run that every output is made from:
//! our own runs and the peers' tools (wrk, redis-benchmark) alike, so the
//! suite can put them side by side. Tools that report fewer percentiles
//! leave the rest empty rather than guessed.

pub mod json;
pub mod markdown;
pub mod svg;
pub mod text;

use std::collections::BTreeMap;

use crate::load::{LoadResult, LoadSpec, Pace};
use crate::proc_stats::ProcReport;
use crate::stats::{spectrum, Summary};

/// Latency percentiles in microseconds; `None` when the tool did not say.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p90: Option<f64>,
    pub p99: Option<f64>,
    pub p999: Option<f64>,
    pub max: Option<f64>,
}

impl From<Summary> for Latency {
    fn from(s: Summary) -> Latency {
        if s.count == 0 {
            return Latency::default();
        }
        Latency {
            mean: Some(s.mean),
            p50: Some(s.p50),
            p90: Some(s.p90),
            p99: Some(s.p99),
            p999: Some(s.p999),
            max: Some(s.max),
        }
    }
}

/// How the load was shaped, for the record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub threads: usize,
    pub connections: usize,
    /// Per connection; `None` for tools without pipelining.
    pub inflight: Option<usize>,
    /// Open-loop rate; `None` for a closed loop.
    pub rate: Option<f64>,
    pub warmup_s: f64,
    /// The measured window.
    pub duration_s: f64,
}

/// One run of one tool against one target.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// What was measured (`layotto actuator`, `nginx`).
    pub label: String,
    /// Which generator (`layotto-perf`, `wrk`, `redis-benchmark`).
    pub tool: String,
    pub protocol: String,
    pub target: String,
    pub shape: Shape,
    /// Successful responses per second.
    pub throughput: f64,
    pub ok: u64,
    /// Error counts by kind (`timeout`, `status:503`, ...).
    pub errors: BTreeMap<String, u64>,
    /// Response time (from the intended send time in an open loop).
    pub latency: Latency,
    /// Service time (from the actual write); only for open-loop runs.
    pub service: Option<Latency>,
    /// Percentile spectrum `(percentile, µs)` for plots.
    pub spectrum: Vec<(f64, f64)>,
    /// The process under test, when measured.
    pub target_proc: Option<ProcReport>,
    /// CPU seconds the generator itself used, when known.
    pub generator_cpu_s: Option<f64>,
    /// CPU seconds used by everything else on the machine meanwhile (other
    /// builds, the desktop, ...): the noise the run was measured under.
    pub other_cpu_s: Option<f64>,
    /// The generator's I/O driver, for our own runs.
    pub generator_driver: Option<String>,
}

impl RunReport {
    /// Builds the report of one of our own runs.
    pub fn from_load(label: &str, protocol: &str, spec: &LoadSpec, res: &LoadResult) -> RunReport {
        let open = matches!(spec.pace, Pace::Open { .. });
        RunReport {
            label: label.to_string(),
            tool: "layotto-perf".into(),
            protocol: protocol.to_string(),
            target: spec.addr.to_string(),
            shape: Shape {
                threads: res.threads,
                connections: spec.connections,
                inflight: Some(spec.inflight),
                rate: match spec.pace {
                    Pace::Open { rate } => Some(rate),
                    Pace::Closed => None,
                },
                warmup_s: spec.warmup.as_secs_f64(),
                duration_s: res.window.as_secs_f64(),
            },
            throughput: res.throughput(),
            ok: res.rec.ok,
            errors: res
                .rec
                .errors
                .iter()
                .map(|(k, n)| (k.to_string(), *n))
                .collect(),
            latency: Summary::of(&res.rec.latency).into(),
            service: open.then(|| Summary::of(&res.rec.service).into()),
            spectrum: spectrum(&res.rec.latency),
            target_proc: None,
            generator_cpu_s: None,
            other_cpu_s: None,
            generator_driver: Some(res.driver.to_string()),
        }
    }

    pub fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Successful requests per CPU-second of the generator itself, when its
    /// CPU is known (and not zero, which a run too short for one clock tick
    /// would show).
    pub fn per_generator_cpu(&self) -> Option<f64> {
        self.generator_cpu_s
            .filter(|&c| c > 0.0)
            .map(|c| self.ok as f64 / c)
    }

    /// Fills [`other_cpu_s`](Self::other_cpu_s) from the machine's busy
    /// time minus the target's and the generator's.
    pub fn account_other(&mut self) {
        if let (Some(p), Some(g)) = (&self.target_proc, self.generator_cpu_s) {
            self.other_cpu_s = Some((p.machine_cpu_seconds - p.cpu_seconds - g).max(0.0));
        }
    }

    /// Other load as a share of one core over the measured window.
    pub fn other_percent(&self) -> Option<f64> {
        let secs = self.shape.duration_s;
        self.other_cpu_s
            .filter(|_| secs > 0.0)
            .map(|o| 100.0 * o / secs)
    }
}
