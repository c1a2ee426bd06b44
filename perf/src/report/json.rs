//! Machine-readable runs: one JSON object per run, with every number the
//! text shows plus the percentile spectrum, so plots and comparisons can be
//! redone from the files alone. Latencies are microseconds; absent
//! percentiles are `null`.

use serde_json::{json, Map, Value};

use super::{Latency, RunReport};
use crate::proc_stats::ProcReport;

fn latency(l: &Latency) -> Value {
    json!({
        "mean": l.mean, "p50": l.p50, "p90": l.p90, "p99": l.p99,
        "p99_9": l.p999, "max": l.max,
    })
}

fn proc_report(p: &ProcReport) -> Value {
    json!({
        "cpu_seconds": p.cpu_seconds,
        "cpu_percent": p.cpu_percent,
        "rss_peak_kib": p.rss_peak_kib,
        "rss_kib": p.rss_kib,
        "vm_hwm_kib": p.hwm_kib,
        "processes": p.processes,
        "machine_busy_cpu_seconds": p.machine_cpu_seconds,
    })
}

/// The JSON object of one run.
pub fn run(r: &RunReport) -> Value {
    let errors: Map<String, Value> = r
        .errors
        .iter()
        .map(|(k, n)| (k.clone(), json!(n)))
        .collect();
    json!({
        "label": r.label,
        "tool": r.tool,
        "protocol": r.protocol,
        "target": r.target,
        "mode": if r.shape.rate.is_some() { "open" } else { "closed" },
        "threads": r.shape.threads,
        "connections": r.shape.connections,
        "inflight": r.shape.inflight,
        "rate": r.shape.rate,
        "warmup_s": r.shape.warmup_s,
        "duration_s": r.shape.duration_s,
        "throughput_rps": r.throughput,
        "ok": r.ok,
        "errors_total": r.error_total(),
        "errors": errors,
        "latency_us": latency(&r.latency),
        "service_latency_us": r.service.as_ref().map(latency),
        "percentiles_us": r.spectrum.iter().map(|(p, v)| json!([p, v])).collect::<Vec<_>>(),
        "target_process": r.target_proc.as_ref().map(proc_report),
        "generator_cpu_seconds": r.generator_cpu_s,
        "requests_per_generator_cpu_second": r.per_generator_cpu(),
        "other_cpu_seconds": r.other_cpu_s,
        "generator_io_driver": r.generator_driver,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let mut r = RunReport {
            label: "x".into(),
            throughput: 12.5,
            ..RunReport::default()
        };
        r.errors.insert("status:500".into(), 2);
        r.latency.p50 = Some(3.0);
        r.spectrum = vec![(0.0, 1.0), (50.0, 3.0)];
        let text = run(&r).to_string();
        let v: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(v["throughput_rps"], json!(12.5));
        assert_eq!(v["errors"]["status:500"], json!(2));
        assert_eq!(v["errors_total"], json!(2));
        assert_eq!(v["latency_us"]["p50"], json!(3.0));
        assert_eq!(v["latency_us"]["p99"], Value::Null);
        assert_eq!(v["percentiles_us"][1], json!([50.0, 3.0]));
        assert_eq!(v["mode"], json!("closed"));
        assert_eq!(v["requests_per_generator_cpu_second"], Value::Null);
        r.ok = 50;
        r.generator_cpu_s = Some(0.5);
        assert_eq!(run(&r)["requests_per_generator_cpu_second"], json!(100.0));
    }
}
