//! The pure rules of the in-memory state store: etags, first-write, TTL. No locks, no clock:
//! the caller passes the locked map and `now`.
//!
//! The rules are Dapr v1.5.2's redis store (facts §3.2, §5.2), which is what a Layotto client
//! observes, not Layotto's in-memory mock (that one ignores etags and stores the caller's etag
//! as the item's; we do not copy that):
//! - the etag is the key's version as a decimal string, bumped on every write;
//! - last-write, or no etag: unconditional, unless the key was once written with first-write,
//!   after which only a matching etag may write it (redis reports a plain failure there; we
//!   report the conflict it is, `EtagMismatch`);
//! - an etag with first-write or unspecified concurrency must equal the stored version, or the
//!   key must not exist;
//! - a non-numeric etag is `EtagInvalid` (unless last-write, which never reads it).
//!
//! One deliberate difference from redis: versions come from one counter per store and are
//! never reused, so an etag read before a delete cannot match the key written again after it
//! (redis restarts that key at 1).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use layotto_component_api::state::request_ttl;
use layotto_component_api::state::{Concurrency, DeleteRequest, SetRequest, StateItem};
use layotto_component_api::{ComponentError, Metadata};

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) value: Bytes,
    pub(crate) version: u64,
    /// Written once with first-write: later writes need a matching etag.
    pub(crate) first_write: bool,
    pub(crate) expires: Option<Instant>,
}

impl Entry {
    fn live(&self, now: Instant) -> bool {
        self.expires.is_none_or(|at| now < at)
    }
}

/// What a write does to the key's lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ttl {
    /// No `ttlInSeconds`: the key keeps the lifetime it had (as redis keeps a key's TTL).
    Keep,
    /// `ttlInSeconds` ≤ 0: the key no longer expires.
    Persist,
    ExpireIn(Duration),
}

/// Reads `ttlInSeconds` from the request, else the store's default.
pub(crate) fn ttl(metadata: &Metadata, default: Option<i64>) -> Result<Ttl, ComponentError> {
    let seconds = request_ttl(metadata, default)?;
    Ok(match seconds {
        None => Ttl::Keep,
        Some(s) if s <= 0 => Ttl::Persist,
        Some(s) => Ttl::ExpireIn(Duration::from_secs(s.unsigned_abs())),
    })
}

/// The version an etag names, or `None` when the write is not conditional.
fn expected(
    key: &str,
    etag: Option<&str>,
    concurrency: Concurrency,
) -> Result<Option<u64>, ComponentError> {
    if concurrency == Concurrency::LastWrite {
        return Ok(None);
    }
    match etag {
        None | Some("") => Ok(None),
        Some(e) => e
            .parse::<u64>()
            .map(Some)
            .map_err(|_| ComponentError::EtagInvalid {
                key: key.to_owned(),
                etag: e.to_owned(),
            }),
    }
}

/// The live entry for `key`; an expired one is removed on the way.
fn live<'m>(map: &'m mut HashMap<String, Entry>, key: &str, now: Instant) -> Option<&'m Entry> {
    if map.get(key).is_some_and(|e| !e.live(now)) {
        map.remove(key);
    }
    map.get(key)
}

pub(crate) fn get(map: &mut HashMap<String, Entry>, key: &str, now: Instant) -> Option<StateItem> {
    live(map, key, now).map(|e| StateItem {
        value: e.value.clone(),
        etag: e.version.to_string(),
        metadata: Metadata::new(),
    })
}

/// Applies one set. `version` is the store's next version; `mark_first_write` is false inside
/// transactions, which never set the first-write marker (as redis's do not).
pub(crate) fn set(
    map: &mut HashMap<String, Entry>,
    req: SetRequest,
    ttl: Ttl,
    version: u64,
    mark_first_write: bool,
    now: Instant,
) -> Result<(), ComponentError> {
    let expected = expected(&req.key, req.etag.as_deref(), req.concurrency)?;
    let current = live(map, &req.key, now);
    if let Some(cur) = current {
        let allowed = match expected {
            Some(v) => v == cur.version,
            None => !cur.first_write,
        };
        if !allowed {
            return Err(ComponentError::EtagMismatch { key: req.key });
        }
    }
    let first_write = current.is_some_and(|c| c.first_write)
        || (mark_first_write && req.concurrency == Concurrency::FirstWrite);
    let expires = match ttl {
        Ttl::Keep => current.and_then(|c| c.expires),
        Ttl::Persist => None,
        Ttl::ExpireIn(d) => Some(now + d),
    };
    map.insert(
        req.key,
        Entry {
            value: req.value,
            version,
            first_write,
            expires,
        },
    );
    Ok(())
}

/// Applies one delete: unconditional without an etag (or with last-write); a missing key is
/// not an error.
pub(crate) fn delete(
    map: &mut HashMap<String, Entry>,
    req: &DeleteRequest,
    now: Instant,
) -> Result<(), ComponentError> {
    let expected = expected(&req.key, req.etag.as_deref(), req.concurrency)?;
    if let (Some(cur), Some(v)) = (live(map, &req.key, now), expected) {
        if cur.version != v {
            return Err(ComponentError::EtagMismatch {
                key: req.key.clone(),
            });
        }
    }
    map.remove(&req.key);
    Ok(())
}
