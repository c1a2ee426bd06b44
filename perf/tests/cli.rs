//! `layotto-perf http1` end to end: a one-second run against a tiny
//! in-test HTTP/1.1 server, checked through its JSON output.

#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;

fn serve() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || handle(stream));
        }
    });
    addr
}

fn handle(mut stream: TcpStream) {
    let (mut buf, mut chunk) = (Vec::new(), [0u8; 4096]);
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut out = Vec::new();
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.drain(..end + 4);
            out.extend_from_slice(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        }
        if stream.write_all(&out).is_err() {
            return;
        }
    }
}

#[test]
fn http1_run_writes_json_and_svg() {
    let addr = serve();
    let dir = std::env::temp_dir().join(format!("layotto-perf-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (json, svg) = (dir.join("run.json"), dir.join("run.svg"));
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(["http1", &format!("http://{addr}/hello")])
        .args([
            "-t", "2", "-c", "4", "-i", "2", "-d", "1s", "--warmup", "200ms",
        ])
        .args(["--pid", &std::process::id().to_string()])
        .arg("--json")
        .arg(&json)
        .arg("--svg")
        .arg(&svg)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("throughput"), "{stdout}");

    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(v["throughput_rps"].as_f64().unwrap() > 0.0, "{v}");
    assert!(v["ok"].as_u64().unwrap() > 0);
    assert_eq!(v["errors_total"], 0, "{v}");
    assert_eq!(v["mode"], "closed");
    assert_eq!(v["threads"], 2);
    assert!(v["latency_us"]["p99"].as_f64().unwrap() > 0.0);
    assert!(v["target_process"]["cpu_seconds"].as_f64().is_some());
    let doc = std::fs::read_to_string(&svg).unwrap();
    assert!(doc.starts_with("<svg") && doc.trim_end().ends_with("</svg>"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_target_is_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_layotto-perf"))
        .args(["http1", "https://127.0.0.1:1/"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("http://"));
}
