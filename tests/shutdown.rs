//! SIGTERM drains: no new connections, in-flight requests finish, exit 0. A second signal
//! exits at once; the drain deadline bounds how long a stuck request can hold the exit.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use support::*;

const BODY: &str = r#"{"level":"info"}"#;

/// Opens a request whose body is only half sent, so it is in flight until we finish it.
fn half_sent_request(s: &Sidecar) -> TcpStream {
    let mut c = TcpStream::connect(s.actuator()).unwrap();
    let head = format!(
        "POST /actuator/logger HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        BODY.len()
    );
    c.write_all(head.as_bytes()).unwrap();
    c.write_all(&BODY.as_bytes()[..5]).unwrap();
    c.flush().unwrap();
    // Let the server read the head, so the request is really in flight when the signal lands.
    std::thread::sleep(Duration::from_millis(200));
    c
}

/// The in-flight request completes after SIGTERM, new connections are refused, exit code 0.
#[test]
fn sigterm_drains_an_in_flight_request() {
    for driver in DRIVERS {
        let mut s = Sidecar::start(
            &config_with(default_grpc_config(), ""),
            &["--io-driver", driver, "--drain-timeout", "20s"],
        );
        let mut idle = TcpStream::connect(s.actuator()).unwrap();
        idle.write_all(b"GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut idle).status, 200);
        let mut busy = half_sent_request(&s);

        s.signal("TERM");
        s.wait_log("shutdown requested; draining", Duration::from_secs(5));
        // Listeners close once the drain reaches the workers.
        let deadline = Instant::now() + Duration::from_secs(5);
        while TcpStream::connect(s.actuator()).is_ok() {
            assert!(
                Instant::now() < deadline,
                "{driver}: still accepting after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // Idle keep-alive connections are closed by the drain, not kept until the deadline.
        let mut buf = [0u8; 1];
        idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(std::io::Read::read(&mut idle, &mut buf).unwrap_or(0), 0);
        // The process waits for the request in flight.
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            s.wait_exit_now().is_none(),
            "{driver}: exited before the request finished"
        );

        busy.write_all(&BODY.as_bytes()[5..]).unwrap();
        let r = read_response(&mut busy);
        assert_eq!(r.status, 200, "{driver}");
        assert_eq!(r.header("connection"), Some("close"));
        let status = s.wait_exit(Duration::from_secs(10));
        assert_eq!(status.code(), Some(0), "{driver}: {}", s.seen.join("\n"));
        let stopped = s.seen.iter().any(|l| l.contains("\"connections_cut\":0"));
        assert!(stopped, "{}", s.seen.join("\n"));
    }
}

/// A second signal during the drain exits immediately.
#[test]
fn a_second_signal_exits_at_once() {
    let mut s = Sidecar::start(
        &config_with(default_grpc_config(), ""),
        &["--drain-timeout", "60s"],
    );
    let _busy = half_sent_request(&s);
    s.signal("TERM");
    s.wait_log("shutdown requested; draining", Duration::from_secs(5));
    let t = Instant::now();
    s.signal("INT");
    let status = s.wait_exit(Duration::from_secs(5));
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(status.code(), Some(130));
}

/// A request that never finishes holds the exit only until the drain deadline.
#[test]
fn the_drain_deadline_bounds_the_wait() {
    let mut s = Sidecar::start(
        &config_with(default_grpc_config(), ""),
        &["--drain-timeout", "1s"],
    );
    let _busy = half_sent_request(&s);
    let t = Instant::now();
    s.signal("TERM");
    let status = s.wait_exit(Duration::from_secs(10));
    let waited = t.elapsed();
    assert_eq!(status.code(), Some(0));
    assert!(
        waited >= Duration::from_millis(900),
        "exited after {waited:?}"
    );
    assert!(
        s.seen.iter().any(|l| l.contains("\"connections_cut\":1")),
        "{}",
        s.seen.join("\n")
    );
}
