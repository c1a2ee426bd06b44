//! The pure part of the WEAK id cache: one key's reserved segments on one worker.
//!
//! Ids handed out by one worker only go up: segments are kept sorted by start, and a segment
//! that arrives late (a fetch that finished after a later one) is clipped to start after the
//! last id issued, so it never hands out a smaller id. Clipping and dropping waste ids, never
//! duplicate them: every segment is reserved for this worker alone by the component.
//!
//! At most one fetch is in flight per key: [`Segments::take`] answers `Fetch` to the first
//! caller that finds the cache empty and `Wait` to the others until [`Segments::fill`] or
//! [`Segments::failed`]. When fewer than [`LOW_WATER`] ids remain, the next `take` asks for a
//! prefetch, so a busy key rarely waits.

use std::collections::VecDeque;

use layotto_component_api::sequencer::Segment;

/// Ids per segment, as Layotto fetches them.
pub(crate) const SEGMENT_SIZE: u32 = 10_000;
/// Prefetch the next segment when this many ids remain.
pub(crate) const LOW_WATER: i64 = 1_000;
/// Segments kept at once: the current one and the prefetched one.
const MAX_SEGMENTS: usize = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Take {
    /// Use this id; if `prefetch`, start fetching the next segment (the caller now owns that
    /// fetch and must end it with `fill` or `failed`).
    Id { id: i64, prefetch: bool },
    /// Empty: the caller owns the fetch.
    Fetch,
    /// Empty and a fetch is in flight: wait for it.
    Wait,
}

#[derive(Debug, Default)]
pub(crate) struct Segments {
    /// Sorted by start; each non-empty (`start <= end`).
    queue: VecDeque<Segment>,
    last: Option<i64>,
    fetching: bool,
}

impl Segments {
    fn remaining(&self) -> i64 {
        self.queue
            .iter()
            .map(|s| s.end.saturating_sub(s.start).saturating_add(1))
            .fold(0i64, i64::saturating_add)
    }

    pub(crate) fn take(&mut self) -> Take {
        if let Some(front) = self.queue.front_mut() {
            let id = front.start;
            if front.start >= front.end {
                self.queue.pop_front();
            } else {
                front.start += 1;
            }
            self.last = Some(id);
            let prefetch = !self.fetching && self.remaining() < LOW_WATER;
            self.fetching |= prefetch;
            return Take::Id { id, prefetch };
        }
        if self.fetching {
            Take::Wait
        } else {
            self.fetching = true;
            Take::Fetch
        }
    }

    /// The fetch in flight brought `seg`.
    pub(crate) fn fill(&mut self, seg: Segment) {
        self.fetching = false;
        let start = match self.last {
            Some(last) => seg.start.max(last.saturating_add(1)),
            None => seg.start,
        };
        if start > seg.end {
            return;
        }
        let seg = Segment {
            start,
            end: seg.end,
        };
        let at = self.queue.partition_point(|s| s.start < seg.start);
        self.queue.insert(at, seg);
        self.queue.truncate(MAX_SEGMENTS);
    }

    /// The fetch in flight failed; the next caller may try again.
    pub(crate) fn failed(&mut self) {
        self.fetching = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(start: i64, end: i64) -> Segment {
        Segment { start, end }
    }

    #[test]
    fn one_fetch_at_a_time_then_ids_in_order() {
        let mut s = Segments::default();
        assert_eq!(s.take(), Take::Fetch);
        assert_eq!(s.take(), Take::Wait);
        s.fill(seg(1, 3));
        assert_eq!(
            s.take(),
            Take::Id {
                id: 1,
                prefetch: true
            }
        );
        // The prefetch is in flight: no second one.
        assert_eq!(
            s.take(),
            Take::Id {
                id: 2,
                prefetch: false
            }
        );
        assert_eq!(
            s.take(),
            Take::Id {
                id: 3,
                prefetch: false
            }
        );
        assert_eq!(s.take(), Take::Wait);
        s.fill(seg(11, 12));
        assert_eq!(
            s.take(),
            Take::Id {
                id: 11,
                prefetch: true
            }
        );
    }

    #[test]
    fn prefetch_starts_at_the_low_water_mark() {
        let mut s = Segments::default();
        assert_eq!(s.take(), Take::Fetch);
        s.fill(seg(1, i64::from(SEGMENT_SIZE)));
        let mut first_prefetch = None;
        for _ in 0..SEGMENT_SIZE {
            if let Take::Id { id, prefetch: true } = s.take() {
                first_prefetch = Some(id);
                break;
            }
        }
        // 9001 taken leaves 999 < 1000.
        assert_eq!(first_prefetch, Some(9001));
        s.fill(seg(20_001, 30_000));
        let ids: Vec<i64> = (0..1001)
            .map(|_| match s.take() {
                Take::Id { id, .. } => id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids[998], 10_000);
        assert_eq!(ids[999], 20_001, "the next segment follows without a wait");
    }

    #[test]
    fn late_segments_never_go_backwards() {
        let mut s = Segments::default();
        s.take();
        s.fill(seg(100, 101));
        assert!(matches!(s.take(), Take::Id { id: 100, .. }));
        // A segment below what was issued is clipped (here: to nothing).
        s.fill(seg(50, 100));
        assert!(matches!(s.take(), Take::Id { id: 101, .. }));
        // Out of order arrivals are sorted; ids stay increasing.
        s.fill(seg(300, 301));
        s.fill(seg(200, 201));
        let ids: Vec<i64> = (0..4)
            .map(|_| match s.take() {
                Take::Id { id, .. } => id,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids, vec![200, 201, 300, 301]);
    }

    #[test]
    fn a_failed_fetch_lets_the_next_caller_retry() {
        let mut s = Segments::default();
        assert_eq!(s.take(), Take::Fetch);
        s.failed();
        assert_eq!(s.take(), Take::Fetch);
    }
}
