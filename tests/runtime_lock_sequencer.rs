//! Lock and sequencer semantics, including ids across both worker cores.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use std::collections::HashSet;
use std::time::Duration;

use runtime_support::{code, connect, pb, start};
use tonic::Code;

use pb::unlock_response::Status as Unlocked;

fn try_lock(resource: &str, owner: &str, expire: i32) -> pb::TryLockRequest {
    pb::TryLockRequest {
        store_name: "mutex".into(),
        resource_id: resource.into(),
        lock_owner: owner.into(),
        expire,
    }
}

fn unlock(resource: &str, owner: &str) -> pb::UnlockRequest {
    pb::UnlockRequest {
        store_name: "mutex".into(),
        resource_id: resource.into(),
        lock_owner: owner.into(),
    }
}

type Client = runtime_support::RuntimeClient<tonic::transport::Channel>;

/// TryLock that must succeed at the RPC level; whether the lock was taken.
async fn locked(c: &mut Client, resource: &str, owner: &str, expire: i32) -> bool {
    c.try_lock(try_lock(resource, owner, expire))
        .await
        .unwrap()
        .into_inner()
        .success
}

/// Unlock that must succeed at the RPC level; its status.
async fn unlock_status(c: &mut Client, resource: &str, owner: &str) -> i32 {
    c.unlock(unlock(resource, owner))
        .await
        .unwrap()
        .into_inner()
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locks_are_owned_and_expire() {
    let env = start();
    let mut a = env.client().await;
    let mut b = env.client().await;
    assert!(locked(&mut a, "res", "alice", 10).await);
    // Not reentrant, and exclusive across connections (and so across workers).
    assert!(!locked(&mut a, "res", "alice", 10).await);
    assert!(!locked(&mut b, "res", "bob", 10).await);
    assert_eq!(
        unlock_status(&mut b, "res", "bob").await,
        Unlocked::LockBelongToOthers as i32
    );
    assert_eq!(
        unlock_status(&mut a, "res", "alice").await,
        Unlocked::Success as i32
    );
    assert_eq!(
        unlock_status(&mut a, "res", "alice").await,
        Unlocked::LockUnexist as i32
    );

    // Expiry: a 1 s lock is free again after it.
    assert!(locked(&mut a, "short", "alice", 1).await);
    assert!(!locked(&mut b, "short", "bob", 1).await);
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        unlock_status(&mut a, "short", "alice").await,
        Unlocked::LockUnexist as i32
    );
    assert!(locked(&mut b, "short", "bob", 5).await);

    // Validation.
    for bad in [
        try_lock("", "alice", 1),
        try_lock("r", "", 1),
        try_lock("r", "alice", 0),
        try_lock("r", "alice", -5),
        try_lock("a||b", "alice", 1),
    ] {
        assert_eq!(
            code(a.try_lock(bad.clone()).await),
            Code::InvalidArgument,
            "{bad:?}"
        );
    }
    assert_eq!(
        code(a.unlock(unlock("", "alice")).await),
        Code::InvalidArgument
    );
    let keep = a
        .lock_keep_alive(pb::LockKeepAliveRequest {
            store_name: "mutex".into(),
            resource_id: "res".into(),
            lock_owner: "alice".into(),
            expire: 5,
        })
        .await;
    assert_eq!(code(keep), Code::Unimplemented);
}

fn next_id(key: &str, strong: bool) -> pb::GetNextIdRequest {
    pb::GetNextIdRequest {
        store_name: "ids".into(),
        key: key.into(),
        options: strong.then_some(pb::SequencerOptions {
            increment: pb::sequencer_options::AutoIncrement::Strong as i32,
        }),
        metadata: Default::default(),
    }
}

/// Many connections, so the kernel spreads them over both workers: every id is unique;
/// STRONG ids increase on each connection in call order; WEAK ids increase per connection
/// (a connection stays on one worker) and come from more than one worker's segment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_are_unique_across_cores() {
    let env = start();
    const CONNECTIONS: usize = 16;
    const CALLS: usize = 100;
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let addr = env.grpc();
        tasks.push(tokio::spawn(async move {
            let mut c = connect(addr).await;
            let (mut strong, mut weak) = (Vec::new(), Vec::new());
            for _ in 0..CALLS {
                strong.push(
                    c.get_next_id(next_id("s", true))
                        .await
                        .unwrap()
                        .into_inner()
                        .next_id,
                );
                weak.push(
                    c.get_next_id(next_id("w", false))
                        .await
                        .unwrap()
                        .into_inner()
                        .next_id,
                );
            }
            (strong, weak)
        }));
    }
    let (mut all_strong, mut all_weak) = (HashSet::new(), HashSet::new());
    for t in tasks {
        let (strong, weak) = t.await.unwrap();
        assert!(
            strong.windows(2).all(|w| w[0] < w[1]),
            "STRONG not increasing: {strong:?}"
        );
        assert!(
            weak.windows(2).all(|w| w[0] < w[1]),
            "WEAK not increasing per worker: {weak:?}"
        );
        for id in strong {
            assert!(all_strong.insert(id), "duplicate STRONG id {id}");
        }
        for id in weak {
            assert!(all_weak.insert(id), "duplicate WEAK id {id}");
        }
    }
    assert_eq!(all_strong.len(), CONNECTIONS * CALLS);
    assert_eq!(all_weak.len(), CONNECTIONS * CALLS);
    // STRONG ids are gap-free on the in-memory sequencer: 1..=N.
    assert_eq!(
        all_strong.iter().max(),
        Some(&((CONNECTIONS * CALLS) as i64))
    );
    // Each worker reserved its own 10 000-id segment: ids from two segments mean both
    // workers served (1 600 ids are fewer than one segment).
    let segments: HashSet<i64> = all_weak.iter().map(|id| (id - 1) / 10_000).collect();
    assert_eq!(
        segments.len(),
        2,
        "expected both workers' segments: {segments:?}"
    );

    let mut c = env.client().await;
    assert_eq!(
        code(c.get_next_id(next_id("", false)).await),
        Code::InvalidArgument
    );
    let mut unknown = next_id("k", true);
    unknown.store_name = "nope".into();
    assert_eq!(code(c.get_next_id(unknown).await), Code::InvalidArgument);
}
