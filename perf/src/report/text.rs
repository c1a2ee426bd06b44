//! The human summary printed after a run: throughput, the percentiles a
//! performance engineer reads first, errors by kind, and what the target
//! process spent.

use std::fmt::Write;

use super::{Latency, RunReport};

/// Formats microseconds with a unit that keeps 3-4 significant digits.
pub fn us(v: Option<f64>) -> String {
    match v {
        None => "-".into(),
        Some(v) if v < 1000.0 => format!("{v:.1}µs"),
        Some(v) if v < 1_000_000.0 => format!("{:.2}ms", v / 1000.0),
        Some(v) => format!("{:.2}s", v / 1_000_000.0),
    }
}

/// Requests per second, with thousands separators.
pub fn rps(v: f64) -> String {
    let whole = v.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn latency_line(name: &str, l: &Latency) -> String {
    format!(
        "  {name:<9} p50 {:>9}  p90 {:>9}  p99 {:>9}  p99.9 {:>9}  max {:>9}  mean {:>9}\n",
        us(l.p50),
        us(l.p90),
        us(l.p99),
        us(l.p999),
        us(l.max),
        us(l.mean)
    )
}

/// The multi-line summary of one run.
pub fn summary(r: &RunReport) -> String {
    let mut s = String::new();
    let s_ = &mut s;
    let shape = &r.shape;
    let mode = match shape.rate {
        Some(rate) => format!("open loop at {} req/s", rps(rate)),
        None => "closed loop".into(),
    };
    let _ = writeln!(
        s_,
        "{} [{} {}] -> {}: {mode}, {} threads, {} connections{}, {:.1}s (+{:.1}s warm-up)",
        r.label,
        r.tool,
        r.protocol,
        r.target,
        shape.threads,
        shape.connections,
        shape
            .inflight
            .map(|n| format!(" x {n} in flight"))
            .unwrap_or_default(),
        shape.duration_s,
        shape.warmup_s,
    );
    let _ = writeln!(s_, "  throughput {} req/s ({} ok)", rps(r.throughput), r.ok);
    let name = if r.service.is_some() {
        "response"
    } else {
        "latency"
    };
    s_.push_str(&latency_line(name, &r.latency));
    if let Some(service) = &r.service {
        s_.push_str(&latency_line("service", service));
    }
    if r.errors.is_empty() {
        s_.push_str("  errors    none\n");
    } else {
        let list: Vec<String> = r.errors.iter().map(|(k, n)| format!("{k}={n}")).collect();
        let _ = writeln!(s_, "  errors    {} ({})", r.error_total(), list.join(", "));
    }
    if let Some(p) = &r.target_proc {
        let per_core = if p.cpu_seconds > 0.0 {
            format!(", {} req per CPU-second", rps(r.ok as f64 / p.cpu_seconds))
        } else {
            String::new()
        };
        let _ = writeln!(
            s_,
            "  target    CPU {:.2}s ({:.0}%){per_core}; RSS peak {} KiB, now {} KiB, VmHWM {} KiB ({} process{})",
            p.cpu_seconds,
            p.cpu_percent,
            p.rss_peak_kib,
            p.rss_kib,
            p.hwm_kib,
            p.processes,
            if p.processes == 1 { "" } else { "es" },
        );
    }
    if let Some(other) = r.other_percent() {
        let _ = writeln!(
            s_,
            "  machine   other processes used {other:.0}% of a core meanwhile{}",
            if other > 10.0 { " (noisy run)" } else { "" }
        );
    }
    if let Some(cpu) = r.generator_cpu_s {
        let _ = writeln!(
            s_,
            "  generator CPU {cpu:.2}s{}{}",
            r.generator_driver
                .as_ref()
                .map(|d| format!(" on {d}"))
                .unwrap_or_default(),
            r.per_generator_cpu()
                .map(|n| format!(", {} req per CPU-second", rps(n)))
                .unwrap_or_default()
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_separators() {
        assert_eq!(us(Some(12.34)), "12.3µs");
        assert_eq!(us(Some(1234.0)), "1.23ms");
        assert_eq!(us(Some(2_500_000.0)), "2.50s");
        assert_eq!(us(None), "-");
        assert_eq!(rps(1234567.4), "1,234,567");
        assert_eq!(rps(999.0), "999");
        let mut r = RunReport::default();
        r.errors.insert("timeout".into(), 3);
        r.ok = 1000;
        r.generator_cpu_s = Some(0.5);
        let text = summary(&r);
        assert!(text.contains("errors    3 (timeout=3)"), "{text}");
        assert!(
            text.contains("generator CPU 0.50s, 2,000 req per CPU-second"),
            "{text}"
        );
    }
}
