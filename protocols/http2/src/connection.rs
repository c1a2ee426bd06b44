//! The sans-I/O HTTP/2 connection (RFC 9113): bytes and `now` in, events
//! and bytes out. No sockets, no clock reads; the driver owns both.
//!
//! Layout, one concept per file (in the spirit of a proto/streams split):
//!
//! * [`types`]: the public vocabulary: [`Role`], [`Event`], [`RequestHead`],
//!   [`ConnectionError`], [`SendError`].
//! * `settings`: our SETTINGS until acknowledged, and the peer's
//!   ([`PeerSettings`], §6.5).
//! * `streams`: the stream store, each stream's §5.1 state, both flow-control
//!   windows and its send queue, plus a bounded memory of closed streams.
//! * `recv` (+ `recv/headers.rs`, `recv/data.rs`): every received frame.
//! * `message`: HTTP semantics of field blocks (§8.1-§8.3).
//! * `send`: the application's send calls; `output`: `poll_output`'s
//!   scheduler (control frames, then heads, then DATA round-robin).
//! * `budget`: abuse counters (limits documented in [`crate::limits`]).
//!
//! ```
//! use std::time::Instant;
//! use bytes::BytesMut;
//! use layotto_http2::connection::{Connection, Role};
//! use layotto_http2::limits::Limits;
//!
//! let now = Instant::now();
//! let mut client = Connection::new(Role::Client, Limits::default());
//! let mut server = Connection::new(Role::Server, Limits::default());
//! let mut wire = BytesMut::new();
//! client.poll_output(&mut wire, 1 << 16);   // preface + SETTINGS + WINDOW_UPDATE
//! server.recv(&mut wire, now).unwrap();
//! assert!(server.has_output());             // our SETTINGS, WINDOW_UPDATE and the ACK
//! ```

mod budget;
mod message;
mod output;
mod recv;
mod send;
mod settings;
mod streams;
pub mod types;

use std::collections::VecDeque;
use std::time::Instant;

use bytes::BytesMut;
use layotto_hpack as hpack;

use crate::codec::{FrameDecoder, FrameEncoder, HeaderBlockAssembler};
use crate::flow_control::{RecvWindow, SendWindow};
use crate::frame::{Frame, GoAway, Ping, Reason, StreamId, WindowUpdate};
use crate::limits::{self, Limits};

use budget::Budget;
use settings::LocalSettings;
pub use settings::PeerSettings;
use streams::Store;
pub use types::{ConnectionError, Event, RequestHead, Role, SendError};

/// Where the connection is in its opening handshake (§3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Server: the 24-octet client preface is still expected.
    Preface,
    /// The peer's first frame must be a (non-ACK) SETTINGS.
    FirstSettings,
    /// Normal operation.
    Open,
}

/// A connection error found while processing: code plus debug text.
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    reason: Reason,
    debug: String,
}

impl Fail {
    fn new(reason: Reason, debug: impl Into<String>) -> Fail {
        Fail {
            reason,
            debug: debug.into(),
        }
    }

    fn calm(debug: &str) -> Fail {
        Fail::new(Reason::ENHANCE_YOUR_CALM, debug)
    }
}

impl From<crate::FrameError> for Fail {
    fn from(e: crate::FrameError) -> Fail {
        Fail::new(e.reason(), e.to_string())
    }
}

/// One HTTP/2 connection, either side. See the module docs.
#[derive(Debug)]
pub struct Connection {
    role: Role,
    limits: Limits,
    phase: Phase,
    /// Client: the preface still has to be written (§3.4).
    preface_pending: bool,
    frames_in: FrameDecoder,
    blocks: HeaderBlockAssembler,
    frames_out: FrameEncoder,
    hpack_in: hpack::Decoder,
    hpack_out: hpack::Encoder,
    local: LocalSettings,
    peer: PeerSettings,
    streams: Store,
    /// Connection-level windows (§6.9.1): what the peer lets us send, and
    /// what we let it send.
    send_window: SendWindow,
    recv_window: RecvWindow,
    /// Control frames to write before anything else.
    control: VecDeque<Frame>,
    /// HEADERS blocks (heads, not trailers) in the order they were queued;
    /// HPACK-encoded only when written so the encoder's table follows the
    /// wire order (RFC 7541 §2.3.2).
    heads: VecDeque<output::PendingHead>,
    /// Streams with DATA/trailers/END_STREAM to write, round-robin.
    ready: VecDeque<StreamId>,
    events: VecDeque<Event>,
    budget: Budget,
    /// Highest stream id the peer opened (or tried to): new ones must be
    /// larger (§5.1.1).
    max_peer_id: StreamId,
    /// Highest peer stream we accepted for processing: GOAWAY's last id.
    last_processed: StreamId,
    /// Next stream id we would open (client: odd).
    next_local_id: u32,
    /// PING payloads we sent, waiting for ACKs.
    pings: VecDeque<[u8; 8]>,
    goaway_sent: Option<StreamId>,
    goaway_recv: Option<StreamId>,
    error: Option<ConnectionError>,
}

impl Connection {
    /// Server: expects the client preface first. Client: queues the
    /// preface. Both queue our SETTINGS (from `limits.local_settings()`) and
    /// a WINDOW_UPDATE raising the connection window to the limit.
    pub fn new(role: Role, limits: Limits) -> Connection {
        let mut recv_window = RecvWindow::connection(limits.connection_window_size);
        let mut control = VecDeque::new();
        let local = LocalSettings::new(&limits);
        control.push_back(Frame::Settings(limits.local_settings()));
        if let Some(inc) = recv_window.window_update() {
            control.push_back(Frame::WindowUpdate(WindowUpdate::new(StreamId::ZERO, inc)));
        }
        Connection {
            role,
            phase: match role {
                Role::Server => Phase::Preface,
                Role::Client => Phase::FirstSettings,
            },
            preface_pending: role == Role::Client,
            // Our MAX_FRAME_SIZE loosens the default, so it applies at once:
            // the peer may use it as soon as it has read our SETTINGS.
            frames_in: FrameDecoder::new(limits.max_frame_size),
            blocks: HeaderBlockAssembler::from_limits(&limits),
            frames_out: FrameEncoder::default(),
            // Both tables start at the protocol default (RFC 7541 §4.2);
            // ours changes when the peer ACKs our HEADER_TABLE_SIZE.
            hpack_in: hpack::Decoder::new(4_096),
            hpack_out: hpack::Encoder::new(4_096),
            local,
            peer: PeerSettings::default(),
            streams: Store::new(limits::REMEMBERED_CLOSED_STREAMS),
            send_window: SendWindow::connection(),
            recv_window,
            control,
            heads: VecDeque::new(),
            ready: VecDeque::new(),
            events: VecDeque::new(),
            budget: Budget::default(),
            max_peer_id: StreamId::ZERO,
            last_processed: StreamId::ZERO,
            next_local_id: match role {
                Role::Client => 1,
                Role::Server => 2,
            },
            pings: VecDeque::new(),
            goaway_sent: None,
            goaway_recv: None,
            error: None,
            limits,
        }
    }

    /// Which side this is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Consumes every complete frame in `src`, updates state, queues control
    /// replies and pushes events. On a connection error it queues
    /// GOAWAY(last processed stream id, code, debug text) and returns the
    /// error; the driver then flushes output and closes. Further calls after
    /// an error return the same error.
    pub fn recv(&mut self, src: &mut BytesMut, now: Instant) -> Result<(), ConnectionError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.local.arm(now);
        match self.recv_frames(src, now) {
            Ok(()) => Ok(()),
            Err(fail) => Err(self.fail(fail)),
        }
    }

    /// The next event for the application, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Graceful shutdown: GOAWAY(reason, last stream id processed); new
    /// streams are refused (ignored, §6.8); the connection is finished once
    /// the open streams complete. Only the first call sends a GOAWAY.
    pub fn go_away(&mut self, reason: Reason, debug: &'static [u8]) {
        if self.goaway_sent.is_some() || self.error.is_some() {
            return;
        }
        let mut frame = GoAway::new(self.last_processed, reason);
        frame.debug_data = bytes::Bytes::from_static(debug);
        self.control.push_back(Frame::GoAway(frame));
        self.goaway_sent = Some(self.last_processed);
    }

    /// Sends a PING (keepalive / RTT probe); its ACK comes back as
    /// [`Event::PingAck`].
    pub fn ping(&mut self, payload: [u8; 8]) {
        if self.error.is_some() {
            return;
        }
        if self.pings.len() >= limits::MAX_OUTSTANDING_PINGS {
            self.pings.pop_front();
        }
        self.pings.push_back(payload);
        self.control.push_back(Frame::Ping(Ping::new(payload)));
    }

    /// Streams not yet closed (both directions), either side's.
    pub fn active_streams(&self) -> usize {
        self.streams.active(|_| true)
    }

    /// True when the connection can be closed: after GOAWAY (sent or
    /// received) with no streams left, or after a connection error, once
    /// output is drained.
    pub fn is_finished(&self) -> bool {
        if !self.control.is_empty() || self.preface_pending {
            return false;
        }
        if self.error.is_some() {
            return true;
        }
        (self.goaway_sent.is_some() || self.goaway_recv.is_some())
            && self.active_streams() == 0
            && !self.has_output()
    }

    /// The earliest instant at which [`Connection::on_timeout`] must run.
    pub fn next_timeout(&self) -> Option<Instant> {
        if self.error.is_some() {
            return None;
        }
        self.local.deadline()
    }

    /// Runs expired timers: our SETTINGS unacknowledged for
    /// [`limits::SETTINGS_ACK_TIMEOUT`] is GOAWAY(SETTINGS_TIMEOUT) (§6.5.3).
    pub fn on_timeout(&mut self, now: Instant) -> Result<(), ConnectionError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.local.arm(now);
        match self.local.deadline() {
            Some(at) if at <= now => Err(self.fail(Fail::new(
                Reason::SETTINGS_TIMEOUT,
                "SETTINGS not acknowledged in time",
            ))),
            _ => Ok(()),
        }
    }

    /// The peer's settings as last received.
    pub fn peer_settings(&self) -> &PeerSettings {
        &self.peer
    }

    /// Backpressure hint: enough control replies are waiting that the driver
    /// should flush output before reading more (defences B1).
    pub fn should_pause_reading(&self) -> bool {
        self.control.len() >= limits::PAUSE_READING_CONTROL_FRAMES
    }

    /// The limits this connection was built with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Memory gauges for tests and metrics: (streams held in the store,
    /// control frames queued, events not yet taken).
    pub fn memory_gauges(&self) -> (usize, usize, usize) {
        (self.streams.len(), self.control.len(), self.events.len())
    }

    /// The connection error, once one happened.
    pub fn error(&self) -> Option<&ConnectionError> {
        self.error.as_ref()
    }

    /// Records a connection error: every stream's output is dropped, GOAWAY
    /// is queued after the control frames already owed.
    fn fail(&mut self, fail: Fail) -> ConnectionError {
        let err = ConnectionError {
            reason: fail.reason,
            debug: fail.debug,
        };
        self.heads.clear();
        self.ready.clear();
        let mut frame = GoAway::new(self.last_processed, err.reason);
        frame.debug_data = bytes::Bytes::copy_from_slice(err.debug.as_bytes());
        self.control.push_back(Frame::GoAway(frame));
        self.error = Some(err.clone());
        err
    }

    /// Queues a control frame we owe the peer, within the flood budget.
    fn push_control(&mut self, frame: Frame) -> Result<(), Fail> {
        if self.control.len() >= limits::MAX_PENDING_CONTROL_FRAMES {
            return Err(Fail::calm("too many control frames queued"));
        }
        self.control.push_back(frame);
        Ok(())
    }
}
