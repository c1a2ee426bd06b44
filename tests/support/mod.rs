//! Starting the real `layotto` binary on ephemeral loopback ports, and talking to it.
//!
//! Each test writes its own config, starts the sidecar with JSON logs, learns the bound ports
//! from the `listening` log lines, and kills the process when the guard drops, so a failing
//! test never leaves a sidecar behind.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_layotto");

/// Both drivers every behaviour is checked under.
pub const DRIVERS: [&str; 2] = ["io_uring", "epoll"];

pub struct Sidecar {
    child: Child,
    pub addrs: HashMap<String, SocketAddr>,
    logs: mpsc::Receiver<String>,
    pub seen: Vec<String>,
    _dir: TempDir,
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let p =
            std::env::temp_dir().join(format!("layotto-test-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A config with an actuator on an ephemeral port and the given `grpc_config`.
pub fn config_with(grpc_config: &str, extra_top: &str) -> String {
    format!(
        r#"{{ {extra_top}
  "servers": [{{
    "default_log_level": "INFO",
    "listeners": [
      {{ "name": "grpc", "address": "127.0.0.1:0", "bind_port": true,
        "filter_chains": [{{ "filters": [{{ "type": "grpc", "config": {{
          "server_name": "runtime", "grpc_config": {grpc_config} }} }}] }}] }},
      {{ "name": "actuator", "address": "127.0.0.1:0", "bind_port": true,
        "filter_chains": [{{ "filters": [{{ "type": "proxy", "config": {{
          "downstream_protocol": "Http1", "upstream_protocol": "Http1",
          "router_config_name": "actuator_dont_need_router" }} }}] }}],
        "stream_filters": [{{ "type": "actuator_filter" }}] }}
    ]
  }}]
}}"#
    )
}

pub fn default_grpc_config() -> &'static str {
    r#"{ "hellos": { "hi": { "type": "helloworld", "hello": "greeting" } },
         "state": { "kv": { "type": "in-memory", "metadata": {} } } }"#
}

impl Sidecar {
    /// Starts `layotto start -c <config>` with extra arguments and waits until every bound
    /// listener has logged its address and the process says it is serving.
    pub fn start(config: &str, args: &[&str]) -> Sidecar {
        let dir = TempDir::new("sidecar");
        let path = dir.0.join("config.json");
        std::fs::write(&path, config).unwrap();
        let mut child = Command::new(BIN)
            .arg("start")
            .arg("-c")
            .arg(&path)
            .args(["--log-format", "json"])
            // Two workers unless the test picks: every behaviour is seen across cores.
            .args(if args.contains(&"--workers") {
                &[][..]
            } else {
                &["--workers", "2"][..]
            })
            .args(args)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start layotto");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Sidecar {
            child,
            addrs: HashMap::new(),
            logs: rx,
            seen: Vec::new(),
            _dir: dir,
        };
        s.wait_log("serving", Duration::from_secs(20));
        for line in &s.seen {
            let v: serde_json::Value = match serde_json::from_str(line) {
                Ok(v) => v,
                Err(_) => continue,
            };
            if v["message"] == "listening" {
                let name = v["listener"].as_str().unwrap().to_owned();
                let addr = v["address"].as_str().unwrap().parse().unwrap();
                s.addrs.insert(name, addr);
            }
        }
        s
    }

    pub fn actuator(&self) -> SocketAddr {
        self.addrs["actuator"]
    }

    /// Waits for a log line whose message is `message`; panics with the log so far if not.
    pub fn wait_log(&mut self, message: &str, limit: Duration) -> serde_json::Value {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.logs.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                        if v["message"] == message {
                            return v;
                        }
                    }
                }
                Err(_) => panic!(
                    "no {message:?} log line within {limit:?}; log so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig} failed");
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit, at most `limit`.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                while let Ok(line) = self.logs.try_recv() {
                    self.seen.push(line);
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "layotto did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Sidecar {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP/1.1 response, read by hand so the test does not share our codec.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// Reads one response with a Content-Length body from `stream`.
pub fn read_response(stream: &mut TcpStream) -> HttpResponse {
    read_response_to(stream, false)
}

/// Reads one response; to a HEAD request, `head_only` skips the body it does not have.
pub fn read_response_to(stream: &mut TcpStream, head_only: bool) -> HttpResponse {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read response head");
        assert_eq!(
            n,
            1,
            "connection closed mid-head: {:?}",
            String::from_utf8_lossy(&buf)
        );
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.trim().to_owned(), v.trim().to_owned())
        })
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    let mut body = vec![0u8; if head_only { 0 } else { len }];
    stream.read_exact(&mut body).unwrap();
    HttpResponse {
        status,
        headers,
        body,
    }
}

/// One request on a fresh connection.
pub fn http(addr: SocketAddr, request: &str) -> HttpResponse {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    read_response(&mut s)
}

pub fn get(addr: SocketAddr, path: &str) -> HttpResponse {
    http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    )
}

impl Sidecar {
    /// The exit status if the process has already exited.
    pub fn wait_exit_now(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().unwrap()
    }
}
