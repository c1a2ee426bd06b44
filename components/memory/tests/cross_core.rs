//! One blueprint, several workers: each test runs 2-4 OS threads, each with its own monoio
//! runtime and its own `instance()` of the same component, as the sidecar's workers do.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use bytes::Bytes;
use layotto_component_api::lock::{TryLockRequest, UnlockStatus};
use layotto_component_api::sequencer::Increment;
use layotto_component_api::state::{GetRequest, SetRequest};
use layotto_component_api::{
    Api, Component, ComponentError, ComponentSpec, Instance, Metadata, Registry, WorkerInfo,
};

fn spec(api: Api, type_name: &str) -> ComponentSpec {
    ComponentSpec {
        api,
        name: "t".into(),
        type_name: type_name.into(),
        metadata: Default::default(),
        hello: None,
        bigger_than: Vec::new(),
        address: Vec::new(),
        timeout: None,
        secret_ref: Vec::new(),
        component_ref: None,
        path: "test".into(),
    }
}

fn build(api: Api) -> Arc<dyn Component> {
    let mut r = Registry::new();
    layotto_component_memory::register(&mut r);
    r.build(&spec(api, layotto_component_memory::TYPE)).unwrap()
}

/// Runs `body` on `workers` threads, each inside its own runtime with its own instance.
fn on_workers<T, F, Fut>(component: &Arc<dyn Component>, workers: usize, body: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Instance, WorkerInfo) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = T>,
{
    let body = Arc::new(body);
    let threads: Vec<_> = (0..workers)
        .map(|id| {
            let component = Arc::clone(component);
            let body = Arc::clone(&body);
            std::thread::spawn(move || {
                let mut rt = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
                    .enable_timer()
                    .build()
                    .unwrap();
                let info = WorkerInfo { id, workers };
                let instance = component.instance(&info).unwrap();
                rt.block_on(body(instance, info))
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn sequencer_ids_are_unique_increasing_and_gap_free_across_workers() {
    const PER: usize = 2000;
    let c = build(Api::Sequencer);
    let per_thread = on_workers(&c, 4, |inst, _| async move {
        let s = inst.sequencer().unwrap();
        let mut ids = Vec::with_capacity(PER);
        for _ in 0..PER {
            ids.push(
                s.next_id("k".into(), Increment::Strong, Metadata::new())
                    .await
                    .unwrap(),
            );
        }
        ids
    });
    let mut all = BTreeSet::new();
    for ids in &per_thread {
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "each worker's ids increase"
        );
        all.extend(ids.iter().copied());
    }
    assert_eq!(all.len(), 4 * PER, "no id handed out twice");
    assert_eq!(all.first(), Some(&1));
    assert_eq!(all.last(), Some(&((4 * PER) as i64)), "gap-free");
}

#[test]
fn exactly_one_worker_wins_a_contended_lock() {
    let c = build(Api::Lock);
    let barrier = Arc::new(Barrier::new(4));
    let wins = on_workers(&c, 4, move |inst, info| {
        let barrier = Arc::clone(&barrier);
        async move {
            let l = inst.lock().unwrap();
            let mut won = 0;
            for round in 0..50 {
                barrier.wait();
                let req = TryLockRequest {
                    resource_id: format!("r{round}"),
                    owner: format!("w{}", info.id),
                    expire: Duration::from_secs(30),
                };
                if l.try_lock(req).await.unwrap() {
                    won += 1;
                }
            }
            won
        }
    });
    assert_eq!(
        wins.iter().sum::<i32>(),
        50,
        "one winner per round: {wins:?}"
    );
}

#[test]
fn a_lock_taken_on_one_worker_is_released_from_the_same_owner_elsewhere() {
    let c = build(Api::Lock);
    let barrier = Arc::new(Barrier::new(2));
    let statuses = on_workers(&c, 2, move |inst, info| {
        let barrier = Arc::clone(&barrier);
        async move {
            let l = inst.lock().unwrap();
            if info.id == 0 {
                let req = TryLockRequest {
                    resource_id: "r".into(),
                    owner: "app".into(),
                    expire: Duration::from_secs(30),
                };
                assert!(l.try_lock(req).await.unwrap());
            }
            barrier.wait();
            let status = if info.id == 1 {
                let other = l.unlock("r".into(), "intruder".into()).await.unwrap();
                assert_eq!(other, UnlockStatus::LockBelongToOthers);
                Some(l.unlock("r".into(), "app".into()).await.unwrap())
            } else {
                None
            };
            status
        }
    });
    assert_eq!(statuses[1], Some(UnlockStatus::Success));
}

#[test]
fn state_written_on_one_worker_is_read_on_another() {
    let c = build(Api::State);
    let barrier = Arc::new(Barrier::new(2));
    let seen = on_workers(&c, 2, move |inst, info| {
        let barrier = Arc::clone(&barrier);
        async move {
            let s = inst.state().unwrap();
            if info.id == 0 {
                let req = SetRequest {
                    key: "k".into(),
                    value: Bytes::from_static(b"from-a"),
                    ..SetRequest::default()
                };
                s.set(req).await.unwrap();
            }
            barrier.wait();
            let get = GetRequest {
                key: "k".into(),
                ..GetRequest::default()
            };
            s.get(get).await.unwrap().map(|i| i.value)
        }
    });
    assert!(seen.iter().all(|v| v.as_deref() == Some(&b"from-a"[..])));
}

/// Read-modify-write with etags from every worker: no increment is lost.
#[test]
fn etag_compare_and_set_loses_no_update_across_workers() {
    const PER: u64 = 300;
    let c = build(Api::State);
    let read = |inst: &Instance| {
        let s = Rc::clone(inst.state().unwrap());
        async move {
            let get = GetRequest {
                key: "n".into(),
                ..GetRequest::default()
            };
            let item = s.get(get).await.unwrap().unwrap();
            let n: u64 = std::str::from_utf8(&item.value).unwrap().parse().unwrap();
            (n, item.etag)
        }
    };
    on_workers(&c, 1, |inst, _| async move {
        let set = SetRequest {
            key: "n".into(),
            value: Bytes::from_static(b"0"),
            ..SetRequest::default()
        };
        inst.state().unwrap().set(set).await.unwrap();
    });
    let conflicts = on_workers(&c, 4, move |inst, _| async move {
        let mut conflicts = 0u64;
        for _ in 0..PER {
            loop {
                let (n, etag) = read(&inst).await;
                let set = SetRequest {
                    key: "n".into(),
                    value: Bytes::from((n + 1).to_string()),
                    etag: Some(etag),
                    ..SetRequest::default()
                };
                match inst.state().unwrap().set(set).await {
                    Ok(()) => break,
                    Err(ComponentError::EtagMismatch { .. }) => conflicts += 1,
                    Err(e) => panic!("{e}"),
                }
            }
        }
        conflicts
    });
    let total = on_workers(&c, 1, move |inst, _| async move { read(&inst).await.0 });
    assert_eq!(total[0], 4 * PER, "after {conflicts:?} conflicts");
}

/// The watcher waits inside `next()` on worker 0 while worker 1 saves: the wake crosses
/// threads.
#[test]
fn a_config_subscription_on_one_worker_sees_a_save_on_another() {
    use layotto_component_api::configuration::{ConfigQuery, ConfigurationItem};
    let c = build(Api::ConfigStore);
    let barrier = Arc::new(Barrier::new(2));
    let seen = on_workers(&c, 2, move |inst, info| {
        let barrier = Arc::clone(&barrier);
        async move {
            let store = inst.config_store().unwrap();
            if info.id == 0 {
                let query = ConfigQuery {
                    keys: vec!["k".into()],
                    ..ConfigQuery::default()
                };
                let watch = store.subscribe(query).await.unwrap();
                barrier.wait();
                let items = watch.next().await.unwrap();
                items.into_iter().map(|i| i.content).collect()
            } else {
                barrier.wait();
                // Give worker 0 time to park in next().
                monoio::time::sleep(Duration::from_millis(50)).await;
                let item = ConfigurationItem {
                    key: "k".into(),
                    content: "from-b".into(),
                    ..ConfigurationItem::default()
                };
                store
                    .save("app".into(), vec![item], Metadata::new())
                    .await
                    .unwrap();
                Vec::new()
            }
        }
    });
    assert_eq!(seen[0], vec!["from-b".to_owned()]);
}

#[test]
fn pubsub_fans_out_to_subscribers_on_every_worker() {
    use layotto_component_api::pubsub::{PublishRequest, SubscribeRequest};
    const N: usize = 200;
    let c = build(Api::PubSub);
    let barrier = Arc::new(Barrier::new(4));
    let got = on_workers(&c, 4, move |inst, info| {
        let barrier = Arc::clone(&barrier);
        async move {
            let ps = inst.pubsub().unwrap();
            if info.id < 3 {
                let sub = ps
                    .subscribe(SubscribeRequest {
                        topic: "t".into(),
                        ..SubscribeRequest::default()
                    })
                    .await
                    .unwrap();
                barrier.wait();
                let mut seen = Vec::with_capacity(N);
                for _ in 0..N {
                    let m = sub.next().await.unwrap();
                    sub.ack(&m.id).await.unwrap();
                    seen.push(String::from_utf8(m.data.to_vec()).unwrap());
                }
                seen
            } else {
                barrier.wait();
                for i in 0..N {
                    let req = PublishRequest {
                        topic: "t".into(),
                        data: Bytes::from(i.to_string()),
                        ..PublishRequest::default()
                    };
                    ps.publish(req).await.unwrap();
                }
                Vec::new()
            }
        }
    });
    let expected: Vec<String> = (0..N).map(|i| i.to_string()).collect();
    for seen in &got[..3] {
        assert_eq!(seen, &expected, "every subscriber, in publish order");
    }
}
