//! SayHello and the state API through an independent tonic client against the real binary.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use runtime_support::{code, get_state as get, item, pb, save, start, with_etag};
use tonic::Code;

use pb::state_options::StateConcurrency;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn say_hello() {
    let env = start();
    let mut c = env.client().await;
    let r = c
        .say_hello(pb::SayHelloRequest {
            service_name: "hi".into(),
            name: "layotto".into(),
            data: Some(prost_types_any(b"payload")),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.hello, "greeting, layotto");
    assert_eq!(r.data.unwrap().value, b"payload");
    let r = c
        .say_hello(pb::SayHelloRequest {
            service_name: "hi".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.hello, "greeting");
    let err = c
        .say_hello(pb::SayHelloRequest {
            service_name: "nope".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(
        err.message().contains("configured: hi"),
        "{}",
        err.message()
    );
}

fn prost_types_any(value: &[u8]) -> prost_types::Any {
    prost_types::Any {
        type_url: "type.googleapis.com/x".into(),
        value: value.to_vec(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_get_delete_and_etags() {
    let env = start();
    let mut c = env.client().await;
    // A missing key: empty data and etag, no error.
    let r = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    assert!(r.data.is_empty() && r.etag.is_empty());

    c.save_state(save("kv", vec![item("k", "v1")]))
        .await
        .unwrap();
    let r = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    assert_eq!(&r.data[..], b"v1");
    let etag1 = r.etag;
    assert!(!etag1.is_empty());

    // The right etag writes; the stale one is ABORTED; a malformed one INVALID_ARGUMENT.
    let first = StateConcurrency::ConcurrencyFirstWrite;
    c.save_state(save("kv", vec![with_etag(item("k", "v2"), &etag1, first)]))
        .await
        .unwrap();
    let stale = c
        .save_state(save("kv", vec![with_etag(item("k", "v3"), &etag1, first)]))
        .await;
    assert_eq!(code(stale), Code::Aborted);
    let bad = c
        .save_state(save(
            "kv",
            vec![with_etag(item("k", "v3"), "not-a-version", first)],
        ))
        .await;
    assert_eq!(code(bad), Code::InvalidArgument);
    let r = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    assert_eq!(&r.data[..], b"v2");

    // First-write: once written so, a write without the matching etag is refused, even
    // last-write (Dapr's redis rule).
    let r = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    let no_etag = c.save_state(save("kv", vec![item("k", "v4")])).await;
    assert_eq!(code(no_etag), Code::Aborted);
    let last = StateConcurrency::ConcurrencyLastWrite;
    let lw = c
        .save_state(save("kv", vec![with_etag(item("k", "v4"), "1", last)]))
        .await;
    assert_eq!(code(lw), Code::Aborted);
    c.save_state(save("kv", vec![with_etag(item("k", "v5"), &r.etag, first)]))
        .await
        .unwrap();
    let after = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    assert_eq!(&after.data[..], b"v5");
    assert_ne!(after.etag, r.etag);
    // On a key never written first-write, last-write ignores a wrong etag.
    c.save_state(save("kv", vec![item("lw", "1")]))
        .await
        .unwrap();
    c.save_state(save("kv", vec![with_etag(item("lw", "2"), "424242", last)]))
        .await
        .unwrap();
    let r = c.get_state(get("kv", "lw")).await.unwrap().into_inner();
    assert_eq!(&r.data[..], b"2");

    // Delete with a stale etag is ABORTED, with the current one succeeds.
    let stale = c
        .delete_state(pb::DeleteStateRequest {
            store_name: "kv".into(),
            key: "k".into(),
            etag: Some(pb::Etag { value: etag1 }),
            ..Default::default()
        })
        .await;
    assert_eq!(code(stale), Code::Aborted);
    c.delete_state(pb::DeleteStateRequest {
        store_name: "kv".into(),
        key: "k".into(),
        etag: Some(pb::Etag { value: after.etag }),
        ..Default::default()
    })
    .await
    .unwrap();
    let r = c.get_state(get("kv", "k")).await.unwrap().into_inner();
    assert!(r.data.is_empty());

    // Keys with the prefix separator are refused; an empty save is fine.
    assert_eq!(
        code(c.save_state(save("kv", vec![item("a||b", "x")])).await),
        Code::InvalidArgument
    );
    c.save_state(save("kv", vec![])).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_calls_report_user_keys() {
    let env = start();
    let mut c = env.client().await;
    // kv_app prefixes keys with the app id; results must not show it.
    c.save_state(save("kv_app", vec![item("a", "1"), item("b", "2")]))
        .await
        .unwrap();
    let r = c
        .get_bulk_state(pb::GetBulkStateRequest {
            store_name: "kv_app".into(),
            keys: vec!["a".into(), "b".into(), "missing".into()],
            parallelism: 2,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let mut got: Vec<(String, String, bool)> = r
        .items
        .iter()
        .map(|i| {
            (
                i.key.clone(),
                String::from_utf8_lossy(&i.data).into_owned(),
                i.error.is_empty(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("a".into(), "1".into(), true),
            ("b".into(), "2".into(), true),
            ("missing".into(), "".into(), true)
        ]
    );
    // The same key in the other store is a different key.
    let r = c.get_state(get("kv", "a")).await.unwrap().into_inner();
    assert!(r.data.is_empty());

    c.delete_bulk_state(pb::DeleteBulkStateRequest {
        store_name: "kv_app".into(),
        states: vec![item("a", ""), item("b", "")],
    })
    .await
    .unwrap();
    let r = c.get_state(get("kv_app", "b")).await.unwrap().into_inner();
    assert!(r.data.is_empty());
}

fn op(kind: &str, i: pb::StateItem) -> pb::TransactionalStateOperation {
    pb::TransactionalStateOperation {
        operation_type: kind.into(),
        request: Some(i),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transactions_are_all_or_nothing() {
    let env = start();
    let mut c = env.client().await;
    c.save_state(save("kv", vec![item("x", "old"), item("gone", "soon")]))
        .await
        .unwrap();
    let tx = |ops| pb::ExecuteStateTransactionRequest {
        store_name: "kv".into(),
        operations: ops,
        metadata: Default::default(),
    };
    // The second operation's etag is wrong: nothing happens.
    let failed = c
        .execute_state_transaction(tx(vec![
            op("upsert", item("x", "new")),
            op(
                "delete",
                with_etag(
                    item("gone", ""),
                    "999999",
                    StateConcurrency::ConcurrencyFirstWrite,
                ),
            ),
        ]))
        .await;
    assert_eq!(code(failed), Code::Aborted);
    let r = c.get_state(get("kv", "x")).await.unwrap().into_inner();
    assert_eq!(&r.data[..], b"old", "the upsert was rolled back");
    let r = c.get_state(get("kv", "gone")).await.unwrap().into_inner();
    assert_eq!(&r.data[..], b"soon");

    c.execute_state_transaction(tx(vec![
        op("upsert", item("x", "new")),
        op("delete", item("gone", "")),
        op("upsert", item("y", "fresh")),
    ]))
    .await
    .unwrap();
    for (k, v) in [("x", "new"), ("gone", ""), ("y", "fresh")] {
        let r = c.get_state(get("kv", k)).await.unwrap().into_inner();
        assert_eq!(String::from_utf8_lossy(&r.data), v, "{k}");
    }
    let unknown = c
        .execute_state_transaction(tx(vec![op("merge", item("x", "1"))]))
        .await;
    assert_eq!(code(unknown), Code::Unimplemented);
}
