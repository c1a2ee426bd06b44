//! `in-memory` pub/sub: per-topic fan-out to the current subscribers of every core
//! (Layotto §3.6).
//!
//! Sharing: topics sit in a [`Shards`] map in the blueprint (64 mutexes by topic hash), each
//! holding its subscribers' bounded [`Inbox`]es; instances are `Arc` handles. A sharded mutex
//! rather than an owner core per topic: fan-out is a few queue pushes, cheaper than a hop.
//!
//! Delivery, kept simple and honest:
//! - publish with no subscribers succeeds and the message is gone, like Layotto's in-memory;
//! - otherwise publish is all-or-nothing over the topic's current subscribers: under the
//!   topic's lock it checks every inbox has room (default `queueDepth` 1024 per subscriber),
//!   and if one is full the publish fails with `ResourceExhausted` and nobody gets it, so the
//!   publisher feels a slow consumer instead of the store growing without bound;
//! - a subscriber takes a message with `next()`; it stays in that subscription's in-flight set
//!   until `ack` (done) or `nack` (`retry`: back to the head of its queue; else dropped). This
//!   is the at-least-once shape the runtime needs for AppCallback RETRY;
//! - nothing outlives the process, and messages in flight or queued when a subscription is
//!   dropped are lost with it: there is no consumer group to hand them to.

#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use layotto_component_api::pubsub::{Message, PublishRequest, SubscribeRequest};
use layotto_component_api::{
    positive_metadata, Call, ComponentError, ComponentSpec, Instance, PubSub, Subscription,
    WorkerInfo,
};

use crate::blueprint::Shared;
use crate::inbox::Inbox;
use crate::shards::Shards;

/// The metadata key bounding each subscriber's queue.
pub const QUEUE_DEPTH_METADATA: &str = "queueDepth";
const DEFAULT_QUEUE_DEPTH: usize = 1024;

type Subscribers = Vec<Arc<Inbox<Message>>>;

pub(crate) struct MemoryPubSub {
    topics: Shards<Subscribers>,
    /// Message ids: unique within this store.
    next_id: AtomicU64,
    queue_depth: usize,
}

impl MemoryPubSub {
    pub(crate) fn new(queue_depth: usize) -> MemoryPubSub {
        MemoryPubSub {
            topics: Shards::new(),
            next_id: AtomicU64::new(0),
            queue_depth: queue_depth.max(1),
        }
    }

    pub(crate) fn from_spec(spec: &ComponentSpec) -> Result<MemoryPubSub, ComponentError> {
        let depth = positive_metadata(spec, QUEUE_DEPTH_METADATA, DEFAULT_QUEUE_DEPTH)?;
        Ok(MemoryPubSub::new(depth))
    }

    pub(crate) fn publish(&self, req: PublishRequest) -> Result<(), ComponentError> {
        if req.topic.is_empty() {
            return Err(ComponentError::InvalidArgument("empty topic".into()));
        }
        let mut shard = self.topics.lock(&req.topic);
        let Some(subs) = shard.get_mut(&req.topic) else {
            return Ok(());
        };
        subs.retain(|s| !s.is_closed());
        if subs.iter().any(|s| !s.has_room()) {
            return Err(ComponentError::ResourceExhausted(format!(
                "a subscriber of topic {:?} has {} messages waiting",
                req.topic, self.queue_depth
            )));
        }
        let message = Message {
            id: (self.next_id.fetch_add(1, Ordering::Relaxed) + 1).to_string(),
            topic: req.topic,
            data: req.data,
            metadata: req.metadata,
        };
        for sub in subs.iter() {
            // Room was checked under this lock and only the consumer removes items; a push
            // refused now means that subscriber just closed, which drops its copy.
            let _ = sub.push(message.clone());
        }
        Ok(())
    }

    pub(crate) fn subscribe(
        this: &Arc<Self>,
        req: SubscribeRequest,
    ) -> Result<TopicSubscription, ComponentError> {
        if req.topic.is_empty() {
            return Err(ComponentError::InvalidArgument("empty topic".into()));
        }
        let inbox = Inbox::new(this.queue_depth);
        this.topics
            .lock(&req.topic)
            .entry(req.topic.clone())
            .or_default()
            .push(Arc::clone(&inbox));
        Ok(TopicSubscription {
            topic: req.topic,
            inbox,
            in_flight: RefCell::new(HashMap::new()),
            store: Arc::clone(this),
        })
    }

    fn unsubscribe(&self, topic: &str, inbox: &Arc<Inbox<Message>>) {
        let mut shard = self.topics.lock(topic);
        if let Some(subs) = shard.get_mut(topic) {
            subs.retain(|s| !Arc::ptr_eq(s, inbox));
            if subs.is_empty() {
                shard.remove(topic);
            }
        }
    }
}

impl Shared for MemoryPubSub {
    fn instance(this: &Arc<Self>, _: &WorkerInfo) -> Instance {
        Instance::PubSub(Rc::new(PubSubHandle(Arc::clone(this))))
    }
}

struct PubSubHandle(Arc<MemoryPubSub>);

impl PubSub for PubSubHandle {
    fn publish(&self, req: PublishRequest) -> Call<'_, ()> {
        Box::pin(async move { self.0.publish(req) })
    }

    fn subscribe(&self, req: SubscribeRequest) -> Call<'_, Box<dyn Subscription>> {
        Box::pin(async move {
            let sub: Box<dyn Subscription> = Box::new(MemoryPubSub::subscribe(&self.0, req)?);
            Ok(sub)
        })
    }
}

/// One subscriber's feed, on one worker. Dropping it unsubscribes.
pub(crate) struct TopicSubscription {
    topic: String,
    inbox: Arc<Inbox<Message>>,
    /// Delivered, not yet acked or nacked. A `RefCell`: the subscription lives on one worker,
    /// and no borrow is held across an await.
    in_flight: RefCell<HashMap<String, Message>>,
    store: Arc<MemoryPubSub>,
}

impl TopicSubscription {
    fn settle(&self, id: &str) -> Result<Message, ComponentError> {
        self.in_flight
            .borrow_mut()
            .remove(id)
            .ok_or_else(|| ComponentError::NotFound {
                what: "message in flight",
                name: id.to_owned(),
            })
    }
}

impl Subscription for TopicSubscription {
    fn next(&self) -> Call<'_, Message> {
        Box::pin(async move {
            let message = self.inbox.recv().await?;
            self.in_flight
                .borrow_mut()
                .insert(message.id.clone(), message.clone());
            Ok(message)
        })
    }

    fn ack(&self, id: &str) -> Call<'_, ()> {
        let settled = self.settle(id).map(drop);
        Box::pin(async move { settled })
    }

    fn nack(&self, id: &str, retry: bool) -> Call<'_, ()> {
        let settled = self.settle(id).map(|m| {
            if retry {
                self.inbox.push_front(m);
            }
        });
        Box::pin(async move { settled })
    }
}

impl Drop for TopicSubscription {
    fn drop(&mut self) {
        self.inbox
            .close(ComponentError::Unavailable("unsubscribed".into()));
        self.store.unsubscribe(&self.topic, &self.inbox);
    }
}
