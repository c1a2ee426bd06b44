//! The CloudEvent envelope (Layotto §5.6): what PublishEvent hands a broker, and what a
//! subscriber is given back. Pure functions; the id and the clock come in.
//!
//! Publishing builds a JSON object with `id`, `specversion` 1.0, `source` "runtime", `type`
//! "com.runtime.event.sent", `datacontenttype` (default `text/plain`), `topic`, `pubsubname`,
//! `traceid` "" and, with metadata `ttlInSeconds`, `expiration` (RFC 3339). The payload goes
//! in `data` as parsed JSON for JSON content types (the string if it does not parse), as
//! base64 in `data_base64` for `application/octet-stream`, else as a UTF-8 string. A request
//! that is already `application/cloudevents+json` is used as the envelope, with `topic`,
//! `pubsubname` and `traceid` forced and `source`/`type`/`specversion` filled in if missing.
//!
//! Delivery reads the envelope back into a `TopicEventRequest`. One difference from Dapr:
//! for a content type that is neither text, XML nor JSON, the `data` string is delivered
//! (Dapr delivers nothing there, though it published the string).

use std::time::{Duration, SystemTime};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use bytes::Bytes;
use layotto_component_api::Metadata;
use layotto_proto::spec::proto::runtime::v1::TopicEventRequest;
use serde_json::{Map, Value};

use super::timefmt;

pub(crate) const CLOUDEVENTS_JSON: &str = "application/cloudevents+json";
const TTL: &str = "ttlInSeconds";

/// What PublishEvent was asked to send.
pub(crate) struct Publish<'a> {
    pub(crate) pubsub: &'a str,
    pub(crate) topic: &'a str,
    pub(crate) data: &'a [u8],
    pub(crate) content_type: &'a str,
    pub(crate) metadata: &'a Metadata,
}

/// The media type without parameters, lower-cased.
fn base_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

fn is_json(base: &str) -> bool {
    base == "application/json"
}

/// `ttlInSeconds` as a positive number of seconds, if set.
fn ttl(metadata: &Metadata) -> Result<Option<Duration>, String> {
    let Some(raw) = metadata.get(TTL) else {
        return Ok(None);
    };
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(Some(Duration::from_secs(n))),
        _ => Err(format!("metadata {TTL} {raw:?} must be a positive integer")),
    }
}

/// The envelope's JSON bytes. `Err` is a message for INVALID_ARGUMENT.
pub(crate) fn envelope(p: &Publish<'_>, id: String, now: SystemTime) -> Result<Vec<u8>, String> {
    let content_type = if p.content_type.is_empty() {
        "text/plain"
    } else {
        p.content_type
    };
    let base = base_type(content_type);
    let mut ev: Map<String, Value> = if base == CLOUDEVENTS_JSON {
        let Ok(Value::Object(mut given)) = serde_json::from_slice::<Value>(p.data) else {
            return Err(format!(
                "data is not a JSON object, as {CLOUDEVENTS_JSON} requires"
            ));
        };
        for (k, v) in [
            ("source", "Dapr"),
            ("type", "com.dapr.event.sent"),
            ("specversion", "1.0"),
        ] {
            given.entry(k).or_insert_with(|| v.into());
        }
        given
    } else {
        let mut ev = Map::new();
        ev.insert("id".into(), id.into());
        ev.insert("specversion".into(), "1.0".into());
        ev.insert("source".into(), "runtime".into());
        ev.insert("type".into(), "com.runtime.event.sent".into());
        ev.insert("datacontenttype".into(), content_type.into());
        if is_json(&base) {
            let data = serde_json::from_slice::<Value>(p.data)
                .unwrap_or_else(|_| String::from_utf8_lossy(p.data).into_owned().into());
            ev.insert("data".into(), data);
        } else if base == "application/octet-stream" {
            ev.insert("data_base64".into(), STANDARD.encode(p.data).into());
        } else {
            ev.insert(
                "data".into(),
                String::from_utf8_lossy(p.data).into_owned().into(),
            );
        }
        ev
    };
    ev.insert("topic".into(), p.topic.into());
    ev.insert("pubsubname".into(), p.pubsub.into());
    ev.insert("traceid".into(), "".into());
    if let Some(ttl) = ttl(p.metadata)? {
        ev.insert("expiration".into(), timefmt::rfc3339(now + ttl).into());
    }
    serde_json::to_vec(&Value::Object(ev)).map_err(|e| format!("cannot encode the event: {e}"))
}

/// What a subscriber gets for one broker message.
#[derive(Debug, PartialEq)]
pub(crate) enum Delivery {
    /// Past its `expiration`: acknowledge without delivering.
    Expired,
    Event(Box<TopicEventRequest>),
}

fn text(ev: &Map<String, Value>, key: &str) -> String {
    ev.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Reads an envelope back. A message that is not a JSON object (published around the
/// runtime) is delivered as opaque bytes under the transport's id.
pub(crate) fn delivery(
    pubsub: &str,
    topic: &str,
    transport_id: &str,
    raw: &Bytes,
    now: SystemTime,
) -> Delivery {
    let Ok(Value::Object(ev)) = serde_json::from_slice::<Value>(raw) else {
        return Delivery::Event(Box::new(TopicEventRequest {
            id: transport_id.to_owned(),
            topic: topic.to_owned(),
            pubsub_name: pubsub.to_owned(),
            data: raw.clone(),
            data_content_type: "application/octet-stream".into(),
            ..Default::default()
        }));
    };
    if let Some(at) = ev.get("expiration").and_then(Value::as_str) {
        if timefmt::parse_rfc3339(at).is_some_and(|at| at <= now) {
            return Delivery::Expired;
        }
    }
    let content_type = text(&ev, "datacontenttype");
    let base = base_type(&content_type);
    let data = if let Some(b64) = ev.get("data_base64").and_then(Value::as_str) {
        STANDARD.decode(b64).unwrap_or_default()
    } else {
        match ev.get("data") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) if !is_json(&base) => s.clone().into_bytes(),
            Some(v) => serde_json::to_vec(v).unwrap_or_default(),
        }
    };
    let id = match text(&ev, "id") {
        id if id.is_empty() => transport_id.to_owned(),
        id => id,
    };
    Delivery::Event(Box::new(TopicEventRequest {
        id,
        source: text(&ev, "source"),
        r#type: text(&ev, "type"),
        spec_version: text(&ev, "specversion"),
        data_content_type: content_type,
        topic: topic.to_owned(),
        data: data.into(),
        pubsub_name: pubsub.to_owned(),
        metadata: Default::default(),
    }))
}

#[cfg(test)]
mod tests;
