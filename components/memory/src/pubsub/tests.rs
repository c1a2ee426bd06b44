use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use layotto_component_api::pubsub::{PublishRequest, SubscribeRequest};
use layotto_component_api::{ComponentError, Subscription};

use super::MemoryPubSub;
use crate::block_on;

fn publish(p: &MemoryPubSub, topic: &str, data: &'static str) -> Result<(), ComponentError> {
    p.publish(PublishRequest {
        topic: topic.into(),
        data: Bytes::from_static(data.as_bytes()),
        ..PublishRequest::default()
    })
}

fn subscribe(p: &Arc<MemoryPubSub>, topic: &str) -> super::TopicSubscription {
    MemoryPubSub::subscribe(
        p,
        SubscribeRequest {
            topic: topic.into(),
            ..SubscribeRequest::default()
        },
    )
    .unwrap()
}

fn next_data(s: &dyn Subscription) -> (String, Bytes) {
    let m = block_on(s.next()).unwrap();
    (m.id, m.data)
}

fn idle(s: &dyn Subscription) -> bool {
    block_on(async { monoio::time::timeout(Duration::from_millis(10), s.next()).await }).is_err()
}

#[test]
fn publish_without_subscribers_succeeds_and_drops() {
    let p = Arc::new(MemoryPubSub::new(4));
    publish(&p, "t", "lost").unwrap();
    let s = subscribe(&p, "t");
    assert!(idle(&s), "no backlog for late subscribers");
    assert!(publish(&p, "", "x").is_err());
}

#[test]
fn every_subscriber_of_a_topic_gets_each_message() {
    let p = Arc::new(MemoryPubSub::new(4));
    let a = subscribe(&p, "t");
    let b = subscribe(&p, "t");
    let other = subscribe(&p, "u");
    publish(&p, "t", "one").unwrap();
    publish(&p, "t", "two").unwrap();
    for s in [&a, &b] {
        let (id1, d1) = next_data(s);
        let (id2, d2) = next_data(s);
        assert_eq!((d1.as_ref(), d2.as_ref()), (&b"one"[..], &b"two"[..]));
        assert_ne!(id1, id2);
        block_on(s.ack(&id1)).unwrap();
        block_on(s.ack(&id2)).unwrap();
    }
    assert!(idle(&other));
}

#[test]
fn nack_with_retry_redelivers_and_ack_is_once() {
    let p = Arc::new(MemoryPubSub::new(4));
    let s = subscribe(&p, "t");
    publish(&p, "t", "m").unwrap();
    publish(&p, "t", "n").unwrap();
    let (id, _) = next_data(&s);
    block_on(s.nack(&id, true)).unwrap();
    let (again, data) = next_data(&s);
    assert_eq!(
        (again.as_str(), data.as_ref()),
        (id.as_str(), &b"m"[..]),
        "redelivered first"
    );
    block_on(s.ack(&id)).unwrap();
    assert!(matches!(
        block_on(s.ack(&id)),
        Err(ComponentError::NotFound { .. })
    ));
    let (dropped, _) = next_data(&s);
    block_on(s.nack(&dropped, false)).unwrap();
    assert!(idle(&s), "nack without retry drops it");
}

#[test]
fn a_full_subscriber_makes_publish_fail_for_everyone() {
    let p = Arc::new(MemoryPubSub::new(2));
    let fast = subscribe(&p, "t");
    let slow = subscribe(&p, "t");
    publish(&p, "t", "1").unwrap();
    publish(&p, "t", "2").unwrap();
    let (id, _) = next_data(&fast);
    block_on(fast.ack(&id)).unwrap();
    assert!(matches!(
        publish(&p, "t", "3"),
        Err(ComponentError::ResourceExhausted(_))
    ));
    let (id, data) = next_data(&fast);
    assert_eq!(data.as_ref(), b"2", "the refused message reached nobody");
    block_on(fast.ack(&id)).unwrap();
    drop(slow);
    publish(&p, "t", "4").unwrap();
}

#[test]
fn dropping_the_last_subscription_removes_the_topic() {
    let p = Arc::new(MemoryPubSub::new(2));
    let s = subscribe(&p, "t");
    drop(s);
    let mut topics = 0;
    p.topics.for_each(|m| topics += m.len());
    assert_eq!(topics, 0);
}
