use std::sync::Arc;
use std::time::Duration;

use layotto_component_api::configuration::{ConfigQuery, ConfigurationItem};
use layotto_component_api::{ComponentError, ConfigSubscription};

use super::MemoryConfig;
use crate::block_on;

fn item(key: &str, content: &str) -> ConfigurationItem {
    ConfigurationItem {
        key: key.into(),
        content: content.into(),
        ..ConfigurationItem::default()
    }
}

fn query(keys: &[&str]) -> ConfigQuery {
    ConfigQuery {
        app_id: "app".into(),
        keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        ..ConfigQuery::default()
    }
}

fn contents(items: &[ConfigurationItem]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (i.key.clone(), i.content.clone()))
        .collect()
}

fn pair(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

/// Whether the subscription has nothing to yield right now.
fn idle(w: &dyn ConfigSubscription) -> bool {
    block_on(async { monoio::time::timeout(Duration::from_millis(10), w.next()).await }).is_err()
}

#[test]
fn blank_group_and_label_are_default() {
    let c = MemoryConfig::new(8);
    c.save(vec![item("a", "1"), item("b", "2")]).unwrap();
    let got = c.get(&query(&["a"]));
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].group.as_str(), got[0].label.as_str()),
        ("default", "default")
    );
    assert_eq!(
        contents(&c.get(&query(&[]))),
        vec![pair("a", "1"), pair("b", "2")]
    );
    let other_group = ConfigQuery {
        group: "g".into(),
        ..query(&["a"])
    };
    assert!(c.get(&other_group).is_empty());
    assert!(c.get(&query(&["missing"])).is_empty());
    assert!(c.save(vec![item("", "x")]).is_err());
}

#[test]
fn storage_is_keyed_by_key_alone() {
    let c = MemoryConfig::new(8);
    c.save(vec![item("a", "1")]).unwrap();
    let mut moved = item("a", "2");
    moved.group = "g".into();
    c.save(vec![moved]).unwrap();
    assert!(
        c.get(&query(&["a"])).is_empty(),
        "replaced by the one in group g"
    );
    let in_g = ConfigQuery {
        group: "g".into(),
        ..query(&["a"])
    };
    assert_eq!(contents(&c.get(&in_g)), vec![pair("a", "2")]);
}

#[test]
fn delete_removes_only_matching_keys() {
    let c = MemoryConfig::new(8);
    c.save(vec![item("a", "1"), item("b", "2")]).unwrap();
    c.delete(&query(&[]));
    assert_eq!(c.get(&query(&[])).len(), 2, "no keys deletes nothing");
    c.delete(&query(&["a", "missing"]));
    assert_eq!(contents(&c.get(&query(&[]))), vec![pair("b", "2")]);
}

#[test]
fn a_subscription_gets_current_values_then_each_change() {
    let c = Arc::new(MemoryConfig::new(8));
    c.save(vec![item("a", "1"), item("z", "unwatched")])
        .unwrap();
    let w = MemoryConfig::subscribe(&c, &query(&["a", "b"]));
    assert_eq!(contents(&block_on(w.next()).unwrap()), vec![pair("a", "1")]);
    assert!(idle(&w));
    c.save(vec![item("z", "still unwatched")]).unwrap();
    assert!(idle(&w));
    c.save(vec![item("a", "2"), item("b", "3"), item("z", "x")])
        .unwrap();
    let change = block_on(w.next()).unwrap();
    assert_eq!(contents(&change), vec![pair("a", "2"), pair("b", "3")]);
    c.delete(&query(&["b"]));
    assert_eq!(contents(&block_on(w.next()).unwrap()), vec![pair("b", "")]);
}

#[test]
fn a_subscription_to_nothing_yet_waits_and_to_all_keys_sees_all() {
    let c = Arc::new(MemoryConfig::new(8));
    let all = MemoryConfig::subscribe(&c, &query(&[]));
    assert!(idle(&all), "nothing stored: no initial push");
    c.save(vec![item("x", "1")]).unwrap();
    assert_eq!(
        contents(&block_on(all.next()).unwrap()),
        vec![pair("x", "1")]
    );
}

#[test]
fn a_lagging_subscriber_is_dropped_with_an_error() {
    let c = Arc::new(MemoryConfig::new(2));
    let w = MemoryConfig::subscribe(&c, &query(&["a"]));
    for n in 0..3 {
        c.save(vec![item("a", &n.to_string())]).unwrap();
    }
    assert!(matches!(
        block_on(w.next()),
        Err(ComponentError::ResourceExhausted(_))
    ));
    assert!(c.watchers().is_empty(), "dropped from the watcher list");
    // Subscribing again starts from the current value.
    let again = MemoryConfig::subscribe(&c, &query(&["a"]));
    assert_eq!(
        contents(&block_on(again.next()).unwrap()),
        vec![pair("a", "2")]
    );
}

#[test]
fn dropping_a_subscription_unsubscribes() {
    let c = Arc::new(MemoryConfig::new(2));
    let w = MemoryConfig::subscribe(&c, &query(&["a"]));
    assert_eq!(c.watchers().len(), 1);
    drop(w);
    assert!(c.watchers().is_empty());
    c.save(vec![item("a", "1")]).unwrap();
}
