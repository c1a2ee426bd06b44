//! The sidecar's `grpc` listener, driven by independent tools: grpcio (h2c and TLS), h2load.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::process::Command;

use support::*;

fn python(script: &str, args: &[&str]) -> String {
    let path = format!("{}/tests/python/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(path)
        .args(args)
        .output()
        .expect("python3 must be installed");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        !stderr.contains("No module named"),
        "grpcio is missing: pip install grpcio grpcio-tools\n{stderr}"
    );
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}

/// grpcio checks health and lists services through reflection, under both drivers.
#[test]
fn grpcio_health_and_reflection() {
    for driver in DRIVERS {
        let s = Sidecar::start(
            &config_with(default_grpc_config(), ""),
            &["--io-driver", driver],
        );
        let out = python("health_client.py", &[&s.addrs["grpc"].to_string()]);
        assert!(out.contains("all ok"), "{out}");
        // Calls are counted on the workers.
        let v = get(s.actuator(), "/actuator/info").json();
        assert!(v["counters"]["requests"].as_u64().unwrap() >= 3, "{v}");
    }
}

/// The same over TLS with ALPN h2, when the listener has a certificate.
#[test]
fn grpcio_over_tls() {
    let dir = TempDir::new("tls");
    let (cert, key) = (dir.0.join("cert.pem"), dir.0.join("key.pem"));
    let ok = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl must be installed")
        .status
        .success();
    assert!(ok, "openssl could not make a certificate");
    let config = config_with(default_grpc_config(), "").replacen(
        r#""filter_chains": [{ "filters": [{ "type": "grpc""#,
        &format!(
            r#""filter_chains": [{{ "tls_context": {{ "status": true, "cert_chain": "{}", "private_key": "{}" }},
               "filters": [{{ "type": "grpc""#,
            cert.display(),
            key.display()
        ),
        1,
    );
    let s = Sidecar::start(&config, &[]);
    let out = python(
        "health_client.py",
        &[&s.addrs["grpc"].to_string(), cert.to_str().unwrap()],
    );
    assert!(out.contains("all ok"), "{out}");
}

/// h2load: 100,000 gRPC health checks, 100 concurrent streams on each of 4 connections,
/// no failed or errored request.
#[test]
fn h2load_100k_requests_without_errors() {
    let s = Sidecar::start(&config_with(default_grpc_config(), ""), &[]);
    let dir = TempDir::new("h2load");
    // A length-prefixed, empty HealthCheckRequest (service "").
    let body = dir.0.join("req.bin");
    std::fs::write(&body, [0u8, 0, 0, 0, 0]).unwrap();
    let out = Command::new("h2load")
        .args(["-n", "100000", "-c", "4", "-m", "100", "-t", "1"])
        .arg("-d")
        .arg(&body)
        .args(["-H", "content-type: application/grpc", "-H", "te: trailers"])
        .arg(format!(
            "http://{}/grpc.health.v1.Health/Check",
            s.addrs["grpc"]
        ))
        .output()
        .expect("h2load must be installed (apt-get install nghttp2-client)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("100000 done, 100000 succeeded, 0 failed, 0 errored, 0 timeout"),
        "{text}"
    );
    assert!(text.contains("status codes: 100000 2xx"), "{text}");
}
