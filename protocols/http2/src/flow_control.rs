//! Flow-control windows (RFC 9113 §5.2, §6.9), pure arithmetic.
//!
//! A window is a signed 31-bit quantity: it may not exceed 2^31-1 (§6.9.1)
//! but may go negative when SETTINGS_INITIAL_WINDOW_SIZE shrinks (§6.9.2).
//! [`Window`] does the checked arithmetic; [`SendWindow`] and [`RecvWindow`]
//! wrap it with the rules of each direction and the error to report.

mod recv;
mod send;

pub use recv::RecvWindow;
pub use send::SendWindow;

pub use crate::frame::{DEFAULT_INITIAL_WINDOW_SIZE, MAX_INITIAL_WINDOW_SIZE as MAX_WINDOW_SIZE};

/// A flow-control window in [-(2^31-1)... , 2^31-1], never wrapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Window(i32);

/// The arithmetic would leave the legal range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowOverflow;

impl Window {
    /// A window of `size` octets; `size` above 2^31-1 overflows.
    pub fn new(size: u32) -> Result<Self, WindowOverflow> {
        i32::try_from(size).map(Window).map_err(|_| WindowOverflow)
    }

    /// Current size; negative after a shrinking SETTINGS change.
    pub const fn size(self) -> i32 {
        self.0
    }

    /// Octets that may be sent now (0 when the window is negative).
    pub fn available(self) -> u32 {
        u32::try_from(self.0).unwrap_or(0)
    }

    /// Grows by `n`; §6.9.1: a window MUST NOT exceed 2^31-1.
    pub fn increase(&mut self, n: u32) -> Result<(), WindowOverflow> {
        let n = i32::try_from(n).map_err(|_| WindowOverflow)?;
        self.0 = self.0.checked_add(n).ok_or(WindowOverflow)?;
        Ok(())
    }

    /// Shrinks by `n`, allowed to go negative but never to wrap.
    pub fn decrease(&mut self, n: u32) -> Result<(), WindowOverflow> {
        let n = i32::try_from(n).map_err(|_| WindowOverflow)?;
        self.0 = self.0.checked_sub(n).ok_or(WindowOverflow)?;
        Ok(())
    }

    /// Adds a signed delta (a SETTINGS_INITIAL_WINDOW_SIZE change).
    pub fn apply_delta(&mut self, delta: i64) -> Result<(), WindowOverflow> {
        let next = i64::from(self.0) + delta;
        self.0 = i32::try_from(next).map_err(|_| WindowOverflow)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn table() {
        assert_eq!(Window::new(MAX_WINDOW_SIZE).map(Window::size), Ok(i32::MAX));
        assert_eq!(Window::new(MAX_WINDOW_SIZE + 1), Err(WindowOverflow));
        let mut w = Window::new(10).unwrap();
        assert_eq!(w.increase(MAX_WINDOW_SIZE - 10), Ok(()));
        assert_eq!(w.increase(1), Err(WindowOverflow));
        assert_eq!(w.size(), i32::MAX, "failed op leaves window unchanged");
        let mut w = Window::new(5).unwrap();
        w.decrease(8).unwrap();
        assert_eq!((w.size(), w.available()), (-3, 0));
        w.apply_delta(10).unwrap();
        assert_eq!(w.available(), 7);
        assert_eq!(w.apply_delta(i64::from(i32::MAX)), Err(WindowOverflow));
        assert_eq!(w.increase(u32::MAX), Err(WindowOverflow));
        assert_eq!(w.decrease(u32::MAX), Err(WindowOverflow));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Inc(u32),
        Dec(u32),
        Delta(i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            any::<u32>().prop_map(Op::Inc),
            (0u32..1 << 20).prop_map(Op::Dec),
            any::<u32>().prop_map(Op::Dec),
            (-(1i64 << 32)..(1i64 << 32)).prop_map(Op::Delta),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Against an i64 model: every op either matches exact arithmetic
        /// inside the 32-bit signed range or reports overflow and leaves the
        /// window untouched.
        #[test]
        fn never_wraps(start in 0u32..=MAX_WINDOW_SIZE, ops in proptest::collection::vec(op(), 0..64)) {
            let mut w = Window::new(start).unwrap();
            let mut model = i64::from(start);
            for op in ops {
                let next = match op {
                    Op::Inc(n) => model + i64::from(n),
                    Op::Dec(n) => model - i64::from(n),
                    Op::Delta(d) => model + d,
                };
                let res = match op {
                    Op::Inc(n) => w.increase(n),
                    Op::Dec(n) => w.decrease(n),
                    Op::Delta(d) => w.apply_delta(d),
                };
                let in_range = (i64::from(i32::MIN)..=i64::from(i32::MAX)).contains(&next);
                let n_ok = match op { Op::Inc(n) | Op::Dec(n) => n <= MAX_WINDOW_SIZE, Op::Delta(_) => true };
                if in_range && n_ok {
                    prop_assert_eq!(res, Ok(()));
                    model = next;
                } else {
                    prop_assert_eq!(res, Err(WindowOverflow));
                }
                prop_assert_eq!(i64::from(w.size()), model);
                prop_assert!(i64::from(w.available()) <= i64::from(MAX_WINDOW_SIZE));
            }
        }
    }
}
