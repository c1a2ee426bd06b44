//! `in-memory` sequencer: one counter per key shared by all cores (Layotto §3.4).
//!
//! Sharing: counters sit in a [`Shards`] map (64 mutexes by key hash) in the blueprint, so ids
//! are strictly increasing per key across every worker and, with STRONG, gap-free. WEAK is
//! served the same way (the runtime may instead cache a [`Segment`]). A sharded mutex rather
//! than an owner core: an increment under a lock costs less than a cross-core round trip.
//!
//! `biggerThan` is honoured, unlike Layotto's in-memory sequencer (which starts every key at 1
//! and ignores it): a key with floor `n` starts at `n + 1`; non-positive floors are ignored, as
//! on redis. Floors apply to the key exactly as configured, like redis's: the runtime's key
//! prefix (`sequencer|||app||key`) is not added to them.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::sequencer::{Increment, Segment};
use layotto_component_api::{Call, ComponentError, Instance, Metadata, Sequencer, WorkerInfo};

use crate::blueprint::Shared;
use crate::shards::Shards;

pub(crate) struct MemorySequencer {
    /// The last id handed out per key.
    shards: Shards<i64>,
    floors: HashMap<String, i64>,
}

impl MemorySequencer {
    pub(crate) fn new(bigger_than: &[(String, i64)]) -> MemorySequencer {
        MemorySequencer {
            shards: Shards::new(),
            floors: bigger_than
                .iter()
                .filter(|(_, v)| *v > 0)
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
        }
    }

    /// Reserves `size` ids: `last+1 ..= last+size`.
    pub(crate) fn reserve(&self, key: &str, size: u32) -> Result<Segment, ComponentError> {
        if key.is_empty() {
            return Err(ComponentError::InvalidArgument(
                "empty sequencer key".into(),
            ));
        }
        if size == 0 {
            return Err(ComponentError::InvalidArgument(
                "segment size must be > 0".into(),
            ));
        }
        let mut shard = self.shards.lock(key);
        let last = match shard.get(key) {
            Some(last) => *last,
            None => self.floors.get(key).copied().unwrap_or(0),
        };
        let end = last.checked_add(i64::from(size)).ok_or_else(|| {
            ComponentError::ResourceExhausted(format!("sequencer key {key:?} reached i64::MAX"))
        })?;
        shard.insert(key.to_owned(), end);
        Ok(Segment {
            start: last + 1,
            end,
        })
    }
}

impl Shared for MemorySequencer {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::Sequencer(Rc::new(SequencerHandle(Arc::clone(this))))
    }
}

struct SequencerHandle(Arc<MemorySequencer>);

impl Sequencer for SequencerHandle {
    fn next_id(&self, key: String, _increment: Increment, _: Metadata) -> Call<'_, i64> {
        Box::pin(async move { self.0.reserve(&key, 1).map(|s| s.end) })
    }

    fn supports_segments(&self) -> bool {
        true
    }

    fn segment(&self, key: String, size: u32) -> Call<'_, Segment> {
        Box::pin(async move { self.0.reserve(&key, size) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_start_at_one_and_increase_per_key() {
        let s = MemorySequencer::new(&[]);
        assert_eq!(s.reserve("a", 1).unwrap().end, 1);
        assert_eq!(s.reserve("a", 1).unwrap().end, 2);
        assert_eq!(s.reserve("b", 1).unwrap().end, 1);
    }

    #[test]
    fn bigger_than_is_a_floor() {
        let s = MemorySequencer::new(&[("a".into(), 1000), ("neg".into(), -5)]);
        assert_eq!(s.reserve("a", 1).unwrap().end, 1001);
        assert_eq!(s.reserve("neg", 1).unwrap().end, 1);
        assert_eq!(s.reserve("other", 1).unwrap().end, 1);
    }

    #[test]
    fn segments_are_consecutive_and_do_not_overlap_ids() {
        let s = MemorySequencer::new(&[]);
        assert_eq!(s.reserve("k", 1).unwrap().end, 1);
        assert_eq!(s.reserve("k", 10).unwrap(), Segment { start: 2, end: 11 });
        assert_eq!(s.reserve("k", 1).unwrap().end, 12);
        assert!(s.reserve("k", 0).is_err());
        assert!(s.reserve("", 1).is_err());
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let s = MemorySequencer::new(&[("k".into(), i64::MAX - 1)]);
        assert_eq!(s.reserve("k", 1).unwrap().end, i64::MAX);
        assert!(matches!(
            s.reserve("k", 1),
            Err(ComponentError::ResourceExhausted(_))
        ));
    }
}
