use std::net::SocketAddr;

/// Why the workers could not start.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("listener {listener:?}: cannot bind {addr}: {source}")]
    Bind {
        listener: String,
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("worker {worker}: cannot build its {driver} runtime: {source}")]
    Runtime {
        worker: usize,
        driver: &'static str,
        source: std::io::Error,
    },
    #[error("cannot start worker thread {worker}: {source}")]
    Spawn {
        worker: usize,
        source: std::io::Error,
    },
    #[error("worker {worker} stopped before it was ready")]
    Died { worker: usize },
}
