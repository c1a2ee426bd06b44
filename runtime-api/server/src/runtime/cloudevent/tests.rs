#![allow(clippy::unwrap_used)]

use std::time::UNIX_EPOCH;

use super::*;

fn publish<'a>(data: &'a [u8], content_type: &'a str, metadata: &'a Metadata) -> Publish<'a> {
    Publish {
        pubsub: "bus",
        topic: "orders",
        data,
        content_type,
        metadata,
    }
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_709_210_096)
}

#[test]
fn text_is_the_default_and_carried_as_a_string() {
    let m = Metadata::new();
    let ev = json(&envelope(&publish(b"hi", "", &m), "id-1".into(), now()).unwrap());
    assert_eq!(
        ev,
        serde_json::json!({
            "id": "id-1", "specversion": "1.0", "source": "runtime",
            "type": "com.runtime.event.sent", "datacontenttype": "text/plain",
            "data": "hi", "topic": "orders", "pubsubname": "bus", "traceid": ""
        })
    );
}

#[test]
fn json_is_embedded_and_bytes_are_base64() {
    let m = Metadata::new();
    let ev = json(
        &envelope(
            &publish(br#"{"a":1}"#, "application/json; charset=utf-8", &m),
            "i".into(),
            now(),
        )
        .unwrap(),
    );
    assert_eq!(ev["data"], serde_json::json!({"a": 1}));
    let ev = json(
        &envelope(
            &publish(b"not json", "application/json", &m),
            "i".into(),
            now(),
        )
        .unwrap(),
    );
    assert_eq!(ev["data"], "not json");
    let ev = json(
        &envelope(
            &publish(&[0, 255], "application/octet-stream", &m),
            "i".into(),
            now(),
        )
        .unwrap(),
    );
    assert_eq!(ev["data_base64"], "AP8=");
    assert!(ev.get("data").is_none());
}

#[test]
fn ttl_sets_expiration_and_must_be_positive() {
    let m: Metadata = [("ttlInSeconds".to_owned(), "60".to_owned())].into();
    let ev = json(&envelope(&publish(b"x", "", &m), "i".into(), now()).unwrap());
    assert_eq!(ev["expiration"], "2024-02-29T12:35:56Z");
    for bad in ["0", "-1", "soon"] {
        let m: Metadata = [("ttlInSeconds".to_owned(), bad.to_owned())].into();
        assert!(
            envelope(&publish(b"x", "", &m), "i".into(), now()).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn a_cloudevent_input_is_the_envelope() {
    let m = Metadata::new();
    let given = br#"{"id":"mine","type":"t","data":"d","topic":"spoofed"}"#;
    let ev = json(&envelope(&publish(given, CLOUDEVENTS_JSON, &m), "i".into(), now()).unwrap());
    assert_eq!(ev["id"], "mine");
    assert_eq!(ev["type"], "t");
    assert_eq!(ev["source"], "Dapr");
    assert_eq!(ev["specversion"], "1.0");
    assert_eq!(ev["topic"], "orders", "topic is forced");
    assert_eq!(ev["pubsubname"], "bus");
    assert!(envelope(&publish(b"[1]", CLOUDEVENTS_JSON, &m), "i".into(), now()).is_err());
}

#[test]
fn delivery_reads_back_what_publish_wrote() {
    let m = Metadata::new();
    for (data, ct, want) in [
        (&b"hello"[..], "text/plain", &b"hello"[..]),
        (br#"{"a":[1,2]}"#, "application/json", br#"{"a":[1,2]}"#),
        (&[1, 2, 3], "application/octet-stream", &[1, 2, 3]),
        (b"<a/>", "application/xml", b"<a/>"),
    ] {
        let raw = Bytes::from(envelope(&publish(data, ct, &m), "ev-1".into(), now()).unwrap());
        let Delivery::Event(e) = delivery("bus", "orders", "t-1", &raw, now()) else {
            panic!("expired");
        };
        assert_eq!(&e.data[..], want, "{ct}");
        assert_eq!(e.id, "ev-1");
        assert_eq!(e.data_content_type, ct);
        assert_eq!(e.source, "runtime");
        assert_eq!(e.r#type, "com.runtime.event.sent");
        assert_eq!(e.spec_version, "1.0");
        assert_eq!(
            (e.topic.as_str(), e.pubsub_name.as_str()),
            ("orders", "bus")
        );
    }
}

#[test]
fn expired_events_are_not_delivered_and_raw_bytes_pass_through() {
    let m: Metadata = [("ttlInSeconds".to_owned(), "1".to_owned())].into();
    let raw = Bytes::from(envelope(&publish(b"x", "", &m), "i".into(), now()).unwrap());
    assert!(matches!(
        delivery("bus", "t", "1", &raw, now()),
        Delivery::Event(_)
    ));
    let later = now() + Duration::from_secs(2);
    assert_eq!(delivery("bus", "t", "1", &raw, later), Delivery::Expired);
    let Delivery::Event(e) = delivery("bus", "t", "tr-9", &Bytes::from_static(b"\x00raw"), now())
    else {
        panic!("expired");
    };
    assert_eq!((e.id.as_str(), &e.data[..]), ("tr-9", &b"\x00raw"[..]));
}
