//! What a listener runs: a blueprint shared by all workers, and the instance each builds.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;

use layotto_metrics::{Counters, WorkerCounters};
use monoio::net::TcpStream;

use crate::Shutdown;

/// What a worker knows about itself, handed to its services.
pub struct WorkerCtx {
    pub id: usize,
    /// How many workers there are; owner-core logic hashes keys over this.
    pub workers: usize,
    pub counters: Arc<Counters>,
    pub shutdown: Shutdown,
}

impl WorkerCtx {
    /// This worker's own counter block.
    pub fn counters(&self) -> &WorkerCounters {
        self.counters.worker(self.id)
    }
}

/// One accepted connection.
pub struct Connection {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    pub worker: Rc<WorkerCtx>,
}

/// A per-worker instance that serves connections. Its futures are not `Send`: they never
/// leave the worker, and that is what lets them hold `Rc` state without locks.
pub trait Service: 'static {
    fn serve(self: Rc<Self>, conn: Connection) -> Pin<Box<dyn Future<Output = ()>>>;
}

/// The blueprint of a [`Service`]: built once from config on the main thread, shared by every
/// worker, which calls [`ServiceFactory::build`] on its own thread.
pub trait ServiceFactory: Send + Sync + 'static {
    fn build(&self, worker: &Rc<WorkerCtx>) -> Rc<dyn Service>;
}
