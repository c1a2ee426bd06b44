//! Side-by-side results. Each scenario runs ours and the peer in
//! alternating rounds (ours, peer, ours, peer, ...) so that slow drift of a
//! shared machine (other builds, thermal state) hits both sides alike; each
//! side is then represented by its median-throughput round.

use super::scenarios::Settings;
use crate::report::RunReport;

/// The runs of one side of a comparison, one per round.
#[derive(Debug, Clone, Default)]
pub struct Side {
    pub label: String,
    pub runs: Vec<RunReport>,
}

impl Side {
    /// The median round by throughput (the lower middle for an even count).
    pub fn median(&self) -> Option<&RunReport> {
        let mut order: Vec<&RunReport> = self.runs.iter().collect();
        order.sort_by(|a, b| a.throughput.total_cmp(&b.throughput));
        order.get(order.len().saturating_sub(1) / 2).copied()
    }
}

/// One measured scenario.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// File stem and anchor (`actuator-http1`).
    pub id: String,
    pub title: String,
    /// What is measured and why, for the report.
    pub what: String,
    /// The goal, when there is one (`ours >= wrk`).
    pub goal: Option<String>,
    /// What one throughput unit is, plural (`round trips`); requests when
    /// `None`.
    pub unit: Option<String>,
    pub ours: Side,
    pub peer: Side,
}

/// ours / peer of the median rounds; `None` when either side lacks the number.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratios {
    pub throughput: Option<f64>,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    /// Requests per generator CPU-second: how much less CPU our generator
    /// spends per request than the peer's (above 1 = ours is cheaper).
    /// Robust where throughput is not: it does not depend on how fast the
    /// target answered. Meaningful when the two sides are different tools.
    pub generator_efficiency: Option<f64>,
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 && a.is_finite() => Some(a / b),
        _ => None,
    }
}

impl Comparison {
    pub fn ratios(&self) -> Ratios {
        let (Some(o), Some(p)) = (self.ours.median(), self.peer.median()) else {
            return Ratios::default();
        };
        Ratios {
            throughput: ratio(Some(o.throughput), Some(p.throughput)),
            p50: ratio(o.latency.p50, p.latency.p50),
            p99: ratio(o.latency.p99, p.latency.p99),
            generator_efficiency: ratio(o.per_generator_cpu(), p.per_generator_cpu()),
        }
    }

    /// The plural noun of a throughput unit: `requests` unless set.
    pub fn unit(&self) -> &str {
        self.unit.as_deref().unwrap_or("requests")
    }

    /// The throughput unit per second: `req/s`, `round trips/s`.
    pub fn per_second(&self) -> String {
        self.unit
            .as_ref()
            .map_or_else(|| "req/s".to_string(), |u| format!("{u}/s"))
    }

    /// True when the two sides' median rounds were driven by different
    /// generators (a generator check), so their generator CPU compares tools.
    pub fn compares_generators(&self) -> bool {
        match (self.ours.median(), self.peer.median()) {
            (Some(o), Some(p)) => o.tool != p.tool,
            _ => false,
        }
    }
}

/// What became of a scenario.
#[derive(Debug, Clone)]
pub enum Outcome {
    Measured(Comparison),
    /// Could not run here; the reason is shown in the report.
    Skipped {
        id: String,
        title: String,
        reason: String,
    },
    /// A scenario whose subject is not built yet: a visible slot, no numbers.
    Pending {
        id: String,
        title: String,
        note: String,
    },
}

/// Runs `rounds` alternating rounds; the first failure of either side ends
/// the scenario with that error.
pub fn alternate(
    s: &Settings,
    mut ours: impl FnMut(usize) -> Result<RunReport, String>,
    mut peer: impl FnMut(usize, &RunReport) -> Result<RunReport, String>,
) -> Result<(Vec<RunReport>, Vec<RunReport>), String> {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for round in 0..s.rounds.max(1) {
        s.quiet.wait();
        let o = ours(round)?;
        s.quiet.wait();
        let p = peer(round, &o)?;
        a.push(o);
        b.push(p);
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(t: f64, p50: f64) -> RunReport {
        let mut r = RunReport {
            throughput: t,
            ..RunReport::default()
        };
        r.latency.p50 = Some(p50);
        r
    }

    #[test]
    fn median_round_and_ratios() {
        let c = Comparison {
            ours: Side {
                label: "ours".into(),
                runs: vec![run(300.0, 1.0), run(100.0, 9.0), run(200.0, 2.0)],
            },
            peer: Side {
                label: "peer".into(),
                runs: vec![run(100.0, 4.0), run(50.0, 8.0)],
            },
            ..Comparison::default()
        };
        assert_eq!(c.ours.median().map(|r| r.throughput), Some(200.0));
        assert_eq!(c.peer.median().map(|r| r.throughput), Some(50.0));
        let r = c.ratios();
        assert_eq!(r.throughput, Some(4.0));
        assert_eq!(r.p50, Some(0.25));
        assert_eq!(r.p99, None);
        assert_eq!(r.generator_efficiency, None);
        assert!(Side::default().median().is_none());
        assert_eq!((c.unit(), c.per_second().as_str()), ("requests", "req/s"));
        assert!(!c.compares_generators());
    }

    #[test]
    fn generator_efficiency_is_requests_per_generator_cpu_second() {
        let side = |tool: &str, ok: u64, cpu: Option<f64>| Side {
            label: tool.into(),
            runs: vec![RunReport {
                tool: tool.into(),
                ok,
                throughput: ok as f64,
                generator_cpu_s: cpu,
                ..RunReport::default()
            }],
        };
        let c = Comparison {
            unit: Some("round trips".into()),
            ours: side("layotto-perf", 9000, Some(1.5)),
            peer: side("h2load", 10_000, Some(2.5)),
            ..Comparison::default()
        };
        // 6000 vs 4000 requests per CPU-second, although ours did fewer.
        assert_eq!(c.ratios().generator_efficiency, Some(1.5));
        assert_eq!(c.ratios().throughput, Some(0.9));
        assert!(c.compares_generators());
        assert_eq!(c.per_second(), "round trips/s");
        let no_cpu = Comparison {
            peer: side("h2load", 10_000, Some(0.0)),
            ..c.clone()
        };
        assert_eq!(no_cpu.ratios().generator_efficiency, None);
    }

    #[test]
    fn rounds_alternate() {
        let mut order = Vec::new();
        let log = std::cell::RefCell::new(&mut order);
        let (a, b) = alternate(
            &Settings::for_tests(2),
            |i| {
                log.borrow_mut().push(format!("ours{i}"));
                Ok(run(1.0, 1.0))
            },
            |i, _| {
                log.borrow_mut().push(format!("peer{i}"));
                Ok(run(2.0, 1.0))
            },
        )
        .expect("rounds");
        assert_eq!((a.len(), b.len()), (2, 2));
        assert_eq!(order, ["ours0", "peer0", "ours1", "peer1"]);
    }
}
