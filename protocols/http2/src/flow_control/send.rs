//! The window we may send into, granted by the peer (RFC 9113 §6.9).

use super::{Window, DEFAULT_INITIAL_WINDOW_SIZE};
use crate::frame::StreamId;
use crate::FrameError;

/// Send-side window of one stream, or of the connection (stream 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendWindow {
    stream_id: StreamId,
    window: Window,
}

impl SendWindow {
    /// The connection window: always starts at 65 535 (§6.9.2), whatever
    /// SETTINGS say.
    pub fn connection() -> Self {
        SendWindow {
            stream_id: StreamId::ZERO,
            window: Window(DEFAULT_INITIAL_WINDOW_SIZE as i32),
        }
    }

    /// A stream window starting at the peer's current
    /// SETTINGS_INITIAL_WINDOW_SIZE (already validated <= 2^31-1).
    pub fn stream(stream_id: StreamId, initial: u32) -> Self {
        let window = Window::new(initial).unwrap_or(Window(i32::MAX));
        SendWindow { stream_id, window }
    }

    /// Octets we may send now.
    pub fn available(&self) -> u32 {
        self.window.available()
    }

    /// The signed size (negative after a shrinking SETTINGS change).
    pub fn size(&self) -> i32 {
        self.window.size()
    }

    /// Takes up to `wanted` octets of credit for a DATA frame (§6.9.1: a
    /// sender MUST NOT exceed the window) and returns how many were granted.
    /// Send DATA whose flow-controlled length is the returned value.
    pub fn take(&mut self, wanted: u32) -> u32 {
        let granted = wanted.min(self.window.available());
        // `granted` <= available, so this cannot fail.
        let _ = self.window.decrease(granted);
        granted
    }

    /// Applies a received WINDOW_UPDATE. §6.9.1: "If a sender receives a
    /// WINDOW_UPDATE that causes a flow-control window to exceed this
    /// maximum, it MUST terminate either the stream or the connection, as
    /// appropriate" with FLOW_CONTROL_ERROR.
    pub fn apply_window_update(&mut self, increment: u32) -> Result<(), FrameError> {
        self.window.increase(increment).map_err(|_| {
            if self.stream_id.is_zero() {
                FrameError::ConnectionWindowOverflow
            } else {
                FrameError::StreamWindowOverflow {
                    stream_id: self.stream_id,
                }
            }
        })
    }

    /// Applies a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE from `old`
    /// to `new` (§6.9.2); only for stream windows, the connection window is
    /// not affected. The result may be negative. "An endpoint MUST treat a
    /// change to SETTINGS_INITIAL_WINDOW_SIZE that causes any flow-control
    /// window to exceed the maximum size as a connection error of type
    /// FLOW_CONTROL_ERROR."
    pub fn apply_initial_window_change(&mut self, old: u32, new: u32) -> Result<(), FrameError> {
        if self.stream_id.is_zero() {
            return Ok(());
        }
        let delta = i64::from(new) - i64::from(old);
        self.window
            .apply_delta(delta)
            .map_err(|_| FrameError::InitialWindowOverflow {
                stream_id: self.stream_id,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow_control::MAX_WINDOW_SIZE;

    #[test]
    fn connection_starts_at_default() {
        assert_eq!(SendWindow::connection().available(), 65_535);
    }

    #[test]
    fn take_is_bounded() {
        let mut w = SendWindow::stream(StreamId::new(1), 100);
        assert_eq!(w.take(60), 60);
        assert_eq!(w.take(60), 40);
        assert_eq!(w.take(1), 0);
        assert_eq!(w.available(), 0);
    }

    #[test]
    fn window_update_table() {
        let s = StreamId::new(1);
        let cases: [(SendWindow, u32, Result<u32, FrameError>); 4] = [
            (SendWindow::stream(s, 0), 10, Ok(10)),
            (
                SendWindow::stream(s, 1),
                MAX_WINDOW_SIZE - 1,
                Ok(MAX_WINDOW_SIZE),
            ),
            (
                SendWindow::stream(s, 1),
                MAX_WINDOW_SIZE,
                Err(FrameError::StreamWindowOverflow { stream_id: s }),
            ),
            (
                SendWindow::connection(),
                MAX_WINDOW_SIZE,
                Err(FrameError::ConnectionWindowOverflow),
            ),
        ];
        for (mut w, inc, expected) in cases {
            assert_eq!(w.apply_window_update(inc).map(|()| w.available()), expected);
        }
        // The overflow reactions: stream -> RST_STREAM, connection -> GOAWAY.
        assert!(!FrameError::StreamWindowOverflow { stream_id: s }.is_connection_error());
        assert!(FrameError::ConnectionWindowOverflow.is_connection_error());
    }

    #[test]
    fn settings_change_may_go_negative() {
        let s = StreamId::new(1);
        let mut w = SendWindow::stream(s, 65_535);
        assert_eq!(w.take(60_000), 60_000);
        w.apply_initial_window_change(65_535, 0).unwrap();
        assert_eq!((w.size(), w.available()), (-60_000, 0));
        // a later WINDOW_UPDATE must first fill the deficit
        w.apply_window_update(60_010).unwrap();
        assert_eq!(w.available(), 10);
    }

    #[test]
    fn settings_change_overflow() {
        let s = StreamId::new(1);
        let mut w = SendWindow::stream(s, 65_535);
        w.apply_window_update(MAX_WINDOW_SIZE - 65_535).unwrap();
        let e = w.apply_initial_window_change(65_535, 65_536).unwrap_err();
        assert_eq!(e, FrameError::InitialWindowOverflow { stream_id: s });
        assert!(e.is_connection_error());
    }

    #[test]
    fn settings_change_ignores_connection() {
        let mut w = SendWindow::connection();
        w.apply_initial_window_change(65_535, 0).unwrap();
        assert_eq!(w.available(), 65_535);
    }
}
