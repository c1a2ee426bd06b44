//! The command line: `layotto-perf http1 URL`, `layotto-perf resp ADDR`,
//! `layotto-perf grpc URL` and `layotto-perf suite`. Options mirror wrk's where they mean the same
//! (`-t -c -d`), so numbers can be compared flag for flag.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::duration::parse_duration;
use crate::load::{DriverPref, LoadSpec, Pace, Stop};

#[derive(Parser, Debug)]
#[command(
    name = "layotto-perf",
    version,
    about = "Load generator and performance suite for layotto-rs"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// HTTP/1.1 load (keep-alive; --inflight > 1 pipelines).
    Http1(Http1Args),
    /// RESP (Redis protocol) load.
    Resp(RespArgs),
    /// gRPC calls over h2c (--inflight = concurrent streams per connection), unary or streaming.
    Grpc(GrpcArgs),
    /// Every scenario, ours against a peer, alternating; writes perf/results/REPORT.md.
    Suite(SuiteArgs),
}

#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// OS threads, each with its own monoio runtime.
    #[arg(short = 't', long, default_value_t = 1)]
    pub threads: usize,
    /// Connections in total, spread over the threads.
    #[arg(short = 'c', long, default_value_t = 8)]
    pub connections: usize,
    /// Requests outstanding per connection: the pipelining depth in a closed
    /// loop, the most allowed to queue in an open loop [default: 1 closed, 256 open].
    #[arg(short = 'i', long)]
    pub inflight: Option<usize>,
    /// Open loop: requests per second in total, on a fixed schedule, with
    /// latency counted from each request's scheduled time.
    #[arg(short = 'r', long)]
    pub rate: Option<f64>,
    /// Unrecorded run-in before measuring.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub warmup: Duration,
    /// Measured time (ignored with --requests).
    #[arg(short = 'd', long, default_value = "10s", value_parser = parse_duration)]
    pub duration: Duration,
    /// Stop after this many recorded requests instead (capped at 10x --duration).
    #[arg(short = 'n', long)]
    pub requests: Option<u64>,
    /// Longest wait for a response before it counts as a timeout.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// Pin each generator thread to its own core.
    #[arg(long)]
    pub pin: bool,
    /// The generator's I/O driver.
    #[arg(long, value_enum, default_value_t = DriverArg::Auto)]
    pub io_driver: DriverArg,
    /// Process(es) under test: CPU and RSS are measured (descendants included).
    #[arg(long, value_delimiter = ',')]
    pub pid: Vec<u32>,
    /// Write the run as a JSON object to FILE.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Write a latency-percentile plot to FILE.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Name of the run in reports [default: the target].
    #[arg(long)]
    pub label: Option<String>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverArg {
    Auto,
    #[value(name = "io_uring")]
    IoUring,
    Epoll,
}

#[derive(Args, Debug, Clone)]
pub struct Http1Args {
    /// `http://IP:PORT/path` (an IP literal or localhost; no DNS).
    #[arg(default_value = "http://127.0.0.1:8080/")]
    pub url: String,
    #[arg(short = 'X', long, default_value = "GET")]
    pub method: String,
    /// Extra request field, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header")]
    pub headers: Vec<String>,
    /// Request body.
    #[arg(long, default_value = "")]
    pub body: String,
    #[command(flatten)]
    pub load: LoadArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RespCommand {
    Ping,
    Get,
    Set,
}

#[derive(Args, Debug, Clone)]
pub struct RespArgs {
    /// `IP:PORT` of the server.
    #[arg(default_value = "127.0.0.1:6379")]
    pub addr: String,
    #[arg(long, value_enum, default_value_t = RespCommand::Get)]
    pub command: RespCommand,
    /// Key, or key prefix when --key-space > 1.
    #[arg(long, default_value = "key:__perf__")]
    pub key: String,
    /// Number of distinct keys (1 = always the same key, like redis-benchmark without -r).
    #[arg(long, default_value_t = 1)]
    pub key_space: u64,
    /// SET value size in bytes (redis-benchmark's -d default is 3).
    #[arg(long, default_value_t = 3)]
    pub value_size: usize,
    #[command(flatten)]
    pub load: LoadArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrpcScenario {
    /// SayHello to `quick_start_demo`, name "perf".
    Sayhello,
    /// GetState from `state_demo`, keys over --key-space.
    Getstate,
    /// SaveState to `state_demo`: one 100-byte value, keys over --key-space.
    Savestate,
    /// SubscribeConfiguration on `config_demo`, one key of --key-space per
    /// message (`perf-config-0` ..), answered with its current value; needs
    /// `--streaming bidi` and the keys saved first (`--scenario saveconfig`).
    Subscribe,
    /// SaveConfiguration of every key of --key-space in one call (fills the
    /// store for `subscribe`: `-c 1 -n 1`).
    Saveconfig,
}

#[derive(Args, Debug, Clone)]
pub struct GrpcArgs {
    /// `http://IP:PORT` of the gRPC server (h2c, prior knowledge).
    #[arg(default_value = "http://127.0.0.1:34904")]
    pub url: String,
    /// The method path [default: the scenario's Runtime method].
    #[arg(long)]
    pub method: Option<String>,
    /// A built-in request.
    #[arg(long, value_enum, conflicts_with = "payload")]
    pub scenario: Option<GrpcScenario>,
    /// The raw protobuf request (no gRPC prefix), sent by every call.
    #[arg(long)]
    pub payload: Option<PathBuf>,
    /// Distinct keys for getstate/savestate (`perf-key-0` ..).
    #[arg(long, default_value_t = 1000)]
    pub key_space: u64,
    /// Stream instead of unary calls: `bidi` is ping-pong, one message
    /// and its reply per latency sample, on a long-lived stream per slot;
    /// `push` is configuration changes pushed on one subscription per
    /// connection.
    #[arg(long, value_enum)]
    pub streaming: Option<GrpcStreaming>,
    /// Round trips per bidi stream before the client half-closes it.
    #[arg(long, default_value_t = 100, requires = "streaming")]
    pub messages: u32,
    #[command(flatten)]
    pub load: LoadArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrpcStreaming {
    /// Bidi ping-pong: send a message, wait for its reply, --messages times
    /// per stream.
    Bidi,
    /// Each connection subscribes to a key of its own on `config_demo`
    /// (SubscribeConfiguration); a request is a SaveConfiguration of that
    /// key, done when it is answered and its change was pushed. Ignores
    /// --scenario, --payload and --method.
    Push,
}

#[derive(Args, Debug, Clone)]
pub struct SuiteArgs {
    /// Short durations and a single round: a smoke run for CI (< 1 minute).
    #[arg(long)]
    pub quick: bool,
    /// Rounds per scenario (ours, peer, ours, peer, ...); the median is reported.
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Measured seconds per run [default: 4s, quick 1s].
    #[arg(long, value_parser = parse_duration)]
    pub duration: Option<Duration>,
    /// Where REPORT.md, *.json and *.svg go.
    #[arg(long, default_value = "perf/results")]
    pub out: PathBuf,
    /// The sidecar binary.
    #[arg(long, default_value = "target/release/layotto")]
    pub layotto: PathBuf,
    /// Run only these scenarios (comma-separated names).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Never apt-get install missing peers; skip their scenarios instead.
    #[arg(long)]
    pub no_install: bool,
    /// Most time to spend, over the whole suite, waiting for other load on
    /// the machine to stop before a run (0 = never wait; --quick never waits).
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub quiet_budget: Duration,
    /// Let the scheduler place servers and generators (by default they get
    /// separate cores via taskset and thread affinity).
    #[arg(long)]
    pub no_pin: bool,
}

impl LoadArgs {
    /// The load described by these options against `addr`.
    pub fn spec(&self, addr: SocketAddr) -> LoadSpec {
        let pace = match self.rate {
            Some(rate) => Pace::Open { rate },
            None => Pace::Closed,
        };
        let inflight = self.inflight.unwrap_or(match pace {
            Pace::Open { .. } => 256,
            Pace::Closed => 1,
        });
        LoadSpec {
            addr,
            threads: self.threads,
            connections: self.connections,
            inflight,
            pace,
            warmup: self.warmup,
            stop: match self.requests {
                Some(count) => Stop::Requests {
                    count,
                    cap: self
                        .duration
                        .saturating_mul(10)
                        .max(Duration::from_secs(10)),
                },
                None => Stop::After(self.duration),
            },
            timeout: self.timeout,
            pin: self.pin,
            driver: match self.io_driver {
                DriverArg::Auto => DriverPref::Auto,
                DriverArg::IoUring => DriverPref::IoUring,
                DriverArg::Epoll => DriverPref::Epoll,
            },
        }
    }
}

/// An `http://` URL split into the address to connect to, the Host field
/// value and the request target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub addr: SocketAddr,
    pub host: String,
    pub path: String,
}

pub fn parse_url(url: &str) -> Result<Url, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url:?}: only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = parse_addr(authority, 80)?;
    Ok(Url {
        addr,
        host: authority.to_string(),
        path: path.to_string(),
    })
}

/// `IP:PORT`, `[IPv6]:PORT`, `localhost:PORT`, or any of those without a
/// port (then `default_port`).
pub fn parse_addr(s: &str, default_port: u16) -> Result<SocketAddr, String> {
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let bare = s.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, default_port));
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("{s:?}: bad port"))?),
        None => (s, default_port),
    };
    if host.eq_ignore_ascii_case("localhost") {
        Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port))
    } else {
        Err(format!(
            "{s:?}: the host must be an IP address or localhost"
        ))
    }
}

/// Splits `Name: value`.
pub fn parse_header(h: &str) -> Result<(String, String), String> {
    let (name, value) = h
        .split_once(':')
        .ok_or_else(|| format!("header {h:?} needs a colon"))?;
    Ok((name.trim().to_string(), value.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_addresses() {
        let u = parse_url("http://127.0.0.1:9/actuator/health?x=1").expect("url");
        assert_eq!(u.addr, "127.0.0.1:9".parse().expect("addr"));
        assert_eq!(
            (u.host.as_str(), u.path.as_str()),
            ("127.0.0.1:9", "/actuator/health?x=1")
        );
        assert_eq!(parse_url("http://localhost").expect("url").addr.port(), 80);
        assert_eq!(parse_url("http://localhost").expect("url").path, "/");
        assert!(parse_url("https://127.0.0.1/").is_err());
        assert!(parse_url("http://example.com/").is_err());
        assert_eq!(parse_addr("[::1]:7", 1).expect("v6").port(), 7);
        assert_eq!(parse_addr("127.0.0.1", 6379).expect("v4").port(), 6379);
        assert_eq!(
            parse_header("X-A:  b ").expect("h"),
            ("X-A".into(), "b".into())
        );
        assert!(parse_header("nocolon").is_err());
    }

    #[test]
    fn spec_defaults_depend_on_the_loop() {
        let cli = Cli::parse_from(["layotto-perf", "http1", "-c", "2", "--rate", "100"]);
        let Command::Http1(a) = cli.command else {
            panic!("http1 expected");
        };
        let spec = a.load.spec("127.0.0.1:1".parse().expect("addr"));
        assert_eq!((spec.connections, spec.inflight), (2, 256));
        assert_eq!(spec.pace, Pace::Open { rate: 100.0 });
    }
}
