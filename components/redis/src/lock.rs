//! `redis` lock in Layotto's layout: the lock is a plain string key holding the owner, set
//! with `NX` and an expiry, so Layotto sidecars sharing the Redis see the same locks.

use bytes::Bytes;
use layotto_component_api::lock::{TryLockRequest, UnlockStatus};
use layotto_component_api::{Call, ComponentError, LockStore};
use layotto_resp_client::{Client, Command, Reply, Script};

use crate::error::component;

/// Compare-and-delete: -1 nobody holds it, -2 someone else does, else the DEL count.
const UNLOCK: &str = r#"
local owner = redis.call("GET", KEYS[1])
if owner == false then return -1 end
if owner ~= ARGV[1] then return -2 end
return redis.call("DEL", KEYS[1])
"#;

pub(crate) struct RedisLock {
    client: Client,
    unlock: Script,
}

impl RedisLock {
    pub(crate) fn new(client: Client) -> RedisLock {
        RedisLock {
            client,
            unlock: Script::new(UNLOCK),
        }
    }

    /// Every script body, for `SCRIPT LOAD` on each new connection.
    pub(crate) fn scripts() -> Vec<Bytes> {
        vec![Script::new(UNLOCK).body()]
    }
}

impl LockStore for RedisLock {
    fn try_lock(&self, req: TryLockRequest) -> Call<'_, bool> {
        Box::pin(async move {
            let ms = i64::try_from(req.expire.as_millis())
                .unwrap_or(i64::MAX)
                .max(1);
            let reply = self
                .client
                .call(
                    Command::new("SET")
                        .arg_str(&req.resource_id)
                        .arg_str(&req.owner)
                        .arg(Bytes::from_static(b"NX"))
                        .arg(Bytes::from_static(b"PX"))
                        .arg_int(ms),
                )
                .await
                .map_err(component)?;
            match reply.into_result().map_err(component)? {
                Reply::Status(_) => Ok(true),
                Reply::Nil => Ok(false),
                other => Err(ComponentError::Internal(format!(
                    "SET NX answered {other:?}"
                ))),
            }
        })
    }

    fn unlock(&self, resource_id: String, owner: String) -> Call<'_, UnlockStatus> {
        Box::pin(async move {
            let keys = [Bytes::from(resource_id)];
            let args = [Bytes::from(owner)];
            let reply = self
                .unlock
                .run(&self.client, &keys, &args)
                .await
                .map_err(component)?;
            match reply
                .into_result()
                .and_then(|r| r.as_int())
                .map_err(component)?
            {
                -1 => Ok(UnlockStatus::LockUnexist),
                -2 => Ok(UnlockStatus::LockBelongToOthers),
                _ => Ok(UnlockStatus::Success),
            }
        })
    }
}
