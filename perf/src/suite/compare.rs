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
    pub ours: Side,
    pub peer: Side,
}

/// ours / peer of the median rounds; `None` when either side lacks the number.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ratios {
    pub throughput: Option<f64>,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
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
        assert!(Side::default().median().is_none());
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
