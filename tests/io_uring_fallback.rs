//! Where the kernel refuses io_uring, the sidecar says so once and every worker runs epoll.
//!
//! The only way to make a kernel refuse io_uring to one process without extra tooling is the
//! `kernel.io_uring_disabled` sysctl, which is global: this file holds a single test (cargo
//! runs test binaries one after another, so no other test is running meanwhile), needs root,
//! and puts the old value back when it ends, panicking or not.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use support::*;

const SYSCTL: &str = "/proc/sys/kernel/io_uring_disabled";

struct Restore(String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(SYSCTL, &self.0);
    }
}

#[test]
fn a_kernel_without_io_uring_gets_epoll_with_a_log_line() {
    let old = std::fs::read_to_string(SYSCTL)
        .expect("this kernel has no kernel.io_uring_disabled sysctl (Linux 6.6+ needed)");
    let _restore = Restore(old.trim().to_owned());
    std::fs::write(SYSCTL, "2")
        .expect("setting kernel.io_uring_disabled needs root (CI runs as root)");

    let mut s = Sidecar::start(
        &config_with(default_grpc_config(), ""),
        &["--io-driver", "io_uring"],
    );
    let warned = s
        .seen
        .iter()
        .filter(|l| l.contains("io_uring is not available here; falling back to epoll"))
        .count();
    assert_eq!(
        warned,
        1,
        "expected one fallback line:\n{}",
        s.seen.join("\n")
    );
    let info = get(s.actuator(), "/actuator/info").json();
    assert_eq!(info["runtime"]["io_driver_requested"], "io_uring");
    assert_eq!(info["runtime"]["io_driver"], "epoll");
    // And it serves: HTTP/1 and gRPC on the fallback driver.
    assert_eq!(get(s.actuator(), "/actuator/health/readiness").status, 200);
    let grpc = s.addrs["grpc"];
    assert!(std::net::TcpStream::connect(grpc).is_ok());
    s.signal("TERM");
    assert_eq!(
        s.wait_exit(std::time::Duration::from_secs(10)).code(),
        Some(0)
    );
}
