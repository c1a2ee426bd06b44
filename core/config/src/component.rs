//! The `grpc` filter's `grpc_config`: the app, and one map of named components per API.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::process::duration;
use crate::walk::{invalid, type_error, Obj, Result};
use crate::{JsonPath, Warning};

/// An API whose components are configured by name, with Layotto's key for its map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Api {
    SecretStore,
    ConfigStore,
    Hello,
    State,
    Binding,
    PubSub,
    File,
    Oss,
    Lock,
    Sequencer,
    Cryption,
    Email,
    Phone,
    Sms,
}

impl Api {
    /// In Layotto's initialisation order: secret and config stores come first because other
    /// components may read secrets and settings from them while they start.
    pub const ALL: [Api; 14] = [
        Api::SecretStore,
        Api::ConfigStore,
        Api::Hello,
        Api::State,
        Api::Binding,
        Api::PubSub,
        Api::File,
        Api::Oss,
        Api::Lock,
        Api::Sequencer,
        Api::Cryption,
        Api::Email,
        Api::Phone,
        Api::Sms,
    ];

    /// The key of this API's map in `grpc_config`, exactly as Layotto spells it.
    pub fn key(self) -> &'static str {
        match self {
            Api::SecretStore => "secret_store",
            Api::ConfigStore => "config_store",
            Api::Hello => "hellos",
            Api::State => "state",
            Api::Binding => "bindings",
            Api::PubSub => "pub_subs",
            Api::File => "file",
            Api::Oss => "oss",
            Api::Lock => "lock",
            Api::Sequencer => "sequencer",
            Api::Cryption => "cryption",
            Api::Email => "email",
            Api::Phone => "phone",
            Api::Sms => "sms",
        }
    }
}

/// `app`: who the application is and where its callback server listens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct App {
    pub app_id: String,
    /// 0 means no callback connection, as in Layotto.
    pub grpc_callback_port: u16,
    pub grpc_callback_host: String,
}

/// `secret_ref[]`: a secret injected into the component's metadata before it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    pub store_name: String,
    pub key: String,
    pub sub_key: String,
    pub inject_as: String,
}

/// `component_ref`: stores handed to a component that accepts them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentRef {
    pub secret_store: Option<String>,
    pub config_store: Option<String>,
}

/// One named component, e.g. `state.redis = {"type": "redis", "metadata": {...}}`.
#[derive(Debug, Clone)]
pub struct ComponentSpec {
    pub api: Api,
    pub name: String,
    pub type_name: String,
    /// Raw JSON: most components use string values, `file` ones use arrays of objects.
    pub metadata: Map<String, Value>,
    /// `hellos` only: the greeting.
    pub hello: Option<String>,
    /// `sequencer` only: a sibling of `metadata`, the floor for ids per key.
    pub bigger_than: Vec<(String, i64)>,
    /// `config_store` only: endpoints and timeout sit beside `metadata`, not in it.
    pub address: Vec<String>,
    pub timeout: Option<Duration>,
    pub secret_ref: Vec<SecretRef>,
    pub component_ref: Option<ComponentRef>,
    /// The entry's JSON path, for errors the component registry raises later.
    pub path: String,
}

impl ComponentSpec {
    /// The path of this entry's `type`, where an unknown-type error points.
    pub fn type_path(&self) -> String {
        format!("{}.type", self.path)
    }

    /// A metadata value as a string; JSON numbers and booleans are rendered, as Layotto's
    /// map[string]string loader would have required them quoted anyway.
    pub fn metadata_str(&self, key: &str) -> Option<String> {
        match self.metadata.get(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// `grpc_config`.
#[derive(Debug, Clone, Default)]
pub struct GrpcConfig {
    pub app: Option<App>,
    /// Every component of every API, in initialisation order.
    pub components: Vec<ComponentSpec>,
    /// `rpcs`: factory name to raw config (only `mosn` exists in Layotto).
    pub rpcs: Vec<(String, Value)>,
    /// `app_targets`: **ours, not Layotto's**. App id to the base URL (`http://host:port`)
    /// InvokeService forwards that id's calls to, for deployments without a mesh.
    pub app_targets: Vec<(String, String)>,
}

impl GrpcConfig {
    pub fn components_of(&self, api: Api) -> impl Iterator<Item = &ComponentSpec> {
        self.components.iter().filter(move |c| c.api == api)
    }
}

pub(crate) fn parse_grpc_config(
    mut obj: Obj<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<GrpcConfig> {
    let mut config = GrpcConfig::default();
    if let Some(mut app) = obj.obj("app")? {
        let port = app.u64("grpc_callback_port")?.unwrap_or(0);
        let port = u16::try_from(port)
            .map_err(|_| invalid(&app.at("grpc_callback_port"), "port must be at most 65535"))?;
        config.app = Some(App {
            app_id: app.str("app_id")?.unwrap_or_default().to_owned(),
            grpc_callback_port: port,
            grpc_callback_host: app
                .str("grpc_callback_host")?
                .unwrap_or("127.0.0.1")
                .to_owned(),
        });
        app.finish(warnings);
    }
    for api in Api::ALL {
        let path = obj.at(api.key());
        let Some(map) = obj.map(api.key())? else {
            continue;
        };
        for (name, entry) in map {
            config
                .components
                .push(parse_component(api, name, entry, path.key(name), warnings)?);
        }
    }
    if let Some(rpcs) = obj.map("rpcs")? {
        config.rpcs = rpcs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    }
    if let Some(targets) = obj.map("app_targets")? {
        let path = obj.at("app_targets");
        for (id, v) in targets {
            let url = v
                .as_str()
                .ok_or_else(|| type_error(&path.key(id), "string", v))?;
            config.app_targets.push((id.clone(), url.to_owned()));
        }
    }
    if let Some(custom) = obj.map("custom_component")? {
        for kind in custom.keys() {
            // Layotto logs and skips kinds that have no factory; none have one here yet.
            warnings.push(Warning {
                path: obj.at("custom_component").key(kind).to_string(),
                message: "custom component kinds are not supported yet; skipped".into(),
            });
        }
    }
    obj.accept(&["extends"]);
    if obj.raw("files").is_some() {
        warnings.push(Warning {
            path: obj.at("files").to_string(),
            message: "unknown key, ignored (Layotto's key for file stores is \"file\")".into(),
        });
    }
    obj.finish(warnings);
    Ok(config)
}

fn parse_component(
    api: Api,
    name: &str,
    value: &Value,
    path: JsonPath,
    warnings: &mut Vec<Warning>,
) -> Result<ComponentSpec> {
    let mut obj = Obj::new(value, path)?;
    let type_name = obj.req_str("type")?.to_owned();
    let metadata = obj.map("metadata")?.cloned().unwrap_or_default();
    let mut spec = ComponentSpec {
        api,
        name: name.to_owned(),
        type_name,
        metadata,
        hello: None,
        bigger_than: Vec::new(),
        address: Vec::new(),
        timeout: None,
        secret_ref: Vec::new(),
        component_ref: None,
        path: obj.path.to_string(),
    };
    match api {
        Api::Hello => spec.hello = obj.str("hello")?.map(str::to_owned),
        Api::Sequencer => {
            if let Some(floors) = obj.map("biggerThan")? {
                let floors_path = obj.at("biggerThan");
                for (key, v) in floors {
                    let n = v
                        .as_i64()
                        .ok_or_else(|| type_error(&floors_path.key(key), "integer", v))?;
                    spec.bigger_than.push((key.clone(), n));
                }
            }
        }
        Api::ConfigStore => {
            for (p, v) in obj.array("address")? {
                let s = v.as_str().ok_or_else(|| type_error(&p, "string", v))?;
                spec.address.push(s.to_owned());
            }
            spec.timeout = duration(&mut obj, "timeout")?;
        }
        _ => {}
    }
    for (p, v) in obj.array("secret_ref")? {
        let mut r = Obj::new(v, p)?;
        let store_name = r.req_str("store_name")?.to_owned();
        let key = r.req_str("key")?.to_owned();
        let sub_key = r.str("sub_key")?.unwrap_or_default().to_owned();
        let inject_as = r.str("inject_as")?.unwrap_or_default().to_owned();
        r.finish(warnings);
        spec.secret_ref.push(SecretRef {
            store_name,
            key,
            sub_key,
            inject_as,
        });
    }
    if let Some(mut r) = obj.obj("component_ref")? {
        spec.component_ref = Some(ComponentRef {
            secret_store: r.str("secret_store")?.map(str::to_owned),
            config_store: r.str("config_store")?.map(str::to_owned),
        });
        r.finish(warnings);
    }
    obj.accept(&["version"]);
    obj.finish(warnings);
    Ok(spec)
}
