//! The window we grant the peer (RFC 9113 §6.9): DATA uses it up, and we
//! return credit with WINDOW_UPDATE once the application has consumed data.

use super::{Window, DEFAULT_INITIAL_WINDOW_SIZE, MAX_WINDOW_SIZE};
use crate::frame::StreamId;
use crate::FrameError;

/// Receive-side window of one stream, or of the connection (stream 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvWindow {
    stream_id: StreamId,
    /// Credit the peer still has.
    window: Window,
    /// The size we aim to keep advertised.
    target: u32,
    /// Consumed octets not yet returned with WINDOW_UPDATE.
    pending: u32,
}

impl RecvWindow {
    /// The connection window. It starts at 65 535 whatever SETTINGS say
    /// (§6.9.2), so the growth to `target` is queued as the first update.
    pub fn connection(target: u32) -> Self {
        let target = target.min(MAX_WINDOW_SIZE);
        let start = DEFAULT_INITIAL_WINDOW_SIZE.min(target);
        RecvWindow {
            stream_id: StreamId::ZERO,
            window: Window(DEFAULT_INITIAL_WINDOW_SIZE as i32),
            target,
            pending: target - start,
        }
    }

    /// A stream window of our advertised SETTINGS_INITIAL_WINDOW_SIZE.
    pub fn stream(stream_id: StreamId, initial: u32) -> Self {
        let initial = initial.min(MAX_WINDOW_SIZE);
        RecvWindow {
            stream_id,
            window: Window(initial as i32),
            target: initial,
            pending: 0,
        }
    }

    /// Credit the peer has left.
    pub fn available(&self) -> u32 {
        self.window.available()
    }

    /// Accounts a received DATA frame's flow-controlled length (payload
    /// including padding, §6.9.1). A peer that sends more than the window
    /// violates "A sender MUST NOT send a flow-controlled frame with a length
    /// that exceeds the space available": FLOW_CONTROL_ERROR on the stream,
    /// or on the connection for stream 0.
    pub fn recv_data(&mut self, len: u32) -> Result<(), FrameError> {
        if len > self.window.available() {
            return Err(if self.stream_id.is_zero() {
                FrameError::ConnectionWindowExceeded
            } else {
                FrameError::StreamWindowExceeded {
                    stream_id: self.stream_id,
                }
            });
        }
        let _ = self.window.decrease(len);
        Ok(())
    }

    /// The application consumed `n` octets (padding counts as consumed at
    /// once): they may be returned to the peer. Clamped so the window never
    /// grows past 2^31-1.
    pub fn release(&mut self, n: u32) {
        let room =
            i64::from(MAX_WINDOW_SIZE) - i64::from(self.window.size()) - i64::from(self.pending);
        let n = i64::from(n).min(room.max(0));
        self.pending += n as u32;
    }

    /// The WINDOW_UPDATE increment to send now, if any: we wait until half
    /// the target is pending, so a stream of small reads does not cost one
    /// WINDOW_UPDATE each.
    pub fn window_update(&mut self) -> Option<u32> {
        if self.pending == 0 || self.pending < self.target / 2 {
            return None;
        }
        let inc = self.pending;
        self.window.increase(inc).ok()?;
        self.pending = 0;
        Some(inc)
    }

    /// Our own SETTINGS_INITIAL_WINDOW_SIZE changed from `old` to `new` and
    /// was acknowledged (§6.9.2): shift stream windows by the delta. The
    /// connection window is not affected.
    pub fn apply_initial_window_change(&mut self, old: u32, new: u32) -> Result<(), FrameError> {
        if self.stream_id.is_zero() {
            return Ok(());
        }
        let delta = i64::from(new) - i64::from(old);
        self.window
            .apply_delta(delta)
            .map_err(|_| FrameError::InitialWindowOverflow {
                stream_id: self.stream_id,
            })?;
        self.target = new.min(MAX_WINDOW_SIZE);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn connection_queues_growth() {
        let mut w = RecvWindow::connection(2 << 20);
        assert_eq!(w.available(), 65_535);
        assert_eq!(w.window_update(), Some((2 << 20) - 65_535));
        assert_eq!(w.available(), 2 << 20);
        assert_eq!(w.window_update(), None);
    }

    #[test]
    fn update_after_half_consumed() {
        let s = StreamId::new(1);
        let mut w = RecvWindow::stream(s, 1000);
        w.recv_data(400).unwrap();
        w.release(400);
        assert_eq!(w.window_update(), None, "below half");
        w.recv_data(100).unwrap();
        w.release(100);
        assert_eq!(w.window_update(), Some(500));
        assert_eq!(w.available(), 1000);
    }

    #[test]
    fn exceeding_window_table() {
        let s = StreamId::new(1);
        let mut w = RecvWindow::stream(s, 10);
        assert_eq!(w.recv_data(10), Ok(()));
        assert_eq!(
            w.recv_data(1),
            Err(FrameError::StreamWindowExceeded { stream_id: s })
        );
        let mut c = RecvWindow::connection(65_535);
        assert_eq!(
            c.recv_data(65_536),
            Err(FrameError::ConnectionWindowExceeded)
        );
        assert_eq!(c.recv_data(0), Ok(()));
    }

    #[test]
    fn own_settings_change() {
        let s = StreamId::new(1);
        let mut w = RecvWindow::stream(s, 100);
        w.apply_initial_window_change(100, 50).unwrap();
        assert_eq!(w.available(), 50);
        assert_eq!(
            w.apply_initial_window_change(50, MAX_WINDOW_SIZE)
                .and(w.apply_initial_window_change(0, MAX_WINDOW_SIZE)),
            Err(FrameError::InitialWindowOverflow { stream_id: s })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever the peer sends and we release, the window stays within
        /// [0, 2^31-1] and DATA is accepted iff it fits.
        #[test]
        fn recv_window_bounded(initial in 0u32..=MAX_WINDOW_SIZE, ops in proptest::collection::vec((any::<bool>(), any::<u32>()), 0..64)) {
            let mut w = RecvWindow::stream(StreamId::new(1), initial);
            for (is_data, n) in ops {
                if is_data {
                    let before = w.available();
                    let res = w.recv_data(n);
                    prop_assert_eq!(res.is_ok(), n <= before);
                } else {
                    w.release(n);
                    if let Some(inc) = w.window_update() {
                        prop_assert!(inc > 0);
                    }
                }
                prop_assert!(w.window.size() >= 0);
                prop_assert!(i64::from(w.window.size()) + i64::from(w.pending) <= i64::from(MAX_WINDOW_SIZE));
            }
        }
    }
}
