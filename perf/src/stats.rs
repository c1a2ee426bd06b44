//! Latency histograms and error counts: recorded per thread without any
//! sharing, merged once at the end, then reduced to the numbers reports show.
//!
//! Values are nanoseconds with three significant digits (0.1% resolution)
//! from 1 ns to 100 s; anything slower is clamped to the top and still counted.

use std::collections::BTreeMap;
use std::time::Duration;

use hdrhistogram::Histogram;

use crate::protocol::ErrorKind;

/// Highest trackable latency: 100 s in ns.
const MAX_NS: u64 = 100_000_000_000;

/// A fresh latency histogram.
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_NS, 3).expect("constant bounds are valid")
}

/// What one thread measured.
#[derive(Debug, Clone)]
pub struct Recorder {
    /// Response time: from when the request *should* have been sent
    /// (open loop: its scheduled time) to when its response was complete.
    pub latency: Histogram<u64>,
    /// Service time: from when it was actually written. Equal to `latency`
    /// in a closed loop; the gap between the two is coordinated omission.
    pub service: Histogram<u64>,
    pub ok: u64,
    pub errors: BTreeMap<ErrorKind, u64>,
    /// Whether `service` is recorded (open loop only; a closed loop's
    /// service time is its latency, and recording it twice costs time).
    pub track_service: bool,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            latency: new_histogram(),
            service: new_histogram(),
            ok: 0,
            errors: BTreeMap::new(),
            track_service: true,
        }
    }
}

impl Recorder {
    /// A successful request: `response` from the intended send time,
    /// `service` from the actual one.
    pub fn ok(&mut self, response: Duration, service: Duration) {
        self.ok += 1;
        self.latency.saturating_record(nanos(response));
        if self.track_service {
            self.service.saturating_record(nanos(service));
        }
    }

    pub fn error(&mut self, kind: ErrorKind) {
        self.errors_n(kind, 1);
    }

    pub fn errors_n(&mut self, kind: ErrorKind, n: u64) {
        if n > 0 {
            *self.errors.entry(kind).or_insert(0) += n;
        }
    }

    pub fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Adds another thread's measurements into this one.
    pub fn merge(&mut self, other: &Recorder) {
        // Both histograms share bounds, so `add` cannot fail; a failure
        // would only drop samples, never corrupt counts.
        let _ = self.latency.add(&other.latency);
        let _ = self.service.add(&other.service);
        self.ok += other.ok;
        for (kind, n) in &other.errors {
            self.errors_n(kind.clone(), *n);
        }
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX).max(1)
}

/// The headline percentiles, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    pub count: u64,
    pub min: f64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

impl Summary {
    pub fn of(h: &Histogram<u64>) -> Summary {
        if h.is_empty() {
            return Summary::default();
        }
        let us = |ns: u64| ns as f64 / 1000.0;
        Summary {
            count: h.len(),
            min: us(h.min()),
            mean: h.mean() / 1000.0,
            p50: us(h.value_at_quantile(0.50)),
            p90: us(h.value_at_quantile(0.90)),
            p99: us(h.value_at_quantile(0.99)),
            p999: us(h.value_at_quantile(0.999)),
            max: us(h.max()),
        }
    }
}

/// Points `(percentile, latency µs)` of the percentile spectrum, spaced
/// evenly on the log scale `-log10(1 - q)` from 0% to 99.999% (the x axis of
/// an HdrHistogram plot), plus the maximum at 100%.
pub fn spectrum(h: &Histogram<u64>) -> Vec<(f64, f64)> {
    if h.is_empty() {
        return Vec::new();
    }
    const STEPS_PER_DECADE: usize = 20;
    const DECADES: usize = 5;
    let mut points: Vec<(f64, f64)> = (0..=STEPS_PER_DECADE * DECADES)
        .map(|i| {
            let x = i as f64 / STEPS_PER_DECADE as f64;
            let q = 1.0 - 10f64.powf(-x);
            (q * 100.0, h.value_at_quantile(q) as f64 / 1000.0)
        })
        .collect();
    points.push((100.0, h.max() as f64 / 1000.0));
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_adds_counts_and_errors() {
        let mut a = Recorder::default();
        let mut b = Recorder::default();
        for us in 1..=100u64 {
            a.ok(Duration::from_micros(us), Duration::from_micros(us));
        }
        for us in 101..=200u64 {
            b.ok(Duration::from_micros(us), Duration::from_micros(1));
        }
        a.error(ErrorKind::Timeout);
        b.error(ErrorKind::Timeout);
        b.errors_n(ErrorKind::Status(500), 3);
        a.merge(&b);
        assert_eq!(a.ok, 200);
        assert_eq!(a.latency.len(), 200);
        assert_eq!(a.errors.get(&ErrorKind::Timeout), Some(&2));
        assert_eq!(a.error_total(), 5);
        let s = Summary::of(&a.latency);
        // 3 significant digits: within 0.1% of the exact rank value.
        assert!((s.p50 - 100.0).abs() <= 0.2, "{s:?}");
        assert!((s.p90 - 180.0).abs() <= 0.2, "{s:?}");
        assert!((s.p99 - 198.0).abs() <= 0.2, "{s:?}");
        assert!(
            (s.max - 200.0).abs() <= 0.2 && (s.min - 1.0).abs() < 0.01,
            "{s:?}"
        );
        assert!((s.mean - 100.5).abs() < 0.5, "{s:?}");
        assert!(Summary::of(&a.service).p50 < 60.0);
    }

    #[test]
    fn spectrum_is_monotonic_and_spans_the_axis() {
        let mut r = Recorder::default();
        for i in 1..=10_000u64 {
            r.ok(Duration::from_nanos(i * 1000), Duration::ZERO);
        }
        let points = spectrum(&r.latency);
        assert_eq!(points.first().map(|p| p.0), Some(0.0));
        assert!(points
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        let last = points[points.len() - 2];
        assert!(
            (last.0 - 99.999).abs() < 1e-6 && (points[points.len() - 1].1 - 10_000.0).abs() < 10.0
        );
        assert!(spectrum(&new_histogram()).is_empty());
        assert_eq!(Summary::of(&new_histogram()), Summary::default());
    }

    #[test]
    fn out_of_range_is_clamped_not_lost() {
        let mut r = Recorder::default();
        r.ok(Duration::from_secs(1000), Duration::ZERO);
        assert_eq!(r.latency.len(), 1);
        assert_eq!(r.service.len(), 1);
    }
}
