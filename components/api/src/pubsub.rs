//! `pub_subs`: topics with at-least-once delivery to subscribers (Layotto §3.6).
//!
//! The runtime wraps published data in the CloudEvent envelope (§5.6) before calling
//! [`PubSub::publish`]; components move opaque bytes. A [`Subscription`] yields [`Message`]s
//! that the runtime hands to the app (AppCallback `OnTopicEvent`) and then acks, or nacks for
//! redelivery when the app asks for a retry.

use bytes::Bytes;

use crate::{Call, Metadata};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishRequest {
    pub topic: String,
    pub data: Bytes,
    pub content_type: String,
    pub metadata: Metadata,
}

/// One delivery of a published message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// The transport's id, quoted in [`Subscription::ack`]/[`Subscription::nack`]; not the
    /// CloudEvent's id.
    pub id: String,
    pub topic: String,
    pub data: Bytes,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscribeRequest {
    pub topic: String,
    pub metadata: Metadata,
}

pub trait PubSub {
    fn publish(&self, req: PublishRequest) -> Call<'_, ()>;

    fn subscribe(&self, req: SubscribeRequest) -> Call<'_, Box<dyn Subscription>>;
}

/// One subscriber's feed. Dropping it unsubscribes.
pub trait Subscription {
    /// The next message; waits until one arrives.
    fn next(&self) -> Call<'_, Message>;

    /// The message was handled; it will not be delivered again.
    fn ack(&self, id: &str) -> Call<'_, ()>;

    /// The message was not handled: deliver it again later if `retry`, else drop it.
    fn nack(&self, id: &str, retry: bool) -> Call<'_, ()>;
}
