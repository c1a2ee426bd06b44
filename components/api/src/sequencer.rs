//! `sequencer`: ids that increase per key (Layotto §3.4).
//!
//! STRONG asks the component every time; WEAK lets the runtime hand out ids from a
//! [`Segment`] it fetched in advance (Layotto fetches 10 000 at a time and prefetches the next
//! segment), so ids only trend upward across sidecars but stay unique.

use crate::{Call, Metadata};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Increment {
    /// Unique and trending upward; may be served from a segment (Layotto's default).
    #[default]
    Weak,
    /// Strictly increasing per key.
    Strong,
}

/// A block of ids reserved for one caller, `start..=end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub start: i64,
    pub end: i64,
}

pub trait Sequencer {
    /// The next id for `key` (already prefixed by the runtime).
    fn next_id(&self, key: String, increment: Increment, metadata: Metadata) -> Call<'_, i64>;

    /// Whether [`segment`](Sequencer::segment) is supported, for the runtime's WEAK cache.
    fn supports_segments(&self) -> bool {
        false
    }

    /// Reserves `size` (> 0) consecutive ids for `key`.
    fn segment(&self, key: String, size: u32) -> Call<'_, Segment> {
        let _ = (key, size);
        Box::pin(async { Err(crate::ComponentError::Unsupported("sequencer segments")) })
    }
}
