//! `h2load` (nghttp2's HTTP/2 load tool) as the reference gRPC generator:
//! it drives the tonic peer in `generator-check-grpc` so the gRPC
//! scenarios can show our generator is not what limits them.
//!
//! h2load knows nothing of gRPC: it POSTs the same length-prefixed body
//! with `content-type: application/grpc` and counts 2xx responses as
//! successes (it does not read `grpc-status`). It prints min/max/mean of
//! the request time, no percentiles, so p50/p99 show as `-` for it. Its
//! `-D`/`--warm-up-time` give the same shape as our runs: unrecorded
//! warm-up, then a measured window.
//!
//! Its CPU over the measured window, for requests per generator CPU-second:
//! all it used (as a waited-for child of this process) less what
//! `/proc/PID/stat` showed at the end of its warm-up, while it still ran.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::proc_stats::{clk_tck, self_cpu, stat, Monitor};
use crate::report::{RunReport, Shape};
use crate::target::pinned;

/// One h2load run: `threads` threads, `connections` connections with
/// `streams` concurrent streams each, POSTing the file `body` to `url`.
pub struct H2load<'a> {
    pub url: &'a str,
    pub body: &'a Path,
    pub threads: usize,
    pub connections: usize,
    pub streams: usize,
    pub warmup: Duration,
    pub duration: Duration,
}

impl H2load<'_> {
    /// Runs it (under `taskset -c cpus` when given) while watching `pids`
    /// from the end of the warm-up on.
    pub fn run(&self, pids: &[u32], cpus: Option<&str>) -> Result<RunReport, String> {
        // Asked once here, so `getconf` is not a child counted as h2load.
        let tck = clk_tck() as f64;
        let monitor = Monitor::start_after(pids, self.warmup, true);
        let (_, before) = self_cpu();
        let mut cmd = pinned("h2load", cpus);
        cmd.args(["-t", &self.threads.to_string()])
            .args(["-c", &self.connections.to_string()])
            .args(["-m", &self.streams.to_string()])
            .args([
                "-D",
                &format!("{:.0}", self.duration.as_secs_f64().max(1.0)),
            ])
            .args(["--warm-up-time", &format!("{}ms", self.warmup.as_millis())])
            .arg("-d")
            .arg(self.body)
            .args(["-H", "content-type: application/grpc", "-H", "te: trailers"])
            .arg(self.url);
        // `taskset` execs h2load, so the child's pid is h2load's.
        let child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
        std::thread::sleep(self.warmup);
        let in_warmup = stat(child.id()).map(|(_, t)| t.own as f64 / tck);
        let out = child
            .wait_with_output()
            .map_err(|e| format!("waiting for {cmd:?}: {e}"))?;
        let (_, after) = self_cpu();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        if !out.status.success() {
            return Err(format!("{cmd:?} failed ({}): {text}", out.status));
        }
        let mut r = parse(&text).ok_or_else(|| format!("cannot read h2load's output:\n{text}"))?;
        let measured = self.duration.as_secs_f64().max(1.0).round();
        r.shape = Shape {
            threads: self.threads,
            connections: self.connections,
            inflight: Some(self.streams),
            rate: None,
            warmup_s: self.warmup.as_secs_f64(),
            duration_s: measured,
        };
        r.target = self.url.to_string();
        r.target_proc = Some(monitor.finish());
        r.generator_cpu_s = Some(measured_cpu(
            after - before,
            in_warmup,
            measured / (measured + self.warmup.as_secs_f64()),
        ));
        r.account_other();
        Ok(r)
    }
}

/// h2load's CPU over the measured window: its whole CPU less what it had
/// used by the end of the warm-up; when that reading is missing (it exited
/// early), the whole CPU scaled by the measured share of its run time.
pub fn measured_cpu(total: f64, in_warmup: Option<f64>, share: f64) -> f64 {
    match in_warmup {
        Some(w) if w <= total => total - w,
        _ => total * share,
    }
}

/// `21us`, `2.61ms`, `1.2s` in microseconds.
fn time_us(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v,
        "ms" => v * 1000.0,
        "s" => v * 1_000_000.0,
        _ => return None,
    })
}

/// Throughput, counts and request-time figures from h2load's summary.
pub fn parse(text: &str) -> Option<RunReport> {
    let mut r = RunReport {
        tool: "h2load".into(),
        protocol: "grpc".into(),
        ..RunReport::default()
    };
    let mut seen = false;
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["finished", "in", _, rps, "req/s,", ..] => {
                r.throughput = rps.parse().ok()?;
                seen = true;
            }
            ["requests:", _total, "total,", _, "started,", _, "done,", ok, "succeeded,", failed, "failed,", errored, "errored,", timeout, "timeout"] =>
            {
                r.ok = ok.parse().ok()?;
                for (kind, n) in [("status", failed), ("io", errored), ("timeout", timeout)] {
                    let n: u64 = n.parse().ok()?;
                    if n > 0 {
                        r.errors.insert(kind.into(), n);
                    }
                }
            }
            ["time", "for", "request:", min, max, mean, ..] => {
                r.latency.mean = time_us(mean);
                r.latency.max = time_us(max);
                r.spectrum = [(0.0, time_us(min)?)].into();
            }
            _ => {}
        }
    }
    seen.then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "starting benchmark...\n\
        finished in 2.50s, 48462.00 req/s, 2.40MB/s\n\
        requests: 96924 total, 96924 started, 96924 done, 96920 succeeded, 4 failed, 0 errored, 0 timeout\n\
        status codes: 96924 2xx, 0 3xx, 0 4xx, 0 5xx\n\
        \x20                    min         max         mean         sd        +/- sd\n\
        time for request:       21us     51.88ms      2.61ms      2.48ms    81.64%\n\
        time for connect:        0us         0us         0us         0us     0.00%\n";

    #[test]
    fn reads_the_summary() {
        let r = parse(OUT).expect("parsed");
        assert_eq!(r.throughput, 48462.0);
        assert_eq!(r.ok, 96920);
        assert_eq!(r.errors.get("status"), Some(&4));
        assert_eq!(r.latency.mean, Some(2610.0));
        assert_eq!(r.latency.max, Some(51880.0));
        assert!(r.latency.p50.is_none());
        assert!(parse("h2load: connection refused").is_none());
    }

    #[test]
    fn measured_cpu_leaves_out_the_warm_up() {
        assert!((measured_cpu(2.0, Some(0.5), 0.9) - 1.5).abs() < 1e-9);
        // No reading, or one that cannot be right: scale instead.
        assert!((measured_cpu(2.0, None, 0.75) - 1.5).abs() < 1e-9);
        assert!((measured_cpu(2.0, Some(3.0), 0.5) - 1.0).abs() < 1e-9);
    }
}
