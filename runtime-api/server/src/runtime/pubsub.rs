//! The pub/sub API (Layotto §3.6): PublishEvent, and the streaming SubscribeTopicEvents.
//!
//! PublishEvent wraps the data in the CloudEvent envelope ([`cloudevent`](super::cloudevent))
//! and hands the JSON to the component. Empty pubsub or topic is INVALID_ARGUMENT, as is an
//! unknown pubsub; a broker failure keeps its own code (Layotto sends INTERNAL for all).
//!
//! SubscribeTopicEvents is [`subscribe`]. Layotto's other delivery path, calling the app's
//! `AppCallback.OnTopicEvent` for the topics `ListTopicSubscriptions` returned at startup, is
//! not a Runtime method and is not in this build yet.

mod subscribe;

use std::rc::Rc;
use std::time::SystemTime;

use layotto_component_api::pubsub::PublishRequest;
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::PublishEventRequest;

use super::cloudevent::{self, Publish, CLOUDEVENTS_JSON};
use super::{errors, meta, required, unary, Ctx};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "PublishEvent", publish_event);
    subscribe::register(routes, ctx);
}

/// A random (version 4) UUID for a CloudEvent id, from this thread's generator.
pub(crate) fn event_id() -> String {
    let r = (fastrand::u128(..) & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    let h = format!("{r:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

async fn publish_event(ctx: Rc<Ctx>, _: Call, req: PublishEventRequest) -> Result<(), Status> {
    required(&req.pubsub_name, "pubsub_name")?;
    required(&req.topic, "topic")?;
    let store = ctx.stores.pubsub.get(&req.pubsub_name)?;
    let metadata = meta(req.metadata);
    let data = cloudevent::envelope(
        &Publish {
            pubsub: &req.pubsub_name,
            topic: &req.topic,
            data: &req.data,
            content_type: &req.data_content_type,
            metadata: &metadata,
        },
        event_id(),
        SystemTime::now(),
    )
    .map_err(Status::invalid_argument)?;
    store
        .handle
        .publish(PublishRequest {
            topic: req.topic,
            data: data.into(),
            content_type: CLOUDEVENTS_JSON.into(),
            metadata,
        })
        .await
        .map_err(errors::with(&format!("pubsub {:?}: publish", store.name)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn event_ids_are_v4_uuids() {
        let a = super::event_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4", "{a}");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_ne!(a, super::event_id());
    }
}
