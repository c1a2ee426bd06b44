//! Python grpcio (stubs generated from proto/ at run time) calls every API of the sidecar,
//! under both I/O drivers.
#![allow(clippy::unwrap_used)]

mod runtime_support;
mod support;

use std::process::Command;

#[test]
fn grpcio_calls_every_api() {
    for driver in support::DRIVERS {
        check(driver);
    }
}

fn check(driver: &str) {
    let env = runtime_support::start_with(&["--io-driver", driver]);
    let script = format!(
        "{}/tests/python/runtime_client.py",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new("python3")
        .arg(script)
        .arg(env.grpc().to_string())
        .output()
        .expect("python3 must be installed");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        !stderr.contains("No module named"),
        "grpcio is missing: pip install grpcio grpcio-tools\n{stderr}"
    );
    assert!(
        out.status.success(),
        "runtime_client.py failed:\n{stdout}\n{stderr}"
    );
    for api in [
        "hello",
        "state",
        "lock",
        "sequencer",
        "configuration",
        "pubsub",
        "file",
        "binding",
        "secret",
        "invoke",
    ] {
        assert!(
            stdout.contains(&format!("ok {api}\n")),
            "{api} not checked:\n{stdout}"
        );
    }
    assert!(stdout.contains("all ok"), "{stdout}");
}
