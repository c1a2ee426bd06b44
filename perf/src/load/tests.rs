//! The loops against a tiny blocking HTTP/1.1 server on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;

use super::*;
use crate::protocol::http1::Http1;

/// How the test server behaves.
#[derive(Clone, Copy)]
struct Server {
    /// Answer with `Connection: close` (then close) every this many requests.
    close_every: Option<usize>,
    /// Never answer at all.
    mute: bool,
}

fn serve(cfg: Server) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || handle(stream, cfg));
        }
    });
    addr
}

fn handle(mut stream: std::net::TcpStream, cfg: Server) {
    let (mut buf, mut chunk, mut served) = (Vec::new(), [0u8; 4096], 0usize);
    loop {
        let Ok(n) = stream.read(&mut chunk) else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut out = Vec::new();
        while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.drain(..end + 4);
            served += 1;
            let close = cfg.close_every.is_some_and(|k| served % k == 0);
            out.extend_from_slice(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n");
            out.extend_from_slice(if close {
                b"connection: close\r\n\r\nok"
            } else {
                b"\r\nok"
            });
            if close {
                let _ = stream.write_all(&out);
                return;
            }
        }
        if !cfg.mute && stream.write_all(&out).is_err() {
            return;
        }
    }
}

fn spec(addr: SocketAddr, pace: Pace, stop: Stop) -> LoadSpec {
    LoadSpec {
        addr,
        threads: 2,
        connections: 4,
        inflight: 4,
        pace,
        warmup: Duration::from_millis(50),
        stop,
        timeout: Duration::from_secs(2),
        pin: false,
        driver: DriverPref::Auto,
    }
}

fn get(addr: SocketAddr) -> Http1 {
    Http1::new("GET", "/", &addr.to_string(), &[], b"")
}

#[test]
fn closed_loop_pipelines_and_survives_server_closes() {
    let addr = serve(Server {
        close_every: Some(37),
        mute: false,
    });
    let stop = Stop::Requests {
        count: 3000,
        cap: Duration::from_secs(10),
    };
    let res = run(&get(addr), &spec(addr, Pace::Closed, stop)).expect("run");
    assert_eq!(res.rec.errors, Default::default());
    assert_eq!(res.rec.ok, 3000);
    assert_eq!(res.rec.latency.len(), 3000);
    assert_eq!(res.threads, 2);
    assert!(res.throughput() > 0.0);
}

#[test]
fn open_loop_keeps_its_schedule() {
    let addr = serve(Server {
        close_every: Some(50),
        mute: false,
    });
    let stop = Stop::After(Duration::from_millis(400));
    let res = run(&get(addr), &spec(addr, Pace::Open { rate: 1000.0 }, stop)).expect("run");
    assert_eq!(res.rec.errors, Default::default());
    // 400 requests are scheduled; a loaded test machine may lose a few at the edges.
    assert!((300..=410).contains(&res.rec.ok), "{}", res.rec.ok);
    assert_eq!(res.rec.service.len(), res.rec.ok);
}

#[test]
fn silence_is_a_timeout_and_a_closed_port_a_connect_error() {
    let addr = serve(Server {
        close_every: None,
        mute: true,
    });
    let mut s = spec(addr, Pace::Closed, Stop::After(Duration::from_millis(300)));
    s.timeout = Duration::from_millis(100);
    s.warmup = Duration::ZERO;
    let res = run(&get(addr), &s).expect("run");
    assert_eq!(res.rec.ok, 0);
    assert!(
        res.rec
            .errors
            .get(&ErrorKind::Timeout)
            .is_some_and(|&n| n >= 4),
        "{:?}",
        res.rec.errors
    );

    let closed = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let mut s = spec(
        closed,
        Pace::Closed,
        Stop::After(Duration::from_millis(100)),
    );
    s.warmup = Duration::ZERO;
    let res = run(&get(closed), &s).expect("run");
    assert!(res
        .rec
        .errors
        .get(&ErrorKind::Connect)
        .is_some_and(|&n| n > 0));
    assert_eq!(res.rec.ok, 0);
}

#[test]
fn rejects_empty_loads() {
    let addr: SocketAddr = "127.0.0.1:1".parse().expect("addr");
    let mut s = spec(addr, Pace::Closed, Stop::After(Duration::ZERO));
    s.connections = 0;
    assert!(matches!(run(&get(addr), &s), Err(LoadError::Invalid(_))));
    let s = spec(addr, Pace::Open { rate: -1.0 }, Stop::After(Duration::ZERO));
    assert!(matches!(run(&get(addr), &s), Err(LoadError::Invalid(_))));
}

#[test]
fn open_loop_counts_exactly_with_requests_and_retries() {
    let addr = serve(Server {
        close_every: Some(7),
        mute: false,
    });
    let stop = Stop::Requests {
        count: 300,
        cap: Duration::from_secs(5),
    };
    let res = run(&get(addr), &spec(addr, Pace::Open { rate: 2000.0 }, stop)).expect("run");
    assert_eq!(res.rec.errors, Default::default());
    assert_eq!(res.rec.ok, 300);
}
