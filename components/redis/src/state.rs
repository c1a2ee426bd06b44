//! `redis` state store in Dapr v1.5.2's layout (see [`scripts`]): data written here is
//! readable by Layotto and Dapr sidecars on the same Redis, and the other way round.
//!
//! Differences from Dapr, each deliberate:
//! - bulk get and bulk set/delete are pipelined (one round trip), not one call per key, so a
//!   failing item does not stop the ones after it (Dapr's loop stops at the first error); the
//!   call still reports the first failure;
//! - transactions are one Lua script that checks every etag before writing anything, so a
//!   failed check leaves nothing half-applied (Dapr's MULTI/EXEC applies the operations that
//!   passed);
//! - TTL is set inside the write script, atomically with the value;
//! - a delete without an etag is unconditional (Layotto turns a missing etag into "" and
//!   fails; see layotto-facts §3.2).
//! - `consistency: strong` does not add `WAIT`: replicas are not this component's business
//!   yet.

mod scripts;

use bytes::Bytes;
use layotto_component_api::state::{
    request_ttl, BulkGetItem, Concurrency, DeleteRequest, Features, GetRequest, Operation,
    SetRequest, StateItem, TTL_METADATA,
};
use layotto_component_api::{Call, ComponentError, Metadata, StateStore};
use layotto_resp_client::{Client, Command, Reply, RespError};

use crate::error::component;
use scripts::{Scripts, MISMATCH};

/// One worker's state store.
pub(crate) struct RedisState {
    client: Client,
    scripts: Scripts,
    default_ttl: Option<i64>,
}

impl RedisState {
    pub(crate) fn new(client: Client, default_ttl: Option<i64>) -> RedisState {
        RedisState {
            client,
            scripts: Scripts::new(),
            default_ttl,
        }
    }

    fn ttl(&self, metadata: &Metadata) -> Result<Option<i64>, ComponentError> {
        within_redis_range(request_ttl(metadata, self.default_ttl)?)
    }

    async fn get_one(&self, key: &str) -> Result<Option<StateItem>, ComponentError> {
        let reply = self
            .client
            .call(Command::new("HGETALL").arg_str(key))
            .await
            .map_err(component)?;
        self.item(key, reply).await
    }

    /// An `HGETALL` reply as an item; a key of another type is read with `GET` and has no etag.
    async fn item(&self, key: &str, reply: Reply) -> Result<Option<StateItem>, ComponentError> {
        if reply.error().is_some_and(|e| e.starts_with("WRONGTYPE")) {
            let plain = self
                .client
                .call(Command::new("GET").arg_str(key))
                .await
                .map_err(component)?;
            return match plain.into_result().map_err(component)? {
                Reply::Bulk(value) => Ok(Some(StateItem {
                    value,
                    ..StateItem::default()
                })),
                _ => Ok(None),
            };
        }
        let pairs = reply
            .into_result()
            .and_then(Reply::into_pairs)
            .map_err(component)?;
        if pairs.is_empty() {
            return Ok(None);
        }
        let field = |name: &[u8]| pairs.iter().find(|(f, _)| &f[..] == name).map(|(_, v)| v);
        let (Some(value), Some(version)) = (field(b"data"), field(b"version")) else {
            return Err(ComponentError::Internal(format!(
                "redis key {key:?} is a hash without the data and version fields"
            )));
        };
        Ok(Some(StateItem {
            value: value.clone(),
            etag: String::from_utf8_lossy(version).into_owned(),
            metadata: Metadata::new(),
        }))
    }

    /// Runs `script` once per call in one pipeline; the first failure (in call order) is the
    /// answer, with its etag mismatch attributed to its key.
    async fn run_checked(
        &self,
        script: &layotto_resp_client::Script,
        calls: &[(Vec<Bytes>, Vec<Bytes>)],
        keys: impl Iterator<Item = &str>,
    ) -> Result<(), ComponentError> {
        let replies = script
            .run_all(&self.client, calls)
            .await
            .map_err(component)?;
        for (key, reply) in keys.zip(replies) {
            checked(key, Ok(reply))?;
        }
        Ok(())
    }

    fn set_args(&self, req: &SetRequest) -> Result<[Bytes; 4], ComponentError> {
        let ttl = self.ttl(&req.metadata)?;
        Ok([
            expected(&req.key, req.etag.as_deref(), req.concurrency)?,
            req.value.clone(),
            Bytes::from_static(if req.concurrency == Concurrency::FirstWrite {
                b"0"
            } else {
                b"1"
            }),
            ttl.map(|t| Bytes::from(t.to_string())).unwrap_or_default(),
        ])
    }
}

/// The version a write expects: "0" (none) for last-write or no etag, else the etag, which
/// must be an integer as every version this layout has is.
fn expected(key: &str, etag: Option<&str>, c: Concurrency) -> Result<Bytes, ComponentError> {
    match etag.filter(|e| !e.is_empty()) {
        Some(e) if c != Concurrency::LastWrite => {
            // Normalised as Dapr does (it parses the etag): "05" and "5" are the same version.
            match e.parse::<i64>() {
                Ok(n) => Ok(Bytes::from(n.to_string())),
                Err(_) => Err(ComponentError::EtagInvalid {
                    key: key.to_owned(),
                    etag: e.to_owned(),
                }),
            }
        }
        _ => Ok(Bytes::from_static(b"0")),
    }
}

/// Longest TTL accepted. Redis refuses an EXPIRE whose expiry time overflows, and the script
/// would meet that only after writing the value.
const MAX_TTL: i64 = i32::MAX as i64;

fn within_redis_range(ttl: Option<i64>) -> Result<Option<i64>, ComponentError> {
    match ttl {
        Some(t) if t > MAX_TTL => Err(ComponentError::InvalidArgument(format!(
            "{TTL_METADATA} {t} is over the {MAX_TTL} seconds this store accepts"
        ))),
        ttl => Ok(ttl),
    }
}

/// Every script body, for `SCRIPT LOAD` on each new connection.
pub(crate) fn scripts() -> Vec<Bytes> {
    Scripts::bodies()
}

/// The component's default TTL, held to the same range as a request's.
pub(crate) fn default_ttl(
    spec: &layotto_component_api::ComponentSpec,
) -> Result<Option<i64>, ComponentError> {
    let ttl = layotto_component_api::state::default_ttl(spec)?;
    within_redis_range(ttl).map_err(|e| ComponentError::Metadata {
        key: TTL_METADATA.into(),
        message: e.to_string(),
    })
}

/// A script's reply: a mismatch error becomes [`ComponentError::EtagMismatch`] for `key`.
fn checked(key: &str, reply: Result<Reply, RespError>) -> Result<Reply, ComponentError> {
    let reply = reply.map_err(component)?;
    match reply.error() {
        Some(e) if mismatch(e).is_some() => Err(ComponentError::EtagMismatch {
            key: key.to_owned(),
        }),
        _ => reply.into_result().map_err(component),
    }
}

/// The text after the mismatch marker, if `error` is one. Redis prefixes `ERR ` to script
/// errors whose first word is not followed by a space, so both forms arrive.
fn mismatch(error: &str) -> Option<&str> {
    error
        .strip_prefix("ERR ")
        .unwrap_or(error)
        .strip_prefix(MISMATCH)
}

fn key_bytes(k: &str) -> Bytes {
    Bytes::copy_from_slice(k.as_bytes())
}

impl StateStore for RedisState {
    fn features(&self) -> Features {
        Features {
            etag: true,
            transactional: true,
        }
    }

    fn get(&self, req: GetRequest) -> Call<'_, Option<StateItem>> {
        Box::pin(async move { self.get_one(&req.key).await })
    }

    fn set(&self, req: SetRequest) -> Call<'_, ()> {
        Box::pin(async move {
            let args = self.set_args(&req)?;
            let reply = self
                .scripts
                .set
                .run(&self.client, &[key_bytes(&req.key)], &args)
                .await;
            checked(&req.key, reply).map(drop)
        })
    }

    fn delete(&self, req: DeleteRequest) -> Call<'_, ()> {
        Box::pin(async move {
            let want = expected(&req.key, req.etag.as_deref(), req.concurrency)?;
            let reply = self
                .scripts
                .delete
                .run(&self.client, &[key_bytes(&req.key)], &[want])
                .await;
            checked(&req.key, reply).map(drop)
        })
    }

    fn bulk_get(&self, reqs: Vec<GetRequest>) -> Call<'_, Vec<BulkGetItem>> {
        Box::pin(async move {
            let cmds: Vec<Command> = reqs
                .iter()
                .map(|r| Command::new("HGETALL").arg_str(&r.key))
                .collect();
            let replies = self.client.pipeline(&cmds).await.map_err(component)?;
            let mut out = Vec::with_capacity(reqs.len());
            for (req, reply) in reqs.into_iter().zip(replies) {
                let result = self.item(&req.key, reply).await;
                out.push(BulkGetItem {
                    key: req.key,
                    result,
                });
            }
            Ok(out)
        })
    }

    fn bulk_set(&self, mut reqs: Vec<SetRequest>) -> Call<'_, ()> {
        if reqs.len() == 1 {
            if let Some(one) = reqs.pop() {
                return self.set(one);
            }
        }
        Box::pin(async move {
            let mut calls = Vec::with_capacity(reqs.len());
            for r in &reqs {
                calls.push((vec![key_bytes(&r.key)], self.set_args(r)?.to_vec()));
            }
            let keys = reqs.iter().map(|r| r.key.as_str());
            self.run_checked(&self.scripts.set, &calls, keys).await
        })
    }

    fn bulk_delete(&self, reqs: Vec<DeleteRequest>) -> Call<'_, ()> {
        Box::pin(async move {
            let mut calls = Vec::with_capacity(reqs.len());
            for r in &reqs {
                let want = expected(&r.key, r.etag.as_deref(), r.concurrency)?;
                calls.push((vec![key_bytes(&r.key)], vec![want]));
            }
            let keys = reqs.iter().map(|r| r.key.as_str());
            self.run_checked(&self.scripts.delete, &calls, keys).await
        })
    }

    fn transact(&self, ops: Vec<Operation>, metadata: Metadata) -> Call<'_, ()> {
        Box::pin(async move {
            if ops.is_empty() {
                return Ok(());
            }
            let mut keys = Vec::with_capacity(ops.len());
            let mut args = Vec::with_capacity(ops.len() * 4);
            for op in &ops {
                match op {
                    Operation::Upsert(r) => {
                        let mut merged = metadata.clone();
                        merged.extend(r.metadata.clone());
                        let ttl = self.ttl(&merged)?;
                        keys.push(key_bytes(&r.key));
                        args.push(Bytes::from_static(b"set"));
                        args.push(expected(&r.key, r.etag.as_deref(), r.concurrency)?);
                        args.push(r.value.clone());
                        args.push(ttl.map(|t| Bytes::from(t.to_string())).unwrap_or_default());
                    }
                    Operation::Delete(r) => {
                        keys.push(key_bytes(&r.key));
                        args.push(Bytes::from_static(b"del"));
                        args.push(expected(&r.key, r.etag.as_deref(), r.concurrency)?);
                        args.push(Bytes::new());
                        args.push(Bytes::new());
                    }
                }
            }
            let reply = self
                .scripts
                .transact
                .run(&self.client, &keys, &args)
                .await
                .map_err(component)?;
            if let Some(e) = reply.error() {
                if let Some(index) = mismatch(e) {
                    let key = index
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| ops.get(i.wrapping_sub(1)))
                        .map(|op| match op {
                            Operation::Upsert(r) => r.key.clone(),
                            Operation::Delete(r) => r.key.clone(),
                        })
                        .unwrap_or_default();
                    return Err(ComponentError::EtagMismatch { key });
                }
            }
            reply.into_result().map(drop).map_err(component)
        })
    }
}
