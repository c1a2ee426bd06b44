//! The two gRPC servers of the gRPC scenarios, each on an ephemeral
//! loopback port, stopped when dropped: the sidecar with a single `grpc`
//! listener (the in-memory hello, state and configuration components of
//! `configs/config.json`), and `tonic-runtime-peer`, the same Runtime
//! methods and in-memory work on tonic.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::peers::{start_layotto, Running};
use crate::protocol::grpc::requests::{CONFIG_STORE, HELLO_SERVICE, STATE_STORE};
use crate::target::{pinned, Scratch, Target};

const READY_WITHIN: Duration = Duration::from_secs(10);

/// The tonic peer binary: beside the sidecar's (`cargo build --release`
/// puts both in `target/release`).
pub fn tonic_peer_path(layotto: &Path) -> PathBuf {
    layotto.with_file_name("tonic-runtime-peer")
}

fn must_exist(bin: &Path, build: &str) -> Result<(), String> {
    if bin.is_file() {
        Ok(())
    } else {
        Err(format!("{} does not exist ({build})", bin.display()))
    }
}

/// The sidecar serving the Runtime API on `127.0.0.1:0`.
pub fn layotto(
    bin: &Path,
    workers: usize,
    io_driver: &str,
    cpus: Option<&str>,
) -> Result<Running, String> {
    must_exist(bin, "cargo build --release --bin layotto")?;
    let scratch = Scratch::new("layotto-grpc").map_err(|e| e.to_string())?;
    let config = runtime_config(
        workers,
        io_driver,
        serde_json::json!({
            "hellos": { (HELLO_SERVICE): { "type": "helloworld", "hello": "greeting" } },
            "state": { (STATE_STORE): { "type": "in-memory", "metadata": {} } },
            "config_store": { (CONFIG_STORE): { "type": "in-memory", "metadata": {} } }
        }),
    );
    start_layotto(bin, &config, "grpc", io_driver, workers, cpus, scratch)
}

/// A sidecar config with one `grpc` listener on `127.0.0.1:0` serving `grpc_config`.
pub fn runtime_config(
    workers: usize,
    io_driver: &str,
    grpc_config: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "worker": { "count": workers, "cpu_pinning": false, "io_driver": io_driver },
        "log": { "format": "json" },
        "servers": [{
            "default_log_path": "stdout",
            "routers": [{ "router_config_name": "actuator_dont_need_router" }],
            "listeners": [{
                "name": "grpc",
                "address": "127.0.0.1:0",
                "bind_port": true,
                "filter_chains": [{ "filters": [{ "type": "grpc", "config": {
                    "server_name": "runtime",
                    "grpc_config": grpc_config
                } }] }]
            }]
        }]
    })
}

/// `tonic-runtime-peer --addr 127.0.0.1:0 --workers N`, ready once it
/// prints `listening ADDR`.
pub fn tonic(bin: &Path, workers: usize, cpus: Option<&str>) -> Result<Running, String> {
    must_exist(
        bin,
        "cargo build --release -p layotto-perf-tonic-peer --bin tonic-runtime-peer",
    )?;
    let scratch = Scratch::new("tonic-peer").map_err(|e| e.to_string())?;
    let mut cmd = pinned(bin, cpus);
    cmd.args(["--addr", "127.0.0.1:0", "--workers", &workers.to_string()]);
    let mut target =
        Target::spawn("tonic-runtime-peer", cmd, scratch).map_err(|e| e.to_string())?;
    let addr = target
        .wait_for(READY_WITHIN, |t| tonic_address(&t.log()))
        .map_err(|e| e.to_string())?;
    Ok(Running { target, addr })
}

/// The address from the peer's `listening ADDR` line.
pub fn tonic_address(log: &str) -> Option<std::net::SocketAddr> {
    log.lines()
        .find_map(|l| l.strip_prefix("listening "))
        .and_then(|a| a.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_peer_address_and_binary() {
        assert_eq!(
            tonic_address("noise\nlistening 127.0.0.1:5001\n"),
            Some("127.0.0.1:5001".parse().expect("addr"))
        );
        assert_eq!(tonic_address("listening soon"), None);
        assert_eq!(
            tonic_peer_path(Path::new("target/release/layotto")),
            Path::new("target/release/tonic-runtime-peer")
        );
    }
}
