//! Where InvokeService sends each app id: a static table read once at startup.
//!
//! Two sources, most specific first:
//! - `grpc_config.app_targets` (**ours, not Layotto's**): `{"app-id": "http://host:port"}`,
//!   optionally with a base path (`http://host:port/api`);
//! - Layotto's `rpcs.mosn.config.channel[0]` when its `protocol` is `http` and its `listener`
//!   is a `host:port`: every id goes there, as Layotto's http channel dials it directly.
//!   A mosn channel this build cannot serve (bolt, dubbo, or a listener *name*, which in
//!   Layotto is a MOSN listener doing the routing) does not stop startup; calls that would
//!   need it answer UNIMPLEMENTED saying why.
//!
//! Host names are resolved here, on the main thread, so a call never blocks its core on DNS.

use std::collections::BTreeMap;
use std::net::{SocketAddr, ToSocketAddrs};

use layotto_config::GrpcConfig;
use serde_json::Value;

/// One HTTP/1.1 upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// What the `Host` header says: the URL's `host[:port]`.
    pub(crate) authority: String,
    pub(crate) addrs: Vec<SocketAddr>,
    /// Prepended to `/<method>`; empty or starting with `/`, never ending with one.
    pub(crate) base_path: String,
}

impl Target {
    /// `http://host[:port][/base]`.
    pub(crate) fn parse(url: &str) -> Result<Target, String> {
        let rest = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                return Err(format!(
                    "{url:?}: scheme {scheme:?} is not supported; use http://"
                ))
            }
            None => return Err(format!("{url:?}: expected http://host:port")),
        };
        let (authority, path) = match rest.find(['/', '?', '#']) {
            Some(at) if rest[at..].starts_with('/') => (&rest[..at], &rest[at..]),
            Some(_) => return Err(format!("{url:?}: no query or fragment allowed")),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("{url:?}: expected http://host:port"));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| format!("{url:?}: bad port"))?;
        let addrs: Vec<SocketAddr> = (host, port)
            .to_socket_addrs()
            .map_err(|e| format!("{url:?}: cannot resolve {host}: {e}"))?
            .collect();
        if addrs.is_empty() {
            return Err(format!("{url:?}: {host} has no address"));
        }
        Ok(Target {
            authority: authority.to_owned(),
            addrs,
            base_path: path.trim_end_matches('/').to_owned(),
        })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`; the port defaults to 80.
fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, rest) = v6.split_once(']')?;
        return match rest.strip_prefix(':') {
            Some(p) => Some((host, p.parse().ok()?)),
            None if rest.is_empty() => Some((host, 80)),
            None => None,
        };
    }
    match authority.rsplit_once(':') {
        Some((host, p)) => Some((host, p.parse().ok()?)),
        None => Some((authority, 80)),
    }
}

/// Every app id's target, as configured.
#[derive(Debug, Default)]
pub(crate) struct Targets {
    by_app: BTreeMap<String, Target>,
    /// From the mosn http channel: for ids not in `by_app`.
    default: Option<Target>,
    /// Why the configured mosn channel cannot be used, if it cannot.
    unsupported: Option<String>,
}

/// What a lookup found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup<'a> {
    Found(&'a Target),
    /// Configured in a way this build cannot serve (UNIMPLEMENTED).
    Unsupported(&'a str),
    /// Nothing for this id (NOT_FOUND, or FAILED_PRECONDITION when nothing is configured).
    Unknown {
        known: Vec<&'a str>,
    },
}

impl Targets {
    pub(crate) fn from_config(config: &GrpcConfig) -> Result<Targets, String> {
        let mut t = Targets::default();
        for (id, url) in &config.app_targets {
            let target = Target::parse(url).map_err(|e| format!("app_targets.{id}: {e}"))?;
            t.by_app.insert(id.clone(), target);
        }
        if let Some((_, mosn)) = config.rpcs.iter().find(|(k, _)| k == "mosn") {
            match mosn_channel(mosn)? {
                Ok(target) => t.default = Some(target),
                Err(why) => t.unsupported = Some(why),
            }
        }
        Ok(t)
    }

    pub(crate) fn lookup(&self, id: &str) -> Lookup<'_> {
        if let Some(t) = self.by_app.get(id).or(self.default.as_ref()) {
            return Lookup::Found(t);
        }
        if let Some(why) = &self.unsupported {
            return Lookup::Unsupported(why);
        }
        Lookup::Unknown {
            known: self.by_app.keys().map(String::as_str).collect(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_app.is_empty() && self.default.is_none() && self.unsupported.is_none()
    }
}

/// Layotto's `rpcs.mosn.config.channel[0]`: `Ok(Ok(target))` when this build can dial it,
/// `Ok(Err(why))` when it cannot, `Err` when it is malformed (startup fails, as in Layotto).
fn mosn_channel(mosn: &Value) -> Result<Result<Target, String>, String> {
    let path = "rpcs.mosn.config.channel";
    let Some(channel) = mosn.pointer("/config/channel/0") else {
        return Err(format!("{path}: a channel is required"));
    };
    let protocol = channel
        .get("protocol")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let listener = channel
        .get("listener")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if protocol != "http" {
        return Ok(Err(format!(
            "the mosn rpc channel protocol {protocol:?} is not supported in this build (only \"http\")"
        )));
    }
    let dialable =
        listener.contains(':') && split_host_port(listener).is_some_and(|(h, _)| !h.is_empty());
    if !dialable {
        return Ok(Err(format!(
            "the mosn rpc channel listener {listener:?} names a MOSN listener; this build can only \
             dial host:port (or set grpc_config.app_targets)"
        )));
    }
    Target::parse(&format!("http://{listener}"))
        .map(Ok)
        .map_err(|e| format!("{path}[0].listener: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = Target::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!(
            t.addrs,
            vec!["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]
        );
        assert_eq!(t.base_path, "");
        let t = Target::parse("HTTP://[::1]:9/api/").unwrap();
        assert_eq!(
            (t.authority.as_str(), t.base_path.as_str()),
            ("[::1]:9", "/api")
        );
        assert_eq!(
            Target::parse("http://127.0.0.1").unwrap().addrs[0].port(),
            80
        );
        for bad in [
            "https://a:1",
            "127.0.0.1:80",
            "http://",
            "http://a:x",
            "http://a:1?q",
            "http://u@a:1",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }

    fn config(targets: &[(&str, &str)], mosn: Option<Value>) -> GrpcConfig {
        GrpcConfig {
            app_targets: targets
                .iter()
                .map(|(a, b)| ((*a).into(), (*b).into()))
                .collect(),
            rpcs: mosn
                .map(|v| vec![("mosn".to_owned(), v)])
                .unwrap_or_default(),
            ..Default::default()
        }
    }

    #[test]
    fn table_then_mosn_channel() {
        let t = Targets::from_config(&config(&[("orders", "http://127.0.0.1:1")], None)).unwrap();
        assert!(matches!(t.lookup("orders"), Lookup::Found(x) if x.authority == "127.0.0.1:1"));
        assert_eq!(
            t.lookup("users"),
            Lookup::Unknown {
                known: vec!["orders"]
            }
        );
        let mosn = serde_json::json!({"config": {"channel": [{"protocol": "http", "listener": "127.0.0.1:2", "size": 1}]}});
        let t =
            Targets::from_config(&config(&[("orders", "http://127.0.0.1:1")], Some(mosn))).unwrap();
        assert!(matches!(t.lookup("users"), Lookup::Found(x) if x.authority == "127.0.0.1:2"));
        assert!(Targets::from_config(&config(&[], None)).unwrap().is_empty());
    }

    #[test]
    fn mosn_channels_this_build_cannot_serve() {
        let bolt = serde_json::json!({"config": {"channel": [{"protocol": "bolt", "listener": "egress"}]}});
        let t = Targets::from_config(&config(&[], Some(bolt))).unwrap();
        assert!(matches!(t.lookup("x"), Lookup::Unsupported(w) if w.contains("bolt")));
        let named = serde_json::json!({"config": {"channel": [{"protocol": "http", "listener": "egress_runtime_http"}]}});
        let t = Targets::from_config(&config(&[], Some(named))).unwrap();
        assert!(matches!(t.lookup("x"), Lookup::Unsupported(w) if w.contains("MOSN listener")));
        let none = serde_json::json!({"config": {}});
        assert!(Targets::from_config(&config(&[], Some(none))).is_err());
    }
}
