//! The gRPC scenarios: the sidecar's Runtime API against
//! `tonic-runtime-peer` (SayHello, GetState, SaveState, the same in-memory
//! work on both), and `generator-check-grpc`, which shows that
//! `layotto-perf grpc` drives the tonic peer at least as hard as h2load, so
//! the gRPC ratios measure servers, not the generator.
//!
//! The load is multiplexed: [`CONNECTIONS`] connections with [`STREAMS`]
//! concurrent streams each, from one generator thread. HTTP/2 servers
//! batch work per read and per write, so one stream per connection would
//! measure syscalls, not the gRPC stack. Chosen by a sweep on the 2-core
//! machine (SayHello, quiet): at 8 x 16 tonic was at 100% of its core but
//! the sidecar only at ~73% (the round trip, not its CPU, set the pace); at
//! 16 x 16 both servers are at 94-100% while the generator uses ~75% of the
//! other core; more streams (16 x 32, 32 x 16) only add queueing latency.

use std::net::SocketAddr;
use std::time::Duration;

use super::compare::{alternate, Comparison, Outcome, Side};
use super::grpc_servers::{self, tonic_peer_path};
use super::h2load::H2load;
use super::peers::{self, Running};
use super::scenarios::Settings;
use crate::load::{DriverPref, LoadSpec, Pace, Stop};
use crate::measure::measure;
use crate::protocol::grpc::requests::{self, Scenario};
use crate::protocol::grpc::Grpc;
use crate::report::RunReport;
use crate::target::Scratch;

/// Connections per run.
pub const CONNECTIONS: usize = 16;
/// Concurrent streams (requests in flight) per connection.
pub const STREAMS: usize = 16;
/// Keys GetState and SaveState spread over.
pub const KEY_SPACE: u64 = 1000;

pub(super) const GOAL: &str =
    "throughput >= 1.5x tonic's at equal or lower p99 (throughput ratio >= 1.5, p99 ratio <= 1.0)";

/// The measured window and warm-up of a gRPC run: shorter than the HTTP/1
/// scenarios' (there are four gRPC scenarios and the suite has a time budget).
fn window(s: &Settings) -> (Duration, Duration) {
    (s.duration.mul_f64(0.75), s.warmup / 2)
}

pub(super) fn spec(s: &Settings, addr: SocketAddr, stop: Stop, warmup: Duration) -> LoadSpec {
    LoadSpec {
        addr,
        threads: 1,
        connections: CONNECTIONS,
        inflight: STREAMS,
        pace: Pace::Closed,
        warmup,
        stop,
        timeout: Duration::from_secs(2),
        pin: s.generator_cpus.is_some(),
        driver: DriverPref::Auto,
    }
}

fn proto(srv: &Running, scenario: Scenario) -> Result<Grpc, String> {
    Grpc::new(
        &srv.addr.to_string(),
        scenario.method(),
        &scenario.messages(KEY_SPACE),
    )
}

fn run(s: &Settings, label: &str, srv: &Running, scenario: Scenario) -> Result<RunReport, String> {
    let (duration, warmup) = window(s);
    let spec = spec(s, srv.addr, Stop::After(duration), warmup);
    measure(&proto(srv, scenario)?, &spec, label, &[srv.target.pid()]).map_err(|e| e.to_string())
}

/// Writes every key once, so GetState reads values that exist.
fn populate(s: &Settings, srv: &Running) -> Result<(), String> {
    let cap = Duration::from_secs(10);
    let spec = spec(
        s,
        srv.addr,
        Stop::Requests {
            count: KEY_SPACE,
            cap,
        },
        Duration::ZERO,
    );
    let proto = Grpc::new(
        &srv.addr.to_string(),
        requests::SAVE_STATE,
        &Scenario::SaveState.messages(KEY_SPACE),
    )?;
    let r = measure(&proto, &spec, "populate", &[]).map_err(|e| e.to_string())?;
    if r.ok < KEY_SPACE || r.error_total() > 0 {
        return Err(format!(
            "populating {KEY_SPACE} keys: {} saved, errors {:?}",
            r.ok, r.errors
        ));
    }
    Ok(())
}

pub(super) fn skipped(id: &str, title: &str, reason: String) -> Vec<Outcome> {
    eprintln!("   skipped: {reason}");
    vec![Outcome::Skipped {
        id: id.into(),
        title: title.into(),
        reason,
    }]
}

pub(super) fn measured(
    c: Comparison,
    res: Result<(Vec<RunReport>, Vec<RunReport>), String>,
) -> Vec<Outcome> {
    match res {
        Ok((ours, peer)) => {
            let mut c = c;
            c.ours.runs = ours;
            c.peer.runs = peer;
            vec![Outcome::Measured(c)]
        }
        Err(e) => skipped(&c.id, &c.title, format!("failed while running: {e}")),
    }
}

pub(super) fn side(label: &str) -> Side {
    Side {
        label: label.into(),
        runs: Vec::new(),
    }
}

pub(super) fn servers(s: &Settings) -> Result<(Running, Running), String> {
    let layotto =
        grpc_servers::layotto(&s.layotto, s.workers, "io_uring", s.server_cpus.as_deref())?;
    let tonic = grpc_servers::tonic(
        &tonic_peer_path(&s.layotto),
        s.workers,
        s.server_cpus.as_deref(),
    )?;
    Ok((layotto, tonic))
}

fn load_text(s: &Settings) -> String {
    let (d, w) = window(s);
    format!(
        "closed loop from `layotto-perf grpc`, 1 thread, {CONNECTIONS} connections x {STREAMS} \
         concurrent streams, {:.1} s measured after {:.1} s of warm-up, against servers with {} \
         worker on the server core (each side's target CPU shows whether it was saturated)",
        d.as_secs_f64(),
        w.as_secs_f64(),
        s.workers
    )
}

pub fn sayhello(s: &Settings) -> Vec<Outcome> {
    versus(
        s,
        Scenario::SayHello,
        "grpc-sayhello",
        "gRPC SayHello: layotto vs tonic",
        "`SayHello{service_name: quick_start_demo, name: perf}`: the hello component answers \
         from memory, so this is the gRPC stack itself (HTTP/2, HPACK, framing, protobuf)",
    )
}

pub fn getstate(s: &Settings) -> Vec<Outcome> {
    versus(
        s,
        Scenario::GetState,
        "grpc-getstate",
        "gRPC GetState (in-memory): layotto vs tonic",
        "`GetState{store_name: state_demo}` over 1000 keys, each written first by a SaveState pass \
         (100-byte values) on both servers; an in-memory map lookup per call",
    )
}

pub fn savestate(s: &Settings) -> Vec<Outcome> {
    versus(
        s,
        Scenario::SaveState,
        "grpc-savestate",
        "gRPC SaveState (in-memory): layotto vs tonic",
        "`SaveState{store_name: state_demo}` with one `StateItem` of a 100-byte value per call, \
         keys over a space of 1000; an in-memory map insert per call",
    )
}

fn versus(s: &Settings, scenario: Scenario, id: &str, title: &str, work: &str) -> Vec<Outcome> {
    let (layotto, tonic) = match servers(s) {
        Ok(pair) => pair,
        Err(e) => return skipped(id, title, format!("a server did not start: {e}")),
    };
    if scenario == Scenario::GetState {
        if let Err(e) = populate(s, &layotto).and_then(|()| populate(s, &tonic)) {
            return skipped(id, title, e);
        }
    }
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "{work}. The sidecar (io_uring) vs `tonic-runtime-peer` (tonic on a 1-worker tokio \
             runtime, wire-identical messages); {}.",
            load_text(s)
        ),
        goal: Some(GOAL.into()),
        unit: None,
        ours: side("layotto"),
        peer: side("tonic"),
    };
    let res = alternate(
        s,
        |_| run(s, "layotto", &layotto, scenario),
        |_, _| run(s, "tonic", &tonic, scenario),
    );
    measured(c, res)
}

/// Our generator and h2load against the same tonic peer.
pub fn generator_check_grpc(s: &Settings) -> Vec<Outcome> {
    let (id, title) = (
        "generator-check-grpc",
        "gRPC generator check: layotto-perf vs h2load, both against tonic",
    );
    if let Err(e) = peers::ensure(&[("h2load", "nghttp2-client")], s.allow_install) {
        return skipped(id, title, e);
    }
    let tonic = match grpc_servers::tonic(
        &tonic_peer_path(&s.layotto),
        s.workers,
        s.server_cpus.as_deref(),
    ) {
        Ok(t) => t,
        Err(e) => return skipped(id, title, format!("the tonic peer did not start: {e}")),
    };
    let scratch = match Scratch::new("h2load") {
        Ok(d) => d,
        Err(e) => return skipped(id, title, e.to_string()),
    };
    let body = scratch.path().join("sayhello.bin");
    let framed = match crate::protocol::grpc::frame_message(&requests::say_hello()) {
        Ok(b) => b,
        Err(e) => return skipped(id, title, e),
    };
    if let Err(e) = std::fs::write(&body, &framed) {
        return skipped(id, title, format!("{}: {e}", body.display()));
    }
    let url = format!("http://{}{}", tonic.addr, requests::SAY_HELLO);
    let (duration, warmup) = window(s);
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "The same tonic peer (SayHello, {w} worker) driven by `layotto-perf grpc` and by \
             `h2load -t 1 -c {CONNECTIONS} -m {STREAMS}` (POSTing the same length-prefixed request \
             with `content-type: application/grpc`); {load}. If ours reaches at least h2load's \
             throughput, the generator is not what limits the gRPC scenarios. h2load prints no \
             percentiles (only min, mean and max), hence the `-`.",
            w = s.workers,
            load = load_text(s)
        ),
        goal: Some("throughput ratio >= 1.0 (ours >= h2load)".into()),
        unit: None,
        ours: side("layotto-perf → tonic"),
        peer: side("h2load → tonic"),
    };
    let h2load = H2load {
        url: &url,
        body: &body,
        threads: 1,
        connections: CONNECTIONS,
        streams: STREAMS,
        warmup,
        duration,
    };
    let res = alternate(
        s,
        |_| run(s, "layotto-perf → tonic", &tonic, Scenario::SayHello),
        |_, _| {
            let mut r = h2load.run(&[tonic.target.pid()], s.generator_cpus.as_deref())?;
            r.label = "h2load → tonic".into();
            Ok(r)
        },
    );
    measured(c, res)
}
