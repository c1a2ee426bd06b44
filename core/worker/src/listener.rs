//! `SO_REUSEPORT` listening sockets, one per worker per listener.

use std::net::SocketAddr;

use socket2::{Domain, Protocol, Socket, Type};

use crate::WorkerError;

/// The backlog of each per-worker socket. The kernel caps it at `net.core.somaxconn`.
const BACKLOG: i32 = 4096;

/// One listener's sockets: one per worker, all on the same address.
#[derive(Debug)]
pub struct BoundListener {
    pub name: String,
    /// The address really bound: a configured port 0 becomes the port the kernel chose.
    pub local_addr: SocketAddr,
    pub sockets: Vec<std::net::TcpListener>,
}

/// Binds `copies` sockets on `addr` with `SO_REUSEPORT`.
///
/// The first socket is bound as configured; when that asked for port 0, the rest are bound to
/// the port the kernel picked for the first, so that all copies form one reuseport group.
pub fn bind_reuseport(
    name: &str,
    addr: SocketAddr,
    copies: usize,
) -> Result<BoundListener, WorkerError> {
    let bind_err = |source| WorkerError::Bind {
        listener: name.to_owned(),
        addr,
        source,
    };
    let mut sockets = Vec::with_capacity(copies);
    let mut local_addr = addr;
    for _ in 0..copies.max(1) {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))
            .map_err(bind_err)?;
        socket.set_reuse_address(true).map_err(bind_err)?;
        socket.set_reuse_port(true).map_err(bind_err)?;
        // Linux copies TCP_NODELAY to accepted sockets: no per-connection syscall.
        socket.set_tcp_nodelay(true).map_err(bind_err)?;
        // The epoll driver needs non-blocking sockets; io_uring does not mind.
        socket.set_nonblocking(true).map_err(bind_err)?;
        socket.bind(&local_addr.into()).map_err(bind_err)?;
        socket.listen(BACKLOG).map_err(bind_err)?;
        if let Some(actual) = socket.local_addr().map_err(bind_err)?.as_socket() {
            local_addr = actual;
        }
        sockets.push(socket.into());
    }
    Ok(BoundListener {
        name: name.to_owned(),
        local_addr,
        sockets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_zero_becomes_one_shared_port() {
        let l = bind_reuseport("t", "127.0.0.1:0".parse().unwrap(), 3).unwrap();
        assert_ne!(l.local_addr.port(), 0);
        assert_eq!(l.sockets.len(), 3);
        for s in &l.sockets {
            assert_eq!(s.local_addr().unwrap(), l.local_addr);
        }
    }

    #[test]
    fn a_taken_port_is_a_bind_error_naming_the_listener() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let err = bind_reuseport("actuator", addr, 1).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("listener \"actuator\": cannot bind"),
            "{err}"
        );
    }
}
