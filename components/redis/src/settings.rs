//! Component metadata → [`ClientConfig`], with the key names Layotto's configs use.
//!
//! Two families of names exist upstream (Layotto facts §5.1): Dapr's state and pub/sub
//! components read `redisDB`, Layotto's own lock and sequencer read `db`. Each is accepted
//! where its users write it. Durations are go-redis style: a bare integer is milliseconds,
//! otherwise a Go duration string (`"500ms"`, `"2s"`, `"1m30s"`).
//!
//! Refused with a reason rather than half-supported: `redisType: cluster`, `failover`
//! (sentinel) and `enableTLS`.

use std::time::Duration;

use layotto_component_api::{ComponentError, ComponentSpec};
use layotto_resp_client::ClientConfig;

/// Which family of metadata names the component uses for the database index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Dapr's: `redisDB`.
    Dapr,
    /// Layotto's lock and sequencer: `db`.
    Layotto,
}

fn bad(key: &str, message: impl Into<String>) -> ComponentError {
    ComponentError::Metadata {
        key: key.into(),
        message: message.into(),
    }
}

pub(crate) fn client_config(
    spec: &ComponentSpec,
    family: Family,
) -> Result<ClientConfig, ComponentError> {
    let host = spec
        .metadata_str("redisHost")
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("redisHost", "required: host:port of the redis server"))?;
    let addr = if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        host
    } else {
        format!("{host}:6379")
    };
    let mut c = ClientConfig::new(addr);
    c.password = spec.metadata_str("redisPassword").filter(|p| !p.is_empty());
    c.username = spec.metadata_str("redisUsername").filter(|u| !u.is_empty());
    let db_key = match family {
        Family::Dapr => "redisDB",
        Family::Layotto => "db",
    };
    if let Some(raw) = spec.metadata_str(db_key) {
        c.db = raw
            .trim()
            .parse()
            .map_err(|_| bad(db_key, format!("{raw:?} is not a database index")))?;
    }
    match spec.metadata_str("redisType").as_deref().map(str::trim) {
        None | Some("") | Some("node") => {}
        Some("cluster") => return Err(bad("redisType", "cluster mode is not supported yet")),
        Some(other) => return Err(bad("redisType", format!("{other:?}: expected node"))),
    }
    for (key, what) in [
        ("failover", "sentinel failover"),
        ("enableTLS", "TLS to redis"),
    ] {
        if flag(spec, key)? {
            return Err(bad(key, format!("{what} is not supported yet")));
        }
    }
    if let Some(d) = duration(spec, "dialTimeout")? {
        c.dial_timeout = d;
    }
    if let Some(d) = duration(spec, "readTimeout")? {
        c.read_timeout = d;
    }
    if let Some(d) = duration(spec, "redisMinRetryInterval")? {
        c.min_backoff = d;
    }
    if let Some(d) = duration(spec, "redisMaxRetryInterval")? {
        c.max_backoff = d.max(c.min_backoff);
    }
    c.pool_size = layotto_component_api::positive_metadata(spec, "poolSize", c.pool_size)?;
    c.max_in_flight =
        layotto_component_api::positive_metadata(spec, "maxInFlight", c.max_in_flight)?;
    Ok(c)
}

fn flag(spec: &ComponentSpec, key: &str) -> Result<bool, ComponentError> {
    match spec.metadata_str(key).as_deref().map(str::trim) {
        None | Some("") | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(bad(key, format!("{other:?} is not true or false"))),
    }
}

/// Longer than any sensible timeout or backoff; also keeps deadline arithmetic far from
/// overflow.
const MAX_DURATION: Duration = Duration::from_secs(24 * 3600);

fn duration(spec: &ComponentSpec, key: &str) -> Result<Option<Duration>, ComponentError> {
    let Some(raw) = spec.metadata_str(key) else {
        return Ok(None);
    };
    parse_duration(raw.trim())
        .filter(|d| !d.is_zero() && *d <= MAX_DURATION)
        .map(Some)
        .ok_or_else(|| {
            bad(
                key,
                format!("{raw:?} is not a positive duration up to 24h (\"500ms\", \"2s\", or milliseconds)"),
            )
        })
}

/// A bare integer (milliseconds) or a Go duration: numbers with units ns, us/µs, ms, s, m, h.
pub(crate) fn parse_duration(s: &str) -> Option<Duration> {
    if let Ok(ms) = s.parse::<u64>() {
        return Some(Duration::from_millis(ms));
    }
    let mut rest = s;
    let mut total = 0f64;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += value * scale;
    }
    Duration::try_from_secs_f64(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(api: &str, metadata: &str) -> ComponentSpec {
        let text = format!(
            r#"{{"servers":[{{"listeners":[{{"name":"g","address":"127.0.0.1:0","bind_port":true,
            "filter_chains":[{{"filters":[{{"type":"grpc","config":{{"grpc_config":{{
            "{api}":{{"r":{{"type":"redis","metadata":{metadata}}}}}}}}}}}]}}]}}]}}]}}"#
        );
        let parsed = layotto_config::Config::from_json(&text).unwrap();
        let l = parsed.config.listeners().next().unwrap().clone();
        l.grpc().unwrap().grpc_config.components[0].clone()
    }

    fn refused(api: &str, metadata: &str, family: Family) -> String {
        client_config(&spec(api, metadata), family)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn metadata_in_daprs_and_layottos_names() {
        let c = client_config(
            &spec(
                "state",
                r#"{"redisHost":"db.local","redisPassword":"pw","redisUsername":"u","redisDB":"4",
                   "dialTimeout":"2s","readTimeout":250,"poolSize":"3","redisMinRetryInterval":"10ms",
                   "redisMaxRetryInterval":"1s"}"#,
            ),
            Family::Dapr,
        )
        .unwrap();
        assert_eq!(c.addr, "db.local:6379");
        assert_eq!(
            (c.password.as_deref(), c.username.as_deref()),
            (Some("pw"), Some("u"))
        );
        assert_eq!(c.db, 4);
        assert_eq!(c.dial_timeout, Duration::from_secs(2));
        assert_eq!(c.read_timeout, Duration::from_millis(250));
        assert_eq!(c.pool_size, 3);
        assert_eq!(
            (c.min_backoff, c.max_backoff),
            (Duration::from_millis(10), Duration::from_secs(1))
        );
        // Layotto's lock and sequencer say `db`, and ignore `redisDB`.
        let l = client_config(
            &spec("lock", r#"{"redisHost":"h:7000","db":2,"redisDB":5}"#),
            Family::Layotto,
        )
        .unwrap();
        assert_eq!((l.addr.as_str(), l.db), ("h:7000", 2));
    }

    #[test]
    fn what_cannot_work_is_refused_with_the_key() {
        let d = Family::Dapr;
        assert!(refused("state", "{}", d).starts_with("metadata.redisHost: required"));
        assert!(refused("state", r#"{"redisHost":"h","redisDB":"x"}"#, d)
            .starts_with("metadata.redisDB:"));
        assert!(
            refused("state", r#"{"redisHost":"h","redisType":"cluster"}"#, d)
                .contains("not supported")
        );
        assert!(refused("state", r#"{"redisHost":"h","enableTLS":"true"}"#, d).contains("TLS"));
        assert!(
            refused("state", r#"{"redisHost":"h","enableTLS":"maybe"}"#, d)
                .contains("true or false")
        );
        assert!(
            refused("state", r#"{"redisHost":"h","readTimeout":"soon"}"#, d)
                .starts_with("metadata.readTimeout:")
        );
        assert!(refused("state", r#"{"redisHost":"h","poolSize":"0"}"#, d)
            .starts_with("metadata.poolSize:"));
    }

    #[test]
    fn go_durations_and_bare_milliseconds() {
        assert_eq!(parse_duration("250"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("300ms"), Some(Duration::from_millis(300)));
        assert_eq!(parse_duration("10us"), Some(Duration::from_micros(10)));
        for bad in ["", "s", "5 s", "5x", "-1s", "1..2s"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
