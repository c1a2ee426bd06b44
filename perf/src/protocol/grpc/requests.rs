//! The request messages of the built-in gRPC scenarios, encoded once with
//! prost from the same `.proto` the sidecar serves (`layotto-proto`), so the
//! generator never spends a cycle on protobuf while measuring.
//!
//! Keys come from a fixed key space (`perf-key-0` .. `perf-key-{n-1}`):
//! `savestate` writes them, `getstate` reads them back, which is why the
//! suite runs a `savestate` warm-up over the same space before `getstate`.

use bytes::Bytes;
use layotto_proto::spec::proto::runtime::v1::{
    GetStateRequest, SaveStateRequest, SayHelloRequest, StateItem,
};
use prost::Message;

/// The Runtime service's method paths.
pub const SAY_HELLO: &str = "/spec.proto.runtime.v1.Runtime/SayHello";
pub const GET_STATE: &str = "/spec.proto.runtime.v1.Runtime/GetState";
pub const SAVE_STATE: &str = "/spec.proto.runtime.v1.Runtime/SaveState";

/// The hello component and state store of `configs/config.json` (and of
/// the configuration the suite writes).
pub const HELLO_SERVICE: &str = "quick_start_demo";
pub const STATE_STORE: &str = "state_demo";

/// Size of the value `savestate` writes.
pub const VALUE_SIZE: usize = 100;

/// A built-in request shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    SayHello,
    GetState,
    SaveState,
}

impl Scenario {
    /// The method this scenario calls.
    pub fn method(self) -> &'static str {
        match self {
            Scenario::SayHello => SAY_HELLO,
            Scenario::GetState => GET_STATE,
            Scenario::SaveState => SAVE_STATE,
        }
    }

    /// One encoded request per key (a single one for SayHello).
    pub fn messages(self, key_space: u64) -> Vec<Bytes> {
        match self {
            Scenario::SayHello => vec![say_hello()],
            Scenario::GetState => keys(key_space).map(|k| get_state(&k)).collect(),
            Scenario::SaveState => keys(key_space).map(|k| save_state(&k)).collect(),
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
}
