//! The stream store: every stream not yet forgotten, with its §5.1 state,
//! both flow-control windows (§5.2) and its send queue, plus a bounded
//! memory of recently closed streams so late frames can be judged by how
//! the stream closed (§5.1 "closed").

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use layotto_hpack::Header;

use crate::flow_control::{RecvWindow, SendWindow};
use crate::frame::{Reason, StreamId};
use crate::stream_state::{CloseCause, StreamState};

/// One stream.
#[derive(Debug)]
pub(super) struct Stream {
    pub state: StreamState,
    /// What the peer lets us send on this stream.
    pub send_window: SendWindow,
    /// What we let the peer send on this stream.
    pub recv_window: RecvWindow,

    // ---- send side (what the application queued) ----
    /// DATA not yet written; `Bytes` slices of what the app handed us.
    pub send_buf: VecDeque<Bytes>,
    /// Sum of `send_buf` lengths.
    pub queued: usize,
    /// An END_STREAM is still to be written on the last DATA frame.
    pub end_pending: bool,
    /// Trailers to write after the data (they carry END_STREAM).
    pub trailers: Option<Vec<Header>>,
    /// Heads queued in the connection's head queue, not yet written; DATA
    /// waits for them (§8.1: the head comes first).
    pub heads_pending: u32,
    /// A final head (response, or request) is queued or written.
    pub final_head_queued: bool,
    /// The application ended our side (END_STREAM queued somewhere).
    pub end_queued: bool,
    /// In the connection's ready queue.
    pub in_ready: bool,
    /// Waiting for a stream WINDOW_UPDATE (out of the ready queue).
    pub blocked: bool,
    /// Reset with this code once our END_STREAM is written, if the peer has
    /// not finished by then (431 answers: §8.1 lets a server end early).
    pub reset_after_end: Option<Reason>,

    // ---- receive side ----
    /// DATA handed to the application and not yet released.
    pub unreleased: u32,
    /// The application saw this stream (a Request/Response event or our
    /// request): it must hear about resets.
    pub app_visible: bool,
    /// Drop received DATA (after we answered 431): credited back at once.
    pub discard: bool,
    /// Client: the final response head arrived. Server: always true.
    pub head_received: bool,
    /// Client: the request was HEAD (its response has no body, §8.1.1).
    pub no_body_expected: bool,
    /// Received `content-length` (§8.1.1) and DATA octets so far.
    pub content_length: Option<u64>,
    pub received: u64,
}

impl Stream {
    pub(super) fn new(id: StreamId, send_initial: u32, recv_initial: u32) -> Stream {
        Stream {
            state: StreamState::Idle,
            send_window: SendWindow::stream(id, send_initial),
            recv_window: RecvWindow::stream(id, recv_initial),
            send_buf: VecDeque::new(),
            queued: 0,
            end_pending: false,
            trailers: None,
            heads_pending: 0,
            final_head_queued: false,
            end_queued: false,
            in_ready: false,
            blocked: false,
            reset_after_end: None,
            unreleased: 0,
            app_visible: false,
            discard: false,
            head_received: false,
            no_body_expected: false,
            content_length: None,
            received: 0,
        }
    }

    /// Drops everything queued for sending (the stream was reset).
    pub(super) fn clear_send(&mut self) {
        self.send_buf.clear();
        self.queued = 0;
        self.end_pending = false;
        self.trailers = None;
    }

    /// Something is waiting to be written once the head is out.
    pub(super) fn has_send_work(&self) -> bool {
        !self.send_buf.is_empty() || self.end_pending || self.trailers.is_some()
    }
}

/// How a lookup found a stream id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    /// In the store (maybe closed but still holding unreleased data).
    Live,
    /// Closed recently, and how.
    Closed(CloseCause),
    /// Not remembered.
    Unknown,
}

/// Streams by id, plus the closed-stream memory.
#[derive(Debug)]
pub(super) struct Store {
    map: HashMap<StreamId, Stream>,
    /// How each remembered stream closed, with `closed_order` giving the eviction order: a
    /// map rather than a scanned list, because every request's stream is remembered and a
    /// scan of a thousand entries per request showed up in profiles.
    closed: HashMap<StreamId, CloseCause>,
    closed_order: VecDeque<StreamId>,
    closed_cap: usize,
}

impl Store {
    pub(super) fn new(closed_cap: usize) -> Store {
        Store {
            map: HashMap::new(),
            closed: HashMap::new(),
            closed_order: VecDeque::new(),
            closed_cap,
        }
    }

    pub(super) fn get(&self, id: StreamId) -> Option<&Stream> {
        self.map.get(&id)
    }

    pub(super) fn get_mut(&mut self, id: StreamId) -> Option<&mut Stream> {
        self.map.get_mut(&id)
    }

    pub(super) fn insert(&mut self, id: StreamId, stream: Stream) -> &mut Stream {
        self.map.entry(id).or_insert(stream)
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = (&StreamId, &mut Stream)> {
        self.map.iter_mut()
    }

    pub(super) fn ids(&self) -> Vec<StreamId> {
        self.map.keys().copied().collect()
    }

    /// Streams not closed whose id satisfies `which`.
    pub(super) fn active(&self, which: impl Fn(StreamId) -> bool) -> usize {
        self.map
            .iter()
            .filter(|(id, s)| !s.state.is_closed() && which(**id))
            .count()
    }

    pub(super) fn lookup(&self, id: StreamId) -> Known {
        if self.map.contains_key(&id) {
            return Known::Live;
        }
        match self.closed.get(&id) {
            Some(cause) => Known::Closed(*cause),
            None => Known::Unknown,
        }
    }

    /// Remembers a closed stream (bounded: the oldest memory goes first).
    pub(super) fn remember_closed(&mut self, id: StreamId, cause: CloseCause) {
        if let Some(entry) = self.closed.get_mut(&id) {
            *entry = cause;
            return;
        }
        if self.closed_order.len() >= self.closed_cap {
            if let Some(old) = self.closed_order.pop_front() {
                self.closed.remove(&old);
            }
        }
        if self.closed_cap > 0 {
            self.closed.insert(id, cause);
            self.closed_order.push_back(id);
        }
    }

    /// Called whenever a stream may have closed: remembers it and drops it
    /// from the store unless the application still holds its DATA (whose
    /// release must still credit the connection window).
    pub(super) fn reap(&mut self, id: StreamId) {
        let Some(s) = self.map.get(&id) else { return };
        let StreamState::Closed(cause) = s.state else {
            return;
        };
        let held = s.unreleased;
        self.remember_closed(id, cause);
        if held == 0 {
            self.map.remove(&id);
        }
    }

    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}
