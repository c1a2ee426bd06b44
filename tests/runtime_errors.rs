//! The errors every API shares: unknown names, missing kinds, config the runtime refuses.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use std::process::Command;

use runtime_support::{connect, pb, start};
use support::{config_with, Sidecar, TempDir, BIN};
use tonic::Code;

fn file_req(store: &str) -> pb::FileRequest {
    pb::FileRequest {
        store_name: store.into(),
        name: "f".into(),
        metadata: Default::default(),
    }
}

/// Every API answers an unknown name with INVALID_ARGUMENT naming the configured ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_names_list_the_configured_ones() {
    let env = start();
    let mut c = env.client().await;
    let checks: Vec<(&str, Result<(), tonic::Status>)> = vec![
        (
            "hi",
            c.say_hello(pb::SayHelloRequest {
                service_name: "x".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "kv, kv_app",
            c.get_state(pb::GetStateRequest {
                store_name: "x".into(),
                key: "k".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "kv, kv_app",
            c.execute_state_transaction(pb::ExecuteStateTransactionRequest {
                store_name: "x".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "mutex",
            c.try_lock(pb::TryLockRequest {
                store_name: "x".into(),
                resource_id: "r".into(),
                lock_owner: "o".into(),
                expire: 1,
            })
            .await
            .map(drop),
        ),
        (
            "cfg",
            c.get_configuration(pb::GetConfigurationRequest {
                store_name: "x".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "mem, disk",
            c.list_file(pb::ListFileRequest {
                request: Some(file_req("x")),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "web",
            c.invoke_binding(pb::InvokeBindingRequest {
                name: "x".into(),
                operation: "get".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
        (
            "env, vault",
            c.get_bulk_secret(pb::GetBulkSecretRequest {
                store_name: "x".into(),
                ..Default::default()
            })
            .await
            .map(drop),
        ),
    ];
    for (configured, r) in checks {
        let s = r.unwrap_err();
        assert_eq!(s.code(), Code::InvalidArgument, "{s:?}");
        assert!(
            s.message().contains("\"x\" is not found"),
            "{}",
            s.message()
        );
        let sorted: Vec<&str> = {
            let mut v: Vec<&str> = configured.split(", ").collect();
            v.sort_unstable();
            v
        };
        assert!(
            s.message()
                .ends_with(&format!("configured: {}", sorted.join(", "))),
            "{}",
            s.message()
        );
    }
}

/// A sidecar with no components: each API says nothing of its kind is configured.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_component_of_a_kind_is_failed_precondition() {
    let s = Sidecar::start(&config_with(r#"{ "app": { "app_id": "a" } }"#, ""), &[]);
    let mut c = connect(s.addrs["grpc"]).await;
    let r = c
        .get_state(pb::GetStateRequest {
            store_name: "kv".into(),
            key: "k".into(),
            ..Default::default()
        })
        .await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert_eq!(e.message(), "no state store is configured");
    let r = c
        .get_next_id(pb::GetNextIdRequest {
            store_name: "s".into(),
            key: "k".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(r.unwrap_err().code(), Code::FailedPrecondition);
    let r = c
        .publish_event(pb::PublishEventRequest {
            pubsub_name: "p".into(),
            topic: "t".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(r.unwrap_err().code(), Code::FailedPrecondition);
    let r = c
        .invoke_service(pb::InvokeServiceRequest {
            id: "app".into(),
            message: Some(pb::CommonInvokeRequest {
                method: "m".into(),
                ..Default::default()
            }),
        })
        .await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("app_targets"), "{}", e.message());
}

/// A keyPrefix the runtime cannot use fails `check` and `start`, naming its path.
#[test]
fn a_bad_key_prefix_is_a_config_error() {
    let dir = TempDir::new("prefix");
    let path = dir.0.join("config.json");
    let grpc =
        r#"{ "state": { "kv": { "type": "in-memory", "metadata": { "keyPrefix": "a||b" } } } }"#;
    std::fs::write(&path, config_with(grpc, "")).unwrap();
    for cmd in ["check", "start"] {
        let o = Command::new(BIN)
            .arg(cmd)
            .arg("-c")
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {err}");
        assert!(
            err.contains("grpc_config.state.kv.metadata.keyPrefix"),
            "{cmd}: {err}"
        );
    }
    let grpc = r#"{ "app_targets": { "a": "https://127.0.0.1:1" } }"#;
    std::fs::write(&path, config_with(grpc, "")).unwrap();
    let o = Command::new(BIN)
        .arg("check")
        .arg("-c")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("grpc_config.app_targets.a"), "{err}");
}
