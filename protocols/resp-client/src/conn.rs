//! One connection to Redis and the two tasks that drive it.
//!
//! Calls never touch the socket: [`Conn::send`] encodes into `out` and queues a [`Slot`] per
//! command, in order, then wakes the writer. The writer swaps `out` for an empty buffer and
//! writes it all, so everything queued while the previous write was in flight goes out in one
//! syscall (the pipelining). The reader decodes replies and fills the oldest slot with each.
//! Calls made while the connection is still being opened are queued the same way and sent
//! after the handshake; if the connect fails they fail with its error.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use bytes::BytesMut;
use layotto_worker::io::read_buf;
use layotto_worker::notify::Notify;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt, Splitable};
use monoio::net::TcpStream;

use crate::decoder::ReplyDecoder;
use crate::handshake;
use crate::slot::{slot, Pending, Slot};
use crate::{ClientConfig, Command, Reply, RespError};

const READ_SPARE: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Connecting,
    Ready,
    /// `opened` tells a connect failure (back off) from a connection that worked and then
    /// broke (reconnect at once).
    Broken {
        error: RespError,
        opened: bool,
    },
}

struct State {
    phase: Phase,
    out: BytesMut,
    waiting: VecDeque<Slot>,
}

struct Shared {
    addr: String,
    max_in_flight: usize,
    max_reply: usize,
    max_unsent: usize,
    state: RefCell<State>,
    wake_writer: Notify,
    closed: Notify,
    /// Stops a writer blocked in a write to a Redis that stopped reading.
    stop_writer: Notify,
}

/// A handle on one connection; clones share it.
#[derive(Clone)]
pub(crate) struct Conn(Rc<Shared>);

impl Conn {
    /// Starts connecting in a task of the current runtime and returns at once.
    pub(crate) fn open(config: &Rc<ClientConfig>) -> Conn {
        let shared = Rc::new(Shared {
            addr: config.addr.clone(),
            max_in_flight: config.max_in_flight,
            max_reply: config.max_reply,
            max_unsent: config.max_unsent,
            state: RefCell::new(State {
                phase: Phase::Connecting,
                out: BytesMut::with_capacity(8 * 1024),
                waiting: VecDeque::new(),
            }),
            wake_writer: Notify::default(),
            closed: Notify::default(),
            stop_writer: Notify::default(),
        });
        monoio::spawn(run(Rc::clone(&shared), Rc::clone(config)));
        Conn(shared)
    }

    /// Queues `commands` back to back; their replies arrive in the same order.
    pub(crate) fn send(&self, commands: &[Command]) -> Result<Vec<Pending>, RespError> {
        let mut st = self.0.state.borrow_mut();
        if let Phase::Broken { error, .. } = &st.phase {
            return Err(error.clone());
        }
        // A batch bigger than the limit still goes through on an idle connection, or a bulk
        // call of that size could never succeed.
        if !st.waiting.is_empty() && st.waiting.len() + commands.len() > self.0.max_in_flight {
            return Err(RespError::Busy {
                addr: self.0.addr.clone(),
                reason: format!("{} calls in flight", self.0.max_in_flight),
            });
        }
        // Bytes not yet written count too: many large values queued behind a Redis that stopped
        // reading would otherwise grow the buffer without bound.
        if !st.out.is_empty() && st.out.len() > self.0.max_unsent {
            return Err(RespError::Busy {
                addr: self.0.addr.clone(),
                reason: format!("over {} bytes not yet sent", self.0.max_unsent),
            });
        }
        let mut pending = Vec::with_capacity(commands.len());
        for c in commands {
            c.encode(&mut st.out);
            let (s, p) = slot();
            st.waiting.push_back(s);
            pending.push(p);
        }
        let ready = st.phase == Phase::Ready;
        drop(st);
        if ready {
            self.0.wake_writer.notify();
        }
        Ok(pending)
    }

    /// `None` while usable; otherwise why not and whether it had ever been opened.
    pub(crate) fn broken(&self) -> Option<(RespError, bool)> {
        match &self.0.state.borrow().phase {
            Phase::Broken { error, opened } => Some((error.clone(), *opened)),
            _ => None,
        }
    }

    /// Ends the connection, failing every waiting call with `error`.
    pub(crate) fn fail(&self, error: RespError) {
        self.0.fail(error);
    }

    /// Ends the connection because its owner is gone: expected, so not logged as a failure.
    pub(crate) fn close(&self, error: RespError) {
        self.0.end(error, false);
    }
}

impl Shared {
    fn fail(&self, error: RespError) {
        self.end(error, true);
    }

    fn end(&self, error: RespError, log: bool) {
        let waiting = {
            let mut st = self.state.borrow_mut();
            if matches!(st.phase, Phase::Broken { .. }) {
                return;
            }
            let opened = st.phase == Phase::Ready;
            st.phase = Phase::Broken {
                error: error.clone(),
                opened,
            };
            st.out = BytesMut::new();
            std::mem::take(&mut st.waiting)
        };
        if log && !matches!(error, RespError::Connect { .. }) {
            tracing::warn!(addr = %self.addr, error = %error, failed_calls = waiting.len(),
                "redis connection closed");
        }
        for s in waiting {
            s.fill(Err(error.clone()));
        }
        self.closed.notify();
        self.wake_writer.notify();
        self.stop_writer.notify();
    }

    fn closed(&self, reason: impl Into<String>) -> RespError {
        RespError::Closed {
            addr: self.addr.clone(),
            reason: reason.into(),
        }
    }
}

async fn run(shared: Rc<Shared>, config: Rc<ClientConfig>) {
    let stream = match connect(&config).await {
        Ok(s) => s,
        Err(e) => {
            tracing::debug!(addr = %config.addr, error = %e, "redis connect failed");
            shared.fail(e);
            return;
        }
    };
    {
        let mut st = shared.state.borrow_mut();
        if matches!(st.phase, Phase::Broken { .. }) {
            return; // failed (a caller timed out) while connecting
        }
        st.phase = Phase::Ready;
    }
    let (r, w) = stream.into_split();
    monoio::spawn(writer(w, Rc::clone(&shared)));
    monoio::select! {
        _ = reader(r, &shared) => {}
        _ = shared.closed.notified() => {}
    }
}

/// TCP connect plus the handshake (AUTH, SELECT, SCRIPT LOAD), all within `dial_timeout`.
async fn connect(config: &ClientConfig) -> Result<TcpStream, RespError> {
    let connect_error = |reason: String| RespError::Connect {
        addr: config.addr.clone(),
        reason,
    };
    // No name lookup here: getaddrinfo blocks, and this is a worker thread. An IP literal is
    // used as it is; a host name only through the addresses the health probe resolved.
    let target = config.resolved().map_err(connect_error)?;
    let attempt = async {
        let mut stream = TcpStream::connect_addr(target)
            .await
            .map_err(|e| connect_error(e.to_string()))?;
        let _ = stream.set_nodelay(true);
        let hello = handshake::commands(config, false);
        handshake(&mut stream, &hello, config.max_reply)
            .await
            .map_err(connect_error)?;
        Ok(stream)
    };
    match monoio::time::timeout(config.dial_timeout, attempt).await {
        Ok(r) => r,
        Err(_) => Err(connect_error(format!(
            "no connection within {} ms",
            config.dial_timeout.as_millis()
        ))),
    }
}

async fn handshake(stream: &mut TcpStream, cmds: &[Command], max: usize) -> Result<(), String> {
    if cmds.is_empty() {
        return Ok(());
    }
    let mut out = BytesMut::new();
    cmds.iter().for_each(|c| c.encode(&mut out));
    let (res, _) = stream.write_all(out).await;
    res.map_err(|e| e.to_string())?;
    let mut decoder = ReplyDecoder::new(max);
    let mut answered = 0;
    loop {
        let (res, b) = read_buf(stream, decoder.take_buffer(), 1024).await;
        decoder.put_buffer(b);
        match res {
            Ok(0) => return Err("closed during the handshake".into()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
        if handshake::answers(&mut decoder, cmds, &mut answered)? {
            return Ok(());
        }
    }
}

async fn reader<R: AsyncReadRent>(mut r: R, shared: &Shared) {
    let mut decoder = ReplyDecoder::new(shared.max_reply);
    decoder.buffer().reserve(READ_SPARE * 2);
    loop {
        let (res, b) = read_buf(&mut r, decoder.take_buffer(), READ_SPARE).await;
        decoder.put_buffer(b);
        match res {
            Ok(0) => return shared.fail(shared.closed("closed by the server")),
            Err(e) => return shared.fail(shared.closed(format!("read failed: {e}"))),
            Ok(_) => {}
        }
        loop {
            let reply = match decoder.next_reply() {
                Ok(Some(reply)) => reply,
                Ok(None) => break,
                Err(e) => return shared.fail(protocol(shared, e.to_string())),
            };
            let next = shared.state.borrow_mut().waiting.pop_front();
            match next {
                Some(slot) => slot.fill(Ok(reply)),
                None => return shared.fail(protocol(shared, "a reply nobody asked for".into())),
            }
        }
    }
}

fn protocol(shared: &Shared, reason: String) -> RespError {
    RespError::Protocol {
        addr: shared.addr.clone(),
        reason,
    }
}

async fn writer<W: monoio::io::AsyncWriteRent>(mut w: W, shared: Rc<Shared>) {
    let mut spare = BytesMut::with_capacity(8 * 1024);
    loop {
        let batch = {
            let mut st = shared.state.borrow_mut();
            if matches!(st.phase, Phase::Broken { .. }) {
                return;
            }
            std::mem::swap(&mut st.out, &mut spare);
            std::mem::take(&mut spare)
        };
        if batch.is_empty() {
            spare = batch;
            shared.wake_writer.notified().await;
            continue;
        }
        // A write can block for as long as Redis does not read; the connection may be failed
        // (a call timed out) meanwhile, and then the write is abandoned with the socket.
        let (res, mut written) = monoio::select! {
            done = w.write_all(batch) => done,
            _ = shared.stop_writer.notified() => return,
        };
        if let Err(e) = res {
            return shared.fail(shared.closed(format!("write failed: {e}")));
        }
        written.clear();
        spare = written;
    }
}

/// How long a caller waits for one reply.
pub(crate) async fn wait(
    pending: Pending,
    conn: &Conn,
    timeout: Duration,
) -> Result<Reply, RespError> {
    match monoio::time::timeout(timeout, pending).await {
        Ok(r) => r,
        Err(_) => {
            let e = RespError::Timeout {
                addr: conn.0.addr.clone(),
                timeout_ms: timeout.as_millis() as u64,
            };
            conn.fail(e.clone());
            Err(e)
        }
    }
}
