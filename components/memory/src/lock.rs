//! `in-memory` lock: owner and expiry per resource, one truth for all cores (Layotto §3.3).
//!
//! Sharing: a [`Shards`] map in the blueprint (64 mutexes by key hash); instances are `Arc`
//! handles. A sharded mutex, not an owner core reached by mailbox: try-lock is one map lookup,
//! far cheaper than a cross-core hop, and "exactly one winner" follows from the shard's mutex.
//!
//! Expiry is read from an injected [`Clock`]; the rules take `now`, so tests move time instead
//! of sleeping. An expired lock counts as free and is removed when next touched. Locks are not
//! reentrant: the holder's second try-lock fails, as on redis.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use layotto_component_api::lock::{TryLockRequest, UnlockStatus};
use layotto_component_api::{Call, Clock, ComponentError, Instance, LockStore, WorkerInfo};

use crate::blueprint::Shared;
use crate::shards::Shards;

struct Held {
    owner: String,
    expires: Instant,
}

pub(crate) struct MemoryLock {
    shards: Shards<Held>,
    clock: Arc<dyn Clock>,
}

impl MemoryLock {
    pub(crate) fn new(clock: Arc<dyn Clock>) -> MemoryLock {
        MemoryLock {
            shards: Shards::new(),
            clock,
        }
    }

    pub(crate) fn try_lock_at(
        &self,
        req: TryLockRequest,
        now: Instant,
    ) -> Result<bool, ComponentError> {
        if req.resource_id.is_empty() || req.owner.is_empty() || req.expire.is_zero() {
            return Err(ComponentError::InvalidArgument(
                "resource id, owner and a positive expiry are required".into(),
            ));
        }
        let expires = now
            .checked_add(req.expire)
            .ok_or_else(|| ComponentError::InvalidArgument("expiry too far away".into()))?;
        let mut shard = self.shards.lock(&req.resource_id);
        if shard.get(&req.resource_id).is_some_and(|h| now < h.expires) {
            return Ok(false);
        }
        shard.insert(
            req.resource_id,
            Held {
                owner: req.owner,
                expires,
            },
        );
        Ok(true)
    }

    pub(crate) fn unlock_at(&self, resource_id: &str, owner: &str, now: Instant) -> UnlockStatus {
        let mut shard = self.shards.lock(resource_id);
        match shard.get(resource_id) {
            None => UnlockStatus::LockUnexist,
            Some(h) if now >= h.expires => {
                shard.remove(resource_id);
                UnlockStatus::LockUnexist
            }
            Some(h) if h.owner != owner => UnlockStatus::LockBelongToOthers,
            Some(_) => {
                shard.remove(resource_id);
                UnlockStatus::Success
            }
        }
    }
}

impl Shared for MemoryLock {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::Lock(Rc::new(LockHandle(Arc::clone(this))))
    }
}

struct LockHandle(Arc<MemoryLock>);

impl LockStore for LockHandle {
    fn try_lock(&self, req: TryLockRequest) -> Call<'_, bool> {
        Box::pin(async move { self.0.try_lock_at(req, self.0.clock.now()) })
    }

    fn unlock(&self, resource_id: String, owner: String) -> Call<'_, UnlockStatus> {
        Box::pin(async move { Ok(self.0.unlock_at(&resource_id, &owner, self.0.clock.now())) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layotto_component_api::ManualClock;
    use std::time::Duration;

    fn req(id: &str, owner: &str, secs: u64) -> TryLockRequest {
        TryLockRequest {
            resource_id: id.into(),
            owner: owner.into(),
            expire: Duration::from_secs(secs),
        }
    }

    #[test]
    fn one_owner_at_a_time_and_not_reentrant() {
        let clock = ManualClock::new();
        let l = MemoryLock::new(clock.clone());
        let now = clock.now();
        assert_eq!(l.try_lock_at(req("r", "a", 10), now), Ok(true));
        assert_eq!(l.try_lock_at(req("r", "b", 10), now), Ok(false));
        assert_eq!(
            l.try_lock_at(req("r", "a", 10), now),
            Ok(false),
            "not reentrant"
        );
        assert_eq!(l.try_lock_at(req("other", "b", 10), now), Ok(true));
    }

    #[test]
    fn unlock_statuses() {
        let clock = ManualClock::new();
        let l = MemoryLock::new(clock.clone());
        let now = clock.now();
        assert_eq!(l.unlock_at("r", "a", now), UnlockStatus::LockUnexist);
        l.try_lock_at(req("r", "a", 10), now).unwrap();
        assert_eq!(l.unlock_at("r", "b", now), UnlockStatus::LockBelongToOthers);
        assert_eq!(l.unlock_at("r", "a", now), UnlockStatus::Success);
        assert_eq!(l.unlock_at("r", "a", now), UnlockStatus::LockUnexist);
        assert_eq!(l.try_lock_at(req("r", "b", 10), now), Ok(true));
    }

    #[test]
    fn an_expired_lock_is_free() {
        let clock = ManualClock::new();
        let l = MemoryLock::new(clock.clone());
        l.try_lock_at(req("r", "a", 5), clock.now()).unwrap();
        clock.advance(Duration::from_millis(4999));
        assert_eq!(l.try_lock_at(req("r", "b", 5), clock.now()), Ok(false));
        clock.advance(Duration::from_millis(1));
        assert_eq!(
            l.unlock_at("r", "a", clock.now()),
            UnlockStatus::LockUnexist
        );
        l.try_lock_at(req("r", "a", 5), clock.now()).unwrap();
        clock.advance(Duration::from_secs(5));
        assert_eq!(l.try_lock_at(req("r", "b", 5), clock.now()), Ok(true));
        assert_eq!(
            l.unlock_at("r", "a", clock.now()),
            UnlockStatus::LockBelongToOthers
        );
    }

    #[test]
    fn bad_requests_are_invalid_arguments() {
        let clock = ManualClock::new();
        let l = MemoryLock::new(clock.clone());
        for bad in [req("", "a", 1), req("r", "", 1), req("r", "a", 0)] {
            assert!(matches!(
                l.try_lock_at(bad, clock.now()),
                Err(ComponentError::InvalidArgument(_))
            ));
        }
    }
}
