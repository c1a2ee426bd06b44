//! Runs a load: one OS thread per `--threads`, each with its own monoio
//! runtime (io_uring, falling back to epoll) and its share of the
//! connections, exactly like the sidecar's thread-per-core workers. Threads
//! share nothing while running; each keeps its own [`Recorder`], merged
//! once at the end, so measuring never contends.

pub mod closed;
pub mod flight;
pub mod io;
pub mod open;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use monoio::net::TcpStream;
use monoio::{IoUringDriver, LegacyDriver, RuntimeBuilder};

use crate::protocol::{ErrorKind, Protocol};
use crate::stats::Recorder;
use flight::Timeline;
use open::Pacer;

/// How requests are paced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// `inflight` outstanding per connection, always.
    Closed,
    /// This many requests per second in total, on a schedule.
    Open { rate: f64 },
}

/// When a run ends (after the warm-up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    After(Duration),
    /// This many recorded requests, but never longer than `cap`.
    Requests {
        count: u64,
        cap: Duration,
    },
}

/// Which I/O driver the generator's runtimes use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverPref {
    /// io_uring when the kernel allows it, else epoll.
    Auto,
    IoUring,
    Epoll,
}

/// Everything a run needs besides the protocol.
#[derive(Debug, Clone)]
pub struct LoadSpec {
    pub addr: SocketAddr,
    pub threads: usize,
    pub connections: usize,
    pub inflight: usize,
    pub pace: Pace,
    pub warmup: Duration,
    pub stop: Stop,
    pub timeout: Duration,
    pub pin: bool,
    pub driver: DriverPref,
}

/// The merged measurements of a run.
#[derive(Debug, Clone)]
pub struct LoadResult {
    pub rec: Recorder,
    /// The measured window (warm-up excluded).
    pub window: Duration,
    /// The driver the generator ran on (`io_uring` or `epoll`).
    pub driver: &'static str,
    /// Threads actually used (never more than connections).
    pub threads: usize,
}

impl LoadResult {
    /// Successful responses per second over the measured window.
    pub fn throughput(&self) -> f64 {
        let secs = self.window.as_secs_f64();
        if secs > 0.0 {
            self.rec.ok as f64 / secs
        } else {
            0.0
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("invalid load: {0}")]
    Invalid(String),
    #[error("cannot start a load thread: {0}")]
    Spawn(std::io::Error),
    #[error("cannot build a runtime: {0}")]
    Runtime(std::io::Error),
    #[error("a load thread panicked")]
    Panicked,
}

/// What every connection task gets: the request source, the peer, the
/// schedule, and the thread's recorder and watchdog.
pub struct Conn<P> {
    pub proto: P,
    pub addr: SocketAddr,
    pub inflight: usize,
    pub plan: Timeline,
    pub rec: Rc<RefCell<Recorder>>,
    pub wd: Rc<io::Watchdog>,
}

/// Requests this connection still has to record; unlimited when `None`.
#[derive(Debug, Clone, Copy)]
pub struct Quota(Option<u64>);

impl Quota {
    pub fn exhausted(&self) -> bool {
        self.0 == Some(0)
    }

    /// Accounts one sent request (warm-up requests are free).
    pub fn take(&mut self, recorded: bool) {
        if let (true, Some(n)) = (recorded, self.0.as_mut()) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Runs the load and returns the merged measurements.
pub fn run<P: Protocol>(proto: &P, spec: &LoadSpec) -> Result<LoadResult, LoadError> {
    validate(spec)?;
    let threads = spec.threads.min(spec.connections);
    let barrier = Arc::new(Barrier::new(threads));
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut handles = Vec::with_capacity(threads);
    for t in 0..threads {
        let (proto, spec, barrier) = (proto.clone(), spec.clone(), Arc::clone(&barrier));
        let handle = std::thread::Builder::new()
            .name(format!("layotto-perf-{t}"))
            .spawn(move || {
                if spec.pin {
                    // Best effort: an unpinned generator still measures.
                    let _ = monoio::utils::bind_to_cpu_set([t % cpus]);
                }
                thread_main(proto, spec, t, threads, barrier)
            })
            .map_err(LoadError::Spawn)?;
        handles.push(handle);
    }
    let mut rec = Recorder::default();
    let mut window = Duration::ZERO;
    let mut driver = "io_uring";
    for h in handles {
        let (r, w, d) = h.join().map_err(|_| LoadError::Panicked)??;
        rec.merge(&r);
        window = window.max(w);
        driver = d;
    }
    if let Stop::After(d) = spec.stop {
        window = d;
    }
    Ok(LoadResult {
        rec,
        window,
        driver,
        threads,
    })
}

fn validate(spec: &LoadSpec) -> Result<(), LoadError> {
    let bad = |m: &str| Err(LoadError::Invalid(m.into()));
    if spec.threads == 0 || spec.connections == 0 || spec.inflight == 0 {
        return bad("threads, connections and inflight must be at least 1");
    }
    if let Pace::Open { rate } = spec.pace {
        if !(rate.is_finite() && rate > 0.0) {
            return bad("rate must be a positive number");
        }
    }
    if let Stop::Requests { count: 0, .. } = spec.stop {
        return bad("requests must be at least 1");
    }
    if spec.driver == DriverPref::IoUring && !monoio::utils::detect_uring() {
        return bad("io_uring is not available on this kernel (use --io-driver epoll)");
    }
    Ok(())
}

type ThreadOut = Result<(Recorder, Duration, &'static str), LoadError>;

fn thread_main<P: Protocol>(
    proto: P,
    spec: LoadSpec,
    t: usize,
    threads: usize,
    barrier: Arc<Barrier>,
) -> ThreadOut {
    let uring = (spec.driver != DriverPref::Epoll && monoio::utils::detect_uring())
        .then(uring_runtime)
        .flatten();
    let legacy = uring
        .is_none()
        .then(|| RuntimeBuilder::<LegacyDriver>::new().enable_timer().build());
    // Every runtime is built (or failed) before anyone starts the clock;
    // every thread reaches this point, so none can be left waiting.
    barrier.wait();
    match (uring, legacy) {
        (Some(mut rt), _) => {
            let (rec, window) = rt.block_on(drive(proto, spec, t, threads));
            Ok((rec, window, "io_uring"))
        }
        (None, Some(Ok(mut rt))) => {
            let (rec, window) = rt.block_on(drive(proto, spec, t, threads));
            Ok((rec, window, "epoll"))
        }
        (None, Some(Err(e))) => Err(LoadError::Runtime(e)),
        (None, None) => Err(LoadError::Invalid("no runtime".into())),
    }
}

/// An io_uring runtime with `COOP_TASKRUN` and `SINGLE_ISSUER` (each ring
/// is used by its own thread only). Without `COOP_TASKRUN` every network
/// completion interrupts the thread with an IPI to run its task work; on a
/// loopback benchmark that made the *server* on the other core measurably
/// less efficient (about a third fewer requests per CPU-second for nginx)
/// and the generator slower than wrk. Kernels older than 6.0 refuse the
/// flags; then the ring is built without them.
fn uring_runtime() -> Option<monoio::Runtime<monoio::time::TimeDriver<IoUringDriver>>> {
    let mut urb = io_uring::IoUring::builder();
    urb.setup_coop_taskrun().setup_single_issuer();
    RuntimeBuilder::<IoUringDriver>::new()
        .uring_builder(urb)
        .enable_timer()
        .build()
        .or_else(|_| {
            RuntimeBuilder::<IoUringDriver>::new()
                .enable_timer()
                .build()
        })
        .ok()
}

/// One thread's connections, all driven concurrently on its runtime.
async fn drive<P: Protocol>(
    proto: P,
    spec: LoadSpec,
    t: usize,
    threads: usize,
) -> (Recorder, Duration) {
    let start = Instant::now();
    let measure_from = start + spec.warmup;
    let end = match spec.stop {
        Stop::After(d) => measure_from + d,
        Stop::Requests { cap, .. } => measure_from + cap,
    };
    let plan = Timeline {
        measure_from,
        end,
        timeout: spec.timeout,
    };
    let rec = Rc::new(RefCell::new(Recorder {
        track_service: matches!(spec.pace, Pace::Open { .. }),
        ..Recorder::default()
    }));
    let wd = Rc::new(io::Watchdog::default());
    // Not awaited: it ends with the runtime, after the connections.
    let _watchdog = monoio::spawn(Rc::clone(&wd).run());
    let conns = spec.connections;
    let mut tasks = Vec::new();
    for i in (t..conns).step_by(threads) {
        let quota = Quota(match spec.stop {
            Stop::Requests { count, .. } => {
                let (share, extra) = (count / conns as u64, count % conns as u64);
                Some(share + u64::from((i as u64) < extra))
            }
            Stop::After(_) => None,
        });
        if quota.exhausted() {
            continue;
        }
        let ctx = Conn {
            proto: proto.clone(),
            addr: spec.addr,
            inflight: spec.inflight,
            plan,
            rec: Rc::clone(&rec),
            wd: Rc::clone(&wd),
        };
        let task = match spec.pace {
            Pace::Closed => monoio::spawn(closed::connection(ctx, quota)),
            Pace::Open { rate } => {
                let pacer = Pacer::new(start, rate / conns as f64, i as f64 / conns as f64);
                monoio::spawn(open::connection(ctx, pacer, quota))
            }
        };
        tasks.push(task);
    }
    for task in tasks {
        task.await;
    }
    let window = Instant::now().saturating_duration_since(measure_from);
    let out = rec.borrow().clone();
    (out, window)
}

/// Connects, retrying every 10 ms until the run ends; each failure inside
/// the measured window counts as a `connect` error.
pub(crate) async fn connect_retrying(
    addr: SocketAddr,
    plan: &Timeline,
    rec: &RefCell<Recorder>,
) -> Option<TcpStream> {
    loop {
        let now = Instant::now();
        if now >= plan.end {
            return None;
        }
        match io::connect(addr, plan.timeout.min(plan.end - now)).await {
            Ok(stream) => return Some(stream),
            Err(_) => {
                if now >= plan.measure_from {
                    rec.borrow_mut().error(ErrorKind::Connect);
                }
                monoio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests;
