//! The request messages of the built-in gRPC scenarios, encoded once with
//! prost from the same `.proto` the sidecar serves (`layotto-proto`), so the
//! generator never spends a cycle on protobuf while measuring.
//!
//! Keys come from a fixed key space (`perf-key-0` .. `perf-key-{n-1}`):
//! `savestate` writes them, `getstate` reads them back, which is why the
//! suite runs a `savestate` warm-up over the same space before `getstate`.
//! The configuration keys (`perf-config-0` ..) work the same way:
//! `saveconfig` writes them all in one call, `subscribe` subscribes to one
//! per message and is answered with its current value.

use bytes::Bytes;
use layotto_proto::spec::proto::runtime::v1::{
    ConfigurationItem, GetStateRequest, SaveConfigurationRequest, SaveStateRequest,
    SayHelloRequest, StateItem, SubscribeConfigurationRequest,
};
use prost::Message;

/// The Runtime service's method paths.
pub const SAY_HELLO: &str = "/spec.proto.runtime.v1.Runtime/SayHello";
pub const GET_STATE: &str = "/spec.proto.runtime.v1.Runtime/GetState";
pub const SAVE_STATE: &str = "/spec.proto.runtime.v1.Runtime/SaveState";
pub const SUBSCRIBE_CONFIGURATION: &str = "/spec.proto.runtime.v1.Runtime/SubscribeConfiguration";
pub const SAVE_CONFIGURATION: &str = "/spec.proto.runtime.v1.Runtime/SaveConfiguration";

/// The hello component and state store of `configs/config.json` (and of
/// the configuration the suite writes).
pub const HELLO_SERVICE: &str = "quick_start_demo";
pub const STATE_STORE: &str = "state_demo";
pub const CONFIG_STORE: &str = "config_demo";
/// The app id the configuration requests name (echoed in every push).
pub const APP_ID: &str = "perf";

/// Size of the value `savestate` writes, and of a configuration item's content.
pub const VALUE_SIZE: usize = 100;

/// A built-in request shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    SayHello,
    GetState,
    SaveState,
    /// SubscribeConfiguration requests, one key each (bidi only).
    Subscribe,
    /// One SaveConfiguration writing every configuration key.
    SaveConfig,
}

impl Scenario {
    /// The method this scenario calls.
    pub fn method(self) -> &'static str {
        match self {
            Scenario::SayHello => SAY_HELLO,
            Scenario::GetState => GET_STATE,
            Scenario::SaveState => SAVE_STATE,
            Scenario::Subscribe => SUBSCRIBE_CONFIGURATION,
            Scenario::SaveConfig => SAVE_CONFIGURATION,
        }
    }

    /// One encoded request per key (a single one for SayHello and
    /// SaveConfig).
    pub fn messages(self, key_space: u64) -> Vec<Bytes> {
        match self {
            Scenario::SayHello => vec![say_hello()],
            Scenario::GetState => keys(key_space).map(|k| get_state(&k)).collect(),
            Scenario::SaveState => keys(key_space).map(|k| save_state(&k)).collect(),
            Scenario::Subscribe => config_keys(key_space)
                .map(|k| subscribe_configuration(&[k]))
                .collect(),
            Scenario::SaveConfig => {
                let items: Vec<(String, String)> =
                    config_keys(key_space).map(|k| (k, content(0))).collect();
                vec![save_configuration(&items)]
            }
        }
    }
}

/// Key `i` of the key space.
pub fn key(i: u64) -> String {
    format!("perf-key-{i}")
}

fn keys(key_space: u64) -> impl Iterator<Item = String> {
    (0..key_space.max(1)).map(key)
}

/// Configuration key `i` of the key space.
pub fn config_key(i: u64) -> String {
    format!("perf-config-{i}")
}

fn config_keys(key_space: u64) -> impl Iterator<Item = String> {
    (0..key_space.max(1)).map(config_key)
}

/// A configuration item's content: [`VALUE_SIZE`] bytes, version `n`
/// first, so that successive saves really change the value.
pub fn content(n: u64) -> String {
    format!("{n:0>width$}", width = VALUE_SIZE)
}

pub fn subscribe_configuration(keys: &[String]) -> Bytes {
    SubscribeConfigurationRequest {
        store_name: CONFIG_STORE.into(),
        app_id: APP_ID.into(),
        keys: keys.to_vec(),
        ..Default::default()
    }
    .encode_to_vec()
    .into()
}

/// SaveConfiguration of `(key, content)` items, group and label left to
/// the store's defaults.
pub fn save_configuration(items: &[(String, String)]) -> Bytes {
    SaveConfigurationRequest {
        store_name: CONFIG_STORE.into(),
        app_id: APP_ID.into(),
        items: items
            .iter()
            .map(|(key, content)| ConfigurationItem {
                key: key.clone(),
                content: content.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
    .encode_to_vec()
    .into()
}

pub fn say_hello() -> Bytes {
    SayHelloRequest {
        service_name: HELLO_SERVICE.into(),
        name: "perf".into(),
        ..Default::default()
    }
    .encode_to_vec()
    .into()
}

pub fn get_state(key: &str) -> Bytes {
    GetStateRequest {
        store_name: STATE_STORE.into(),
        key: key.into(),
        ..Default::default()
    }
    .encode_to_vec()
    .into()
}

pub fn save_state(key: &str) -> Bytes {
    SaveStateRequest {
        store_name: STATE_STORE.into(),
        states: vec![StateItem {
            key: key.into(),
            value: Bytes::from(vec![b'v'; VALUE_SIZE]),
            ..Default::default()
        }],
    }
    .encode_to_vec()
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_decode_back() {
        let hello = SayHelloRequest::decode(say_hello()).expect("hello");
        assert_eq!(
            (hello.service_name.as_str(), hello.name.as_str()),
            (HELLO_SERVICE, "perf")
        );
        let saves = Scenario::SaveState.messages(3);
        assert_eq!(saves.len(), 3);
        let save = SaveStateRequest::decode(saves[2].clone()).expect("save");
        assert_eq!(save.states[0].key, "perf-key-2");
        assert_eq!(save.states[0].value.len(), VALUE_SIZE);
        let get = GetStateRequest::decode(Scenario::GetState.messages(1)[0].clone()).expect("get");
        assert_eq!(
            (get.store_name.as_str(), get.key.as_str()),
            (STATE_STORE, "perf-key-0")
        );
        assert_eq!(Scenario::SayHello.messages(1000).len(), 1);
    }

    #[test]
    fn configuration_messages_decode_back() {
        let subs = Scenario::Subscribe.messages(3);
        assert_eq!(subs.len(), 3);
        let sub = SubscribeConfigurationRequest::decode(subs[1].clone()).expect("subscribe");
        assert_eq!(
            (sub.store_name.as_str(), sub.app_id.as_str()),
            (CONFIG_STORE, APP_ID)
        );
        assert_eq!(sub.keys, ["perf-config-1"]);
        let saves = Scenario::SaveConfig.messages(3);
        assert_eq!(saves.len(), 1);
        let save = SaveConfigurationRequest::decode(saves[0].clone()).expect("save");
        let keys: Vec<&str> = save.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["perf-config-0", "perf-config-1", "perf-config-2"]);
        assert!(save.items.iter().all(|i| i.content.len() == VALUE_SIZE));
        assert_eq!(content(42).len(), VALUE_SIZE);
        assert!(content(42).ends_with("42") && content(42) != content(43));
        assert_eq!(Scenario::Subscribe.method(), SUBSCRIBE_CONFIGURATION);
    }
}
