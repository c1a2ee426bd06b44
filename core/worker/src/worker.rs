//! Starting the workers, their accept loops, and the drain at the end.

use std::cell::Cell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use layotto_metrics::Counters;
use monoio::net::TcpListener;
use monoio::{IoUringDriver, LegacyDriver, RuntimeBuilder};

use crate::listener::bind_reuseport;
use crate::{
    Connection, Drain, Driver, DriverChoice, Service, ServiceFactory, Shutdown, WorkerCtx,
    WorkerError,
};

/// A listener to serve on every worker.
pub struct ListenerSpec {
    pub name: String,
    pub addr: SocketAddr,
    pub factory: Arc<dyn ServiceFactory>,
}

#[derive(Debug, Clone)]
pub struct WorkersConfig {
    pub count: usize,
    pub pin: bool,
    pub driver: DriverChoice,
    /// How long a worker waits for its open connections once the drain starts.
    pub drain_timeout: Duration,
}

/// The running workers.
pub struct Workers {
    handles: Vec<JoinHandle<usize>>,
    bound: Vec<(String, SocketAddr)>,
}

/// Sockets, blueprints and settings handed to one worker thread.
struct Assignment {
    id: usize,
    listeners: Vec<(String, std::net::TcpListener, Arc<dyn ServiceFactory>)>,
}

/// io_uring submission queue entries per worker. Deep enough for thousands of in-flight
/// operations per core; the memory is a few hundred KiB.
const URING_ENTRIES: u32 = 1024;

impl Workers {
    /// Binds every listener on every worker, starts the threads and returns once each worker
    /// is accepting, or with the first error.
    pub fn start(
        config: WorkersConfig,
        listeners: Vec<ListenerSpec>,
        counters: Arc<Counters>,
        drain: Drain,
    ) -> Result<Workers, WorkerError> {
        let count = config.count.max(1);
        let mut assignments: Vec<Assignment> = (0..count)
            .map(|id| Assignment {
                id,
                listeners: Vec::new(),
            })
            .collect();
        let mut bound = Vec::new();
        for spec in listeners {
            let group = bind_reuseport(&spec.name, spec.addr, count)?;
            bound.push((spec.name.clone(), group.local_addr));
            for (a, socket) in assignments.iter_mut().zip(group.sockets) {
                a.listeners
                    .push((spec.name.clone(), socket, Arc::clone(&spec.factory)));
            }
        }
        let (ready_tx, ready_rx) = mpsc::channel();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut handles = Vec::with_capacity(count);
        for a in assignments {
            let id = a.id;
            let (config, counters, drain, ready) = (
                config.clone(),
                Arc::clone(&counters),
                drain.clone(),
                ready_tx.clone(),
            );
            let handle = std::thread::Builder::new()
                // Linux keeps 15 bytes of a thread name: short enough for 4-digit worker ids.
                .name(format!("layotto-wrk-{id}"))
                .spawn(move || run(a, config, cpus, counters, drain, ready))
                .map_err(|source| WorkerError::Spawn { worker: id, source })?;
            handles.push(handle);
        }
        drop(ready_tx);
        for _ in 0..count {
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => {
                    drain.start();
                    return Err(e);
                }
                Err(_) => {
                    return Err(WorkerError::Died {
                        worker: handles.len(),
                    })
                }
            }
        }
        Ok(Workers { handles, bound })
    }

    /// Each listener's name and the address it really listens on.
    pub fn bound(&self) -> &[(String, SocketAddr)] {
        &self.bound
    }

    /// Waits for every worker to finish its drain; returns how many connections were still
    /// open at the deadline and therefore cut.
    pub fn join(self) -> usize {
        self.handles
            .into_iter()
            .map(|h| h.join().unwrap_or(0))
            .sum()
    }
}

/// A worker's ring, with `COOP_TASKRUN` and `SINGLE_ISSUER`: only its own thread submits, and
/// completions need not interrupt the thread with an inter-processor interrupt to run task
/// work; it is picked up when the worker next enters the kernel. Kernels that refuse the flags
/// (before 6.0) get a plain ring.
fn uring_runtime() -> std::io::Result<monoio::Runtime<monoio::time::TimeDriver<IoUringDriver>>> {
    let mut urb = io_uring::IoUring::builder();
    urb.setup_coop_taskrun().setup_single_issuer();
    RuntimeBuilder::<IoUringDriver>::new()
        .with_entries(URING_ENTRIES)
        .uring_builder(urb)
        .enable_timer()
        .build()
        .or_else(|_| {
            RuntimeBuilder::<IoUringDriver>::new()
                .with_entries(URING_ENTRIES)
                .enable_timer()
                .build()
        })
}

fn run(
    a: Assignment,
    config: WorkersConfig,
    cpus: usize,
    counters: Arc<Counters>,
    drain: Drain,
    ready: mpsc::Sender<Result<(), WorkerError>>,
) -> usize {
    let id = a.id;
    if config.pin {
        let cpu = id % cpus;
        if let Err(e) = monoio::utils::bind_to_cpu_set([cpu]) {
            tracing::warn!(worker = id, cpu, error = ?e, "cannot pin worker to its core");
        }
    }
    let driver = config.driver.effective;
    let main = worker_main(a, config, counters, drain, ready.clone());
    let built = match driver {
        Driver::IoUring => uring_runtime().map(|mut rt| rt.block_on(main)),
        Driver::Epoll => RuntimeBuilder::<LegacyDriver>::new()
            .enable_timer()
            .build()
            .map(|mut rt| rt.block_on(main)),
    };
    built.unwrap_or_else(|source| {
        let _ = ready.send(Err(WorkerError::Runtime {
            worker: id,
            driver: driver.as_str(),
            source,
        }));
        0
    })
}

async fn worker_main(
    a: Assignment,
    config: WorkersConfig,
    counters: Arc<Counters>,
    drain: Drain,
    ready: mpsc::Sender<Result<(), WorkerError>>,
) -> usize {
    let shutdown = Shutdown::new();
    let ctx = Rc::new(WorkerCtx {
        id: a.id,
        workers: config.count.max(1),
        counters,
        shutdown: shutdown.clone(),
    });
    monoio::spawn({
        let shutdown = shutdown.clone();
        async move {
            drain.started().await;
            shutdown.set();
        }
    });
    let active = Rc::new(Cell::new(0usize));
    let mut loops = Vec::new();
    for (name, socket, factory) in a.listeners {
        let listener = match TcpListener::from_std(socket) {
            Ok(l) => l,
            Err(source) => {
                let addr = ([0, 0, 0, 0], 0).into();
                let _ = ready.send(Err(WorkerError::Bind {
                    listener: name,
                    addr,
                    source,
                }));
                return 0;
            }
        };
        let service = factory.build(&ctx);
        loops.push(monoio::spawn(accept_loop(
            listener,
            service,
            Rc::clone(&ctx),
            Rc::clone(&active),
        )));
    }
    let _ = ready.send(Ok(()));
    for l in loops {
        l.await;
    }
    // Listeners are closed now; wait for the connections in flight.
    let deadline = Instant::now() + config.drain_timeout;
    while active.get() > 0 && Instant::now() < deadline {
        monoio::time::sleep(Duration::from_millis(5)).await;
    }
    let cut = active.get();
    if cut > 0 {
        tracing::warn!(
            worker = ctx.id,
            connections = cut,
            "drain deadline passed; closing open connections"
        );
    }
    cut
}

async fn accept_loop(
    listener: TcpListener,
    service: Rc<dyn Service>,
    worker: Rc<WorkerCtx>,
    active: Rc<Cell<usize>>,
) {
    let mut stop = std::pin::pin!(worker.shutdown.signaled());
    loop {
        monoio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    worker.counters().connection_opened();
                    active.set(active.get() + 1);
                    let conn = Connection { stream, peer, worker: Rc::clone(&worker) };
                    let (service, worker, active) =
                        (Rc::clone(&service), Rc::clone(&worker), Rc::clone(&active));
                    monoio::spawn(async move {
                        service.serve(conn).await;
                        active.set(active.get() - 1);
                        worker.counters().connection_closed();
                    });
                }
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning on a full fd table.
                    tracing::warn!(worker = worker.id, error = %e, "accept failed");
                    monoio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
    }
}
