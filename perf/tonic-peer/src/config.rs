//! The configuration store `config_demo` with the semantics of the sidecar's
//! `in-memory` component (components/memory/src/config.rs), so that the
//! streaming benchmarks compare gRPC stacks, not stores: 64 shards of items,
//! blank group and label stored as `default`, a subscriber gets the current
//! values of its keys at once and then every change it wants, in order
//! (subscribe and save hold the shards of their keys while they register or
//! notify), and a subscriber more than 256 changes behind is ended with
//! RESOURCE_EXHAUSTED rather than buffered without bound.
//!
//! One difference in shape, not in behaviour: the sidecar gives each
//! subscription its own queue, here the subscriptions of one stream share
//! that stream's channel (the natural tokio design), so the 256 bound is per
//! stream.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc;
use tonic::Status;

use crate::pb;

/// The store's name, as in configs/config.json.
pub const STORE: &str = "config_demo";
/// The sidecar's `maxPendingChanges` default.
pub const MAX_PENDING: usize = 256;
const DEFAULT: &str = "default";
const SHARDS: usize = 64;

/// What goes out on a subscription stream.
pub type Push = Result<pb::SubscribeConfigurationResponse, Status>;

type Shard = HashMap<String, pb::ConfigurationItem>;

fn or_default(v: &str) -> String {
    if v.trim().is_empty() {
        DEFAULT.to_owned()
    } else {
        v.to_owned()
    }
}

/// One subscription: which items it wants, and the stream they go to.
struct Watcher {
    stream: u64,
    app_id: String,
    group: String,
    label: String,
    keys: BTreeSet<String>,
    tx: mpsc::Sender<Push>,
}

impl Watcher {
    fn wants(&self, i: &pb::ConfigurationItem) -> bool {
        i.group == self.group
            && i.label == self.label
            && (self.keys.is_empty() || self.keys.contains(&i.key))
    }

    /// Queues a change; false when the stream is gone or too far behind
    /// (then it is told why, in the slot kept for that).
    fn send(&self, items: Vec<pb::ConfigurationItem>) -> bool {
        if self.tx.capacity() <= 1 {
            let _ = self.tx.try_send(Err(Status::resource_exhausted(format!(
                "configuration subscriber fell more than {MAX_PENDING} changes behind and was \
                 dropped; subscribe again"
            ))));
            return false;
        }
        self.tx
            .try_send(Ok(pb::SubscribeConfigurationResponse {
                store_name: STORE.to_owned(),
                app_id: self.app_id.clone(),
                items,
            }))
            .is_ok()
    }
}

pub struct ConfigStore {
    hasher: RandomState,
    shards: Vec<Mutex<Shard>>,
    watchers: Mutex<Vec<Watcher>>,
    streams: AtomicU64,
}

/// Locked shards, ascending by index (the one lock order).
struct Locked<'a>(Vec<(usize, MutexGuard<'a, Shard>)>);

impl Locked<'_> {
    fn shard(&mut self, i: usize) -> Option<&mut Shard> {
        let at = self.0.binary_search_by_key(&i, |(j, _)| *j).ok()?;
        self.0.get_mut(at).map(|(_, g)| &mut **g)
    }
}

fn check_store(name: &str) -> Result<(), Status> {
    if name == STORE {
        Ok(())
    } else {
        Err(Status::invalid_argument(format!(
            "configuration store {name:?} is not found; configured: {STORE}"
        )))
    }
}

impl ConfigStore {
    pub fn new() -> ConfigStore {
        ConfigStore {
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            watchers: Mutex::new(Vec::new()),
            streams: AtomicU64::new(0),
        }
    }

    fn index(&self, key: &str) -> usize {
        (self.hasher.hash_one(key) as usize) % SHARDS
    }

    /// The shards of `keys`, or all of them when there are none.
    fn lock<'k>(&self, keys: impl Iterator<Item = &'k str>) -> Locked<'_> {
        let mut idx: Vec<usize> = keys.map(|k| self.index(k)).collect();
        if idx.is_empty() {
            idx = (0..SHARDS).collect();
        }
        idx.sort_unstable();
        idx.dedup();
        Locked(
            idx.into_iter()
                .filter_map(|i| self.shards.get(i).map(|m| (i, m)))
                .map(|(i, m)| (i, m.lock().unwrap_or_else(PoisonError::into_inner)))
                .collect(),
        )
    }

    fn watchers(&self) -> MutexGuard<'_, Vec<Watcher>> {
        self.watchers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A number for a new subscription stream.
    pub fn open_stream(&self) -> u64 {
        self.streams.fetch_add(1, Ordering::Relaxed)
    }

    pub fn save(&self, r: pb::SaveConfigurationRequest) -> Result<(), Status> {
        check_store(&r.store_name)?;
        if r.items.iter().any(|i| i.key.is_empty()) {
            return Err(Status::invalid_argument(
                "configuration item with an empty key",
            ));
        }
        let items: Vec<pb::ConfigurationItem> = r
            .items
            .into_iter()
            .map(|mut i| {
                i.group = or_default(&i.group);
                i.label = or_default(&i.label);
                i
            })
            .collect();
        let mut locked = self.lock(items.iter().map(|i| i.key.as_str()));
        for item in &items {
            if let Some(shard) = locked.shard(self.index(&item.key)) {
                shard.insert(item.key.clone(), item.clone());
            }
        }
        self.watchers().retain(|w| {
            let mine: Vec<pb::ConfigurationItem> =
                items.iter().filter(|i| w.wants(i)).cloned().collect();
            if mine.is_empty() {
                !w.tx.is_closed()
            } else {
                w.send(mine)
            }
        });
        drop(locked);
        Ok(())
    }

    /// Adds a subscription of `stream`; its current values are pushed first.
    pub fn subscribe(
        &self,
        stream: u64,
        r: pb::SubscribeConfigurationRequest,
        tx: &mpsc::Sender<Push>,
    ) -> Result<(), Status> {
        check_store(&r.store_name)?;
        let w = Watcher {
            stream,
            app_id: r.app_id,
            group: or_default(&r.group),
            label: or_default(&r.label),
            keys: r.keys.into_iter().collect(),
            tx: tx.clone(),
        };
        let mut locked = self.lock(w.keys.iter().map(String::as_str));
        let mut current: Vec<pb::ConfigurationItem> = if w.keys.is_empty() {
            locked
                .0
                .iter()
                .flat_map(|(_, s)| s.values())
                .filter(|i| w.wants(i))
                .cloned()
                .collect()
        } else {
            let mut found = Vec::new();
            for k in &w.keys {
                if let Some(i) = locked.shard(self.index(k)).and_then(|s| s.get(k)) {
                    if w.wants(i) {
                        found.push(i.clone());
                    }
                }
            }
            found
        };
        current.sort_by(|a, b| a.key.cmp(&b.key));
        if !current.is_empty() && !w.send(current) {
            return Ok(());
        }
        self.watchers().push(w);
        drop(locked);
        Ok(())
    }

    /// Drops every subscription of `stream` (it ended).
    pub fn unsubscribe(&self, stream: u64) {
        self.watchers().retain(|w| w.stream != stream);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, content: &str) -> pb::ConfigurationItem {
        pb::ConfigurationItem {
            key: key.into(),
            content: content.into(),
            ..Default::default()
        }
    }

    fn save(s: &ConfigStore, items: Vec<pb::ConfigurationItem>) -> Result<(), Status> {
        s.save(pb::SaveConfigurationRequest {
            store_name: STORE.into(),
            items,
            ..Default::default()
        })
    }

    fn sub(keys: &[&str]) -> pb::SubscribeConfigurationRequest {
        pb::SubscribeConfigurationRequest {
            store_name: STORE.into(),
            app_id: "app".into(),
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
            ..Default::default()
        }
    }

    fn next(rx: &mut mpsc::Receiver<Push>) -> Option<Vec<(String, String)>> {
        let r = rx.try_recv().ok()?.ok()?;
        assert_eq!((r.store_name.as_str(), r.app_id.as_str()), (STORE, "app"));
        Some(r.items.into_iter().map(|i| (i.key, i.content)).collect())
    }

    #[test]
    fn current_values_first_then_wanted_changes() {
        let s = ConfigStore::new();
        save(&s, vec![item("a", "1"), item("b", "2")]).expect("save");
        let (tx, mut rx) = mpsc::channel(MAX_PENDING + 1);
        let id = s.open_stream();
        s.subscribe(id, sub(&["a"]), &tx).expect("subscribe");
        assert_eq!(next(&mut rx), Some(vec![("a".into(), "1".into())]));
        // A key nobody has yet: no current value, nothing pushed.
        s.subscribe(id, sub(&["c"]), &tx).expect("subscribe");
        assert_eq!(next(&mut rx), None);
        save(&s, vec![item("b", "3"), item("c", "4")]).expect("save");
        assert_eq!(next(&mut rx), Some(vec![("c".into(), "4".into())]));
        s.unsubscribe(id);
        save(&s, vec![item("a", "5")]).expect("save");
        assert_eq!(next(&mut rx), None);
        assert!(save(&s, vec![item("", "x")]).is_err());
        let other = pb::SubscribeConfigurationRequest {
            store_name: "nope".into(),
            ..Default::default()
        };
        assert_eq!(
            s.subscribe(id, other, &tx).expect_err("unknown").code(),
            tonic::Code::InvalidArgument
        );
    }

    #[test]
    fn a_lagging_stream_is_ended_with_resource_exhausted() {
        let s = ConfigStore::new();
        let (tx, mut rx) = mpsc::channel(3);
        s.subscribe(s.open_stream(), sub(&["k"]), &tx)
            .expect("subscribe");
        for n in 0..5 {
            save(&s, vec![item("k", &n.to_string())]).expect("save");
        }
        assert!(next(&mut rx).is_some() && next(&mut rx).is_some());
        let end = rx.try_recv().expect("the error");
        assert_eq!(
            end.expect_err("ended").code(),
            tonic::Code::ResourceExhausted
        );
        assert!(s.watchers().is_empty());
    }
}
