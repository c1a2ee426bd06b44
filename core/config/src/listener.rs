//! `servers[].listeners[]`: where the sidecar listens and what each listener runs.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;

use crate::component::{self, GrpcConfig};
use crate::process::duration;
use crate::walk::{invalid, Obj, Result};
use crate::{Config, ConfigError, JsonPath, Warning};

/// One listener.
#[derive(Debug, Clone)]
pub struct Listener {
    /// Where it sits in the file, for errors raised after parsing.
    pub path: String,
    pub name: String,
    pub address: SocketAddr,
    /// MOSN's `bind_port`: only `true` really listens.
    pub bind_port: bool,
    pub filter_chains: Vec<FilterChain>,
    pub stream_filters: Vec<StreamFilter>,
}

impl Listener {
    /// The `grpc` filter of the listener's chain, if it runs the Runtime API.
    pub fn grpc(&self) -> Option<&GrpcFilter> {
        self.filters().find_map(|f| match f {
            Filter::Grpc(g) => Some(g),
            Filter::Proxy(_) => None,
        })
    }

    pub fn proxy(&self) -> Option<&ProxyFilter> {
        self.filters().find_map(|f| match f {
            Filter::Proxy(p) => Some(p),
            Filter::Grpc(_) => None,
        })
    }

    /// Layotto's actuator listener: a proxy filter whose stream filter answers everything.
    /// The certificate of the listener's (first) filter chain, if it serves TLS.
    pub fn tls(&self) -> Option<&TlsContext> {
        self.filter_chains
            .first()
            .and_then(|c| c.tls_context.as_ref())
    }

    pub fn is_actuator(&self) -> bool {
        self.stream_filters
            .iter()
            .any(|f| f.kind == "actuator_filter")
    }

    fn filters(&self) -> impl Iterator<Item = &Filter> {
        // MOSN uses only the first filter chain; so do we.
        self.filter_chains
            .iter()
            .take(1)
            .flat_map(|c| c.filters.iter())
    }
}

#[derive(Debug, Clone)]
pub struct FilterChain {
    pub filters: Vec<Filter>,
    /// MOSN's `tls_context` with `"status": true`: serve TLS on this listener.
    pub tls_context: Option<TlsContext>,
}

/// A listener's certificate, as MOSN writes it: each value is inline PEM or a file path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsContext {
    pub cert_chain: String,
    pub private_key: String,
    /// Where the context sits in the file, for errors raised when the PEM is loaded.
    pub path: String,
}

impl TlsContext {
    /// The PEM bytes of a value: itself when it holds PEM, else the file it names.
    pub fn load(value: &str) -> std::io::Result<Vec<u8>> {
        if value.trim_start().starts_with("-----BEGIN") {
            Ok(value.as_bytes().to_vec())
        } else {
            std::fs::read(value)
        }
    }
}

/// A network filter.
#[derive(Debug, Clone)]
pub enum Filter {
    /// Layotto's Runtime API server.
    Grpc(GrpcFilter),
    /// MOSN's proxy; with the `actuator_filter` stream filter it is the actuator.
    Proxy(ProxyFilter),
}

#[derive(Debug, Clone)]
pub struct GrpcFilter {
    /// Layotto registers exactly one server factory, `runtime`.
    pub server_name: String,
    pub grpc_config: GrpcConfig,
    pub graceful_stop_timeout: Option<Duration>,
}

#[derive(Debug, Clone)]
pub struct ProxyFilter {
    pub downstream_protocol: String,
    pub upstream_protocol: Option<String>,
    pub router_config_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StreamFilter {
    pub kind: String,
    pub config: Option<Value>,
    pub path: String,
}

const FILTER_TYPES: &[&str] = &["grpc", "proxy"];

pub(crate) fn parse(
    value: &Value,
    path: JsonPath,
    warnings: &mut Vec<Warning>,
) -> Result<Listener> {
    let mut obj = Obj::new(value, path)?;
    let name = obj.req_str("name")?.to_owned();
    let address_text = obj.req_str("address")?;
    let address: SocketAddr = address_text.parse().map_err(|_| {
        invalid(
            &obj.at("address"),
            format!("expected \"ip:port\", found {address_text:?}"),
        )
    })?;
    let bind_port = match obj.bool("bind_port")? {
        Some(b) => b,
        None => {
            warnings.push(Warning {
                path: obj.at("bind_port").to_string(),
                message: "absent: MOSN reads this as false, so the listener is not bound".into(),
            });
            false
        }
    };
    if let Some(network) = obj.str("network")? {
        if network != "tcp" {
            return Err(invalid(
                &obj.at("network"),
                format!("only \"tcp\" listeners are supported, found {network:?}"),
            ));
        }
    }
    let mut filter_chains = Vec::new();
    for (path, chain) in obj.array("filter_chains")? {
        filter_chains.push(parse_chain(chain, path, warnings)?);
    }
    if filter_chains.len() > 1 {
        warnings.push(Warning {
            path: obj.at("filter_chains").to_string(),
            message: "only the first filter chain is used, as in MOSN".into(),
        });
    }
    let mut stream_filters = Vec::new();
    for (path, f) in obj.array("stream_filters")? {
        let mut fo = Obj::new(f, path)?;
        let kind = fo.req_str("type")?.to_owned();
        let config = fo.raw("config").cloned();
        let path = fo.path.to_string();
        fo.finish(warnings);
        stream_filters.push(StreamFilter { kind, config, path });
    }
    obj.accept(&[
        "type",
        "reuseport",
        "use_original_dst",
        "access_logs",
        "listener_filters",
        "inspector",
        "connection_idle_timeout",
        "default_read_buffer_size",
        "per_connection_buffer_limit_bytes",
    ]);
    let path = obj.path.to_string();
    obj.finish(warnings);
    Ok(Listener {
        path,
        name,
        address,
        bind_port,
        filter_chains,
        stream_filters,
    })
}

fn parse_chain(value: &Value, path: JsonPath, warnings: &mut Vec<Warning>) -> Result<FilterChain> {
    let mut obj = Obj::new(value, path)?;
    let mut filters = Vec::new();
    for (path, f) in obj.array("filters")? {
        filters.push(parse_filter(f, path, warnings)?);
    }
    let tls_context = match obj.obj("tls_context")? {
        Some(t) => parse_tls(t, warnings)?,
        None => None,
    };
    obj.accept(&["match", "tls_context_set"]);
    obj.finish(warnings);
    Ok(FilterChain {
        filters,
        tls_context,
    })
}

fn parse_tls(mut obj: Obj<'_>, warnings: &mut Vec<Warning>) -> Result<Option<TlsContext>> {
    if !obj.bool("status")?.unwrap_or(false) {
        obj.accept(&[
            "cert_chain",
            "private_key",
            "ca_cert",
            "server_name",
            "type",
            "alpn",
        ]);
        obj.finish(warnings);
        return Ok(None);
    }
    let cert_chain = obj.req_str("cert_chain")?.to_owned();
    let private_key = obj.req_str("private_key")?.to_owned();
    if obj.bool("verify_client")?.unwrap_or(false)
        || obj.bool("require_client_cert")?.unwrap_or(false)
    {
        return Err(invalid(
            &obj.at("verify_client"),
            "client certificate verification (mTLS) is not supported yet",
        ));
    }
    // ALPN is always `h2` here: the listener serves HTTP/2 only.
    obj.accept(&[
        "type",
        "server_name",
        "alpn",
        "ca_cert",
        "min_version",
        "max_version",
        "cipher_suites",
        "ecdh_curves",
        "insecure_skip",
        "fall_back",
    ]);
    let path = obj.path.to_string();
    obj.finish(warnings);
    Ok(Some(TlsContext {
        cert_chain,
        private_key,
        path,
    }))
}

fn parse_filter(value: &Value, path: JsonPath, warnings: &mut Vec<Warning>) -> Result<Filter> {
    let mut obj = Obj::new(value, path)?;
    let kind = obj.req_str("type")?;
    let config_path = obj.at("config");
    let config = obj.raw("config");
    let filter = match kind {
        "grpc" => {
            let empty = Value::Object(Default::default());
            let mut c = Obj::new(config.unwrap_or(&empty), config_path)?;
            let server_name = c.str("server_name")?.unwrap_or("runtime").to_owned();
            if server_name != "runtime" {
                return Err(invalid(
                    &c.at("server_name"),
                    format!("unknown gRPC server {server_name:?}; the only one is \"runtime\""),
                ));
            }
            let grpc_config = match c.obj("grpc_config")? {
                Some(g) => component::parse_grpc_config(g, warnings)?,
                None => return Err(c.missing("grpc_config")),
            };
            let graceful_stop_timeout = duration(&mut c, "graceful_stop_timeout")?;
            c.finish(warnings);
            Filter::Grpc(GrpcFilter {
                server_name,
                grpc_config,
                graceful_stop_timeout,
            })
        }
        "proxy" => {
            let config = config.ok_or_else(|| obj.missing("config"))?;
            let mut c = Obj::new(config, config_path)?;
            let downstream_protocol = c.req_str("downstream_protocol")?.to_owned();
            let upstream_protocol = c.str("upstream_protocol")?.map(str::to_owned);
            let router_config_name = c.str("router_config_name")?.map(str::to_owned);
            c.accept(&[
                "name",
                "extend_config",
                "router_handler_name",
                "validate_clusters",
                "fallback_for_unknown_protocol",
            ]);
            c.finish(warnings);
            Filter::Proxy(ProxyFilter {
                downstream_protocol,
                upstream_protocol,
                router_config_name,
            })
        }
        other => {
            return Err(invalid(
                &obj.at("type"),
                format!(
                    "unknown filter type {other:?}; known types: {}",
                    FILTER_TYPES.join(", ")
                ),
            ))
        }
    };
    obj.finish(warnings);
    Ok(filter)
}

/// Listener names must be unique (the rpc channel finds listeners by name), and two bound
/// listeners on one fixed address would steal each other's connections.
pub(crate) fn check_unique(config: &Config) -> Result<()> {
    let listeners: Vec<&Listener> = config.listeners().collect();
    for (i, l) in listeners.iter().enumerate() {
        for earlier in &listeners[..i] {
            if earlier.name == l.name {
                return Err(ConfigError::Invalid {
                    path: format!("{}.name", l.path),
                    message: format!("duplicate listener name {:?}", l.name),
                });
            }
            if l.bind_port
                && earlier.bind_port
                && l.address.port() != 0
                && earlier.address == l.address
            {
                return Err(ConfigError::Invalid {
                    path: format!("{}.address", l.path),
                    message: format!(
                        "{} is already used by listener {:?}",
                        l.address, earlier.name
                    ),
                });
            }
        }
    }
    Ok(())
}
