//! SubscribeTopicEvents (Layotto §3.6): a topic subscription driven by the app over one bidi
//! stream, no callback server needed.
//!
//! The first inbound message must be `initial_request{pubsub_name, topic, metadata}`; the
//! runtime subscribes and answers `initial_response`, then sends each message as
//! `event_message` (a `TopicEventRequest` read from the CloudEvent envelope). The app answers
//! each with `event_processed{id, status}`, matched by event id: SUCCESS and DROP acknowledge
//! it, RETRY (or a status this build does not know) hands it back to the broker for
//! redelivery. Events past their `expiration` are acknowledged without being sent.
//!
//! At most [`MAX_IN_FLIGHT`] events wait for their answer; past that the stream stops taking
//! messages from the broker until the app catches up, so a stuck app holds a bounded amount.
//! Closing the stream drops the subscription.

use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::SystemTime;

use layotto_component_api::pubsub::{Message, SubscribeRequest};
use layotto_component_api::{ComponentError, Subscription};
use layotto_grpc_transport::{bidi, Messages, Routes, Sink, Status};
use layotto_proto::spec::proto::runtime::v1::subscribe_topic_events_request::SubscribeTopicEventsRequestType as In;
use layotto_proto::spec::proto::runtime::v1::subscribe_topic_events_response::SubscribeTopicEventsResponseType as Out;
use layotto_proto::spec::proto::runtime::v1::topic_event_response::TopicEventResponseStatus;
use layotto_proto::spec::proto::runtime::v1::{
    SubscribeTopicEventsRequest, SubscribeTopicEventsRequestProcessed,
    SubscribeTopicEventsResponse, SubscribeTopicEventsResponseInitial,
};

use crate::runtime::cloudevent::{delivery, Delivery};
use crate::runtime::{add, errors, meta, required, Ctx};

/// Events sent and not yet answered, per stream.
pub(crate) const MAX_IN_FLIGHT: usize = 64;

type Pending = Pin<Box<dyn Future<Output = Result<Message, ComponentError>>>>;

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    let ctx = Rc::clone(ctx);
    add(
        routes,
        "SubscribeTopicEvents",
        bidi(move |_call, messages, sink| serve(Rc::clone(&ctx), messages, sink)),
    );
}

/// The broker side of one stream: the subscription and its pending `next()`, kept across
/// polls so racing it against inbound acks never loses a message.
struct Feed {
    sub: Rc<dyn Subscription>,
    pending: Option<Pending>,
}

impl Feed {
    /// The next broker message; pending forever while `paused`.
    async fn next(&mut self, paused: bool) -> Result<Message, ComponentError> {
        if self.pending.is_none() && !paused {
            let sub = Rc::clone(&self.sub);
            self.pending = Some(Box::pin(async move { sub.next().await }));
        }
        poll_fn(|cx| match self.pending.as_mut() {
            Some(p) => match p.as_mut().poll(cx) {
                Poll::Ready(r) => {
                    self.pending = None;
                    Poll::Ready(r)
                }
                Poll::Pending => Poll::Pending,
            },
            None => Poll::Pending,
        })
        .await
    }
}

enum Event {
    Inbound(Option<Result<SubscribeTopicEventsRequest, Status>>),
    Broker(Result<Message, ComponentError>),
}

async fn serve(ctx: Rc<Ctx>, mut messages: Messages, sink: Sink) -> Result<(), Status> {
    let first = match messages.next_message::<SubscribeTopicEventsRequest>().await {
        None => return Ok(()),
        Some(m) => m?,
    };
    let Some(In::InitialRequest(init)) = first.subscribe_topic_events_request_type else {
        return Err(Status::invalid_argument(
            "the first message of SubscribeTopicEvents must be initial_request",
        ));
    };
    required(&init.pubsub_name, "pubsub_name")?;
    required(&init.topic, "topic")?;
    let store = ctx.stores.pubsub.get(&init.pubsub_name)?;
    let doing = format!("pubsub {:?}: topic {:?}", store.name, init.topic);
    let sub = store
        .handle
        .subscribe(SubscribeRequest {
            topic: init.topic.clone(),
            metadata: meta(init.metadata),
        })
        .await
        .map_err(errors::with(&doing))?;
    let mut feed = Feed {
        sub: Rc::from(sub),
        pending: None,
    };
    sink.send(&SubscribeTopicEventsResponse {
        subscribe_topic_events_response_type: Some(Out::InitialResponse(
            SubscribeTopicEventsResponseInitial {},
        )),
    })
    .await?;
    // Event id → the transport's id, for the ack.
    let mut in_flight: HashMap<String, String> = HashMap::new();
    loop {
        let paused = in_flight.len() >= MAX_IN_FLIGHT;
        let event = monoio::select! {
            m = messages.next_message::<SubscribeTopicEventsRequest>() => Event::Inbound(m),
            r = feed.next(paused) => Event::Broker(r),
        };
        match event {
            Event::Inbound(None) => return Ok(()),
            Event::Inbound(Some(m)) => match m?.subscribe_topic_events_request_type {
                Some(In::EventProcessed(done)) => {
                    answer(&feed.sub, &mut in_flight, done, &doing).await?;
                }
                Some(In::InitialRequest(_)) => {
                    return Err(Status::invalid_argument(
                        "initial_request may only be the first message; open another stream \
                         for another topic",
                    ))
                }
                None => {}
            },
            Event::Broker(r) => {
                let msg = r.map_err(errors::with(&doing))?;
                match delivery(
                    &store.name,
                    &init.topic,
                    &msg.id,
                    &msg.data,
                    SystemTime::now(),
                ) {
                    Delivery::Expired => {
                        feed.sub.ack(&msg.id).await.map_err(errors::with(&doing))?;
                    }
                    Delivery::Event(event) => {
                        in_flight.insert(event.id.clone(), msg.id);
                        sink.send(&SubscribeTopicEventsResponse {
                            subscribe_topic_events_response_type: Some(Out::EventMessage(*event)),
                        })
                        .await?;
                    }
                }
            }
        }
    }
}

/// Acks or hands back the event the app answered.
async fn answer(
    sub: &Rc<dyn Subscription>,
    in_flight: &mut HashMap<String, String>,
    done: SubscribeTopicEventsRequestProcessed,
    doing: &str,
) -> Result<(), Status> {
    let Some(transport_id) = in_flight.remove(&done.id) else {
        tracing::debug!(id = %done.id, "event_processed for an event not in flight; ignored");
        return Ok(());
    };
    let status = done
        .status
        .map_or(Ok(TopicEventResponseStatus::Success), |s| {
            TopicEventResponseStatus::try_from(s.status)
        });
    let result = match status {
        Ok(TopicEventResponseStatus::Success) => sub.ack(&transport_id).await,
        Ok(TopicEventResponseStatus::Drop) => {
            tracing::warn!(id = %done.id, "{doing}: the app dropped an event");
            sub.ack(&transport_id).await
        }
        Ok(TopicEventResponseStatus::Retry) | Err(_) => sub.nack(&transport_id, true).await,
    };
    result.map_err(errors::with(doing))
}
