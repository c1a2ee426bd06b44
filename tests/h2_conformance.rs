//! HTTP/2 conformance of the real server over TCP, judged by an independent implementation of
//! the framing: `tests/python/h2_conformance.py` (hyperframe + hpack), our h2spec. Run against
//! the sidecar's gRPC listener under both I/O drivers.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::process::Command;

use support::*;

fn script() -> String {
    format!(
        "{}/tests/python/h2_conformance.py",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The Python peers must be there: a missing module fails the test, it never skips it.
fn require_python_peers() {
    let out = Command::new("python3")
        .args(["-c", "import hyperframe, hpack"])
        .output()
        .expect("python3 must be installed (then: pip install h2)");
    assert!(
        out.status.success(),
        "hyperframe/hpack are missing: pip install h2\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every case passes under both drivers (cases marked as known server bugs print `xfail`).
#[test]
fn h2_conformance_suite() {
    require_python_peers();
    for driver in DRIVERS {
        let s = Sidecar::start(
            &config_with(default_grpc_config(), ""),
            &["--io-driver", driver],
        );
        let out = Command::new("python3")
            .arg(script())
            .arg(s.addrs["grpc"].to_string())
            .output()
            .expect("run h2_conformance.py");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let summary = stdout.lines().last().unwrap_or("");
        assert!(
            out.status.success() && summary.contains(" passed, 0 failed"),
            "h2 conformance under {driver}: {summary}\n{stdout}\n{stderr}"
        );
        let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
        assert!(
            passed >= 80,
            "only {passed} cases ran under {driver}\n{stdout}"
        );
        println!("{driver}: {summary}");
    }
}
