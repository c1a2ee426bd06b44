//! Routing `/actuator/<endpoint>/<params...>` and building each JSON answer.

use bytes::Bytes;
use layotto_health::{Health, HealthIndicator, Readiness};
use layotto_http1::{Method, Request};
use serde_json::{json, Map, Value};

use crate::Actuator;

/// An answer, before HTTP framing.
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
    pub allow: Option<&'static str>,
    /// Answer to HEAD: headers only.
    pub head_only: bool,
}

impl Reply {
    pub(crate) fn json(status: u16, body: Bytes) -> Reply {
        Reply {
            status,
            body,
            allow: None,
            head_only: false,
        }
    }

    fn value(status: u16, v: &Value) -> Reply {
        Reply::json(status, Bytes::from(v.to_string()))
    }
}

pub(crate) fn handle(state: &Actuator, req: &Request, body: Bytes) -> Reply {
    let path = req.head.target.as_ref();
    // Query strings are not used by any endpoint; ignore them rather than 404.
    let path = path.split(|b| *b == b'?').next().unwrap_or_default();
    let segments: Vec<&[u8]> = path
        .split(|b| *b == b'/')
        .filter(|s| !s.is_empty())
        .collect();
    let (endpoint, params) = match segments.as_slice() {
        [b"actuator", endpoint, params @ ..] => (*endpoint, params),
        _ => return Reply::json(404, Bytes::new()),
    };
    let mut reply = match (endpoint, &req.head.method) {
        (b"health" | b"info", Method::Get | Method::Head) => match endpoint {
            b"health" => health(state, params),
            _ => info(state),
        },
        (b"logger", Method::Post) => logger(state, &body),
        (b"health" | b"info", _) => Reply {
            allow: Some("GET, HEAD"),
            ..Reply::json(405, Bytes::new())
        },
        (b"logger", _) => Reply {
            allow: Some("POST"),
            ..Reply::json(405, Bytes::new())
        },
        _ => Reply::json(404, Bytes::new()),
    };
    reply.head_only = req.head.method == Method::Head;
    reply
}

fn health(state: &Actuator, params: &[&[u8]]) -> Reply {
    let indicators: Vec<&dyn HealthIndicator> = match params {
        // Liveness: the process is alive and its workers run; backends do not matter.
        [b"liveness"] => vec![state.lifecycle.as_ref()],
        [b"readiness"] => std::iter::once(state.lifecycle.as_ref() as &dyn HealthIndicator)
            .chain(state.components.iter().map(|c| c.as_ref()))
            .collect(),
        // Layotto answers an unknown or missing probe name with an error and `{}`.
        _ => return Reply::json(404, Bytes::from_static(b"{}")),
    };
    let r = Readiness::of(indicators);
    let mut components = Map::new();
    for (name, h) in &r.components {
        components.insert(name.clone(), component_json(h));
    }
    let status = if r.overall.is_up() { 200 } else { 503 };
    Reply::value(
        status,
        &json!({ "status": r.overall.status(), "components": components }),
    )
}

fn component_json(h: &Health) -> Value {
    match h {
        Health::Down(reason) => json!({ "status": "DOWN", "details": { "reason": reason } }),
        other => json!({ "status": other.status() }),
    }
}

fn info(state: &Actuator) -> Reply {
    let mut info = state.info.get().cloned().unwrap_or_else(|| json!({}));
    let total = state.counters.total();
    if let Value::Object(map) = &mut info {
        map.insert("phase".into(), json!(state.lifecycle.phase().as_str()));
        map.insert(
            "counters".into(),
            json!({
                "connections_accepted": total.connections_accepted,
                "connections_active": total.connections_active,
                "requests": total.requests,
                "per_worker": state.counters.per_worker().iter().map(|s| json!({
                    "connections_accepted": s.connections_accepted,
                    "connections_active": s.connections_active,
                    "requests": s.requests,
                })).collect::<Vec<_>>(),
            }),
        );
    }
    Reply::value(200, &info)
}

/// `POST /actuator/logger` with `{"level": "debug", "component": "layotto_worker"}`.
fn logger(state: &Actuator, body: &[u8]) -> Reply {
    let bad = |message: String| Reply::value(400, &json!({ "error": message }));
    let Some(log) = &state.log else {
        return Reply::value(
            500,
            &json!({ "error": "log level cannot be changed in this process" }),
        );
    };
    let request: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return bad(format!("body must be a JSON object: {e}")),
    };
    let Some(level) = request.get("level").and_then(Value::as_str) else {
        return bad("missing string field \"level\"".to_owned());
    };
    let target = request
        .get("component")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty());
    match log.set_level(target, level) {
        Ok(filter) => {
            tracing::info!(%filter, "log filter changed through the actuator");
            Reply::value(200, &json!({ "filter": filter }))
        }
        Err(e) => bad(e),
    }
}
