//! `tonic-runtime-peer --addr 127.0.0.1:0 --workers N`: the benchmark peer.
//!
//! A tonic server (hyper + h2 on a multi-threaded tokio runtime with N workers, the same core
//! count the sidecar gets) answering SayHello, GetState and SaveState with the work the
//! sidecar's in-memory components do: a greeting with the name appended and the payload
//! echoed; a 64-shard mutex map holding values with a version per key. SaveConfiguration and
//! the bidi SubscribeConfiguration work on `config_demo`, the in-memory configuration store of
//! [`config`]. It prints `listening <addr>` on stdout once bound.

mod config;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(clippy::all, clippy::unwrap_used)]
mod pb {
    tonic::include_proto!("spec.proto.runtime.v1");
}

use pb::runtime_server::{Runtime, RuntimeServer};

const SHARDS: usize = 64;

/// One shard: key to (value, version).
type Shard = Mutex<HashMap<String, (Vec<u8>, u64)>>;

struct Peer {
    hasher: RandomState,
    shards: Vec<Shard>,
    version: AtomicU64,
    config: Arc<config::ConfigStore>,
}

impl Peer {
    fn shard(&self, key: &str) -> &Shard {
        &self.shards[(self.hasher.hash_one(key) as usize) % SHARDS]
    }
}

#[tonic::async_trait]
impl Runtime for Peer {
    async fn say_hello(
        &self,
        r: Request<pb::SayHelloRequest>,
    ) -> Result<Response<pb::SayHelloResponse>, Status> {
        let r = r.into_inner();
        let hello = if r.name.is_empty() {
            "greeting".to_owned()
        } else {
            format!("greeting, {}", r.name)
        };
        Ok(Response::new(pb::SayHelloResponse {
            hello,
            data: r.data,
        }))
    }

    async fn get_state(
        &self,
        r: Request<pb::GetStateRequest>,
    ) -> Result<Response<pb::GetStateResponse>, Status> {
        let r = r.into_inner();
        let map = self
            .shard(&r.key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (data, etag) = match map.get(&r.key) {
            Some((v, ver)) => (v.clone(), ver.to_string()),
            None => (Vec::new(), String::new()),
        };
        Ok(Response::new(pb::GetStateResponse {
            data,
            etag,
            metadata: HashMap::new(),
        }))
    }

    async fn save_state(&self, r: Request<pb::SaveStateRequest>) -> Result<Response<()>, Status> {
        for item in r.into_inner().states {
            let ver = self.version.fetch_add(1, Ordering::Relaxed) + 1;
            let mut map = self
                .shard(&item.key)
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            map.insert(item.key, (item.value, ver));
        }
        Ok(Response::new(()))
    }

    async fn save_configuration(
        &self,
        r: Request<pb::SaveConfigurationRequest>,
    ) -> Result<Response<()>, Status> {
        self.config.save(r.into_inner())?;
        Ok(Response::new(()))
    }

    type SubscribeConfigurationStream = ReceiverStream<config::Push>;

    /// Like the sidecar's handler: each inbound request adds a subscription; the call ends
    /// (dropping them all) when the client half-closes, once what is queued has gone out.
    async fn subscribe_configuration(
        &self,
        r: Request<Streaming<pb::SubscribeConfigurationRequest>>,
    ) -> Result<Response<Self::SubscribeConfigurationStream>, Status> {
        let mut inbound = r.into_inner();
        let (tx, rx) = mpsc::channel(config::MAX_PENDING + 1);
        let store = Arc::clone(&self.config);
        tokio::spawn(async move {
            let stream = store.open_stream();
            while let Ok(Some(m)) = inbound.message().await {
                if let Err(status) = store.subscribe(stream, m, &tx) {
                    let _ = tx.send(Err(status)).await;
                    break;
                }
            }
            store.unsubscribe(stream);
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = arg("--addr").unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let workers: usize = arg("--workers")
        .map(|w| w.parse())
        .transpose()?
        .unwrap_or(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers.max(1))
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await?;
        println!("listening {}", listener.local_addr()?);
        let peer = Peer {
            hasher: RandomState::new(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            version: AtomicU64::new(0),
            config: Arc::new(config::ConfigStore::new()),
        };
        // Nagle off on every accepted connection, as the sidecar does: tonic's own
        // `tcp_nodelay` applies only to the listeners it binds, not to `serve_with_incoming`.
        let incoming = tokio_stream::StreamExt::map(
            tokio_stream::wrappers::TcpListenerStream::new(listener),
            |conn| conn.and_then(|s| s.set_nodelay(true).map(|()| s)),
        );
        tonic::transport::Server::builder()
            .add_service(RuntimeServer::new(peer))
            .serve_with_incoming(incoming)
            .await?;
        Ok(())
    })
}
