//! State shared by a connection's reader, writer and stream handles, all on one thread.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::task::Waker;
use std::time::Instant;

use bytes::Bytes;
use layotto_hpack::Header;
use layotto_http2::connection::Connection;
use layotto_http2::{Reason, StreamId};

use crate::StreamError;
use layotto_worker::notify::Notify;

/// What the peer sent on a stream, queued until its handle takes it.
pub(crate) enum Incoming {
    Data(Bytes),
    Trailers(Vec<Header>),
    End,
}

/// The response head a client stream waits for.
pub(crate) struct Head {
    pub status: u16,
    pub headers: Vec<Header>,
}

#[derive(Default)]
pub(crate) struct Slot {
    pub incoming: VecDeque<Incoming>,
    pub head: Option<Head>,
    /// Set once the stream can no longer be used.
    pub failed: Option<StreamError>,
    pub recv_waker: Option<Waker>,
    pub send_waker: Option<Waker>,
    pub head_waker: Option<Waker>,
    /// Woken on reset so a server handler can be cancelled.
    pub cancel_waker: Option<Waker>,
    /// Live handles (receive half, send half, handler task); the slot goes when all are gone.
    pub handles: u8,
}

impl Slot {
    pub(crate) fn wake_all(&mut self) {
        for w in [
            self.recv_waker.take(),
            self.send_waker.take(),
            self.head_waker.take(),
            self.cancel_waker.take(),
        ]
        .into_iter()
        .flatten()
        {
            w.wake();
        }
    }
}

pub(crate) struct Shared {
    pub conn: RefCell<Connection>,
    pub streams: RefCell<HashMap<StreamId, Slot>>,
    /// Wakes the writer: something may be sendable.
    pub writable: Notify,
    /// Wakes the reader after each write: it waits on this while the state machine says to
    /// stop reading (a peer that floods PINGs or SETTINGS without reading the answers).
    pub drained: Notify,
    /// When the peer last sent anything, for the idle timeout.
    pub last_read: Cell<Instant>,
    /// The socket is gone (read EOF/error, write error, or the writer finished).
    pub closed: Cell<bool>,
}

/// A stream handle's queued output above which `send_data` waits. Enough to keep a window of
/// a fast peer full; small enough that a slow peer cannot make us hold much per stream.
pub(crate) const SEND_HIGH_WATER: usize = 256 * 1024;

impl Shared {
    pub(crate) fn new(conn: Connection) -> Shared {
        Shared {
            conn: RefCell::new(conn),
            streams: RefCell::new(HashMap::new()),
            writable: Notify::default(),
            drained: Notify::default(),
            last_read: Cell::new(Instant::now()),
            closed: Cell::new(false),
        }
    }

    pub(crate) fn open_slot(&self, id: StreamId, handles: u8) {
        self.streams.borrow_mut().insert(
            id,
            Slot {
                handles,
                ..Slot::default()
            },
        );
    }

    /// Drops one handle of the stream; the last one removes the slot, and resets the stream
    /// if it is still open so the peer is not left waiting.
    pub(crate) fn release_handle(&self, id: StreamId, reset_if_open: bool) {
        let remove = {
            let mut streams = self.streams.borrow_mut();
            match streams.get_mut(&id) {
                Some(slot) => {
                    slot.handles = slot.handles.saturating_sub(1);
                    slot.handles == 0
                }
                None => false,
            }
        };
        if remove {
            self.streams.borrow_mut().remove(&id);
            if reset_if_open && !self.closed.get() {
                self.conn.borrow_mut().send_reset(id, Reason::CANCEL);
                self.writable.notify();
            }
        }
    }

    /// The connection is over: every stream fails.
    pub(crate) fn close(&self) {
        self.closed.set(true);
        for slot in self.streams.borrow_mut().values_mut() {
            slot.failed.get_or_insert(StreamError::ConnectionClosed);
            slot.wake_all();
        }
        self.writable.notify();
        self.drained.notify();
    }

    /// Wakes senders whose queued output has drained below the mark.
    pub(crate) fn wake_senders(&self) {
        let conn = self.conn.borrow();
        for (id, slot) in self.streams.borrow_mut().iter_mut() {
            if slot.send_waker.is_some() && conn.queued_bytes(*id) < SEND_HIGH_WATER {
                if let Some(w) = slot.send_waker.take() {
                    w.wake();
                }
            }
        }
    }
}
