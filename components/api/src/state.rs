//! `state`: a key-value store with optimistic concurrency (Layotto §3.2, Dapr's state API).
//!
//! Keys arrive already prefixed (see [`key_prefix`](crate::key_prefix)); values are bytes.
//! An etag is the store's version of a key as a string; what a conditional write does with it
//! depends on [`Concurrency`], and each store documents the exact rules it implements.

use bytes::Bytes;

use crate::{Call, ComponentError, ComponentSpec, Metadata};

/// Dapr's `ttlInSeconds`: per-request metadata giving a key a lifetime.
pub const TTL_METADATA: &str = "ttlInSeconds";

/// The component's default `ttlInSeconds` (its metadata), if it sets one: whole seconds,
/// where zero or less means "no expiry".
pub fn default_ttl(spec: &ComponentSpec) -> Result<Option<i64>, ComponentError> {
    let Some(raw) = spec.metadata_str(TTL_METADATA) else {
        return Ok(None);
    };
    raw.trim()
        .parse::<i64>()
        .map(Some)
        .map_err(|_| ComponentError::Metadata {
            key: TTL_METADATA.into(),
            message: format!("{raw:?} is not an integer number of seconds"),
        })
}

/// A request's `ttlInSeconds`, or `default` when the request gives none.
pub fn request_ttl(
    metadata: &Metadata,
    default: Option<i64>,
) -> Result<Option<i64>, ComponentError> {
    let Some(raw) = metadata.get(TTL_METADATA) else {
        return Ok(default);
    };
    raw.trim().parse::<i64>().map(Some).map_err(|_| {
        ComponentError::InvalidArgument(format!(
            "metadata {TTL_METADATA} {raw:?} is not an integer"
        ))
    })
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Concurrency {
    #[default]
    Unspecified,
    FirstWrite,
    LastWrite,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Consistency {
    #[default]
    Unspecified,
    Eventual,
    Strong,
}

/// A stored value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateItem {
    pub value: Bytes,
    /// The version to quote in a later conditional write; empty if the store has none.
    pub etag: String,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetRequest {
    pub key: String,
    pub consistency: Consistency,
    pub metadata: Metadata,
}

/// One key's answer in a bulk get: a failure of one key does not fail the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkGetItem {
    pub key: String,
    pub result: Result<Option<StateItem>, ComponentError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetRequest {
    pub key: String,
    pub value: Bytes,
    /// `None` (or an empty string) means "no etag".
    pub etag: Option<String>,
    pub concurrency: Concurrency,
    pub consistency: Consistency,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteRequest {
    pub key: String,
    pub etag: Option<String>,
    pub concurrency: Concurrency,
    pub consistency: Consistency,
    pub metadata: Metadata,
}

/// One step of a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Upsert(SetRequest),
    Delete(DeleteRequest),
}

/// What a store supports beyond get/set/delete.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Features {
    pub etag: bool,
    pub transactional: bool,
}

pub trait StateStore {
    fn features(&self) -> Features;

    /// The item, or `None` if the key does not exist (or has expired).
    fn get(&self, req: GetRequest) -> Call<'_, Option<StateItem>>;

    fn set(&self, req: SetRequest) -> Call<'_, ()>;

    /// Deleting a missing key succeeds.
    fn delete(&self, req: DeleteRequest) -> Call<'_, ()>;

    /// One answer per request, in request order. By default, one `get` after another.
    fn bulk_get(&self, reqs: Vec<GetRequest>) -> Call<'_, Vec<BulkGetItem>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(reqs.len());
            for req in reqs {
                let key = req.key.clone();
                let result = self.get(req).await;
                out.push(BulkGetItem { key, result });
            }
            Ok(out)
        })
    }

    /// By default one `set` after another, stopping at the first error (not atomic, as Dapr's
    /// stores without native bulk writes behave).
    fn bulk_set(&self, reqs: Vec<SetRequest>) -> Call<'_, ()> {
        Box::pin(async move {
            for req in reqs {
                self.set(req).await?;
            }
            Ok(())
        })
    }

    /// Like [`bulk_set`](StateStore::bulk_set), for deletes.
    fn bulk_delete(&self, reqs: Vec<DeleteRequest>) -> Call<'_, ()> {
        Box::pin(async move {
            for req in reqs {
                self.delete(req).await?;
            }
            Ok(())
        })
    }

    /// All operations or none. Stores without transactions answer `Unsupported`.
    fn transact(&self, ops: Vec<Operation>, metadata: Metadata) -> Call<'_, ()> {
        let _ = (ops, metadata);
        Box::pin(async { Err(ComponentError::Unsupported("transactions")) })
    }
}
