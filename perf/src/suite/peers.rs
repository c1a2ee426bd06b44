//! Starting what the suite measures: the sidecar, nginx and redis-server,
//! each on a loopback port of its own, in a scratch directory, stopped when
//! dropped; and installing the peers when they are missing and we may.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::target::{free_port, pinned, which, Scratch, Target};

const READY_WITHIN: Duration = Duration::from_secs(10);

/// A started process and the address it serves on.
#[derive(Debug)]
pub struct Running {
    pub target: Target,
    pub addr: SocketAddr,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_install(packages: &[&str]) -> bool {
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "-qq"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if install() {
        return true;
    }
    // A fresh machine may have no package lists yet.
    let _ = Command::new("apt-get")
        .args(["update", "-qq"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    install()
}

/// Makes sure every `(program, package)` is available: installs the missing
/// ones with apt-get when running as root and allowed; otherwise says why not.
pub fn ensure(needed: &[(&str, &str)], allow_install: bool) -> Result<(), String> {
    let missing: Vec<(&str, &str)> = needed
        .iter()
        .copied()
        .filter(|(prog, _)| which(prog).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|(p, _)| *p).collect();
    let packages: Vec<&str> = missing.iter().map(|(_, pkg)| *pkg).collect();
    let why = if !allow_install {
        "and --no-install was given"
    } else if !is_root() {
        "and installing needs root"
    } else if which("apt-get").is_none() {
        "and there is no apt-get"
    } else if apt_install(&packages) && needed.iter().all(|(p, _)| which(p).is_some()) {
        return Ok(());
    } else {
        "and `apt-get install` failed"
    };
    Err(format!(
        "{} not installed (package {}) {why}",
        names.join(", "),
        packages.join(", ")
    ))
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// nginx answering `200 ok` to everything, with `workers` worker processes.
pub fn nginx(workers: usize, cpus: Option<&str>) -> Result<Running, String> {
    let bin = which("nginx").ok_or("nginx is not installed")?;
    let scratch = Scratch::new("nginx").map_err(|e| e.to_string())?;
    let port = free_port().map_err(|e| e.to_string())?;
    let dir = scratch.path().display().to_string();
    let conf = format!(
        "daemon off;\nmaster_process on;\nworker_processes {workers};\npid {dir}/nginx.pid;\n\
         error_log {dir}/error.log warn;\nevents {{ worker_connections 4096; }}\n\
         http {{\n  access_log off;\n  keepalive_requests 100000000;\n  keepalive_timeout 75s;\n\
         \x20 client_body_temp_path {dir}/body;\n  proxy_temp_path {dir}/proxy;\n\
         \x20 fastcgi_temp_path {dir}/fastcgi;\n  uwsgi_temp_path {dir}/uwsgi;\n\
         \x20 scgi_temp_path {dir}/scgi;\n\
         \x20 server {{\n    listen 127.0.0.1:{port};\n    location / {{ return 200 \"ok\"; }}\n  }}\n}}\n"
    );
    let conf_path = scratch.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).map_err(|e| e.to_string())?;
    let mut cmd = pinned(bin, cpus);
    cmd.arg("-c")
        .arg(&conf_path)
        .arg("-p")
        .arg(scratch.path())
        .arg("-e")
        .arg(scratch.path().join("error.log"));
    let mut target = Target::spawn("nginx", cmd, scratch).map_err(|e| e.to_string())?;
    let addr = loopback(port);
    target
        .wait_for_port(addr, READY_WITHIN)
        .map_err(|e| e.to_string())?;
    Ok(Running { target, addr })
}

/// redis-server without persistence.
pub fn redis(cpus: Option<&str>) -> Result<Running, String> {
    let bin = which("redis-server").ok_or("redis-server is not installed")?;
    let scratch = Scratch::new("redis").map_err(|e| e.to_string())?;
    let port = free_port().map_err(|e| e.to_string())?;
    let mut cmd = pinned(bin, cpus);
    cmd.args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
        .arg("--dir")
        .arg(scratch.path());
    let mut target = Target::spawn("redis-server", cmd, scratch).map_err(|e| e.to_string())?;
    let addr = loopback(port);
    target
        .wait_for(READY_WITHIN, |_| ping(addr).then_some(()))
        .map_err(|e| e.to_string())?;
    Ok(Running { target, addr })
}

fn ping(addr: SocketAddr) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 7];
    s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
}

/// The sidecar with only its actuator listener, on an ephemeral port.
pub fn layotto(
    bin: &Path,
    workers: usize,
    io_driver: &str,
    cpus: Option<&str>,
) -> Result<Running, String> {
    if !bin.is_file() {
        return Err(format!(
            "{} does not exist (cargo build --release --bin layotto)",
            bin.display()
        ));
    }
    let scratch = Scratch::new("layotto").map_err(|e| e.to_string())?;
    let config = serde_json::json!({
        "worker": { "count": workers, "cpu_pinning": false, "io_driver": io_driver },
        "log": { "format": "json" },
        "servers": [{
            "default_log_path": "stdout",
            "routers": [{ "router_config_name": "actuator_dont_need_router" }],
            "listeners": [{
                "name": "actuator",
                "address": "127.0.0.1:0",
                "bind_port": true,
                "filter_chains": [{ "filters": [{ "type": "proxy", "config": {
                    "downstream_protocol": "Http1", "upstream_protocol": "Http1",
                    "router_config_name": "actuator_dont_need_router" } }] }],
                "stream_filters": [{ "type": "actuator_filter" }]
            }]
        }]
    });
    start_layotto(bin, &config, "actuator", io_driver, workers, cpus, scratch)
}

/// Starts the sidecar on `config` (written into `scratch`), pinned to `cpus`, and waits for
/// the JSON log line giving `listener`'s bound address.
pub fn start_layotto(
    bin: &Path,
    config: &serde_json::Value,
    listener: &str,
    io_driver: &str,
    workers: usize,
    cpus: Option<&str>,
    scratch: Scratch,
) -> Result<Running, String> {
    let conf_path = scratch.path().join("layotto.json");
    std::fs::write(&conf_path, config.to_string()).map_err(|e| e.to_string())?;
    let mut cmd = pinned(bin, cpus);
    cmd.arg("start")
        .arg("-c")
        .arg(&conf_path)
        .args(["--log-format", "json", "--io-driver", io_driver])
        .args(["--workers", &workers.to_string()]);
    let mut target = Target::spawn("layotto", cmd, scratch).map_err(|e| e.to_string())?;
    let addr = target
        .wait_for(READY_WITHIN, |t| listening_address(&t.log(), listener))
        .map_err(|e| e.to_string())?;
    Ok(Running { target, addr })
}

/// The address of `listener` from the sidecar's JSON `listening` log line.
pub fn listening_address(log: &str, listener: &str) -> Option<SocketAddr> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["message"] == "listening" && v["listener"] == listener)
        .and_then(|v| v["address"].as_str().and_then(|a| a.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_actuator_address() {
        let log = "{\"message\":\"starting layotto\"}\nnot json\n\
            {\"message\":\"listening\",\"listener\":\"grpc\",\"address\":\"127.0.0.1:1\"}\n\
            {\"message\":\"listening\",\"listener\":\"actuator\",\"address\":\"127.0.0.1:4321\"}\n";
        assert_eq!(
            listening_address(log, "actuator"),
            Some("127.0.0.1:4321".parse().expect("addr"))
        );
        assert_eq!(listening_address("", "actuator"), None);
    }

    #[test]
    fn present_programs_need_no_install() {
        assert_eq!(ensure(&[("sh", "dash")], false), Ok(()));
        let err = ensure(&[("no-such-prog-xyz", "no-such-package")], false).expect_err("missing");
        assert!(err.contains("--no-install"), "{err}");
    }
}
