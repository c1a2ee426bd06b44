//! `in-memory` configuration store with subscriptions that work across cores (Layotto §3.5).
//!
//! Storage is keyed by `key` alone, as Layotto's in-memory store is: group, label and app id
//! are not part of the key, so saving `k` under another group replaces it. Blank groups and
//! labels become `default`. Unlike Layotto's, a get or subscribe only returns items whose group
//! and label match the query's (after defaulting), so the fields mean what they say; with the
//! defaults everywhere the two behave the same. An empty key list means every key. A delete
//! with no keys deletes nothing.
//!
//! Sharing: items sit in a [`Shards`] map in the blueprint; instances are `Arc` handles. Each
//! subscription owns a bounded [`Inbox`] on the shared watcher list. A save (or delete) holds
//! the shards of its keys while it pushes the change to every matching watcher, and a
//! subscribe holds the shards of its keys while it reads the current values and registers, so
//! a subscriber sees the current values first and then every later change, in order, whatever
//! core made it. Lock order is always shards (ascending) → watcher list → inbox. The watcher
//! list is indexed by group, label and key ([`watchers`]), so a save costs what its own
//! subscribers cost, not what all of them do.
//!
//! Backpressure: a watcher more than `maxPendingChanges` (default 256) changes behind is dropped
//! with `ResourceExhausted` rather than letting its queue grow; it may subscribe again and get
//! the current values. A deleted key is pushed as its item with empty content.

#[cfg(test)]
mod tests;
mod watchers;

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use layotto_component_api::configuration::{
    or_default, ConfigQuery, ConfigurationItem, DEFAULT_GROUP, DEFAULT_LABEL,
};
use layotto_component_api::{
    positive_metadata, Call, ComponentError, ComponentSpec, ConfigStore, ConfigSubscription,
    Instance, Metadata, WorkerInfo,
};

use crate::blueprint::Shared;
use crate::inbox::Inbox;
use crate::shards::{Many, Shards};
use watchers::{Watcher, Watchers};

/// The metadata key bounding each subscriber's queue.
pub const MAX_PENDING_METADATA: &str = "maxPendingChanges";
const DEFAULT_MAX_PENDING: usize = 256;

type Changes = Vec<ConfigurationItem>;

pub(crate) struct MemoryConfig {
    items: Shards<ConfigurationItem>,
    // A std mutex: held only to add, remove or push to watchers, never across an await;
    // poisoning is recovered (see shards.rs).
    watchers: Mutex<Watchers>,
    max_pending: usize,
}

/// A query's group, label and keys after defaulting.
struct Selector {
    group: String,
    label: String,
    keys: BTreeSet<String>,
}

impl Selector {
    fn of(q: &ConfigQuery) -> Selector {
        Selector {
            group: or_default(&q.group, DEFAULT_GROUP),
            label: or_default(&q.label, DEFAULT_LABEL),
            keys: q.keys.iter().cloned().collect(),
        }
    }

    fn matches(&self, item: &ConfigurationItem) -> bool {
        item.group == self.group && item.label == self.label
    }
}

impl MemoryConfig {
    pub(crate) fn new(max_pending: usize) -> MemoryConfig {
        MemoryConfig {
            items: Shards::new(),
            watchers: Mutex::new(Watchers::default()),
            max_pending: max_pending.max(1),
        }
    }

    pub(crate) fn from_spec(spec: &ComponentSpec) -> Result<MemoryConfig, ComponentError> {
        let max = positive_metadata(spec, MAX_PENDING_METADATA, DEFAULT_MAX_PENDING)?;
        Ok(MemoryConfig::new(max))
    }

    fn watchers(&self) -> MutexGuard<'_, Watchers> {
        self.watchers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The shards a selector reads: those of its keys, or all of them.
    fn lock_for(&self, keys: &BTreeSet<String>) -> Many<'_, ConfigurationItem> {
        if keys.is_empty() {
            self.items.lock_all()
        } else {
            self.items.lock_many(keys.iter().map(String::as_str))
        }
    }

    fn read(sel: &Selector, locked: &Many<'_, ConfigurationItem>) -> Changes {
        let mut out: Changes = if sel.keys.is_empty() {
            locked
                .iter()
                .flat_map(|s| s.values())
                .filter(|i| sel.matches(i))
                .cloned()
                .collect()
        } else {
            sel.keys
                .iter()
                .filter_map(|k| locked.get(k))
                .filter(|i| sel.matches(i))
                .cloned()
                .collect()
        };
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    pub(crate) fn get(&self, q: &ConfigQuery) -> Changes {
        let sel = Selector::of(q);
        Self::read(&sel, &self.lock_for(&sel.keys))
    }

    /// Hands `changed` to every watcher that wants some of it; drops watchers that lag.
    /// Called with the changed keys' shards held.
    fn notify(&self, changed: &[ConfigurationItem]) {
        if !changed.is_empty() {
            self.watchers().notify(changed, self.max_pending);
        }
    }

    pub(crate) fn save(&self, items: Vec<ConfigurationItem>) -> Result<(), ComponentError> {
        if items.iter().any(|i| i.key.is_empty()) {
            return Err(ComponentError::InvalidArgument(
                "configuration item with an empty key".into(),
            ));
        }
        let items: Changes = items
            .into_iter()
            .map(|mut i| {
                i.group = or_default(&i.group, DEFAULT_GROUP);
                i.label = or_default(&i.label, DEFAULT_LABEL);
                i
            })
            .collect();
        let mut locked = self.items.lock_many(items.iter().map(|i| i.key.as_str()));
        for item in &items {
            if let Some(shard) = locked.shard(&item.key) {
                shard.insert(item.key.clone(), item.clone());
            }
        }
        self.notify(&items);
        Ok(())
    }

    pub(crate) fn delete(&self, q: &ConfigQuery) {
        let sel = Selector::of(q);
        if sel.keys.is_empty() {
            return;
        }
        let mut locked = self.items.lock_many(sel.keys.iter().map(String::as_str));
        let mut gone = Vec::new();
        for key in &sel.keys {
            let Some(shard) = locked.shard(key) else {
                continue;
            };
            if shard.get(key).is_some_and(|i| sel.matches(i)) {
                if let Some(mut item) = shard.remove(key) {
                    item.content.clear();
                    gone.push(item);
                }
            }
        }
        self.notify(&gone);
    }

    pub(crate) fn subscribe(this: &Arc<Self>, q: &ConfigQuery) -> ConfigWatch {
        let sel = Selector::of(q);
        let inbox = Inbox::new(this.max_pending);
        let locked = this.lock_for(&sel.keys);
        let current = Self::read(&sel, &locked);
        if !current.is_empty() {
            // A fresh inbox has room for one batch.
            let _ = inbox.push(current);
        }
        let id = this.watchers().add(Watcher {
            group: sel.group,
            label: sel.label,
            keys: sel.keys,
            inbox: Arc::clone(&inbox),
        });
        drop(locked);
        ConfigWatch {
            id,
            inbox,
            store: Arc::clone(this),
        }
    }
}

impl Shared for MemoryConfig {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::ConfigStore(Rc::new(ConfigHandle(Arc::clone(this))))
    }
}

struct ConfigHandle(Arc<MemoryConfig>);

impl ConfigStore for ConfigHandle {
    fn get(&self, query: ConfigQuery) -> Call<'_, Changes> {
        Box::pin(async move { Ok(self.0.get(&query)) })
    }

    fn save(&self, _app_id: String, items: Changes, _: Metadata) -> Call<'_, ()> {
        Box::pin(async move { self.0.save(items) })
    }

    fn delete(&self, query: ConfigQuery) -> Call<'_, ()> {
        Box::pin(async move {
            self.0.delete(&query);
            Ok(())
        })
    }

    fn subscribe(&self, query: ConfigQuery) -> Call<'_, Box<dyn ConfigSubscription>> {
        Box::pin(async move {
            let watch: Box<dyn ConfigSubscription> =
                Box::new(MemoryConfig::subscribe(&self.0, &query));
            Ok(watch)
        })
    }
}

/// One subscriber; dropping it unsubscribes.
pub(crate) struct ConfigWatch {
    id: u64,
    inbox: Arc<Inbox<Changes>>,
    store: Arc<MemoryConfig>,
}

impl ConfigSubscription for ConfigWatch {
    fn next(&self) -> Call<'_, Changes> {
        Box::pin(self.inbox.recv())
    }
}

impl Drop for ConfigWatch {
    fn drop(&mut self) {
        self.inbox
            .close(ComponentError::Unavailable("unsubscribed".into()));
        self.store.watchers().remove(self.id);
    }
}
