//! The lock API (Layotto §3.3): TryLock, Unlock, and LockKeepAlive.
//!
//! TryLock never waits: `success` says whether the caller now holds the lock. `expire` is in
//! seconds and must be positive; empty resource or owner is INVALID_ARGUMENT. Keys get the
//! store's prefix (default `appid`: `lock|||<app_id>||<resource_id>`).
//!
//! Unlock answers SUCCESS, LOCK_UNEXIST (never held, released, or expired) or
//! LOCK_BELONG_TO_OTHERS in the body. Layotto puts INTERNAL_ERROR in the body *and* returns a
//! gRPC error for a failure; a client only sees the error then, so we return the error alone.
//!
//! LockKeepAlive is UNIMPLEMENTED: Layotto's runtime returns an empty answer without touching
//! the lock (and none of its stores can extend a lease), so no Layotto client can rely on it.

use std::rc::Rc;
use std::time::Duration;

use layotto_component_api::lock::{TryLockRequest as LockRequest, UnlockStatus};
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::unlock_response::Status as Unlocked;
use layotto_proto::spec::proto::runtime::v1::{
    LockKeepAliveRequest, LockKeepAliveResponse, TryLockRequest, TryLockResponse, UnlockRequest,
    UnlockResponse,
};

use super::stores::Store;
use super::{errors, required, unary, Ctx};

type LockStore = dyn layotto_component_api::LockStore;

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "TryLock", try_lock);
    unary(routes, ctx, "Unlock", unlock);
    unary(routes, ctx, "LockKeepAlive", keep_alive);
}

fn lock_key(ctx: &Ctx, store: &Store<LockStore>, resource_id: &str) -> Result<String, Status> {
    store
        .prefix
        .lock_key(&ctx.app_id, &store.name, resource_id)
        .map_err(|e| errors::status("lock resource_id", &e))
}

async fn try_lock(ctx: Rc<Ctx>, _: Call, req: TryLockRequest) -> Result<TryLockResponse, Status> {
    let store = ctx.stores.lock.get(&req.store_name)?;
    required(&req.resource_id, "resource_id")?;
    required(&req.lock_owner, "lock_owner")?;
    if req.expire <= 0 {
        return Err(Status::invalid_argument(format!(
            "expire must be a positive number of seconds, got {}",
            req.expire
        )));
    }
    let resource_id = lock_key(&ctx, store, &req.resource_id)?;
    let success = store
        .handle
        .try_lock(LockRequest {
            resource_id,
            owner: req.lock_owner,
            expire: Duration::from_secs(req.expire.unsigned_abs().into()),
        })
        .await
        .map_err(errors::with(&format!(
            "lock store {:?}: try lock",
            store.name
        )))?;
    Ok(TryLockResponse { success })
}

async fn unlock(ctx: Rc<Ctx>, _: Call, req: UnlockRequest) -> Result<UnlockResponse, Status> {
    let store = ctx.stores.lock.get(&req.store_name)?;
    required(&req.resource_id, "resource_id")?;
    required(&req.lock_owner, "lock_owner")?;
    let resource_id = lock_key(&ctx, store, &req.resource_id)?;
    let status = store
        .handle
        .unlock(resource_id, req.lock_owner)
        .await
        .map_err(errors::with(&format!(
            "lock store {:?}: unlock",
            store.name
        )))?;
    let status = match status {
        UnlockStatus::Success => Unlocked::Success,
        UnlockStatus::LockUnexist => Unlocked::LockUnexist,
        UnlockStatus::LockBelongToOthers => Unlocked::LockBelongToOthers,
    };
    Ok(UnlockResponse {
        status: status as i32,
    })
}

async fn keep_alive(
    _: Rc<Ctx>,
    _: Call,
    _: LockKeepAliveRequest,
) -> Result<LockKeepAliveResponse, Status> {
    Err(Status::unimplemented(
        "LockKeepAlive is not implemented (Layotto's runtime does not implement it either); \
         take the lock again with TryLock and a longer expire",
    ))
}
