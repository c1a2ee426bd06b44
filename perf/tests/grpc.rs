//! `layotto-perf grpc` end to end: about a second of unary calls against
//! our gRPC server (tests/support/grpc_echo.rs, in this test process),
//! checked through the JSON output: throughput, no errors.

#![allow(clippy::unwrap_used)]

use std::process::Command;

use layotto_http2::limits::Limits;

#[path = "support/grpc_echo.rs"]
mod echo;

fn run(args: &[&str], json: &std::path::Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(args)
        .arg("--json")
        .arg(json)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

#[test]
fn grpc_run_against_our_server() {
    let addr = echo::start(Limits::default());
    let url = format!("http://{addr}");
    let dir = std::env::temp_dir().join(format!("layotto-perf-grpc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("run.json");
    let v = run(
        &[
            "grpc",
            &url,
            "--scenario",
            "sayhello",
            "-c",
            "2",
            "-i",
            "8",
            "-d",
            "1s",
            "--warmup",
            "200ms",
            "--pid",
            &std::process::id().to_string(),
        ],
        &json,
    );
    assert!(v["throughput_rps"].as_f64().unwrap() > 0.0, "{v}");
    assert!(v["ok"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["errors_total"], 0, "{v}");
    assert_eq!(v["protocol"], "grpc");
    assert_eq!(v["inflight"], 8);

    // A raw payload file, sent to an explicit method, on an open loop.
    let payload = dir.join("req.bin");
    std::fs::write(&payload, b"\x0a\x04perf").unwrap();
    let v = run(
        &[
            "grpc",
            &url,
            "--method",
            echo::ECHO,
            "--payload",
            payload.to_str().unwrap(),
            "-c",
            "2",
            "--rate",
            "2000",
            "-d",
            "500ms",
            "--warmup",
            "100ms",
        ],
        &json,
    );
    assert!(v["ok"].as_u64().unwrap() > 500, "{v}");
    assert_eq!(v["errors_total"], 0, "{v}");
    assert_eq!(v["mode"], "open");

    // Bidi ping-pong: each round trip on a long-lived stream is one sample.
    let v = run(
        &[
            "grpc",
            &url,
            "--method",
            echo::BIDI_ECHO,
            "--payload",
            payload.to_str().unwrap(),
            "--streaming",
            "bidi",
            "--messages",
            "50",
            "-c",
            "2",
            "-i",
            "4",
            "-d",
            "1s",
            "--warmup",
            "200ms",
        ],
        &json,
    );
    assert!(v["throughput_rps"].as_f64().unwrap() > 0.0, "{v}");
    assert!(v["ok"].as_u64().unwrap() > 100, "{v}");
    assert_eq!(v["errors_total"], 0, "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn messages_needs_streaming() {
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(["grpc", "http://127.0.0.1:1", "--scenario", "sayhello"])
        .args(["--messages", "5", "-d", "100ms"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--streaming"));
}

#[test]
fn subscribe_needs_bidi() {
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(["grpc", "http://127.0.0.1:1", "--scenario", "subscribe"])
        .args(["-d", "100ms"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--streaming bidi"));
}

#[test]
fn grpc_needs_a_request() {
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(["grpc", "http://127.0.0.1:1", "-d", "100ms"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--scenario"));
}
