//! SETTINGS state (RFC 9113 §6.5): ours until the peer acknowledges them,
//! and the peer's as last received.

use std::collections::VecDeque;
use std::time::Instant;

use crate::frame::{Settings, DEFAULT_INITIAL_WINDOW_SIZE, DEFAULT_MAX_FRAME_SIZE};
use crate::limits::{self, Limits};

/// The peer's settings (§6.5.2 defaults until its SETTINGS arrives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerSettings {
    /// SETTINGS_HEADER_TABLE_SIZE: the table our HPACK encoder may use.
    pub header_table_size: u32,
    /// SETTINGS_ENABLE_PUSH (we never push anyway).
    pub enable_push: bool,
    /// SETTINGS_MAX_CONCURRENT_STREAMS: streams we may open; `None` is unlimited.
    pub max_concurrent_streams: Option<u32>,
    /// SETTINGS_INITIAL_WINDOW_SIZE for our send windows.
    pub initial_window_size: u32,
    /// SETTINGS_MAX_FRAME_SIZE: the largest payload we may send.
    pub max_frame_size: u32,
    /// SETTINGS_MAX_HEADER_LIST_SIZE (advisory); `None` is unlimited.
    pub max_header_list_size: Option<u32>,
}

impl Default for PeerSettings {
    fn default() -> Self {
        PeerSettings {
            header_table_size: 4_096,
            enable_push: true,
            max_concurrent_streams: None,
            initial_window_size: DEFAULT_INITIAL_WINDOW_SIZE,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_header_list_size: None,
        }
    }
}

/// What changed when the peer's SETTINGS was applied, for the connection
/// to act on (window deltas, encoder updates).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct PeerChange {
    /// Old and new SETTINGS_INITIAL_WINDOW_SIZE, when it changed.
    pub initial_window: Option<(u32, u32)>,
    pub header_table_size: Option<u32>,
    pub max_frame_size: Option<u32>,
}

impl PeerSettings {
    /// Records `s` (a non-ACK SETTINGS, values already range-checked by the
    /// frame layer) and reports what the connection must apply.
    pub(super) fn apply(&mut self, s: &Settings) -> PeerChange {
        let mut change = PeerChange::default();
        if let Some(v) = s.header_table_size {
            self.header_table_size = v;
            change.header_table_size = Some(v);
        }
        if let Some(v) = s.enable_push {
            self.enable_push = v;
        }
        if let Some(v) = s.max_concurrent_streams {
            self.max_concurrent_streams = Some(v);
        }
        if let Some(v) = s.initial_window_size {
            // §6.9.2: the change applies to every stream's window as a delta.
            change.initial_window = Some((self.initial_window_size, v));
            self.initial_window_size = v;
        }
        if let Some(v) = s.max_frame_size {
            self.max_frame_size = v;
            change.max_frame_size = Some(v);
        }
        if let Some(v) = s.max_header_list_size {
            self.max_header_list_size = Some(v);
        }
        change
    }
}

/// Our SETTINGS in flight (§6.5.3: values take effect when acknowledged).
#[derive(Debug)]
pub(super) struct LocalSettings {
    /// Sent, not yet acknowledged; the instant starts the ACK timer. It is
    /// `None` until the connection first learns the time (its first `recv`
    /// or `on_timeout`), since `new` has no clock.
    pending: VecDeque<(Settings, Option<Instant>)>,
    /// SETTINGS_INITIAL_WINDOW_SIZE for new peer streams' receive windows.
    /// Until our value is acknowledged the peer may use either its old
    /// idea (65 535) or ours, so the larger one is accepted.
    initial_window: u32,
    /// Our MAX_CONCURRENT_STREAMS, enforced at once: the
    /// peer learns it in the same flight, and REFUSED_STREAM is retry-safe.
    pub max_concurrent_streams: u32,
    /// Our MAX_HEADER_LIST_SIZE, enforced at once (431 is retry-safe too).
    pub max_header_list_size: u32,
}

/// What an acknowledged SETTINGS changes on our side.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct LocalChange {
    pub header_table_size: Option<u32>,
    pub initial_window: Option<(u32, u32)>,
}

impl LocalSettings {
    pub(super) fn new(limits: &Limits) -> LocalSettings {
        let s = limits.local_settings();
        LocalSettings {
            pending: VecDeque::from([(s, None)]),
            initial_window: limits
                .initial_stream_window_size
                .max(DEFAULT_INITIAL_WINDOW_SIZE),
            max_concurrent_streams: limits.max_concurrent_streams,
            max_header_list_size: limits.max_header_list_size,
        }
    }

    /// Starts the ACK timers that had no start time yet.
    pub(super) fn arm(&mut self, now: Instant) {
        for (_, at) in self.pending.iter_mut() {
            at.get_or_insert(now);
        }
    }

    /// When the oldest unacknowledged SETTINGS times out.
    pub(super) fn deadline(&self) -> Option<Instant> {
        let (_, at) = self.pending.front()?;
        at.map(|at| at + limits::SETTINGS_ACK_TIMEOUT)
    }

    /// The receive window a newly opened stream gets.
    pub(super) fn initial_window(&self) -> u32 {
        self.initial_window
    }

    /// The peer acknowledged our oldest SETTINGS. An ACK we did not ask for
    /// changes nothing (`None`).
    pub(super) fn acked(&mut self) -> Option<LocalChange> {
        let (s, _) = self.pending.pop_front()?;
        let mut change = LocalChange {
            header_table_size: s.header_table_size,
            initial_window: None,
        };
        if let Some(v) = s.initial_window_size {
            if v != self.initial_window {
                change.initial_window = Some((self.initial_window, v));
                self.initial_window = v;
            }
        }
        Some(change)
    }
}
