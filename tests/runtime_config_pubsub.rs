//! Configuration (with subscription pushes) and pub/sub (PublishEvent, SubscribeTopicEvents).
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use std::time::Duration;

use runtime_support::{code, pb, start};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::Code;

use pb::subscribe_topic_events_request::SubscribeTopicEventsRequestType as In;
use pb::subscribe_topic_events_response::SubscribeTopicEventsResponseType as Out;
use pb::topic_event_response::TopicEventResponseStatus;

fn cfg_item(key: &str, content: &str) -> pb::ConfigurationItem {
    pb::ConfigurationItem {
        key: key.into(),
        content: content.into(),
        ..Default::default()
    }
}

async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), f)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_get_save_delete_and_subscribe() {
    let env = start();
    let mut c = env.client().await;
    c.save_configuration(pb::SaveConfigurationRequest {
        store_name: "cfg".into(),
        app_id: "app1".into(),
        items: vec![cfg_item("a", "1"), cfg_item("b", "2")],
        metadata: Default::default(),
    })
    .await
    .unwrap();
    let r = c
        .get_configuration(pb::GetConfigurationRequest {
            store_name: "cfg".into(),
            app_id: "app1".into(),
            keys: vec!["a".into(), "b".into()],
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let got: Vec<(String, String, String)> = r
        .items
        .iter()
        .map(|i| (i.key.clone(), i.content.clone(), i.group.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a".into(), "1".into(), "default".into()),
            ("b".into(), "2".into(), "default".into())
        ]
    );

    // Subscribe on one connection; change on another; the push arrives on the stream.
    let (tx, rx) = mpsc::channel(4);
    tx.send(pb::SubscribeConfigurationRequest {
        store_name: "cfg".into(),
        app_id: "app1".into(),
        keys: vec!["a".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let mut sub_client = env.client().await;
    let mut stream = sub_client
        .subscribe_configuration(ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    // The current value first.
    let first = within("the current value", stream.message())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.store_name, "cfg");
    assert_eq!(first.items[0].content, "1");
    c.save_configuration(pb::SaveConfigurationRequest {
        store_name: "cfg".into(),
        app_id: "app1".into(),
        items: vec![cfg_item("b", "ignored"), cfg_item("a", "changed")],
        metadata: Default::default(),
    })
    .await
    .unwrap();
    let push = within("a push", stream.message()).await.unwrap().unwrap();
    assert_eq!(push.app_id, "app1");
    assert_eq!(push.items.len(), 1, "only the watched key: {push:?}");
    assert_eq!(
        (push.items[0].key.as_str(), push.items[0].content.as_str()),
        ("a", "changed")
    );

    // A second subscription on the same stream adds key b.
    tx.send(pb::SubscribeConfigurationRequest {
        store_name: "cfg".into(),
        keys: vec!["b".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let current_b = within("b's current value", stream.message())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current_b.items[0].content, "ignored");
    c.delete_configuration(pb::DeleteConfigurationRequest {
        store_name: "cfg".into(),
        keys: vec!["b".into()],
        ..Default::default()
    })
    .await
    .unwrap();
    let deleted = within("the delete", stream.message())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            deleted.items[0].key.as_str(),
            deleted.items[0].content.as_str()
        ),
        ("b", "")
    );

    // Closing our side ends the call.
    drop(tx);
    let end = within("the end of the stream", stream.message())
        .await
        .unwrap();
    assert!(end.is_none());

    // A subscription naming an unknown store ends the stream with INVALID_ARGUMENT.
    let bad = pb::SubscribeConfigurationRequest {
        store_name: "nope".into(),
        ..Default::default()
    };
    let r = sub_client
        .subscribe_configuration(tokio_stream::iter(vec![bad]))
        .await;
    let status = match r {
        Err(s) => s,
        Ok(resp) => resp.into_inner().message().await.unwrap_err(),
    };
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("configured: cfg"),
        "{}",
        status.message()
    );
}

fn initial(topic: &str) -> pb::SubscribeTopicEventsRequest {
    pb::SubscribeTopicEventsRequest {
        subscribe_topic_events_request_type: Some(In::InitialRequest(
            pb::SubscribeTopicEventsRequestInitial {
                pubsub_name: "bus".into(),
                topic: topic.into(),
                ..Default::default()
            },
        )),
    }
}

fn processed(id: &str, status: TopicEventResponseStatus) -> pb::SubscribeTopicEventsRequest {
    pb::SubscribeTopicEventsRequest {
        subscribe_topic_events_request_type: Some(In::EventProcessed(
            pb::SubscribeTopicEventsRequestProcessed {
                id: id.into(),
                status: Some(pb::TopicEventResponse {
                    status: status as i32,
                }),
            },
        )),
    }
}

fn publish(topic: &str, data: &[u8], content_type: &str) -> pb::PublishEventRequest {
    pb::PublishEventRequest {
        pubsub_name: "bus".into(),
        topic: topic.into(),
        data: data.to_vec(),
        data_content_type: content_type.into(),
        metadata: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_and_streaming_subscribe() {
    let env = start();
    let mut c = env.client().await;
    // No subscriber yet: publishing succeeds and the message is gone.
    c.publish_event(publish("orders", b"lost", ""))
        .await
        .unwrap();

    let (tx, rx) = mpsc::channel(4);
    tx.send(initial("orders")).await.unwrap();
    let mut sub_client = env.client().await;
    let mut events = sub_client
        .subscribe_topic_events(ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    let first = within("initial_response", events.message())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        first.subscribe_topic_events_response_type,
        Some(Out::InitialResponse(_))
    ));

    c.publish_event(publish("orders", br#"{"n":1}"#, "application/json"))
        .await
        .unwrap();
    let Some(Out::EventMessage(ev)) = within("an event", events.message())
        .await
        .unwrap()
        .unwrap()
        .subscribe_topic_events_response_type
    else {
        panic!("expected an event");
    };
    assert_eq!(ev.topic, "orders");
    assert_eq!(ev.pubsub_name, "bus");
    assert_eq!(ev.source, "runtime");
    assert_eq!(ev.r#type, "com.runtime.event.sent");
    assert_eq!(ev.spec_version, "1.0");
    assert_eq!(ev.data_content_type, "application/json");
    assert_eq!(ev.data, br#"{"n":1}"#);
    assert_eq!(ev.id.len(), 36, "a UUID: {}", ev.id);

    // RETRY hands it back: it is delivered again with the same id.
    tx.send(processed(&ev.id, TopicEventResponseStatus::Retry))
        .await
        .unwrap();
    let Some(Out::EventMessage(again)) = within("the redelivery", events.message())
        .await
        .unwrap()
        .unwrap()
        .subscribe_topic_events_response_type
    else {
        panic!("expected the event again");
    };
    assert_eq!(again.id, ev.id);
    tx.send(processed(&ev.id, TopicEventResponseStatus::Success))
        .await
        .unwrap();

    // Text is the default content type and arrives as the bytes sent.
    c.publish_event(publish("orders", b"plain", ""))
        .await
        .unwrap();
    let Some(Out::EventMessage(text)) = within("a text event", events.message())
        .await
        .unwrap()
        .unwrap()
        .subscribe_topic_events_response_type
    else {
        panic!("expected an event");
    };
    assert_eq!(
        (text.data.as_slice(), text.data_content_type.as_str()),
        (&b"plain"[..], "text/plain")
    );
    tx.send(processed(&text.id, TopicEventResponseStatus::Success))
        .await
        .unwrap();

    // Validation.
    assert_eq!(
        code(c.publish_event(publish("", b"x", "")).await),
        Code::InvalidArgument
    );
    let mut unknown = publish("orders", b"x", "");
    unknown.pubsub_name = "nope".into();
    assert_eq!(code(c.publish_event(unknown).await), Code::InvalidArgument);
    let mut bad_ttl = publish("orders", b"x", "");
    bad_ttl
        .metadata
        .insert("ttlInSeconds".into(), "soon".into());
    assert_eq!(code(c.publish_event(bad_ttl).await), Code::InvalidArgument);

    drop(tx);
    let end = within("the end of the stream", events.message())
        .await
        .unwrap();
    assert!(end.is_none());

    // The first message must be initial_request.
    let r = sub_client
        .subscribe_topic_events(tokio_stream::iter(vec![processed(
            "x",
            TopicEventResponseStatus::Success,
        )]))
        .await;
    let status = match r {
        Err(s) => s,
        Ok(resp) => resp.into_inner().message().await.unwrap_err(),
    };
    assert_eq!(status.code(), Code::InvalidArgument);
}
