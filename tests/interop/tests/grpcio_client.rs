//! Python grpcio (gRPC C-core, a strict independent implementation) calls our server.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

/// Runs python/echo_client.py against our echo server under each driver.
#[test]
fn grpcio_calls_our_server() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/echo_client.py");
    for uring in [true, false] {
        let server = support::start_our_server(uring);
        let out = Command::new("python3")
            .arg(script)
            .arg(server.addr.to_string())
            .output()
            .expect("python3 must be installed (scripts/test installs grpcio and grpcio-tools)");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("No module named"),
            "grpcio is missing: pip install grpcio grpcio-tools\n{stderr}"
        );
        assert!(out.status.success(), "uring={uring}\n{stdout}\n{stderr}");
        assert!(stdout.contains("all ok"), "{stdout}");
        assert_eq!(server.wait_idle(), 0);
    }
}
