//! What the process under test spent: CPU time from `/proc/PID/stat`
//! before and after the run, and resident memory from `/proc/PID/status`,
//! sampled every 100 ms while the run lasts (the peak is what matters, and
//! VmHWM alone would include anything before the run).
//!
//! A target may be several processes (nginx's master and workers): a
//! [`Monitor`] sums over the given pids and all their descendants.

use std::fs;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// CPU time of one process, in clock ticks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CpuTicks {
    /// utime + stime of the process itself.
    pub own: u64,
    /// cutime + cstime: children it has waited for.
    pub children: u64,
}

/// Parses the fields of `/proc/PID/stat` this crate uses: (ppid, ticks).
/// The command name may hold spaces and parentheses, so fields are counted
/// from the last `)`.
pub fn parse_stat(text: &str) -> Option<(u32, CpuTicks)> {
    let rest = &text[text.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_ascii_whitespace().collect();
    // After ")": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    let ppid = f.get(1)?.parse().ok()?;
    Some((
        ppid,
        CpuTicks {
            own: num(11)? + num(12)?,
            children: num(13)? + num(14)?,
        },
    ))
}

/// `VmRSS` and `VmHWM` of a `/proc/PID/status` text, in KiB.
pub fn parse_status(text: &str) -> (Option<u64>, Option<u64>) {
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub fn stat(pid: u32) -> Option<(u32, CpuTicks)> {
    parse_stat(&fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// (VmRSS, VmHWM) in KiB.
pub fn memory(pid: u32) -> (Option<u64>, Option<u64>) {
    fs::read_to_string(format!("/proc/{pid}/status")).map_or((None, None), |t| parse_status(&t))
}

/// Clock ticks per second, asked of `getconf` once (100 on every common
/// Linux build, which is the fallback).
pub fn clk_tck() -> u64 {
    static TCK: OnceLock<u64> = OnceLock::new();
    *TCK.get_or_init(|| {
        std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .filter(|&n| n > 0)
            .unwrap_or(100)
    })
}

/// `roots` and every process descended from them.
pub fn with_descendants(roots: &[u32]) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some((ppid, _)) = stat(pid) {
                parents.push((pid, ppid));
            }
        }
    }
    let mut all: Vec<u32> = roots.to_vec();
    let mut i = 0;
    while i < all.len() {
        let parent = all[i];
        for &(pid, ppid) in &parents {
            if ppid == parent && !all.contains(&pid) {
                all.push(pid);
            }
        }
        i += 1;
    }
    all
}

/// Busy ticks of the whole machine (all CPUs) from a `/proc/stat` text:
/// user, nice, system and steal of the aggregate `cpu` line. Interrupt and
/// softirq time are left out: loopback traffic is largely processed in
/// softirq, which the kernel does not charge to the processes involved, so
/// counting it would report the run's own packets as other load.
pub fn parse_machine_busy(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let f: Vec<u64> = line
        .split_ascii_whitespace()
        .skip(1)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal ...
    Some(f.first()? + f.get(1)? + f.get(2)? + f.get(7).unwrap_or(&0))
}

fn machine_busy() -> u64 {
    fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|t| parse_machine_busy(&t))
        .unwrap_or(0)
}

/// What a target spent during a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcReport {
    pub cpu_seconds: f64,
    /// CPU seconds per wall second, in percent (200% = two cores busy).
    pub cpu_percent: f64,
    /// Highest summed VmRSS seen while sampling.
    pub rss_peak_kib: u64,
    /// Summed VmRSS at the end.
    pub rss_kib: u64,
    /// Summed VmHWM at the end (lifetime peaks).
    pub hwm_kib: u64,
    pub processes: usize,
    /// CPU seconds the whole machine was busy over the same window: what
    /// is left after the target and the generator is other load (noise).
    pub machine_cpu_seconds: f64,
}

/// Samples a set of processes from a background thread until stopped.
#[derive(Debug)]
pub struct Monitor {
    pids: Vec<u32>,
    stop: Arc<AtomicBool>,
    sampler: Option<JoinHandle<Window>>,
}

/// What the sampler saw: CPU ticks and time at its start, and the RSS peak.
#[derive(Debug, Clone, Copy)]
struct Window {
    ticks: u64,
    machine: u64,
    started: Instant,
    peak: u64,
}

fn total_ticks(pids: &[u32]) -> u64 {
    pids.iter()
        .filter_map(|&p| stat(p))
        .map(|(_, t)| t.own)
        .sum()
}

fn total_rss(pids: &[u32]) -> u64 {
    pids.iter().filter_map(|&p| memory(p).0).sum()
}

impl Monitor {
    /// Watches `roots` and their descendants from now on.
    pub fn start(roots: &[u32]) -> Monitor {
        Monitor::start_after(roots, Duration::ZERO, true)
    }

    /// Watches `roots` (with their descendants if asked) from `delay` on,
    /// so a warm-up is left out of the CPU and memory figures.
    pub fn start_after(roots: &[u32], delay: Duration, descendants: bool) -> Monitor {
        let pids = if descendants {
            with_descendants(roots)
        } else {
            roots.to_vec()
        };
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, list) = (Arc::clone(&stop), pids.clone());
        let begin = Instant::now() + delay;
        let sample = move || {
            while Instant::now() < begin && !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let mut w = Window {
                ticks: total_ticks(&list),
                machine: machine_busy(),
                started: Instant::now(),
                peak: 0,
            };
            let mut next = Instant::now();
            while !flag.load(Ordering::Relaxed) {
                if Instant::now() >= next {
                    w.peak = w.peak.max(total_rss(&list));
                    next += Duration::from_millis(100);
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            w
        };
        let sampler = std::thread::Builder::new()
            .name("layotto-perf-proc".into())
            .spawn(sample)
            .ok();
        Monitor {
            pids,
            stop,
            sampler,
        }
    }

    pub fn finish(mut self) -> ProcReport {
        self.stop.store(true, Ordering::Relaxed);
        let Some(w) = self.sampler.take().and_then(|h| h.join().ok()) else {
            return ProcReport::default();
        };
        let wall = w.started.elapsed().as_secs_f64();
        let ticks = total_ticks(&self.pids).saturating_sub(w.ticks);
        let machine = machine_busy().saturating_sub(w.machine);
        let rss = total_rss(&self.pids);
        let cpu_seconds = ticks as f64 / clk_tck() as f64;
        ProcReport {
            cpu_seconds,
            cpu_percent: if wall > 0.0 {
                100.0 * cpu_seconds / wall
            } else {
                0.0
            },
            rss_peak_kib: w.peak.max(rss),
            rss_kib: rss,
            hwm_kib: self.pids.iter().filter_map(|&p| memory(p).1).sum(),
            processes: self.pids.len(),
            machine_cpu_seconds: machine as f64 / clk_tck() as f64,
        }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// CPU seconds this process has used, and those of its waited-for children.
pub fn self_cpu() -> (f64, f64) {
    let tck = clk_tck() as f64;
    stat(std::process::id()).map_or((0.0, 0.0), |(_, t)| {
        (t.own as f64 / tck, t.children as f64 / tck)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_with_spaces_and_parens() {
        let line = "42 (a b) c)) S 7 42 42 0 -1 4194560 100 0 0 0 13 4 2 1 20 0 1 0 5 1000 200";
        let (ppid, t) = parse_stat(line).expect("parse");
        assert_eq!(ppid, 7);
        assert_eq!(
            t,
            CpuTicks {
                own: 17,
                children: 3
            }
        );
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn own_process_is_readable() {
        let me = std::process::id();
        let (ppid, _) = stat(me).expect("own stat");
        assert!(ppid > 0);
        let (rss, hwm) = memory(me);
        let (rss, hwm) = (rss.expect("VmRSS"), hwm.expect("VmHWM"));
        assert!(rss > 0 && hwm >= rss);
        assert!(clk_tck() > 0);
        // Burn a little CPU and see it counted.
        let mon = Monitor::start(&[me]);
        let t = Instant::now();
        let mut x = 0u64;
        while t.elapsed() < Duration::from_millis(150) {
            x = x.wrapping_mul(31).wrapping_add(1);
        }
        std::hint::black_box(x);
        let r = mon.finish();
        assert!(r.cpu_seconds > 0.0 && r.cpu_percent > 0.0, "{r:?}");
        assert!(r.rss_peak_kib >= r.rss_kib / 2 && r.processes >= 1, "{r:?}");
    }

    #[test]
    fn machine_busy_line() {
        let text = "cpu  10 1 5 1000 7 2 3 4 0 0\ncpu0 1 1 1 1 1 1 1 1\n";
        assert_eq!(parse_machine_busy(text), Some(10 + 1 + 5 + 4));
        assert_eq!(parse_machine_busy("intr 1"), None);
        assert!(machine_busy() > 0);
    }

    #[test]
    fn status_fields() {
        let text = "Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n";
        assert_eq!(parse_status(text), (Some(1024), Some(2048)));
        assert_eq!(parse_status(""), (None, None));
    }

    #[test]
    fn descendants_include_children() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .expect("sleep");
        let all = with_descendants(&[std::process::id()]);
        let _ = child.kill();
        let _ = child.wait();
        assert!(all.contains(&child.id()), "{all:?}");
    }
}
