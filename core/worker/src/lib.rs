//! Thread-per-core workers.
//!
//! The main thread binds every listener once per worker with `SO_REUSEPORT`, then starts one
//! thread per worker, each running its own monoio runtime (its own io_uring, or epoll). A
//! worker accepts only from its own sockets, so the kernel spreads connections across cores
//! and a connection never moves: everything a connection touches (buffers, codec state, pools)
//! lives on the thread that accepted it, in `Rc`s and `Cell`s.
//!
//! What crosses threads is small and cold: the [`ServiceFactory`] blueprints (each worker
//! builds its own [`Service`] from them), the per-worker counters (written by their owner only),
//! the lifecycle phase, and the [`Drain`] signal.
//!
//! Shutdown: [`Drain::start`] makes every worker close its listeners, then wait for its open
//! connections to finish, up to the drain deadline; services see [`Shutdown`] and stop
//! keep-alive after the request in flight.
#![forbid(unsafe_code)]

mod drain;
mod driver;
mod error;
pub mod io;
mod listener;
pub mod notify;
mod service;
mod worker;

pub use drain::{Drain, Shutdown};
pub use driver::{Driver, DriverChoice};
pub use error::WorkerError;
pub use listener::{bind_reuseport, BoundListener};
pub use service::{Connection, Service, ServiceFactory, WorkerCtx};
pub use worker::{ListenerSpec, Workers, WorkersConfig};
