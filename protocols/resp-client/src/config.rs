//! How a [`Client`](crate::Client) connects and how long it waits.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;

/// The addresses a host name resolved to, filled off the worker threads (by the health probe)
/// and read by every worker's connections; shared by all clones of a [`ClientConfig`].
#[derive(Debug, Clone, Default)]
pub struct AddrCache(Arc<Mutex<Vec<SocketAddr>>>);

impl AddrCache {
    pub fn set(&self, addrs: Vec<SocketAddr>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = addrs;
    }

    pub fn first(&self) -> Option<SocketAddr> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .first()
            .copied()
    }
}

/// Connection settings; the defaults are go-redis's where it has one (Dapr and Layotto run on
/// go-redis, so users' expectations come from there).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// `host:port`.
    pub addr: String,
    /// ACL user (Redis 6+); sent with the password as `AUTH user pass`.
    pub username: Option<String>,
    pub password: Option<String>,
    /// Database index selected on every new connection.
    pub db: u32,
    /// Connect plus handshake (AUTH, SELECT).
    pub dial_timeout: Duration,
    /// From sending a call to its reply.
    pub read_timeout: Duration,
    /// Connections per worker; calls are spread over them round-robin. One pipelined
    /// connection is usually enough: Redis executes commands one at a time anyway.
    pub pool_size: usize,
    /// Calls allowed to wait on one connection.
    pub max_in_flight: usize,
    /// First and largest wait after a failed connect.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// Largest reply accepted; a bigger one closes the connection rather than the process's
    /// memory.
    pub max_reply: usize,
    /// Encoded bytes allowed to wait for the writer on one connection before new calls are
    /// refused as busy.
    pub max_unsent: usize,
    /// Lua bodies `SCRIPT LOAD`ed on every new connection.
    pub scripts: Vec<Bytes>,
    addrs: AddrCache,
}

impl ClientConfig {
    pub fn new(addr: impl Into<String>) -> ClientConfig {
        ClientConfig {
            addr: addr.into(),
            username: None,
            password: None,
            db: 0,
            dial_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(3),
            pool_size: 1,
            max_in_flight: 4096,
            min_backoff: Duration::from_millis(8),
            max_backoff: Duration::from_millis(512),
            max_reply: 64 << 20,
            max_unsent: 32 << 20,
            scripts: Vec::new(),
            addrs: AddrCache::default(),
        }
    }

    /// Where a worker connects: `addr` itself if it is an IP literal, else the first address
    /// the probe resolved (a worker never resolves names: that blocks).
    pub fn resolved(&self) -> Result<SocketAddr, String> {
        if let Ok(a) = self.addr.parse::<SocketAddr>() {
            return Ok(a);
        }
        self.addrs.first().ok_or_else(|| {
            format!(
                "{} is not resolved yet (names are resolved by the health probe)",
                self.addr
            )
        })
    }

    /// The cache [`resolved`](Self::resolved) reads for host names.
    pub fn addr_cache(&self) -> &AddrCache {
        &self.addrs
    }

    /// The wait after `failures` consecutive failed connects: doubling from `min_backoff`,
    /// capped at `max_backoff`.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        self.min_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let c = ClientConfig::new("127.0.0.1:6379");
        let waits: Vec<u128> = (1..=9).map(|n| c.backoff(n).as_millis()).collect();
        assert_eq!(waits, [8, 16, 32, 64, 128, 256, 512, 512, 512]);
        assert_eq!(c.backoff(1000), Duration::from_millis(512));
    }
}
