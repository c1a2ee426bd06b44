//! The scenarios: what each one drives, against what, with which load.
//! Every scenario gives both sides the same load shape (threads,
//! connections, in-flight depth, duration) and the same server worker
//! count, so the ratio compares implementations, not settings.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::compare::{alternate, Comparison, Outcome, Side};
use super::peers::{self, Running};
use super::tools;
use crate::load::{DriverPref, LoadSpec, Pace, Stop};
use crate::measure::measure;
use crate::protocol::http1::Http1;
use crate::protocol::resp::{Command, Resp};
use crate::report::RunReport;

/// Knobs shared by every scenario.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rounds: usize,
    pub duration: Duration,
    pub warmup: Duration,
    pub connections: usize,
    /// Worker threads/processes of every server, and generator threads.
    pub workers: usize,
    pub layotto: PathBuf,
    pub allow_install: bool,
    /// `taskset` CPU lists for the servers and for the generators, when
    /// the machine has cores enough to keep them apart.
    pub server_cpus: Option<String>,
    pub generator_cpus: Option<String>,
    /// Waits for a quiet machine before each run.
    pub quiet: super::quiet::Quiet,
}

impl Settings {
    /// Settings for unit tests: no peers, no waiting.
    #[cfg(test)]
    pub fn for_tests(rounds: usize) -> Settings {
        Settings {
            rounds,
            duration: Duration::from_millis(100),
            warmup: Duration::ZERO,
            connections: 1,
            workers: 1,
            layotto: PathBuf::new(),
            allow_install: false,
            server_cpus: None,
            generator_cpus: None,
            quiet: super::quiet::Quiet::new(Duration::ZERO),
        }
    }

    fn srv(&self) -> Option<&str> {
        self.server_cpus.as_deref()
    }

    fn generator(&self) -> Option<&str> {
        self.generator_cpus.as_deref()
    }
}

const NGINX: (&str, &str) = ("nginx", "nginx");
const WRK: (&str, &str) = ("wrk", "wrk");
pub(super) const REDIS: (&str, &str) = ("redis-server", "redis-server");
const REDIS_BENCH: (&str, &str) = ("redis-benchmark", "redis-tools");

fn closed(s: &Settings, addr: SocketAddr) -> LoadSpec {
    LoadSpec {
        addr,
        threads: s.workers,
        connections: s.connections,
        inflight: 1,
        pace: Pace::Closed,
        warmup: s.warmup,
        stop: Stop::After(s.duration),
        timeout: Duration::from_secs(2),
        // Thread t goes to core t: the generator's cores are the first ones.
        pin: s.generator_cpus.is_some(),
        driver: DriverPref::Auto,
    }
}

fn http_run(s: &Settings, label: &str, srv: &Running, path: &str) -> Result<RunReport, String> {
    let proto = Http1::new("GET", path, &srv.addr.to_string(), &[], b"");
    measure(&proto, &closed(s, srv.addr), label, &[srv.target.pid()]).map_err(|e| e.to_string())
}

fn skipped(id: &str, title: &str, reason: String) -> Vec<Outcome> {
    eprintln!("   skipped: {reason}");
    vec![Outcome::Skipped {
        id: id.into(),
        title: title.into(),
        reason,
    }]
}

fn measured(c: Comparison, res: Result<(Vec<RunReport>, Vec<RunReport>), String>) -> Vec<Outcome> {
    match res {
        Ok((ours, peer)) => vec![Outcome::Measured(Comparison {
            ours: Side {
                runs: ours,
                ..c.ours
            },
            peer: Side {
                runs: peer,
                ..c.peer
            },
            ..c
        })],
        Err(e) => skipped(&c.id, &c.title, format!("failed while running: {e}")),
    }
}

fn side(label: &str) -> Side {
    Side {
        label: label.into(),
        runs: Vec::new(),
    }
}

/// Our generator and wrk against the same nginx: is the generator fast enough?
pub fn generator_check(s: &Settings) -> Vec<Outcome> {
    let (id, title) = (
        "generator-check",
        "Generator check: layotto-perf vs wrk, both against nginx",
    );
    if let Err(e) = peers::ensure(&[NGINX, WRK], s.allow_install) {
        return skipped(id, title, e);
    }
    let nginx = match peers::nginx(s.workers, s.srv()) {
        Ok(n) => n,
        Err(e) => return skipped(id, title, format!("nginx did not start: {e}")),
    };
    let url = format!("http://{}/", nginx.addr);
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "The same nginx (`return 200 \"ok\"`, {w} worker) driven by `layotto-perf http1` and by `wrk`, \
             {t} thread(s), {c} connections, no pipelining. If ours reaches at least wrk's throughput, \
             the generator is not what limits the other scenarios.",
            w = s.workers,
            t = s.workers,
            c = s.connections
        ),
        goal: Some("throughput ratio >= 1.0 (ours >= wrk)".into()),
        unit: None,
        ours: side("layotto-perf → nginx"),
        peer: side("wrk → nginx"),
    };
    let res = alternate(
        s,
        |_| http_run(s, "layotto-perf → nginx", &nginx, "/"),
        |_, _| {
            let mut r = tools::measure_external(&[nginx.target.pid()], || {
                tools::wrk(&url, s.workers, s.connections, s.duration, s.generator())
            })?;
            r.label = "wrk → nginx".into();
            Ok(r)
        },
    );
    measured(c, res)
}

/// The sidecar's actuator against nginx's `return 200`.
pub fn actuator_http1(s: &Settings) -> Vec<Outcome> {
    let (id, title) = ("actuator-http1", "Actuator over HTTP/1.1: layotto vs nginx");
    if let Err(e) = peers::ensure(&[NGINX], s.allow_install) {
        return skipped(id, title, e);
    }
    let started = peers::layotto(&s.layotto, s.workers, "io_uring", s.srv())
        .and_then(|l| peers::nginx(s.workers, s.srv()).map(|n| (l, n)));
    let (layotto, nginx) = match started {
        Ok(pair) => pair,
        Err(e) => return skipped(id, title, format!("a server did not start: {e}")),
    };
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "`GET /actuator/health/liveness` on the sidecar (io_uring, {w} worker) vs `GET /` on nginx \
             (`return 200 \"ok\"`, {w} worker), driven by `layotto-perf http1` with {c} connections, \
             no pipelining. A first sidecar-vs-peer HTTP/1 number: both answer from memory, the \
             sidecar with a small JSON body.",
            w = s.workers,
            c = s.connections
        ),
        goal: None,
        unit: None,
        ours: side("layotto actuator"),
        peer: side("nginx return 200"),
    };
    let res = alternate(
        s,
        |_| http_run(s, "layotto actuator", &layotto, "/actuator/health/liveness"),
        |_, _| http_run(s, "nginx return 200", &nginx, "/"),
    );
    measured(c, res)
}

/// The same actuator load on the sidecar's two I/O drivers.
pub fn io_uring_vs_epoll(s: &Settings) -> Vec<Outcome> {
    let (id, title) = ("io_uring-vs-epoll", "Sidecar I/O driver: io_uring vs epoll");
    let started = peers::layotto(&s.layotto, s.workers, "io_uring", s.srv())
        .and_then(|u| peers::layotto(&s.layotto, s.workers, "epoll", s.srv()).map(|e| (u, e)));
    let (uring, epoll) = match started {
        Ok(pair) => pair,
        Err(e) => return skipped(id, title, format!("the sidecar did not start: {e}")),
    };
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "The actuator scenario against two sidecars differing only in `--io-driver` \
             ({w} worker each, {c} connections). Here \"ours\" is io_uring and \"peer\" is epoll.",
            w = s.workers,
            c = s.connections
        ),
        goal: None,
        unit: None,
        ours: side("layotto io_uring"),
        peer: side("layotto epoll"),
    };
    let path = "/actuator/health/liveness";
    let res = alternate(
        s,
        |_| http_run(s, "layotto io_uring", &uring, path),
        |_, _| http_run(s, "layotto epoll", &epoll, path),
    );
    measured(c, res)
}

/// Our RESP mode and redis-benchmark against the same redis-server.
pub fn resp_direct(s: &Settings) -> Vec<Outcome> {
    let (id, title) = (
        "resp-direct",
        "RESP: layotto-perf vs redis-benchmark against redis-server",
    );
    if let Err(e) = peers::ensure(&[REDIS, REDIS_BENCH], s.allow_install) {
        return skipped(id, title, e);
    }
    let redis = match peers::redis(s.srv()) {
        Ok(r) => r,
        Err(e) => return skipped(id, title, format!("redis-server did not start: {e}")),
    };
    let mut out = Vec::new();
    // SET first, so that GET reads an existing key on both sides.
    for (test, command) in [("set", Command::Set), ("get", Command::Get)] {
        let upper = test.to_uppercase();
        let c = Comparison {
            id: format!("{id}-{test}"),
            title: format!("{title}: {upper}"),
            what: format!(
                "`{upper} key:__rand_int__` (one key, 3-byte value, as redis-benchmark without -r) \
                 from `layotto-perf resp` and from `redis-benchmark -t {test}`, {c} connections, one \
                 command in flight each, single-threaded redis-server. Checks the RESP mode and is the \
                 baseline for the Redis-backed GetState scenario.",
                c = s.connections
            ),
            goal: None,
            unit: None,
            ours: side("layotto-perf → redis"),
            peer: side("redis-benchmark → redis"),
        };
        let proto = Resp::new(command, "key:__rand_int__", 1, 3);
        let spec = LoadSpec {
            threads: 1,
            ..closed(s, redis.addr)
        };
        let res = alternate(
            s,
            |_| {
                measure(&proto, &spec, "layotto-perf → redis", &[redis.target.pid()])
                    .map_err(|e| e.to_string())
            },
            |_, ours| {
                // redis-benchmark counts requests, not time: ask for as many
                // as ours completed, so both runs last about as long.
                let n = ours.ok.max(10_000);
                let mut r = tools::measure_external(&[redis.target.pid()], || {
                    tools::redis_benchmark(redis.addr.port(), test, n, s.connections, s.generator())
                })?;
                r.label = "redis-benchmark → redis".into();
                Ok(r)
            },
        );
        out.extend(measured(c, res));
    }
    out
}
