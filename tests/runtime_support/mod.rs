//! What the Runtime API tests share: a config with every API wired to a working component,
//! the tonic client (generated independently in `layotto-interop-tests`), and a tiny HTTP
//! upstream for bindings and InvokeService. Uses `support` for the sidecar itself.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

pub use layotto_interop_tests::runtime as pb;
pub use pb::runtime_client::RuntimeClient;
use tonic::transport::Channel;

use crate::support::{config_with, Sidecar, TempDir};

/// The sidecar with every API configured, and the files and upstream it uses.
pub struct Env {
    pub sidecar: Sidecar,
    pub dir: TempDir,
    pub upstream: SocketAddr,
}

impl Env {
    pub fn grpc(&self) -> SocketAddr {
        self.sidecar.addrs["grpc"]
    }

    pub async fn client(&self) -> RuntimeClient<Channel> {
        connect(self.grpc()).await
    }
}

pub async fn connect(addr: SocketAddr) -> RuntimeClient<Channel> {
    RuntimeClient::connect(format!("http://{addr}"))
        .await
        .unwrap()
}

/// `grpc_config` with every API: two state stores (prefix `none` and `appid`), in-memory
/// lock/sequencer/config/pubsub/file, a `local` file store under `dir/files`, env and file
/// secret stores, an `http` binding and an InvokeService target at `upstream`.
pub fn grpc_config(dir: &TempDir, upstream: SocketAddr) -> String {
    let d = dir.0.display();
    std::fs::write(
        dir.0.join("secrets.json"),
        r#"{"db": {"user": "admin", "password": "s3cret"}, "token": "abc"}"#,
    )
    .unwrap();
    format!(
        r#"{{
      "hellos": {{ "hi": {{ "type": "helloworld", "hello": "greeting" }} }},
      "state": {{
        "kv": {{ "type": "in-memory", "metadata": {{}} }},
        "kv_app": {{ "type": "in-memory", "metadata": {{ "keyPrefix": "appid" }} }}
      }},
      "lock": {{ "mutex": {{ "type": "in-memory", "metadata": {{}} }} }},
      "sequencer": {{ "ids": {{ "type": "in-memory", "metadata": {{}} }} }},
      "config_store": {{ "cfg": {{ "type": "in-memory", "metadata": {{}} }} }},
      "pub_subs": {{ "bus": {{ "type": "in-memory", "metadata": {{}} }} }},
      "file": {{
        "mem": {{ "type": "in-memory", "metadata": {{}} }},
        "disk": {{ "type": "local", "metadata": {{ "root": "{d}/files" }} }}
      }},
      "secret_store": {{
        "env": {{ "type": "local.env", "metadata": {{}} }},
        "vault": {{ "type": "local.file", "metadata": {{ "secretsFile": "{d}/secrets.json" }} }}
      }},
      "bindings": {{ "web": {{ "type": "http", "metadata": {{ "url": "http://{upstream}" }} }} }},
      "app": {{ "app_id": "app1", "grpc_callback_port": 0 }},
      "app_targets": {{ "echo-app": "http://{upstream}", "down-app": "http://127.0.0.1:1" }}
    }}"#
    )
}

/// Starts the sidecar (2 workers) with [`grpc_config`] and an [`upstream`].
pub fn start() -> Env {
    start_with(&[])
}

/// [`start`] with extra command-line arguments (e.g. `--io-driver epoll`).
pub fn start_with(args: &[&str]) -> Env {
    let dir = TempDir::new("runtime");
    let upstream = upstream();
    let sidecar = Sidecar::start(&config_with(&grpc_config(&dir, upstream), ""), args);
    Env {
        sidecar,
        dir,
        upstream,
    }
}

/// The status code of a failed call.
pub fn code<T: std::fmt::Debug>(r: Result<T, tonic::Status>) -> tonic::Code {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(s) => s.code(),
    }
}

/// An HTTP/1.1 server on a thread: answers 200 `text/plain` with
/// `"<METHOD> <target>\nid=<id header>\nct=<content-type>\ntrace=<x-trace>\n<body>"`.
/// `/fail...` answers 500 `boom`; `/slow...` waits 2 s first.
pub fn upstream() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            std::thread::spawn(move || serve(stream));
        }
    });
    addr
}

fn serve(stream: TcpStream) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let (mut len, mut id, mut ct, mut trace) =
        (0usize, String::new(), String::new(), String::new());
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap();
        let value = value.trim().to_owned();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => len = value.parse().unwrap(),
            "id" => id = value,
            "content-type" => ct = value,
            "x-trace" => trace = value,
            _ => {}
        }
    }
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).unwrap();
    let (status, reply) = if target.starts_with("/fail") {
        ("500 Internal Server Error", "boom".to_owned())
    } else {
        if target.starts_with("/slow") {
            std::thread::sleep(Duration::from_secs(2));
        }
        (
            "200 OK",
            format!(
                "{method} {target}\nid={id}\nct={ct}\ntrace={trace}\n{}",
                String::from_utf8_lossy(&body)
            ),
        )
    };
    let mut out = stream;
    let _ = write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
        reply.len()
    );
}

/// A StateItem with no etag or options.
pub fn item(key: &str, value: &str) -> pb::StateItem {
    pb::StateItem {
        key: key.into(),
        value: value.as_bytes().to_vec(),
        ..Default::default()
    }
}

/// `i` with an etag and a concurrency mode.
pub fn with_etag(
    mut i: pb::StateItem,
    etag: &str,
    c: pb::state_options::StateConcurrency,
) -> pb::StateItem {
    i.etag = Some(pb::Etag { value: etag.into() });
    i.options = Some(pb::StateOptions {
        concurrency: c as i32,
        consistency: 0,
    });
    i
}

pub fn save(store: &str, states: Vec<pb::StateItem>) -> pb::SaveStateRequest {
    pb::SaveStateRequest {
        store_name: store.into(),
        states,
    }
}

pub fn get_state(store: &str, key: &str) -> pb::GetStateRequest {
    pb::GetStateRequest {
        store_name: store.into(),
        key: key.into(),
        ..Default::default()
    }
}
