//! A blocking health check: connect, handshake, `PING`, with std sockets and deadlines.
//!
//! For a component's health thread, not for workers: a worker must never block, and the
//! actuator must not open a connection per probe. The result says why in words an operator
//! can act on ("connection refused", "AUTH refused: WRONGPASS ...").

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use redis_protocol::resp2::decode::decode_bytes_mut;

use crate::{ClientConfig, Command, Reply, RespError};

/// `Ok` if Redis answered PONG within `timeout` (connect included).
pub fn ping(config: &ClientConfig, timeout: Duration) -> Result<(), RespError> {
    let fail = |reason: String| RespError::Connect {
        addr: config.addr.clone(),
        reason,
    };
    let deadline = Instant::now() + timeout;
    let addr = config
        .addr
        .to_socket_addrs()
        .map_err(|e| fail(e.to_string()))?
        .next()
        .ok_or_else(|| fail("no address".into()))?;
    let mut s = TcpStream::connect_timeout(&addr, timeout).map_err(|e| fail(e.to_string()))?;
    let mut cmds = Vec::new();
    if let Some(pass) = &config.password {
        let mut auth = Command::new("AUTH");
        if let Some(user) = &config.username {
            auth = auth.arg_str(user);
        }
        cmds.push(auth.arg_str(pass));
    }
    if config.db != 0 {
        cmds.push(Command::new("SELECT").arg_int(i64::from(config.db)));
    }
    cmds.push(Command::new("PING"));
    let mut out = BytesMut::new();
    cmds.iter().for_each(|c| c.encode(&mut out));
    s.write_all(&out).map_err(|e| fail(e.to_string()))?;
    let mut buf = BytesMut::with_capacity(256);
    let mut chunk = [0u8; 256];
    let mut answered = 0;
    while answered < cmds.len() {
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
        buf.extend_from_slice(&chunk[..n]);
        while let Some((frame, _, _)) =
            decode_bytes_mut(&mut buf).map_err(|e| fail(e.to_string()))?
        {
            let name = String::from_utf8_lossy(cmds[answered].name()).into_owned();
            match Reply::from(frame) {
                Reply::Error(e) => return Err(fail(format!("{name} refused: {e}"))),
                Reply::Status(st) if name == "PING" && &st[..] != b"PONG" => {
                    return Err(fail(format!(
                        "PING answered {:?}",
                        String::from_utf8_lossy(&st)
                    )))
                }
                _ => {}
            }
            answered += 1;
        }
        if buf.len() > 4096 {
            return Err(fail("oversized answer to PING".into()));
        }
    }
    Ok(())
}
