//! A blocking health check: connect, handshake, `PING`, with std sockets and deadlines.
//!
//! For a component's health thread, not for workers: a worker must never block, and the
//! actuator must not open a connection per probe. The result says why in words an operator
//! can act on ("connection refused", "AUTH refused: WRONGPASS ...").

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use bytes::BytesMut;

use crate::{handshake, ClientConfig, ReplyDecoder, RespError};

/// `Ok` if Redis answered PONG within `timeout` (connect included). Resolves the host name
/// (this thread may block) and refreshes `config`'s address cache for the worker connections.
pub fn ping(config: &ClientConfig, timeout: Duration) -> Result<(), RespError> {
    let fail = |reason: String| RespError::Connect {
        addr: config.addr.clone(),
        reason,
    };
    let deadline = Instant::now() + timeout;
    let addrs: Vec<_> = config
        .addr
        .to_socket_addrs()
        .map_err(|e| fail(e.to_string()))?
        .collect();
    if addrs.is_empty() {
        return Err(fail("no address".into()));
    }
    // A name may resolve to several addresses (localhost: ::1 and 127.0.0.1) of which only
    // some listen; the first that accepts goes first in the cache the workers connect from.
    let mut last = String::new();
    let mut connected = None;
    for (i, addr) in addrs.iter().enumerate() {
        match TcpStream::connect_timeout(addr, timeout) {
            Ok(s) => {
                connected = Some((i, s));
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let Some((i, mut s)) = connected else {
        config.addr_cache().set(addrs);
        return Err(fail(last));
    };
    let mut ordered = addrs;
    ordered.swap(0, i);
    config.addr_cache().set(ordered);
    let cmds = handshake::commands(config, true);
    let mut out = BytesMut::new();
    cmds.iter().for_each(|c| c.encode(&mut out));
    s.write_all(&out).map_err(|e| fail(e.to_string()))?;
    // The probe's answers are tiny; a server sending more is refused early.
    let mut decoder = ReplyDecoder::new(64 << 10);
    let mut chunk = [0u8; 4096];
    let mut answered = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(fail(format!("no answer within {} ms", timeout.as_millis())));
        }
        s.set_read_timeout(Some(left))
            .map_err(|e| fail(e.to_string()))?;
        let n = s.read(&mut chunk).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            return Err(fail("closed by the server".into()));
        }
        decoder.buffer().extend_from_slice(&chunk[..n]);
        if handshake::answers(&mut decoder, &cmds, &mut answered).map_err(fail)? {
            return Ok(());
        }
    }
}
