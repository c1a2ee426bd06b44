//! A per-worker gRPC channel that reconnects.
//!
//! One connection per worker per target, shared by every call on that worker. When the
//! connection dies (peer restart, GOAWAY, network), the next call dials again; while the peer
//! stays unreachable, calls fail fast with UNAVAILABLE instead of each waiting for a connect,
//! and dialing is retried at most once per backoff interval, which doubles up to a cap.

use std::cell::{Cell, RefCell};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use layotto_grpc::Status;

use crate::GrpcClient;

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Channel {
    addr: SocketAddr,
    client: RefCell<Option<GrpcClient>>,
    /// No dial before this instant after a failure.
    retry_at: Cell<Option<Instant>>,
    backoff: Cell<Duration>,
}

impl Channel {
    pub fn new(addr: SocketAddr) -> Channel {
        Channel {
            addr,
            client: RefCell::new(None),
            retry_at: Cell::new(None),
            backoff: Cell::new(FIRST_BACKOFF),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A live client, dialing if there is none.
    pub async fn client(&self) -> Result<GrpcClient, Status> {
        if let Some(c) = self.client.borrow().as_ref().filter(|c| !c.is_closed()) {
            return Ok(c.clone());
        }
        if let Some(at) = self.retry_at.get() {
            if Instant::now() < at {
                return Err(Status::unavailable(format!(
                    "{} unreachable; next connect attempt in {:?}",
                    self.addr,
                    at - Instant::now()
                )));
            }
        }
        let dialed = monoio::time::timeout(CONNECT_TIMEOUT, GrpcClient::connect(self.addr))
            .await
            .unwrap_or_else(|_| {
                Err(Status::unavailable(format!(
                    "connect to {} timed out",
                    self.addr
                )))
            });
        match dialed {
            Ok(c) => {
                self.retry_at.set(None);
                self.backoff.set(FIRST_BACKOFF);
                *self.client.borrow_mut() = Some(c.clone());
                Ok(c)
            }
            Err(e) => {
                let backoff = self.backoff.get();
                self.retry_at.set(Some(Instant::now() + backoff));
                self.backoff.set((backoff * 2).min(MAX_BACKOFF));
                *self.client.borrow_mut() = None;
                Err(e)
            }
        }
    }
}
