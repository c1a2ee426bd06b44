//! One worker's client: a small pool of pipelined connections, opened on first use and
//! reopened when they break, with backoff when Redis cannot be reached.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use crate::conn::{self, Conn};
use crate::{ClientConfig, Command, Reply, RespError};

enum Member {
    Idle,
    /// `failures`: consecutive failed connects before this one was opened.
    Live {
        conn: Conn,
        failures: u32,
    },
    /// The last `failures` connects failed; no new attempt before `until`.
    Backoff {
        until: Instant,
        failures: u32,
        last: RespError,
    },
}

/// A Redis client for the current thread. Not `Send`: each worker makes its own.
pub struct Client {
    config: Rc<ClientConfig>,
    members: RefCell<Vec<Member>>,
    next: Cell<usize>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Client {
        let size = config.pool_size.max(1);
        Client {
            config: Rc::new(config),
            members: RefCell::new((0..size).map(|_| Member::Idle).collect()),
            next: Cell::new(0),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends one command and waits for its reply (which may be [`Reply::Error`]).
    pub async fn call(&self, command: Command) -> Result<Reply, RespError> {
        let conn = self.conn()?;
        let mut pending = conn.send(std::slice::from_ref(&command))?;
        match pending.pop() {
            Some(p) => conn::wait(p, &conn, self.config.read_timeout).await,
            None => Err(RespError::Unexpected("no reply slot".into())),
        }
    }

    /// Sends `commands` back to back on one connection (so `MULTI`..`EXEC` stays together)
    /// and returns every reply, in order. One deadline covers the whole batch.
    pub async fn pipeline(&self, commands: &[Command]) -> Result<Vec<Reply>, RespError> {
        if commands.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.conn()?;
        let pending = conn.send(commands)?;
        let deadline = Instant::now() + self.config.read_timeout;
        let mut out = Vec::with_capacity(pending.len());
        for p in pending {
            let left = deadline.saturating_duration_since(Instant::now());
            out.push(conn::wait(p, &conn, left).await?);
        }
        Ok(out)
    }

    /// The next connection round-robin, opening or reopening it as needed.
    fn conn(&self) -> Result<Conn, RespError> {
        let mut members = self.members.borrow_mut();
        let i = self.next.get() % members.len();
        self.next.set(i + 1);
        let member = &mut members[i];
        let failures = match member {
            Member::Live { conn, failures } => match conn.broken() {
                None => return Ok(conn.clone()),
                // It worked, then broke: reconnect at once.
                Some((_, true)) => 0,
                Some((last, false)) => {
                    let failures = *failures + 1;
                    *member = Member::Backoff {
                        until: Instant::now() + self.config.backoff(failures),
                        failures,
                        last,
                    };
                    return Err(self.unavailable(member));
                }
            },
            Member::Backoff {
                until, failures, ..
            } => {
                if Instant::now() < *until {
                    return Err(self.unavailable(member));
                }
                *failures
            }
            Member::Idle => 0,
        };
        let conn = Conn::open(&self.config);
        *member = Member::Live {
            conn: conn.clone(),
            failures,
        };
        Ok(conn)
    }

    fn unavailable(&self, member: &Member) -> RespError {
        match member {
            Member::Backoff { until, last, .. } => RespError::Unavailable {
                addr: self.config.addr.clone(),
                retry_in_ms: until.saturating_duration_since(Instant::now()).as_millis() as u64,
                last: last.to_string(),
            },
            _ => RespError::Unexpected("not backing off".into()),
        }
    }
}

impl Drop for Client {
    /// The connections' tasks hold their sockets; without this they would outlive the client.
    fn drop(&mut self) {
        for m in self.members.get_mut().iter() {
            if let Member::Live { conn, .. } = m {
                conn.close(RespError::Closed {
                    addr: self.config.addr.clone(),
                    reason: "client dropped".into(),
                });
            }
        }
    }
}
