//! The `redis` state, lock and sequencer components through the gRPC API (tonic client)
//! against a real redis-server, with the stored layout checked by `redis-cli`, and what
//! happens when Redis dies under load.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use layotto_test_redis::RedisServer;
use runtime_support::{code, connect, get_state as get_req, item, pb, save, with_etag};
use support::{config_with, get, Sidecar, TempDir};
use tonic::Code;

use pb::state_options::StateConcurrency;
use pb::unlock_response::Status as Unlocked;

type Client = runtime_support::RuntimeClient<tonic::transport::Channel>;

fn grpc_config(host: &str) -> String {
    format!(
        r#"{{
      "state": {{
        "kv": {{ "type": "redis", "metadata": {{ "redisHost": "{host}", "readTimeout": "1s" }} }},
        "kv_app": {{ "type": "redis", "metadata": {{ "redisHost": "{host}", "keyPrefix": "appid", "redisDB": "2" }} }}
      }},
      "lock": {{ "mutex": {{ "type": "redis", "metadata": {{ "redisHost": "{host}" }} }} }},
      "sequencer": {{ "ids": {{ "type": "redis", "biggerThan": {{ "sequencer|||app1||order": 1000 }},
                     "metadata": {{ "redisHost": "{host}" }} }} }},
      "app": {{ "app_id": "app1", "grpc_callback_port": 0 }}
    }}"#
    )
}

fn start(redis: &RedisServer) -> Sidecar {
    Sidecar::start(&config_with(&grpc_config(&redis.host()), ""), &[])
}

async fn client(s: &Sidecar) -> Client {
    connect(s.addrs["grpc"]).await
}

async fn value(c: &mut Client, store: &str, key: &str) -> (String, String) {
    let r = c.get_state(get_req(store, key)).await.unwrap().into_inner();
    (String::from_utf8_lossy(&r.data).into_owned(), r.etag)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_is_stored_in_daprs_layout_and_read_back_from_it() {
    let redis = RedisServer::start();
    let s = start(&redis);
    let mut c = client(&s).await;
    c.save_state(save("kv", vec![item("k", "v1")]))
        .await
        .unwrap();
    assert_eq!(redis.cli(&["HGET", "k", "data"]), "v1");
    assert_eq!(redis.cli(&["HGET", "k", "version"]), "1");
    assert_eq!(value(&mut c, "kv", "k").await, ("v1".into(), "1".into()));

    // Written by another sidecar (or by hand) in the same layout.
    redis.cli(&["HSET", "theirs", "data", "hello", "version", "7"]);
    assert_eq!(
        value(&mut c, "kv", "theirs").await,
        ("hello".into(), "7".into())
    );
    // A plain string key (pre-hash layouts) is readable, with no etag, and a save replaces it.
    redis.cli(&["SET", "legacy", "old"]);
    assert_eq!(
        value(&mut c, "kv", "legacy").await,
        ("old".into(), "".into())
    );
    c.save_state(save("kv", vec![item("legacy", "new")]))
        .await
        .unwrap();
    assert_eq!(redis.cli(&["TYPE", "legacy"]), "hash");

    // keyPrefix appid and redisDB 2: the key is `app1||k` in database 2.
    c.save_state(save("kv_app", vec![item("k", "in-db-2")]))
        .await
        .unwrap();
    assert_eq!(
        redis.cli(&["-n", "2", "HGET", "app1||k", "data"]),
        "in-db-2"
    );
    assert_eq!(value(&mut c, "kv_app", "k").await.0, "in-db-2");

    // A hash that is not state (no version) is an error, not a silent empty answer.
    redis.cli(&["HSET", "odd", "foo", "bar"]);
    let odd = c.get_state(get_req("kv", "odd")).await;
    assert_eq!(code(odd), Code::Internal);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_first_write_and_deletes_follow_daprs_rules() {
    let redis = RedisServer::start();
    let s = start(&redis);
    let mut c = client(&s).await;
    let first = StateConcurrency::ConcurrencyFirstWrite;
    assert_eq!(value(&mut c, "kv", "k").await, ("".into(), "".into()));
    c.save_state(save("kv", vec![item("k", "v1")]))
        .await
        .unwrap();
    c.save_state(save("kv", vec![with_etag(item("k", "v2"), "1", first)]))
        .await
        .unwrap();
    let stale = c
        .save_state(save("kv", vec![with_etag(item("k", "v3"), "1", first)]))
        .await;
    assert_eq!(code(stale), Code::Aborted);
    let bad = c
        .save_state(save("kv", vec![with_etag(item("k", "v3"), "abc", first)]))
        .await;
    assert_eq!(code(bad), Code::InvalidArgument);
    assert_eq!(value(&mut c, "kv", "k").await, ("v2".into(), "2".into()));
    assert_eq!(redis.cli(&["HGET", "k", "first-write"]), "0");
    // Marked first-write: a save without the etag is refused from now on.
    let blind = c.save_state(save("kv", vec![item("k", "v4")])).await;
    assert_eq!(code(blind), Code::Aborted);

    // Deletes: a wrong etag is refused, none deletes.
    let del = |etag: Option<&str>| pb::DeleteStateRequest {
        store_name: "kv".into(),
        key: "k".into(),
        etag: etag.map(|e| pb::Etag { value: e.into() }),
        options: Some(pb::StateOptions {
            concurrency: first as i32,
            consistency: 0,
        }),
        metadata: Default::default(),
    };
    assert_eq!(code(c.delete_state(del(Some("9"))).await), Code::Aborted);
    c.delete_state(del(Some("2"))).await.unwrap();
    assert_eq!(redis.cli(&["EXISTS", "k"]), "0");
    c.save_state(save("kv", vec![item("k", "again")]))
        .await
        .unwrap();
    c.delete_state(del(None)).await.unwrap();
    assert_eq!(redis.cli(&["EXISTS", "k"]), "0");

    // Etags are numbers: "01" is version 1, as Dapr parses it.
    c.save_state(save("kv", vec![item("n", "v1")]))
        .await
        .unwrap();
    c.save_state(save("kv", vec![with_etag(item("n", "v2"), "01", first)]))
        .await
        .unwrap();
    assert_eq!(redis.cli(&["HGET", "n", "data"]), "v2");
    // A hash whose version is not a number is refused before anything is written.
    redis.cli(&["HSET", "bad", "data", "x", "version", "abc"]);
    let corrupt = c.save_state(save("kv", vec![item("bad", "y")])).await;
    assert_eq!(code(corrupt), Code::Internal);
    assert_eq!(redis.cli(&["HGET", "bad", "data"]), "x");
    // A TTL Redis would refuse only after the write is refused before it.
    let mut forever = item("t", "v");
    forever
        .metadata
        .insert("ttlInSeconds".into(), "99999999999".into());
    let refused = c.save_state(save("kv", vec![forever])).await;
    assert_eq!(code(refused), Code::InvalidArgument);
    assert_eq!(redis.cli(&["EXISTS", "t"]), "0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_ttl_and_all_or_nothing_transactions() {
    let redis = RedisServer::start();
    let s = start(&redis);
    let mut c = client(&s).await;
    let items: Vec<_> = (0..50)
        .map(|i| item(&format!("b{i}"), &format!("v{i}")))
        .collect();
    c.save_state(save("kv", items)).await.unwrap();
    let r = c
        .get_bulk_state(pb::GetBulkStateRequest {
            store_name: "kv".into(),
            keys: (0..50)
                .map(|i| format!("b{i}"))
                .chain(["nope".into()])
                .collect(),
            parallelism: 4,
            metadata: Default::default(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.items.len(), 51);
    for it in &r.items {
        if it.key == "nope" {
            assert!(it.data.is_empty() && it.error.is_empty());
        } else {
            assert_eq!(
                String::from_utf8_lossy(&it.data),
                format!("v{}", &it.key[1..])
            );
            assert_eq!(it.etag, "1");
        }
    }

    // TTL from request metadata, applied with the value.
    let mut ttl = item("short", "lived");
    ttl.metadata.insert("ttlInSeconds".into(), "100".into());
    c.save_state(save("kv", vec![ttl])).await.unwrap();
    let left: i64 = redis.cli(&["TTL", "short"]).parse().unwrap();
    assert!((1..=100).contains(&left), "{left}");

    let op = |kind: &str, i: pb::StateItem| pb::TransactionalStateOperation {
        operation_type: kind.into(),
        request: Some(i),
    };
    let tx = |ops| pb::ExecuteStateTransactionRequest {
        store_name: "kv".into(),
        operations: ops,
        metadata: Default::default(),
    };
    // The last operation's etag is stale: nothing is written, not even the first two.
    let failed = c
        .execute_state_transaction(tx(vec![
            op("upsert", item("t1", "x")),
            op("delete", item("b1", "")),
            op(
                "upsert",
                with_etag(
                    item("b2", "y"),
                    "7",
                    StateConcurrency::ConcurrencyFirstWrite,
                ),
            ),
        ]))
        .await;
    assert_eq!(code(failed), Code::Aborted);
    assert_eq!(redis.cli(&["EXISTS", "t1"]), "0");
    assert_eq!(redis.cli(&["HGET", "b1", "data"]), "v1");
    c.execute_state_transaction(tx(vec![
        op("upsert", item("t1", "x")),
        op("delete", item("b1", "")),
        op(
            "upsert",
            with_etag(
                item("b2", "y"),
                "1",
                StateConcurrency::ConcurrencyFirstWrite,
            ),
        ),
        // Sees the transaction's own earlier write: version 2 after the upsert above.
        op(
            "upsert",
            with_etag(
                item("b2", "z"),
                "2",
                StateConcurrency::ConcurrencyFirstWrite,
            ),
        ),
    ]))
    .await
    .unwrap();
    assert_eq!(redis.cli(&["HGET", "t1", "data"]), "x");
    assert_eq!(redis.cli(&["EXISTS", "b1"]), "0");
    assert_eq!(value(&mut c, "kv", "b2").await, ("z".into(), "3".into()));

    c.delete_bulk_state(pb::DeleteBulkStateRequest {
        store_name: "kv".into(),
        states: (10..20).map(|i| item(&format!("b{i}"), "")).collect(),
    })
    .await
    .unwrap();
    assert_eq!(redis.cli(&["EXISTS", "b10", "b15", "b19", "b20"]), "1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_and_sequences_live_in_redis() {
    let redis = RedisServer::start();
    let s = start(&redis);
    let (mut a, mut b) = (client(&s).await, client(&s).await);
    let lock = |owner: &str| pb::TryLockRequest {
        store_name: "mutex".into(),
        resource_id: "res".into(),
        lock_owner: owner.into(),
        expire: 30,
    };
    let unlock = |owner: &str| pb::UnlockRequest {
        store_name: "mutex".into(),
        resource_id: "res".into(),
        lock_owner: owner.into(),
    };
    assert!(
        a.try_lock(lock("alice"))
            .await
            .unwrap()
            .into_inner()
            .success
    );
    assert!(!b.try_lock(lock("bob")).await.unwrap().into_inner().success);
    let key = redis.cli(&["KEYS", "*res*"]);
    assert_eq!(redis.cli(&["GET", &key]), "alice", "lock key {key}");
    let ttl: i64 = redis.cli(&["PTTL", &key]).parse().unwrap();
    assert!((1..=30_000).contains(&ttl), "{ttl}");
    let st = |r: pb::UnlockResponse| r.status;
    assert_eq!(
        st(b.unlock(unlock("bob")).await.unwrap().into_inner()),
        Unlocked::LockBelongToOthers as i32
    );
    assert_eq!(
        st(a.unlock(unlock("alice")).await.unwrap().into_inner()),
        Unlocked::Success as i32
    );
    assert_eq!(
        st(a.unlock(unlock("alice")).await.unwrap().into_inner()),
        Unlocked::LockUnexist as i32
    );

    let next = |key: &str, strong: bool| pb::GetNextIdRequest {
        store_name: "ids".into(),
        key: key.into(),
        options: strong.then_some(pb::SequencerOptions {
            increment: pb::sequencer_options::AutoIncrement::Strong as i32,
        }),
        metadata: Default::default(),
    };
    // biggerThan 1000 holds before the first id.
    let first = a
        .get_next_id(next("order", true))
        .await
        .unwrap()
        .into_inner()
        .next_id;
    assert_eq!(first, 1001);
    assert_eq!(redis.cli(&["GET", "sequencer|||app1||order"]), "1001");
    let mut seen = HashSet::new();
    for _ in 0..100 {
        for c in [&mut a, &mut b] {
            let id = c
                .get_next_id(next("w", false))
                .await
                .unwrap()
                .into_inner()
                .next_id;
            assert!(seen.insert(id), "duplicate id {id}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_down_is_unavailable_and_not_ready_then_recovers() {
    let mut redis = RedisServer::start();
    let mut s = start(&redis);
    let mut c = client(&s).await;
    c.save_state(save("kv", vec![item("k", "v")]))
        .await
        .unwrap();
    wait_ready(&s, 200);

    redis.kill();
    let err = c.get_state(get_req("kv", "k")).await.unwrap_err();
    assert_eq!(err.code(), Code::Unavailable, "{err:?}");
    assert!(
        err.message().contains("state store \"kv\""),
        "{}",
        err.message()
    );
    assert!(err.message().contains(&redis.host()), "{}", err.message());
    let r = wait_ready(&s, 503);
    assert!(r.contains("state/kv") && r.contains("refused"), "{r}");
    s.wait_log("redis is down", Duration::from_secs(5));

    redis.restart();
    wait_ready(&s, 200);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match c.save_state(save("kv", vec![item("k", "back")])).await {
            Ok(_) => break,
            Err(e) if Instant::now() < deadline => {
                assert_eq!(e.code(), Code::Unavailable, "{e:?}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("no recovery: {e:?}"),
        }
    }
    assert_eq!(redis.cli(&["HGET", "k", "data"]), "back");
}

/// Polls readiness until it has `status`; returns the body.
fn wait_ready(s: &Sidecar, status: u16) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = get(s.actuator(), "/actuator/health/readiness");
        if r.status == status {
            return String::from_utf8_lossy(&r.body).into_owned();
        }
        assert!(
            Instant::now() < deadline,
            "readiness stayed {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Kill redis-server (fsync on every write) in the middle of a write load and restart it:
/// calls fail while it is down, succeed after, and every save that was acknowledged before
/// the kill is there afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_write_is_lost_when_redis_is_killed_mid_load() {
    let dir = TempDir::new("redis-aof");
    let d = dir.0.display().to_string();
    let mut redis = RedisServer::start_with(&[
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--dir",
        &d,
    ]);
    let s = start(&redis);
    let addr = s.addrs["grpc"];
    let mut writers = Vec::new();
    for w in 0..8 {
        writers.push(tokio::spawn(async move {
            let mut c = connect(addr).await;
            let (mut acked, mut failed) = (Vec::new(), 0u32);
            let end = Instant::now() + Duration::from_millis(2500);
            let mut i = 0;
            while Instant::now() < end {
                let key = format!("w{w}-{i}");
                match c.save_state(save("kv", vec![item(&key, &key)])).await {
                    Ok(_) => acked.push(key),
                    Err(e) => {
                        assert!(
                            matches!(e.code(), Code::Unavailable | Code::DeadlineExceeded),
                            "{e:?}"
                        );
                        failed += 1;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }
                i += 1;
            }
            (acked, failed)
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    redis.kill();
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.restart();
    let mut acked = Vec::new();
    let mut failed = 0;
    for w in writers {
        let (a, f) = w.await.unwrap();
        acked.extend(a);
        failed += f;
    }
    assert!(failed > 0, "the kill should have failed some calls");
    assert!(
        acked.len() > 100,
        "only {} writes acknowledged",
        acked.len()
    );
    let mut c = connect(addr).await;
    for key in &acked {
        assert_eq!(
            &value(&mut c, "kv", key).await.0,
            key,
            "acknowledged write lost"
        );
    }
}
