//! One thread per worker, pinned when asked, and the kernel spreading connections over them.

#![allow(clippy::unwrap_used)] // fixtures of our own making

mod support;

use std::net::TcpStream;

use support::*;

/// The worker threads of a process, by name, with the CPUs each may run on.
fn worker_threads(pid: u32) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).unwrap() {
        let dir = task.unwrap().path();
        let name = std::fs::read_to_string(dir.join("comm"))
            .unwrap()
            .trim()
            .to_owned();
        if !name.starts_with("layotto-wrk") {
            continue;
        }
        let status = std::fs::read_to_string(dir.join("status")).unwrap();
        let cpus = status
            .lines()
            .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))
            .unwrap()
            .trim()
            .to_owned();
        out.push((name, cpus));
    }
    out.sort();
    out
}

/// `--workers 2 --cpu-pinning`: two worker threads, worker N allowed on CPU N only. (Thread
/// names are cut at 15 bytes by Linux, hence the short name.)
#[test]
fn workers_are_pinned_one_per_core() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let s = Sidecar::start(
        &config_with(default_grpc_config(), ""),
        &["--workers", "2", "--cpu-pinning"],
    );
    let threads = worker_threads(s.pid());
    assert_eq!(threads.len(), 2, "{threads:?}");
    for (i, (name, cpus)) in threads.iter().enumerate() {
        assert_eq!(name, &format!("layotto-wrk-{i}"));
        assert_eq!(cpus, &(i % cores).to_string(), "{name} may run on {cpus}");
    }
    let info = get(s.actuator(), "/actuator/info").json();
    assert_eq!(info["runtime"]["cpu_pinning"], true);
}

/// Without pinning the workers may run anywhere.
#[test]
fn unpinned_workers_are_not_restricted() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let s = Sidecar::start(&config_with(default_grpc_config(), ""), &["--workers", "2"]);
    let threads = worker_threads(s.pid());
    assert_eq!(threads.len(), 2);
    if cores > 1 {
        for (name, cpus) in &threads {
            assert!(
                cpus.contains('-') || cpus.contains(','),
                "{name} restricted to {cpus}"
            );
        }
    }
}

/// SO_REUSEPORT: with many connections, every worker accepts some; the counters are per
/// worker and sum to the total.
#[test]
fn connections_spread_over_every_worker() {
    let s = Sidecar::start(&config_with(default_grpc_config(), ""), &["--workers", "2"]);
    // Held open so each is a distinct connection the kernel hashes to a socket.
    let conns: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(s.actuator()).unwrap())
        .collect();
    // Accepting is asynchronous: on a busy machine a worker may not have run yet when the
    // connections are already established in its backlog. Wait until all are accepted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let (v, accepted) = loop {
        let v = get(s.actuator(), "/actuator/info").json();
        let accepted: Vec<u64> = v["counters"]["per_worker"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["connections_accepted"].as_u64().unwrap())
            .collect();
        if accepted.iter().sum::<u64>() >= 65 || std::time::Instant::now() > deadline {
            break (v, accepted);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(
        accepted.iter().all(|n| *n > 0),
        "a worker accepted nothing: {accepted:?}"
    );
    assert_eq!(
        accepted.iter().sum::<u64>(),
        v["counters"]["connections_accepted"].as_u64().unwrap()
    );
    assert!(accepted.iter().sum::<u64>() >= 65, "{accepted:?}");
    drop(conns);
}
