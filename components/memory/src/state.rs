//! `in-memory` state: one truth for all cores in a [`Shards`] map, real etags, TTLs and atomic
//! transactions.
//!
//! Sharing: the map lives in the blueprint, split in 64 mutex-guarded shards by key hash; each
//! worker's instance is an `Arc` handle. A sharded mutex rather than an owner core per key
//! (mailbox): an in-memory map operation is far cheaper than a cross-core hop, and no guard is
//! held across an await. The etag rules are in [`entry`]. Reads ignore `consistency`: there is
//! one copy, so every read is strong.
//!
//! Transactions lock every shard they touch, in ascending shard order (no deadlock with other
//! transactions), stage the operations on copies of the involved entries, and write back only
//! if every operation passed its etag check: a failing check leaves nothing written.
//!
//! Expired keys are removed when next touched; there is no sweeper, so a key written with a TTL
//! and never read again holds its memory until the process ends.

mod entry;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use layotto_component_api::state::{
    DeleteRequest, Features, GetRequest, Operation, SetRequest, StateItem,
};
use layotto_component_api::{
    Call, Clock, ComponentError, ComponentSpec, Instance, Metadata, StateStore, WorkerInfo,
};

use crate::blueprint::Shared;
use crate::shards::Shards;
use entry::{Entry, Ttl};

pub(crate) struct MemoryState {
    shards: Shards<Entry>,
    /// The last version handed out; bumped under the key's shard lock.
    version: AtomicU64,
    /// The component's `ttlInSeconds`, used when a request gives none.
    default_ttl: Option<i64>,
    clock: Arc<dyn Clock>,
}

impl MemoryState {
    pub(crate) fn new(default_ttl: Option<i64>, clock: Arc<dyn Clock>) -> MemoryState {
        MemoryState {
            shards: Shards::new(),
            version: AtomicU64::new(0),
            default_ttl,
            clock,
        }
    }

    pub(crate) fn from_spec(
        spec: &ComponentSpec,
        clock: Arc<dyn Clock>,
    ) -> Result<MemoryState, ComponentError> {
        let default_ttl = layotto_component_api::state::default_ttl(spec)?;
        Ok(MemoryState::new(default_ttl, clock))
    }

    fn next_version(&self) -> u64 {
        self.version.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn get_at(&self, key: &str, now: Instant) -> Option<StateItem> {
        entry::get(&mut self.shards.lock(key), key, now)
    }

    pub(crate) fn set_at(&self, req: SetRequest, now: Instant) -> Result<(), ComponentError> {
        let ttl = entry::ttl(&req.metadata, self.default_ttl)?;
        let mut shard = self.shards.lock(&req.key);
        entry::set(&mut shard, req, ttl, self.next_version(), true, now)
    }

    pub(crate) fn delete_at(
        &self,
        req: &DeleteRequest,
        now: Instant,
    ) -> Result<(), ComponentError> {
        entry::delete(&mut self.shards.lock(&req.key), req, now)
    }

    pub(crate) fn transact_at(
        &self,
        ops: Vec<Operation>,
        now: Instant,
    ) -> Result<(), ComponentError> {
        // Everything that can fail without looking at the store fails before any lock.
        let mut staged_ops = Vec::with_capacity(ops.len());
        for op in ops {
            let ttl = match &op {
                Operation::Upsert(req) => entry::ttl(&req.metadata, self.default_ttl)?,
                Operation::Delete(_) => Ttl::Keep,
            };
            staged_ops.push((op, ttl));
        }
        let mut keys: Vec<String> = staged_ops
            .iter()
            .map(|(op, _)| match op {
                Operation::Upsert(r) => r.key.clone(),
                Operation::Delete(r) => r.key.clone(),
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();

        let mut locked = self.shards.lock_many(keys.iter().map(String::as_str));
        let mut staged: HashMap<String, Entry> = HashMap::with_capacity(keys.len());
        for key in &keys {
            if let Some(e) = locked.shard(key).and_then(|s| s.get(key)) {
                staged.insert(key.clone(), e.clone());
            }
        }
        for (op, ttl) in staged_ops {
            match op {
                Operation::Upsert(req) => {
                    entry::set(&mut staged, req, ttl, self.next_version(), false, now)?
                }
                Operation::Delete(req) => entry::delete(&mut staged, &req, now)?,
            }
        }
        for key in keys {
            let shard = locked.shard(&key).ok_or_else(|| {
                ComponentError::Internal(format!("transaction key {key:?} not locked"))
            })?;
            match staged.remove(&key) {
                Some(e) => shard.insert(key, e),
                None => shard.remove(&key),
            };
        }
        Ok(())
    }
}

impl Shared for MemoryState {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::State(Rc::new(StateHandle(Arc::clone(this))))
    }
}

/// One worker's handle: the shared map and the clock.
struct StateHandle(Arc<MemoryState>);

impl StateStore for StateHandle {
    fn features(&self) -> Features {
        Features {
            etag: true,
            transactional: true,
        }
    }

    fn get(&self, req: GetRequest) -> Call<'_, Option<StateItem>> {
        Box::pin(async move { Ok(self.0.get_at(&req.key, self.0.clock.now())) })
    }

    fn set(&self, req: SetRequest) -> Call<'_, ()> {
        Box::pin(async move { self.0.set_at(req, self.0.clock.now()) })
    }

    fn delete(&self, req: DeleteRequest) -> Call<'_, ()> {
        Box::pin(async move { self.0.delete_at(&req, self.0.clock.now()) })
    }

    fn transact(&self, ops: Vec<Operation>, _metadata: Metadata) -> Call<'_, ()> {
        Box::pin(async move { self.0.transact_at(ops, self.0.clock.now()) })
    }
}
