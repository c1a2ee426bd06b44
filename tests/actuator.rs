//! The actuator answers Layotto's paths, under both I/O drivers.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;

use support::*;

fn sidecar(driver: &str) -> Sidecar {
    Sidecar::start(
        &config_with(default_grpc_config(), ""),
        &["--io-driver", driver],
    )
}

/// Readiness is UP with 200 and lists the runtime and every component.
#[test]
fn readiness_and_liveness_are_up() {
    for driver in DRIVERS {
        let s = sidecar(driver);
        let r = get(s.actuator(), "/actuator/health/readiness");
        assert_eq!(r.status, 200, "{driver}");
        assert_eq!(r.header("content-type"), Some("application/json"));
        let v = r.json();
        assert_eq!(v["status"], "UP");
        assert_eq!(v["components"]["runtime_startup"]["status"], "UP");
        assert_eq!(v["components"]["state/kv"]["status"], "UP");
        assert_eq!(v["components"]["hellos/hi"]["status"], "UP");
        let r = get(s.actuator(), "/actuator/health/liveness");
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["status"], "UP");
    }
}

/// Info names the driver really in use, the workers, listeners and components.
#[test]
fn info_describes_the_process() {
    for driver in DRIVERS {
        let s = sidecar(driver);
        let v = get(s.actuator(), "/actuator/info").json();
        assert_eq!(v["app"]["name"], "layotto-rs");
        assert_eq!(v["runtime"]["workers"], 2);
        assert_eq!(v["runtime"]["io_driver_requested"], driver);
        // io_uring may legitimately fall back; epoll never changes.
        if driver == "epoll" {
            assert_eq!(v["runtime"]["io_driver"], "epoll");
        }
        assert_eq!(v["phase"], "serving");
        let listeners = v["listeners"].as_array().unwrap();
        let actuator = listeners.iter().find(|l| l["name"] == "actuator").unwrap();
        assert_eq!(actuator["address"], s.actuator().to_string());
        let components = v["components"].as_array().unwrap();
        assert!(components
            .iter()
            .any(|c| c["api"] == "state" && c["name"] == "kv" && c["type"] == "in-memory"));
        // The info request itself is counted on some worker.
        assert!(v["counters"]["requests"].as_u64().unwrap() >= 1);
        assert_eq!(v["counters"]["per_worker"].as_array().unwrap().len(), 2);
    }
}

/// Unknown paths are 404, wrong methods 405 with Allow, HEAD has no body.
#[test]
fn paths_methods_and_head() {
    for driver in DRIVERS {
        let s = sidecar(driver);
        assert_eq!(get(s.actuator(), "/nope").status, 404);
        assert_eq!(get(s.actuator(), "/actuator/unknown").status, 404);
        assert_eq!(get(s.actuator(), "/actuator/health/sideways").status, 404);
        let r = http(
            s.actuator(),
            "DELETE /actuator/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        );
        assert_eq!(r.status, 405);
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
        let mut c = TcpStream::connect(s.actuator()).unwrap();
        c.write_all(b"HEAD /actuator/health/readiness HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let r = read_response_to(&mut c, true);
        assert_eq!(r.status, 200);
        assert!(
            r.header("content-length")
                .unwrap()
                .parse::<usize>()
                .unwrap()
                > 0
        );
        // The body was not sent: the next response on the connection starts right away.
        c.write_all(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        assert_eq!(read_response(&mut c).status, 404);
    }
}

/// Keep-alive and pipelining: several requests in one write get ordered answers.
#[test]
fn pipelined_requests_are_answered_in_order() {
    for driver in DRIVERS {
        let s = sidecar(driver);
        let mut c = TcpStream::connect(s.actuator()).unwrap();
        let mut batch = String::new();
        for path in [
            "/actuator/health/liveness",
            "/nope",
            "/actuator/info",
            "/nope",
        ] {
            batch.push_str(&format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"));
        }
        c.write_all(batch.as_bytes()).unwrap();
        let statuses: Vec<u16> = (0..4).map(|_| read_response(&mut c).status).collect();
        assert_eq!(statuses, [200, 404, 200, 404]);
    }
}

/// Malformed requests get a 4xx and the connection is closed; the server keeps serving.
#[test]
fn bad_requests_get_errors_not_panics() {
    for driver in DRIVERS {
        let s = sidecar(driver);
        let cases: [(&[u8], u16); 5] = [
            (b"GARBAGE\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\nBad Name: v\r\nHost: x\r\n\r\n", 400),
            (b"GET / HTTP/1.1\r\n\r\n", 400),
            (b"POST /actuator/logger HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413),
        ];
        for (req, want) in cases {
            let mut c = TcpStream::connect(s.actuator()).unwrap();
            c.write_all(req).unwrap();
            let r = read_response(&mut c);
            assert_eq!(
                r.status,
                want,
                "{driver}: {:?}",
                String::from_utf8_lossy(req)
            );
            assert_eq!(r.header("connection"), Some("close"));
            let mut rest = Vec::new();
            c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            assert_eq!(c.read_to_end(&mut rest).unwrap(), 0, "connection left open");
        }
        let huge = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
        assert_eq!(http(s.actuator(), &huge).status, 414);
        assert_eq!(get(s.actuator(), "/actuator/health/liveness").status, 200);
    }
}

/// The log level can be changed at run time, as with Layotto's logger endpoint.
#[test]
fn logger_endpoint_changes_the_filter() {
    let s = sidecar("io_uring");
    let body = r#"{"level":"debug","component":"layotto_worker"}"#;
    let r = http(
        s.actuator(),
        &format!(
            "POST /actuator/logger HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["filter"], "info,layotto_worker=debug");
    let r = http(
        s.actuator(),
        "POST /actuator/logger HTTP/1.1\r\nHost: x\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"level\":\"loud\"}",
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("unknown level"));
}
