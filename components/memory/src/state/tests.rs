use std::time::Duration;

use bytes::Bytes;
use layotto_component_api::state::Concurrency::{FirstWrite, LastWrite, Unspecified};
use layotto_component_api::state::{Concurrency, DeleteRequest, Operation, SetRequest};
use layotto_component_api::{Clock, ComponentError, ManualClock, Metadata};

use super::MemoryState;

fn store() -> (MemoryState, std::sync::Arc<ManualClock>) {
    let clock = ManualClock::new();
    (MemoryState::new(None, clock.clone()), clock)
}

fn set(key: &str, value: &str, etag: Option<&str>, c: Concurrency) -> SetRequest {
    SetRequest {
        key: key.into(),
        value: Bytes::from(value.to_owned()),
        etag: etag.map(str::to_owned),
        concurrency: c,
        ..SetRequest::default()
    }
}

fn del(key: &str, etag: Option<&str>) -> DeleteRequest {
    DeleteRequest {
        key: key.into(),
        etag: etag.map(str::to_owned),
        ..DeleteRequest::default()
    }
}

fn mismatch(key: &str) -> Result<(), ComponentError> {
    Err(ComponentError::EtagMismatch { key: key.into() })
}

#[test]
fn missing_keys_are_none_and_versions_grow() {
    let (s, c) = store();
    let now = c.now();
    assert!(s.get_at("k", now).is_none());
    s.set_at(set("k", "a", None, Unspecified), now).unwrap();
    let first = s.get_at("k", now).unwrap();
    assert_eq!(first.value, Bytes::from_static(b"a"));
    assert_eq!(first.etag, "1");
    s.set_at(set("k", "b", None, Unspecified), now).unwrap();
    let second = s.get_at("k", now).unwrap();
    assert_eq!(second.etag, "2");
}

/// The etag × concurrency matrix on an existing, unmarked key at version 1.
#[test]
fn etag_matrix_on_an_existing_key() {
    let cases: [(Option<&str>, Concurrency, bool); 9] = [
        (None, Unspecified, true),
        (None, LastWrite, true),
        (None, FirstWrite, true),
        (Some("1"), Unspecified, true),
        (Some("1"), FirstWrite, true),
        (Some("1"), LastWrite, true),
        (Some("9"), Unspecified, false),
        (Some("9"), FirstWrite, false),
        (Some("9"), LastWrite, true),
    ];
    for (etag, conc, ok) in cases {
        let (s, c) = store();
        let now = c.now();
        s.set_at(set("k", "v1", None, Unspecified), now).unwrap();
        let got = s.set_at(set("k", "v2", etag, conc), now);
        assert_eq!(got.is_ok(), ok, "etag {etag:?} with {conc:?}: {got:?}");
        let value = s.get_at("k", now).unwrap().value;
        assert_eq!(value, if ok { "v2" } else { "v1" }, "{etag:?} {conc:?}");
        if !ok {
            assert_eq!(got, mismatch("k"));
        }
    }
}

#[test]
fn an_etag_write_to_a_missing_key_succeeds() {
    let (s, c) = store();
    let now = c.now();
    s.set_at(set("new", "v", Some("5"), FirstWrite), now)
        .unwrap();
    assert!(s.get_at("new", now).is_some());
}

#[test]
fn first_write_marks_the_key_for_etag_only_writes() {
    let (s, c) = store();
    let now = c.now();
    s.set_at(set("k", "a", None, FirstWrite), now).unwrap();
    assert_eq!(
        s.set_at(set("k", "b", None, Unspecified), now),
        mismatch("k")
    );
    assert_eq!(s.set_at(set("k", "b", None, LastWrite), now), mismatch("k"));
    let etag = s.get_at("k", now).unwrap().etag;
    s.set_at(set("k", "b", Some(&etag), Unspecified), now)
        .unwrap();
    // The mark stays.
    assert_eq!(
        s.set_at(set("k", "c", None, Unspecified), now),
        mismatch("k")
    );
}

#[test]
fn invalid_etags_are_refused_unless_last_write() {
    let (s, c) = store();
    let now = c.now();
    let invalid = Err(ComponentError::EtagInvalid {
        key: "k".into(),
        etag: "abc".into(),
    });
    assert_eq!(
        s.set_at(set("k", "v", Some("abc"), Unspecified), now),
        invalid
    );
    assert_eq!(
        s.set_at(set("k", "v", Some("abc"), FirstWrite), now),
        invalid
    );
    assert_eq!(s.delete_at(&del("k", Some("abc")), now), invalid);
    s.set_at(set("k", "v", Some("abc"), LastWrite), now)
        .unwrap();
    // An empty etag is no etag.
    s.set_at(set("k", "w", Some(""), Unspecified), now).unwrap();
}

#[test]
fn deletes_check_etags_and_missing_keys_are_fine() {
    let (s, c) = store();
    let now = c.now();
    s.delete_at(&del("nothing", None), now).unwrap();
    s.delete_at(&del("nothing", Some("3")), now).unwrap();
    s.set_at(set("k", "v", None, Unspecified), now).unwrap();
    assert_eq!(s.delete_at(&del("k", Some("7")), now), mismatch("k"));
    assert!(s.get_at("k", now).is_some());
    s.delete_at(&del("k", Some("1")), now).unwrap();
    assert!(s.get_at("k", now).is_none());
    s.set_at(set("k", "v", None, Unspecified), now).unwrap();
    s.delete_at(&del("k", None), now).unwrap();
    assert!(s.get_at("k", now).is_none());
}

#[test]
fn versions_are_not_reused_after_a_delete() {
    let (s, c) = store();
    let now = c.now();
    s.set_at(set("k", "v", None, Unspecified), now).unwrap();
    let old = s.get_at("k", now).unwrap().etag;
    s.delete_at(&del("k", None), now).unwrap();
    s.set_at(set("k", "v", None, Unspecified), now).unwrap();
    assert_ne!(s.get_at("k", now).unwrap().etag, old);
    assert_eq!(
        s.set_at(set("k", "x", Some(&old), Unspecified), now),
        mismatch("k")
    );
}

fn with_ttl(mut req: SetRequest, ttl: &str) -> SetRequest {
    req.metadata = Metadata::from([("ttlInSeconds".to_owned(), ttl.to_owned())]);
    req
}

#[test]
fn ttl_expires_keys_and_can_be_kept_or_removed() {
    let (s, c) = store();
    s.set_at(with_ttl(set("k", "v", None, Unspecified), "10"), c.now())
        .unwrap();
    c.advance(Duration::from_secs(9));
    assert!(s.get_at("k", c.now()).is_some());
    // A write without ttlInSeconds keeps the expiry.
    s.set_at(set("k", "w", None, Unspecified), c.now()).unwrap();
    c.advance(Duration::from_secs(1));
    assert!(s.get_at("k", c.now()).is_none(), "expired = absent");
    // An expired key is a missing key: an etag write to it succeeds.
    s.set_at(
        with_ttl(set("k", "v", Some("99"), Unspecified), "5"),
        c.now(),
    )
    .unwrap();
    s.set_at(with_ttl(set("k", "v", None, Unspecified), "-1"), c.now())
        .unwrap();
    c.advance(Duration::from_secs(3600));
    assert!(s.get_at("k", c.now()).is_some(), "ttl <= 0 persists");
    let bad = s.set_at(with_ttl(set("k", "v", None, Unspecified), "soon"), c.now());
    assert!(matches!(bad, Err(ComponentError::InvalidArgument(_))));
}

#[test]
fn the_store_default_ttl_applies_when_a_request_has_none() {
    let clock = ManualClock::new();
    let s = MemoryState::new(Some(2), clock.clone());
    s.set_at(set("k", "v", None, Unspecified), clock.now())
        .unwrap();
    clock.advance(Duration::from_secs(2));
    assert!(s.get_at("k", clock.now()).is_none());
}

#[test]
fn transactions_apply_in_order() {
    let (s, c) = store();
    let now = c.now();
    s.set_at(set("gone", "x", None, Unspecified), now).unwrap();
    let ops = vec![
        Operation::Upsert(set("a", "1", None, Unspecified)),
        Operation::Upsert(set("b", "2", None, FirstWrite)),
        Operation::Upsert(set("a", "3", None, Unspecified)),
        Operation::Delete(del("gone", Some("1"))),
    ];
    s.transact_at(ops, now).unwrap();
    assert_eq!(s.get_at("a", now).unwrap().value, "3");
    assert!(s.get_at("gone", now).is_none());
    // Upserts in a transaction never set the first-write mark.
    s.set_at(set("b", "free", None, Unspecified), now).unwrap();
}

#[test]
fn a_failing_etag_aborts_the_whole_transaction() {
    let (s, c) = store();
    let now = c.now();
    s.set_at(set("a", "old-a", None, Unspecified), now).unwrap();
    s.set_at(set("b", "old-b", None, Unspecified), now).unwrap();
    let before_a = s.get_at("a", now).unwrap();
    let ops = vec![
        Operation::Upsert(set("a", "new-a", None, Unspecified)),
        Operation::Delete(del("b", None)),
        Operation::Upsert(set("c", "new-c", None, Unspecified)),
        Operation::Upsert(set("b", "new-b", Some("12345"), Unspecified)),
    ];
    // "b" was deleted earlier in the batch, so the etag write to it is to a missing key and
    // succeeds; a mismatch needs an existing key:
    let mut bad = ops.clone();
    bad.push(Operation::Upsert(set("a", "x", Some("12345"), Unspecified)));
    assert_eq!(s.transact_at(bad, now), mismatch("a"));
    assert_eq!(s.get_at("a", now), Some(before_a));
    assert_eq!(s.get_at("b", now).unwrap().value, "old-b");
    assert!(s.get_at("c", now).is_none(), "nothing written");
    let invalid = vec![
        Operation::Upsert(set("c", "v", None, Unspecified)),
        Operation::Delete(del("a", Some("nope"))),
    ];
    assert!(matches!(
        s.transact_at(invalid, now),
        Err(ComponentError::EtagInvalid { .. })
    ));
    assert!(s.get_at("c", now).is_none());
    s.transact_at(ops, now).unwrap();
    assert_eq!(s.get_at("b", now).unwrap().value, "new-b");
}

#[test]
fn transactions_on_many_shards() {
    let (s, c) = store();
    let now = c.now();
    let ops = (0..500)
        .map(|i| Operation::Upsert(set(&format!("k{i}"), "v", None, Unspecified)))
        .collect();
    s.transact_at(ops, now).unwrap();
    assert!((0..500).all(|i| s.get_at(&format!("k{i}"), now).is_some()));
}
