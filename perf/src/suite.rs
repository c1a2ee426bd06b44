//! `layotto-perf suite`: every scenario, ours against a peer, in one
//! session, written to `REPORT.md` with JSON and SVG beside it.
//!
//! Scenarios run one after another (never two loads at once: the machine
//! is small); each starts its own servers on ephemeral loopback ports and
//! stops them before the next. A scenario that cannot run here is reported
//! as skipped with the reason, never left out.

pub mod compare;
pub mod grpc;
pub mod grpc_servers;
pub mod h2load;
pub mod machine;
pub mod peers;
pub mod quiet;
pub mod redis_state;
pub mod scenarios;
pub mod streaming;
pub mod tools;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cli::SuiteArgs;
use crate::report::{json as run_json, markdown, svg};
use compare::{Comparison, Outcome};
use machine::Machine;
use scenarios::Settings;

type Scenario = fn(&Settings) -> Vec<Outcome>;

/// Every scenario by name, in run order.
pub const SCENARIOS: [(&str, Scenario); 11] = [
    ("generator-check", scenarios::generator_check),
    ("actuator-http1", scenarios::actuator_http1),
    ("io_uring-vs-epoll", scenarios::io_uring_vs_epoll),
    ("resp-direct", scenarios::resp_direct),
    ("generator-check-grpc", grpc::generator_check_grpc),
    ("grpc-sayhello", grpc::sayhello),
    ("grpc-getstate", grpc::getstate),
    ("grpc-savestate", grpc::savestate),
    ("redis-state", redis_state::redis_state),
    ("grpc-bidi-pingpong", streaming::bidi_pingpong),
    ("grpc-config-push", streaming::config_push),
];

pub fn settings(a: &SuiteArgs) -> Settings {
    let (rounds, duration, warmup) = if a.quick {
        (1, Duration::from_secs(1), Duration::from_millis(300))
    } else {
        (3, Duration::from_secs(3), Duration::from_secs(1))
    };
    let workers = 1;
    let (server_cpus, generator_cpus) = placement(workers, a.no_pin);
    Settings {
        rounds: a.rounds.unwrap_or(rounds).max(1),
        duration: a.duration.unwrap_or(duration),
        warmup,
        connections: 32,
        workers,
        layotto: a.layotto.clone(),
        allow_install: !a.no_install,
        server_cpus,
        generator_cpus,
        quiet: quiet::Quiet::new(if a.quick {
            Duration::ZERO
        } else {
            a.quiet_budget
        }),
    }
}

fn cpu_list(from: usize, to: usize) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}-{to}")
    }
}

/// Servers on the last `workers` cores, generators on the first ones,
/// when there are cores enough for both and `taskset` exists.
fn placement(workers: usize, no_pin: bool) -> (Option<String>, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if no_pin || workers == 0 || cores < 2 * workers || crate::target::which("taskset").is_none() {
        return (None, None);
    }
    (
        Some(cpu_list(cores - workers, cores - 1)),
        Some(cpu_list(0, workers - 1)),
    )
}

pub fn run(a: &SuiteArgs) -> Result<(), String> {
    for name in &a.only {
        if !SCENARIOS.iter().any(|(n, _)| n == name) {
            let names: Vec<&str> = SCENARIOS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "unknown scenario {name:?} (have: {})",
                names.join(", ")
            ));
        }
    }
    let s = settings(a);
    let machine = Machine::detect();
    let started = Instant::now();
    let mut outcomes = Vec::new();
    for (name, scenario) in SCENARIOS {
        if a.only.is_empty() || a.only.iter().any(|n| n == name) {
            eprintln!(
                "== {name} ({} round(s) of {:.1}s)",
                s.rounds,
                s.duration.as_secs_f64()
            );
            outcomes.extend(scenario(&s));
        }
    }
    let elapsed = started.elapsed();

    fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    for o in &outcomes {
        if let Outcome::Measured(c) = o {
            write_comparison(&a.out, c, &machine, &s)?;
        }
    }
    let ctx = markdown::Context {
        machine: &machine,
        settings: &s,
        quick: a.quick,
        elapsed,
        waited: s.quiet.waited(),
        date: date(),
    };
    let report = markdown::report(&ctx, &outcomes);
    let path = a.out.join("REPORT.md");
    fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    print!("{}", markdown::summary_table(&outcomes));
    eprintln!("wrote {} in {:.0}s", path.display(), elapsed.as_secs_f64());
    Ok(())
}

fn write_comparison(dir: &Path, c: &Comparison, m: &Machine, s: &Settings) -> Result<(), String> {
    let r = c.ratios();
    let side = |side: &compare::Side| {
        json!({
            "label": side.label,
            "runs": side.runs.iter().map(run_json::run).collect::<Vec<_>>(),
            "median_round": side.median().and_then(|m| side.runs.iter().position(|x| std::ptr::eq(x, m))),
        })
    };
    let doc = json!({
        "scenario": c.id,
        "title": c.title,
        "machine": { "cores": m.cores, "kernel": m.kernel, "cpu_model": m.cpu_model, "memory": m.memory },
        "rounds": s.rounds,
        "ours": side(&c.ours),
        "peer": side(&c.peer),
        "unit": c.unit(),
        "ratios_ours_over_peer": {
            "throughput": r.throughput, "p50": r.p50, "p99": r.p99,
            "requests_per_generator_cpu_second": r.generator_efficiency,
        },
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    let json_path = dir.join(format!("{}.json", c.id));
    fs::write(&json_path, text + "\n").map_err(|e| format!("{}: {e}", json_path.display()))?;
    let mut series = Vec::new();
    for side in [&c.ours, &c.peer] {
        if let Some(m) = side.median() {
            let label = if side.label.contains(&m.tool) {
                side.label.clone()
            } else {
                format!("{} ({})", side.label, m.tool)
            };
            series.push((label, m.spectrum.clone()));
        }
    }
    let lines: Vec<svg::Series<'_>> = series
        .iter()
        .map(|(label, points)| svg::Series { label, points })
        .collect();
    let svg_path = dir.join(format!("{}.svg", c.id));
    fs::write(&svg_path, svg::plot(&c.title, &lines))
        .map_err(|e| format!("{}: {e}", svg_path.display()))
}

fn date() -> String {
    std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
