//! Abuse counters (RFC 9113 §10.5; shared/http-defenses.md B1-B7, Part E).
//! Each check returns `Err(Fail)` = GOAWAY(ENHANCE_YOUR_CALM); the limits
//! and their reasons live in [`crate::limits`].

use std::time::{Duration, Instant};

use super::Fail;
use crate::limits;

const WINDOW: Duration = Duration::from_secs(1);

/// A count over a sliding ~1 s window, estimated from two fixed buckets
/// (the previous second weighted by how much of it still overlaps): O(1)
/// memory however fast events arrive.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Rate {
    start: Option<Instant>,
    prev: u32,
    cur: u32,
}

impl Rate {
    /// Adds `n` events at `now`; returns the windowed estimate.
    pub(super) fn add(&mut self, now: Instant, n: u32) -> u32 {
        self.rotate(now);
        self.cur = self.cur.saturating_add(n);
        self.estimate(now)
    }

    fn rotate(&mut self, now: Instant) {
        let start = *self.start.get_or_insert(now);
        let elapsed = now.saturating_duration_since(start);
        if elapsed >= 2 * WINDOW {
            *self = Rate {
                start: Some(now),
                prev: 0,
                cur: 0,
            };
        } else if elapsed >= WINDOW {
            self.prev = self.cur;
            self.cur = 0;
            self.start = Some(start + WINDOW);
        }
    }

    fn estimate(&self, now: Instant) -> u32 {
        let Some(start) = self.start else { return 0 };
        let into = now.saturating_duration_since(start).as_secs_f64() / WINDOW.as_secs_f64();
        let weight = (1.0 - into).clamp(0.0, 1.0);
        // f64 -> u32 `as` saturates; both terms are small.
        (f64::from(self.prev) * weight) as u32 + self.cur
    }
}

/// Per-connection abuse budgets.
#[derive(Debug, Default)]
pub(super) struct Budget {
    /// Consecutive empty DATA frames without END_STREAM (CVE-2019-9518).
    empty_data_run: u32,
    /// Stream errors we sent (MadeYouReset).
    local_errors: u32,
    /// Peer streams opened, ever (the PRIORITY / WINDOW_UPDATE formulas).
    streams_opened: u64,
    /// DATA frames we wrote, ever.
    data_frames_sent: u64,
    priority_frames: u64,
    window_updates: u64,
    /// Streams opened and early resets within ~1 s (Rapid Reset).
    opened_rate: Rate,
    early_reset_rate: Rate,
}

impl Budget {
    pub(super) fn stream_opened(&mut self, now: Instant) {
        self.streams_opened += 1;
        self.opened_rate.add(now, 1);
    }

    pub(super) fn data_frame_sent(&mut self) {
        self.data_frames_sent += 1;
    }

    /// A DATA frame arrived; only empty ones without END_STREAM count.
    pub(super) fn data_frame(&mut self, empty: bool, end_stream: bool) -> Result<(), Fail> {
        if !empty || end_stream {
            self.empty_data_run = 0;
            return Ok(());
        }
        self.empty_data_run += 1;
        if self.empty_data_run >= limits::MAX_EMPTY_DATA_RUN {
            return Err(Fail::calm("too many empty DATA frames"));
        }
        Ok(())
    }

    /// Any HEADERS ends a run of empty DATA frames.
    pub(super) fn headers_frame(&mut self) {
        self.empty_data_run = 0;
    }

    /// We are about to send RST_STREAM for the peer's mistake.
    pub(super) fn local_stream_error(&mut self) -> Result<(), Fail> {
        self.local_errors += 1;
        if self.local_errors >= limits::MAX_LOCAL_STREAM_ERRORS {
            return Err(Fail::calm("too many stream errors"));
        }
        Ok(())
    }

    /// The client reset a stream it opened before we started answering.
    pub(super) fn early_reset(&mut self, now: Instant) -> Result<(), Fail> {
        let resets = self.early_reset_rate.add(now, 1);
        let opened = self.opened_rate.add(now, 0);
        if resets > limits::MAX_EARLY_RESETS_PER_SEC
            || (opened >= limits::RESET_RATIO_MIN_STREAMS && resets * 2 > opened)
        {
            return Err(Fail::calm("too many early stream resets"));
        }
        Ok(())
    }

    pub(super) fn priority_frame(&mut self) -> Result<(), Fail> {
        self.priority_frames += 1;
        let cap = limits::PRIORITY_FRAMES_PER_STREAM * (1 + self.streams_opened);
        if self.priority_frames > cap {
            return Err(Fail::calm("too many PRIORITY frames"));
        }
        Ok(())
    }

    pub(super) fn window_update_frame(&mut self) -> Result<(), Fail> {
        self.window_updates += 1;
        let cap =
            limits::WINDOW_UPDATE_BASE + 2 * (self.streams_opened + 10 * self.data_frames_sent);
        if self.window_updates > cap {
            return Err(Fail::calm("too many WINDOW_UPDATE frames"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_slides() {
        let t0 = Instant::now();
        let mut r = Rate::default();
        assert_eq!(r.add(t0, 100), 100);
        assert_eq!(r.add(t0 + Duration::from_millis(500), 100), 200);
        // 1.5 s: previous bucket (200) weighted by 0.5, plus 0.
        assert_eq!(r.add(t0 + Duration::from_millis(1500), 0), 100);
        assert_eq!(r.add(t0 + Duration::from_secs(5), 1), 1);
    }

    #[test]
    fn early_resets_trip() {
        let t0 = Instant::now();
        let mut b = Budget::default();
        for i in 0..limits::MAX_EARLY_RESETS_PER_SEC {
            b.stream_opened(t0);
            assert!(b.early_reset(t0).is_ok(), "{i}");
        }
        b.stream_opened(t0);
        assert!(b.early_reset(t0).is_err());
    }

    #[test]
    fn slow_cancels_never_trip() {
        let t0 = Instant::now();
        let mut b = Budget::default();
        for i in 0..10_000u64 {
            let now = t0 + Duration::from_millis(100 * i);
            b.stream_opened(now);
            assert!(b.early_reset(now).is_ok());
        }
    }
}
