//! The two loops of a connection, and routing the state machine's events to streams.

use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use layotto_http2::connection::{Event, RequestHead};
use layotto_http2::{Reason, StreamId};
use layotto_worker::io::read_buf;
use layotto_worker::Shutdown;
use monoio::io::{AsyncReadRent, AsyncWriteRent, AsyncWriteRentExt, Split, Splitable};

use crate::shared::{Head, Incoming, Shared};
use crate::StreamError;

/// Spare capacity kept for each read: one full default frame plus its header.
const READ_SPARE: usize = 16 * 1024 + 9;
/// Frames are gathered into one write until this many bytes; past it, write and continue.
const WRITE_BATCH: usize = 256 * 1024;
/// After the reader stops, how long the writer may take to finish the streams in flight and
/// flush a GOAWAY and the final frames.
const FLUSH_GRACE: Duration = Duration::from_secs(5);

/// What a server does with a new request; clients pass `None`.
pub(crate) type OnRequest<'a> = Option<&'a dyn Fn(StreamId, RequestHead, bool)>;

/// Connection deadlines the state machine leaves to the driver.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// From accept to the end of the client preface and its SETTINGS (slowloris on the
    /// handshake): the connection is closed when it passes.
    pub handshake: Duration,
    /// A server connection with no open stream and nothing received for this long is sent
    /// GOAWAY(NO_ERROR). `None` for clients, whose pooled connections are meant to idle.
    pub idle: Option<Duration>,
}

impl Timeouts {
    pub const SERVER: Timeouts = Timeouts {
        handshake: Duration::from_secs(10),
        idle: Some(Duration::from_secs(300)),
    };
    pub const CLIENT: Timeouts = Timeouts {
        handshake: Duration::from_secs(10),
        idle: None,
    };
}

/// Bytes of the client preface and an empty SETTINGS frame: the least a handshake sends.
const HANDSHAKE_BYTES: usize = 24 + 9;

/// Runs a connection until it is finished, then fails every stream still open.
pub(crate) async fn run<IO>(
    io: IO,
    shared: Rc<Shared>,
    on_request: OnRequest<'_>,
    shutdown: Option<Shutdown>,
    timeouts: Timeouts,
) where
    IO: Split + AsyncReadRent + AsyncWriteRent,
{
    let (r, w) = io.into_split();
    let mut reader = std::pin::pin!(reader(r, &shared, on_request, timeouts.handshake));
    let mut writer = std::pin::pin!(writer(w, &shared, timeouts.idle));
    let mut drain = std::pin::pin!(async {
        if let Some(s) = &shutdown {
            s.signaled().await;
            shared
                .conn
                .borrow_mut()
                .go_away(Reason::NO_ERROR, b"shutdown");
            shared.writable.notify();
        }
        std::future::pending::<()>().await
    });
    monoio::select! {
        peer_gone = &mut reader => {
            if peer_gone {
                // The peer stopped sending (end of stream, or a read error). Answer what it
                // already asked, as after a GOAWAY; a dead socket fails the first write.
                shared.conn.borrow_mut().go_away(Reason::NO_ERROR, b"peer closed");
                shared.writable.notify();
            }
            let _ = monoio::time::timeout(FLUSH_GRACE, &mut writer).await;
        }
        _ = &mut writer => {}
        _ = &mut drain => {}
    }
    shared.close();
}

/// Reads, feeds the state machine, routes events. Returns true when the peer closed the
/// socket, false when the state machine ended the connection (a GOAWAY is queued).
async fn reader<R: AsyncReadRent>(
    mut r: R,
    shared: &Rc<Shared>,
    on_request: OnRequest<'_>,
    handshake: Duration,
) -> bool {
    let mut buf = BytesMut::with_capacity(READ_SPARE * 2);
    let handshake_deadline = Instant::now() + handshake;
    let mut received = 0usize;
    loop {
        let read = read_buf(&mut r, buf, READ_SPARE);
        let (res, b) = if received < HANDSHAKE_BYTES {
            let left = handshake_deadline.saturating_duration_since(Instant::now());
            match monoio::time::timeout(left, read).await {
                Ok(done) => done,
                // The read (and its buffer) is cancelled; the connection is dropped anyway.
                Err(_) => {
                    tracing::debug!("http2 handshake not completed in time");
                    return true;
                }
            }
        } else {
            read.await
        };
        buf = b;
        match res {
            Ok(0) | Err(_) => return true,
            Ok(n) => received = received.saturating_add(n),
        }
        shared.last_read.set(Instant::now());
        let res = shared.conn.borrow_mut().recv(&mut buf, Instant::now());
        dispatch(shared, on_request);
        shared.writable.notify();
        if let Err(e) = res {
            tracing::debug!(reason = ?e.reason, debug = %e.debug, "http2 connection error");
            return false;
        }
        // Backpressure: a peer that makes us queue answers faster than it reads them waits
        // for the writer instead of growing our queue.
        while shared.conn.borrow().should_pause_reading() && !shared.closed.get() {
            shared.drained.notified().await;
        }
    }
}

async fn writer<W: AsyncWriteRent>(mut w: W, shared: &Rc<Shared>, idle: Option<Duration>) {
    let mut out = BytesMut::with_capacity(64 * 1024);
    loop {
        shared.conn.borrow_mut().poll_output(&mut out, WRITE_BATCH);
        if !out.is_empty() {
            let (res, buf) = w.write_all(out).await;
            out = buf;
            out.clear();
            if res.is_err() {
                shared.close();
                break;
            }
            shared.wake_senders();
            shared.drained.notify();
            continue;
        }
        if shared.closed.get() || shared.conn.borrow().is_finished() {
            break;
        }
        let protocol_deadline = shared.conn.borrow().next_timeout();
        let idle_deadline = idle
            .filter(|_| shared.conn.borrow().active_streams() == 0)
            .map(|d| shared.last_read.get() + d);
        let deadline = match (protocol_deadline, idle_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match deadline {
            Some(at) => {
                let wait = at.saturating_duration_since(Instant::now());
                if monoio::time::timeout(wait, shared.writable.notified())
                    .await
                    .is_err()
                {
                    let now = Instant::now();
                    let timed_out = shared.conn.borrow_mut().on_timeout(now);
                    if let Err(e) = timed_out {
                        tracing::debug!(reason = ?e.reason, "http2 connection timed out");
                    }
                    if idle_deadline.is_some_and(|at| now >= at)
                        && shared.conn.borrow().active_streams() == 0
                    {
                        shared.conn.borrow_mut().go_away(Reason::NO_ERROR, b"idle");
                    }
                }
            }
            None => shared.writable.notified().await,
        }
    }
    let _ = w.shutdown().await;
}

fn dispatch(shared: &Rc<Shared>, on_request: OnRequest<'_>) {
    loop {
        let Some(event) = shared.conn.borrow_mut().poll_event() else {
            return;
        };
        match event {
            Event::Request {
                stream,
                head,
                end_stream,
            } => match on_request {
                Some(f) => f(stream, head, end_stream),
                // A server never sends us requests; the state machine refuses them.
                None => shared
                    .conn
                    .borrow_mut()
                    .send_reset(stream, Reason::PROTOCOL_ERROR),
            },
            Event::Response {
                stream,
                status,
                headers,
                end_stream,
            } => {
                with_slot(shared, stream, |slot| {
                    slot.head = Some(Head { status, headers });
                    if end_stream {
                        slot.incoming.push_back(Incoming::End);
                    }
                    slot.wake_all();
                });
            }
            Event::Data {
                stream,
                data,
                end_stream,
            } => {
                let len = data.len();
                let delivered = with_slot(shared, stream, |slot| {
                    slot.incoming.push_back(Incoming::Data(data));
                    if end_stream {
                        slot.incoming.push_back(Incoming::End);
                    }
                    if let Some(w) = slot.recv_waker.take() {
                        w.wake();
                    }
                });
                // Nobody will read it: credit it back at once so the connection window
                // does not shrink for data that went to a dropped stream.
                if !delivered {
                    shared.conn.borrow_mut().release_capacity(stream, len);
                }
            }
            Event::Trailers { stream, headers } => {
                with_slot(shared, stream, |slot| {
                    slot.incoming.push_back(Incoming::Trailers(headers));
                    if let Some(w) = slot.recv_waker.take() {
                        w.wake();
                    }
                });
            }
            Event::Reset {
                stream,
                reason,
                remote,
            } => {
                with_slot(shared, stream, |slot| {
                    slot.failed = Some(StreamError::Reset { reason, remote });
                    slot.wake_all();
                });
            }
            Event::GoAway { last_stream_id, .. } => {
                // §6.8: the id bounds only the streams the GOAWAY's receiver started; the
                // peer's own requests on this connection still complete.
                let client = on_request.is_none();
                for (id, slot) in shared.streams.borrow_mut().iter_mut() {
                    let ours = if client {
                        id.is_client_initiated()
                    } else {
                        id.is_server_initiated()
                    };
                    if ours && *id > last_stream_id {
                        slot.failed.get_or_insert(StreamError::ConnectionClosed);
                        slot.wake_all();
                    }
                }
            }
            Event::PingAck { .. } => {}
        }
    }
}

/// Runs `f` on the stream's slot; false if the stream has no slot (its handles are gone).
fn with_slot(shared: &Shared, id: StreamId, f: impl FnOnce(&mut crate::shared::Slot)) -> bool {
    match shared.streams.borrow_mut().get_mut(&id) {
        Some(slot) => {
            f(slot);
            true
        }
        None => false,
    }
}
