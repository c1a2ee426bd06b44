//! A map split into shards, each behind its own mutex, selected by key hash.
//!
//! This is how one truth is shared by all cores. The alternative is an owner core per key
//! reached over a mailbox; for maps in memory a short critical section on one of 64 locks is
//! simpler and cheaper than a cross-core hop and a wakeup, and contention stays low because two
//! cores collide only on the same shard. Rules: a guard is never held across an `.await`, and
//! the work done under it is a few map operations.
//!
//! Poisoning: a lock is poisoned only if a thread panicked while holding it. Nothing under our
//! locks panics on input, and every update leaves the map consistent, so a poisoned lock is
//! recovered with `PoisonError::into_inner` instead of taking the store down.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Enough shards that 2 to 64 cores rarely meet on one.
pub(crate) const SHARDS: usize = 64;

pub(crate) type Shard<V> = HashMap<String, V>;

pub(crate) struct Shards<V> {
    shards: Vec<Mutex<Shard<V>>>,
    hasher: RandomState,
}

impl<V> Shards<V> {
    pub(crate) fn new() -> Self {
        Shards {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }

    pub(crate) fn index(&self, key: &str) -> usize {
        (self.hasher.hash_one(key) % SHARDS as u64) as usize
    }

    fn guard(&self, index: usize) -> MutexGuard<'_, Shard<V>> {
        self.shards[index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The shard holding `key`, locked.
    pub(crate) fn lock(&self, key: &str) -> MutexGuard<'_, Shard<V>> {
        self.guard(self.index(key))
    }

    /// Every shard holding one of `keys`, locked in ascending shard order: all multi-shard
    /// lockers take the same order, so two of them cannot deadlock.
    pub(crate) fn lock_many<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Many<'_, V> {
        let mut indices: Vec<usize> = keys.into_iter().map(|k| self.index(k)).collect();
        indices.sort_unstable();
        indices.dedup();
        Many {
            shards: self,
            guards: indices.into_iter().map(|i| (i, self.guard(i))).collect(),
        }
    }

    /// Every shard, locked in ascending order (for a consistent view of the whole map).
    pub(crate) fn lock_all(&self) -> Many<'_, V> {
        Many {
            shards: self,
            guards: (0..SHARDS).map(|i| (i, self.guard(i))).collect(),
        }
    }

    /// Visits every shard in turn, one lock at a time (not a consistent snapshot).
    #[cfg(test)]
    pub(crate) fn for_each(&self, mut f: impl FnMut(&mut Shard<V>)) {
        for i in 0..SHARDS {
            f(&mut self.guard(i));
        }
    }
}

/// Several shards locked together.
pub(crate) struct Many<'a, V> {
    shards: &'a Shards<V>,
    guards: Vec<(usize, MutexGuard<'a, Shard<V>>)>,
}

impl<V> Many<'_, V> {
    /// Every locked shard.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Shard<V>> {
        self.guards.iter().map(|(_, g)| &**g)
    }

    /// The value for `key`, if its shard is locked here and holds it.
    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        let index = self.shards.index(key);
        let pos = self.guards.binary_search_by_key(&index, |(i, _)| *i).ok()?;
        self.guards[pos].1.get(key)
    }

    /// The locked shard for `key`, if it was among the keys given to `lock_many`.
    pub(crate) fn shard(&mut self, key: &str) -> Option<&mut Shard<V>> {
        let index = self.shards.index(key);
        let pos = self.guards.binary_search_by_key(&index, |(i, _)| *i).ok()?;
        Some(&mut self.guards[pos].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_locks_each_shard_once_and_finds_keys() {
        let s: Shards<u32> = Shards::new();
        let keys: Vec<String> = (0..200).map(|i| format!("k{i}")).collect();
        let mut many = s.lock_many(keys.iter().map(String::as_str));
        assert!(many.guards.len() <= SHARDS);
        for k in &keys {
            many.shard(k).unwrap().insert(k.clone(), 1);
        }
        drop(many);
        let other = (0..)
            .map(|i| format!("o{i}"))
            .find(|k| s.index(k) != s.index("a"))
            .unwrap();
        let mut one = s.lock_many(["a", "a"]);
        assert_eq!(one.guards.len(), 1);
        assert!(one.shard("a").is_some());
        assert!(one.shard(&other).is_none());
        drop(one);
        let mut total = 0;
        s.for_each(|m| total += m.len());
        assert_eq!(total, 200);
    }
}
