//! The peers' load generators, run as they are and read from their own
//! output: `wrk` (HTTP/1.1) and `redis-benchmark` (RESP). Their CPU time is
//! taken from this process' waited-for-children counters, so it is theirs
//! alone.

use std::process::Command;
use std::time::Duration;

use crate::proc_stats::{self_cpu, Monitor};
use crate::report::{Latency, RunReport, Shape};
use crate::target::pinned;

/// Runs a peer tool while watching `pids`, and fills in CPU figures.
pub fn measure_external(
    pids: &[u32],
    run: impl FnOnce() -> Result<RunReport, String>,
) -> Result<RunReport, String> {
    let monitor = Monitor::start(pids);
    let (_, before) = self_cpu();
    let mut report = run()?;
    let (_, after) = self_cpu();
    report.target_proc = Some(monitor.finish());
    report.generator_cpu_s = Some(after - before);
    report.account_other();
    Ok(report)
}

fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(text)
}

/// `wrk -t T -c C -d Ns --latency URL`.
pub fn wrk(
    url: &str,
    threads: usize,
    connections: usize,
    duration: Duration,
    cpus: Option<&str>,
) -> Result<RunReport, String> {
    let secs = duration.as_secs_f64().ceil().max(1.0) as u64;
    let text = output(
        pinned("wrk", cpus)
            .args(["-t", &threads.to_string(), "-c", &connections.to_string()])
            .args(["-d", &format!("{secs}s"), "--latency", url]),
    )?;
    let mut r = parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's output:\n{text}"))?;
    r.shape.threads = threads;
    r.shape.connections = connections;
    r.target = url.to_string();
    Ok(r)
}

/// `12.5us`, `3.10ms`, `1.2s` in microseconds.
fn wrk_time(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v,
        "ms" => v * 1000.0,
        "s" => v * 1_000_000.0,
        "m" => v * 60_000_000.0,
        _ => return None,
    })
}

pub fn parse_wrk(text: &str) -> Option<RunReport> {
    let mut r = RunReport {
        tool: "wrk".into(),
        protocol: "http1".into(),
        ..RunReport::default()
    };
    let mut total = 0u64;
    let mut spectrum = Vec::new();
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", v] => r.throughput = v.parse().ok()?,
            ["Latency", avg, _stdev, max, _] => {
                r.latency.mean = wrk_time(avg);
                r.latency.max = wrk_time(max);
            }
            [pct, v] if pct.ends_with('%') => {
                let p: f64 = pct.trim_end_matches('%').parse().ok()?;
                let us = wrk_time(v)?;
                spectrum.push((p, us));
                match pct.trim_end_matches('%') {
                    "50" => r.latency.p50 = Some(us),
                    "90" => r.latency.p90 = Some(us),
                    "99" => r.latency.p99 = Some(us),
                    _ => {}
                }
            }
            [n, "requests", "in", secs, ..] => {
                total = n.parse().ok()?;
                r.shape.duration_s = secs
                    .trim_end_matches(',')
                    .trim_end_matches('s')
                    .parse()
                    .ok()?;
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                r.errors.insert("status:non-2xx".into(), n.parse().ok()?);
            }
            ["Socket", "errors:", rest @ ..] => {
                for pair in rest.join(" ").split(',') {
                    let kv: Vec<&str> = pair.split_whitespace().collect();
                    if let [k, v] = kv.as_slice() {
                        let n: u64 = v.parse().ok()?;
                        if n > 0 {
                            let kind = if *k == "timeout" { "timeout" } else { "io" };
                            *r.errors.entry(kind.into()).or_insert(0) += n;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if r.throughput <= 0.0 && total == 0 {
        return None;
    }
    r.ok = total.saturating_sub(r.errors.get("status:non-2xx").copied().unwrap_or(0));
    r.spectrum = spectrum;
    Some(r)
}

/// `redis-benchmark -t <test> -n N -c C --csv`; returns the named test's row.
pub fn redis_benchmark(
    port: u16,
    test: &str,
    requests: u64,
    connections: usize,
    cpus: Option<&str>,
) -> Result<RunReport, String> {
    let text = output(
        pinned("redis-benchmark", cpus)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-t", test])
            .args([
                "-n",
                &requests.to_string(),
                "-c",
                &connections.to_string(),
                "--csv",
            ]),
    )?;
    let mut r = parse_redis_benchmark(&text, test)
        .ok_or_else(|| format!("cannot read redis-benchmark's output:\n{text}"))?;
    r.ok = requests;
    r.shape.connections = connections;
    r.shape.threads = 1;
    r.shape.inflight = Some(1);
    r.shape.duration_s = if r.throughput > 0.0 {
        requests as f64 / r.throughput
    } else {
        0.0
    };
    r.target = format!("127.0.0.1:{port}");
    Ok(r)
}

pub fn parse_redis_benchmark(csv: &str, test: &str) -> Option<RunReport> {
    let mut lines = csv.lines().map(|l| {
        l.split(',')
            .map(|f| f.trim().trim_matches('"').to_string())
            .collect::<Vec<String>>()
    });
    let header = lines.next()?;
    let row = lines.find(|f| f.first().is_some_and(|t| t.eq_ignore_ascii_case(test)))?;
    let col = |name: &str| {
        let i = header.iter().position(|h| h == name)?;
        row.get(i)?.parse::<f64>().ok()
    };
    let ms = |name: &str| col(name).map(|v| v * 1000.0);
    let latency = Latency {
        mean: ms("avg_latency_ms"),
        p50: ms("p50_latency_ms"),
        p90: None,
        p99: ms("p99_latency_ms"),
        p999: None,
        max: ms("max_latency_ms"),
    };
    let spectrum = [
        ("min_latency_ms", 0.0),
        ("p50_latency_ms", 50.0),
        ("p95_latency_ms", 95.0),
        ("p99_latency_ms", 99.0),
    ]
    .into_iter()
    .filter_map(|(name, p)| ms(name).map(|v| (p, v)))
    .collect();
    Some(RunReport {
        tool: "redis-benchmark".into(),
        protocol: "resp".into(),
        throughput: col("rps")?,
        latency,
        spectrum,
        shape: Shape::default(),
        ..RunReport::default()
    })
}

#[cfg(test)]
mod tests;
