//! `REPORT.md`: the machine, a summary of ratios, then each scenario's
//! median rounds side by side with its plot; skipped scenarios and the
//! slots of scenarios still to come are listed, not hidden.

use std::fmt::Write;
use std::time::Duration;

use super::text::{rps, us};
use super::RunReport;
use crate::suite::compare::{Comparison, Outcome, Side};
use crate::suite::machine::Machine;
use crate::suite::scenarios::Settings;

/// What the report says about how it was made.
pub struct Context<'a> {
    pub machine: &'a Machine,
    pub settings: &'a Settings,
    pub quick: bool,
    pub elapsed: Duration,
    /// Of which spent waiting for other load to stop.
    pub waited: Duration,
    pub date: String,
}

/// Other load above this share of a core marks a run as noisy.
const NOISY: f64 = 10.0;

fn ratio(v: Option<f64>) -> String {
    v.map_or("-".into(), |r| format!("{r:.2}×"))
}

fn title_of(o: &Outcome) -> (&str, &str) {
    match o {
        Outcome::Measured(c) => (&c.id, &c.title),
        Outcome::Skipped { id, title, .. } | Outcome::Pending { id, title, .. } => (id, title),
    }
}

/// The one-table overview (also printed at the end of a suite run).
pub fn summary_table(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "| scenario | ours | peer | throughput ours/peer | p50 ours/peer | p99 ours/peer | noise |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let (id, _) = title_of(o);
        let _ = match o {
            Outcome::Measured(c) => {
                let r = c.ratios();
                let tp = |side: &Side| {
                    side.median().map_or("-".into(), |m| {
                        format!("{} {}", rps(m.throughput), c.per_second())
                    })
                };
                let noise = [&c.ours, &c.peer]
                    .iter()
                    .filter_map(|side| side.median().and_then(RunReport::other_percent))
                    .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
                let noise = noise.map_or("-".into(), |p| {
                    format!("{p:.0}%{}", if p > NOISY { " ⚠" } else { "" })
                });
                writeln!(
                    s,
                    "| [{id}](#{id}) | {} | {} | **{}** | {} | {} | {noise} |",
                    tp(&c.ours),
                    tp(&c.peer),
                    ratio(r.throughput),
                    ratio(r.p50),
                    ratio(r.p99)
                )
            }
            Outcome::Skipped { reason, .. } => {
                writeln!(s, "| [{id}](#{id}) | skipped: {reason} | | | | | |")
            }
            Outcome::Pending { .. } => {
                writeln!(s, "| [{id}](#{id}) | not yet measured | | | | | |")
            }
        };
    }
    s
}

fn cpu(r: &RunReport) -> String {
    r.target_proc.map_or("-".into(), |p| {
        format!("{:.2} s ({:.0}%)", p.cpu_seconds, p.cpu_percent)
    })
}

fn per_cpu(r: &RunReport) -> String {
    r.target_proc
        .filter(|p| p.cpu_seconds > 0.0)
        .map_or("-".into(), |p| rps(r.ok as f64 / p.cpu_seconds))
}

fn per_generator_cpu(r: &RunReport) -> String {
    r.per_generator_cpu().map_or("-".into(), rps)
}

fn generator_cpu(r: &RunReport) -> String {
    r.generator_cpu_s
        .map_or("-".into(), |c| format!("{c:.2} s"))
}

/// The generator checks on the figure that does not depend on the target:
/// requests per CPU-second of the generator itself. Empty without checks.
pub fn generator_section(outcomes: &[Outcome]) -> String {
    let checks: Vec<&Comparison> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Measured(c) if c.compares_generators() => Some(c),
            _ => None,
        })
        .collect();
    if checks.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "## Generator efficiency\n\n\
         Can our generators drive a trivial target at least as hard as wrk, h2load and \
         redis-benchmark do? Here the target saturates its core, so the throughput ratios of \
         these checks mostly show round-to-round noise. The CPU a generator spends per request \
         does not depend on how fast the target answers: *requests per generator CPU-second* is \
         the successful requests of the measured window over the generator's own user+system \
         time in that window (ours: this process, where it runs, so the servers, other \
         processes, are not in it; wrk and redis-benchmark: their CPU as waited-for children; \
         h2load: the same, less what `/proc` showed it had used by the end of its warm-up). \
         Above 1× ours needs less CPU per request, so on the same core it can drive a target \
         harder. Goal: ratio >= 1.0. CPU time is counted in clock ticks (10 ms); ours includes \
         the suite's `/proc` sampler threads.\n\n\
         | check | generators | requests per generator CPU-second (ours / peer) | generator CPU (ours / peer) | CPU efficiency ours/peer | throughput ours/peer |\n\
         |---|---|---|---|---|---|\n",
    );
    for c in checks {
        let (Some(o), Some(p)) = (c.ours.median(), c.peer.median()) else {
            continue;
        };
        let r = c.ratios();
        let _ = writeln!(
            s,
            "| [{id}](#{id}) | {} vs {} | {} / {} | {} / {} | **{}** | {} |",
            o.tool,
            p.tool,
            per_generator_cpu(o),
            per_generator_cpu(p),
            generator_cpu(o),
            generator_cpu(p),
            ratio(r.generator_efficiency),
            ratio(r.throughput),
            id = c.id,
        );
    }
    s.push('\n');
    s
}

fn errors(r: &RunReport) -> String {
    if r.errors.is_empty() {
        return "0".into();
    }
    let list: Vec<String> = r.errors.iter().map(|(k, n)| format!("{k}: {n}")).collect();
    format!("{} ({})", r.error_total(), list.join(", "))
}

fn scenario(s: &mut String, c: &Comparison) {
    let _ = writeln!(s, "<a id=\"{}\"></a>\n## {}\n\n{}\n", c.id, c.title, c.what);
    if let Some(goal) = &c.goal {
        let _ = writeln!(s, "Goal: {goal}.\n");
    }
    let (Some(o), Some(p)) = (c.ours.median(), c.peer.median()) else {
        s.push_str("No complete round.\n\n");
        return;
    };
    let r = c.ratios();
    let _ = writeln!(
        s,
        "| median round | ours: {} ({}) | peer: {} ({}) | ours/peer |\n|---|---|---|---|",
        c.ours.label, o.tool, c.peer.label, p.tool
    );
    let mut row = |name: &str, a: String, b: String, q: String| {
        let _ = writeln!(s, "| {name} | {a} | {b} | {q} |");
    };
    row(
        &format!("throughput ({})", c.per_second()),
        rps(o.throughput),
        rps(p.throughput),
        ratio(r.throughput),
    );
    row("p50", us(o.latency.p50), us(p.latency.p50), ratio(r.p50));
    row("p90", us(o.latency.p90), us(p.latency.p90), String::new());
    row("p99", us(o.latency.p99), us(p.latency.p99), ratio(r.p99));
    row(
        "p99.9",
        us(o.latency.p999),
        us(p.latency.p999),
        String::new(),
    );
    row("max", us(o.latency.max), us(p.latency.max), String::new());
    row("errors", errors(o), errors(p), String::new());
    row("target CPU", cpu(o), cpu(p), String::new());
    row(
        &format!("{} per target CPU-second", c.unit()),
        per_cpu(o),
        per_cpu(p),
        String::new(),
    );
    let rss = |r: &RunReport| {
        r.target_proc
            .map_or("-".into(), |p| format!("{} KiB", p.rss_peak_kib))
    };
    row("target peak RSS (sampled)", rss(o), rss(p), String::new());
    row(
        "generator CPU",
        generator_cpu(o),
        generator_cpu(p),
        String::new(),
    );
    // Between two different generators this is the efficiency check; with
    // ours on both sides it only shows what driving each target cost.
    let efficiency = if c.compares_generators() {
        ratio(r.generator_efficiency)
    } else {
        String::new()
    };
    row(
        &format!("{} per generator CPU-second", c.unit()),
        per_generator_cpu(o),
        per_generator_cpu(p),
        efficiency,
    );
    let other = |r: &RunReport| {
        r.other_percent().map_or("-".into(), |p| {
            format!("{p:.0}% of a core{}", if p > NOISY { " ⚠" } else { "" })
        })
    };
    row(
        "other load on the machine",
        other(o),
        other(p),
        String::new(),
    );
    let rounds = |side: &Side| {
        side.runs
            .iter()
            .map(|r| rps(r.throughput))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        s,
        "\nEvery round's throughput ({}): ours {}; peer {}.\n\n![{}]({}.svg)\n",
        c.per_second(),
        rounds(&c.ours),
        rounds(&c.peer),
        c.title,
        c.id
    );
}

/// The whole report.
pub fn report(ctx: &Context<'_>, outcomes: &[Outcome]) -> String {
    let m = ctx.machine;
    let st = ctx.settings;
    let mut s = String::from("# layotto-rs performance report\n\n");
    let _ = writeln!(
        s,
        "Generated by `layotto-perf suite{}` on {} in {:.0} s ({:.0} s of it waiting for other load \
         on the machine to stop). Regenerate with `perf/run.sh{}`.\n",
        if ctx.quick { " --quick" } else { "" },
        ctx.date,
        ctx.elapsed.as_secs_f64(),
        ctx.waited.as_secs_f64(),
        if ctx.quick { " --quick" } else { "" },
    );
    let _ = writeln!(
        s,
        "## Machine\n\n| cores (nproc) | kernel | CPU | memory |\n|---|---|---|---|\n| {} | {} | {} | {} |\n",
        m.cores, m.kernel, m.cpu_model, m.memory
    );
    let _ = writeln!(
        s,
        "## How to read this\n\n\
         - Each scenario ran **{rounds} round(s)**, alternating ours and the peer (ours, peer, ours, peer, …) \
         so drift on a shared machine hits both alike; each column is that side's **median-throughput round**.\n\
         - Load per run: {d:.1} s measured after {w:.1} s of unrecorded warm-up; {c} connections; \
         {t} generator thread(s); servers with {t} worker(s). Closed loop, one request in flight per connection, \
         so latency is service time at saturation. The gRPC scenarios use their own, multiplexed load \
         (stated in each).\n\
         - CPU placement: {placement}.\n\
         - Ratios are **ours / peer**: above 1× is better for throughput, below 1× is better for latency.\n\
         - *Target CPU* is the server's user+system time during the run (all its processes); \
         *requests per target CPU-second* is efficiency independent of how busy the generator kept it.\n\
         - *Generator CPU* is the generator's own user+system time over the same window; *requests per \
         generator CPU-second* compares generators (see [Generator efficiency](#generator-efficiency)).\n\
         - The streaming scenarios count what a stream carries instead of requests: round trips on open \
         bidi streams, or pushes on a subscription; their latency is per round trip or per push.\n\
         - *Other load* is CPU time used by everything else on the machine during the run (other builds, …), \
         from `/proc/stat`; above 10% of a core the run is marked ⚠ and its numbers deserve suspicion.\n\
         - wrk, redis-benchmark and h2load print only some percentiles (h2load: none, only min/mean/max); the missing ones show as `-`, and their plot \
         lines are drawn through the few points they give (with markers).\n",
        rounds = st.rounds,
        d = st.duration.as_secs_f64(),
        w = st.warmup.as_secs_f64(),
        c = st.connections,
        t = st.workers,
        placement = match (&st.server_cpus, &st.generator_cpus) {
            (Some(srv), Some(cpus)) => format!(
                "servers pinned to CPU {srv} and generators (ours and the peers' tools) to CPU {cpus}, \
                 so runs do not depend on where the scheduler puts them"
            ),
            _ => "not pinned (too few cores, no taskset, or --no-pin)".to_string(),
        },
    );
    let _ = writeln!(s, "## Summary\n\n{}", summary_table(outcomes));
    s.push_str(&generator_section(outcomes));
    for o in outcomes {
        match o {
            Outcome::Measured(c) => scenario(&mut s, c),
            Outcome::Skipped { id, title, reason } => {
                let _ = writeln!(
                    s,
                    "<a id=\"{id}\"></a>\n## {title}\n\n**Skipped**: {reason}.\n"
                );
            }
            Outcome::Pending { id, title, note } => {
                let _ = writeln!(
                    s,
                    "<a id=\"{id}\"></a>\n## {title}\n\n**Not yet measured**: {note}.\n"
                );
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_outcome() {
        let mut c = Comparison {
            id: "x".into(),
            title: "X".into(),
            ..Comparison::default()
        };
        c.ours.runs.push(RunReport {
            throughput: 200.0,
            ..RunReport::default()
        });
        c.peer.runs.push(RunReport {
            throughput: 100.0,
            ..RunReport::default()
        });
        let outcomes = vec![
            Outcome::Measured(c),
            Outcome::Skipped {
                id: "s".into(),
                title: "S".into(),
                reason: "no nginx".into(),
            },
            Outcome::Pending {
                id: "g".into(),
                title: "G".into(),
                note: "later".into(),
            },
        ];
        let table = summary_table(&outcomes);
        assert!(
            table.contains("**2.00×**") && table.contains("skipped: no nginx"),
            "{table}"
        );
        assert!(table.contains("not yet measured"));
        // Ours on both sides: no generator section.
        assert_eq!(generator_section(&outcomes), "");
    }

    fn run(tool: &str, ok: u64, cpu: f64) -> RunReport {
        RunReport {
            tool: tool.into(),
            ok,
            throughput: ok as f64 / 3.0,
            generator_cpu_s: Some(cpu),
            ..RunReport::default()
        }
    }

    #[test]
    fn generator_section_and_rows_show_cpu_efficiency() {
        let mut c = Comparison {
            id: "generator-check-grpc".into(),
            title: "G".into(),
            ..Comparison::default()
        };
        c.ours.runs.push(run("layotto-perf", 240_000, 1.6));
        c.peer.runs.push(run("h2load", 270_000, 2.7));
        let outcomes = vec![Outcome::Measured(c.clone())];
        let section = generator_section(&outcomes);
        assert!(section.starts_with("## Generator efficiency"), "{section}");
        // A Markdown table only renders from the line start.
        assert!(
            section.contains("\n| check | generators |") && section.contains("\n|---|"),
            "{section}"
        );
        assert!(
            section.contains(
                "| [generator-check-grpc](#generator-check-grpc) | layotto-perf vs h2load | \
                 150,000 / 100,000 | 1.60 s / 2.70 s | **1.50×** | 0.89× |"
            ),
            "{section}"
        );
        let mut body = String::new();
        scenario(&mut body, &c);
        assert!(
            body.contains("| requests per generator CPU-second | 150,000 | 100,000 | 1.50× |"),
            "{body}"
        );
        // A streaming scenario names its unit, and with ours on both sides
        // the generator row has no ratio.
        let mut s = Comparison {
            id: "grpc-config-push".into(),
            unit: Some("pushes".into()),
            ..c
        };
        s.peer.runs[0].tool = "layotto-perf".into();
        let mut body = String::new();
        scenario(&mut body, &s);
        assert!(
            body.contains("| throughput (pushes/s) | 80,000 | 90,000 | 0.89× |"),
            "{body}"
        );
        assert!(
            body.contains("| pushes per generator CPU-second | 150,000 | 100,000 |  |"),
            "{body}"
        );
        assert!(
            body.contains("Every round's throughput (pushes/s)"),
            "{body}"
        );
        let table = summary_table(&[Outcome::Measured(s)]);
        assert!(table.contains("80,000 pushes/s"), "{table}");
    }
}
