//! `lock`: non-blocking, expiring, non-reentrant distributed locks (Layotto §3.3).

use std::time::Duration;

use crate::Call;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLockRequest {
    /// Already prefixed by the runtime (`lock|||...`).
    pub resource_id: String,
    pub owner: String,
    /// How long the lock lives unless unlocked; must be > 0.
    pub expire: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockStatus {
    /// The caller held it; it is released.
    Success,
    /// Nobody holds it (never locked, unlocked, or expired).
    LockUnexist,
    /// Someone else holds it; nothing changed.
    LockBelongToOthers,
}

pub trait LockStore {
    /// `true` if the caller now holds the lock; `false` if anyone (the caller included: locks
    /// are not reentrant) holds it. Never waits for the lock.
    fn try_lock(&self, req: TryLockRequest) -> Call<'_, bool>;

    fn unlock(&self, resource_id: String, owner: String) -> Call<'_, UnlockStatus>;
}
