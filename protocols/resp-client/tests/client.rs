//! The client against a real redis-server (and, for the failures a real server will not
//! produce on demand, a listener that never answers or answers garbage).
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use layotto_resp_client::{Client, ClientConfig, Command, Reply, RespError, Script};
use layotto_test_redis::RedisServer;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut rt = monoio::RuntimeBuilder::<monoio::FusionDriver>::new()
        .enable_timer()
        .build()
        .unwrap();
    rt.block_on(f)
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(Bytes::copy_from_slice(s.as_bytes()))
}

fn set(k: &str, v: &str) -> Command {
    Command::new("SET").arg_str(k).arg_str(v)
}

fn get(k: &str) -> Command {
    Command::new("GET").arg_str(k)
}

#[test]
fn calls_and_pipelines_round_trip() {
    let redis = RedisServer::start();
    block_on(async {
        let c = Client::new(ClientConfig::new(redis.host()));
        assert_eq!(
            c.call(set("a", "1")).await.unwrap(),
            Reply::Status("OK".into())
        );
        assert_eq!(c.call(get("a")).await.unwrap(), bulk("1"));
        assert_eq!(c.call(get("missing")).await.unwrap(), Reply::Nil);
        let replies = c
            .pipeline(&[
                Command::new("MULTI"),
                Command::new("INCR").arg_str("n"),
                Command::new("INCRBY").arg_str("n").arg_int(10),
                Command::new("EXEC"),
            ])
            .await
            .unwrap();
        assert_eq!(
            replies[3],
            Reply::Array(vec![Reply::Integer(1), Reply::Integer(11)])
        );
        let err = c.call(Command::new("NOSUCHCOMMAND")).await.unwrap();
        assert!(
            err.error().unwrap().starts_with("ERR unknown command"),
            "{err:?}"
        );
        // An error reply does not hurt the connection.
        assert_eq!(c.call(get("a")).await.unwrap(), bulk("1"));
    });
    assert_eq!(redis.cli(&["GET", "n"]), "11");
}

#[test]
fn concurrent_calls_share_one_connection_and_each_gets_its_own_reply() {
    let redis = RedisServer::start();
    block_on(async {
        let c = Rc::new(Client::new(ClientConfig::new(redis.host())));
        let mut tasks = Vec::new();
        for i in 0..2000 {
            let c = Rc::clone(&c);
            tasks.push(monoio::spawn(async move {
                let k = format!("k{i}");
                c.call(set(&k, &i.to_string())).await.unwrap();
                c.call(get(&k)).await.unwrap()
            }));
        }
        for (i, t) in tasks.into_iter().enumerate() {
            assert_eq!(t.await, bulk(&i.to_string()));
        }
        // Our one connection plus redis-cli's.
        let clients = redis.cli(&["CLIENT", "LIST"]);
        assert_eq!(clients.lines().count(), 2, "{clients}");
    });
    assert_eq!(redis.cli(&["DBSIZE"]), "2000");
}

#[test]
fn password_and_database_are_applied_on_every_connection() {
    let redis = RedisServer::start_with(&["--requirepass", "s3cret"]);
    block_on(async {
        let mut cfg = ClientConfig::new(redis.host());
        cfg.password = Some("s3cret".into());
        cfg.db = 3;
        let c = Client::new(cfg.clone());
        c.call(set("in3", "yes")).await.unwrap();

        cfg.password = Some("wrong".into());
        let bad = Client::new(cfg);
        match bad.call(get("in3")).await {
            Err(RespError::Connect { reason, .. }) => {
                assert!(reason.contains("AUTH refused"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    });
    assert_eq!(redis.cli(&["-n", "3", "GET", "in3"]), "yes");
    assert_eq!(redis.cli(&["-n", "0", "EXISTS", "in3"]), "0");
}

#[test]
fn scripts_run_by_sha_and_survive_a_script_flush() {
    let redis = RedisServer::start();
    let script = Script::new("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    block_on(async {
        let c = Client::new(ClientConfig::new(redis.host()));
        let keys = [Bytes::from_static(b"s")];
        let args = [Bytes::from_static(b"5")];
        // Never loaded: the first run falls back to EVAL, which caches it.
        assert_eq!(
            script.run(&c, &keys, &args).await.unwrap(),
            Reply::Integer(5)
        );
        assert_eq!(
            script.run(&c, &keys, &args).await.unwrap(),
            Reply::Integer(10)
        );
    });
    assert_eq!(redis.cli(&["SCRIPT", "EXISTS", script.sha()]), "1");
    redis.cli(&["SCRIPT", "FLUSH"]);
    block_on(async {
        let c = Client::new(ClientConfig::new(redis.host()));
        let r = script
            .run(&c, &[Bytes::from_static(b"s")], &[Bytes::from_static(b"1")])
            .await;
        assert_eq!(r.unwrap(), Reply::Integer(11));
    });
}

#[test]
fn redis_down_fails_fast_then_backs_off_then_recovers() {
    let mut redis = RedisServer::start();
    let host = redis.host();
    redis.kill();
    block_on(async {
        let mut cfg = ClientConfig::new(host);
        cfg.min_backoff = Duration::from_millis(200);
        let c = Client::new(cfg);
        let started = Instant::now();
        match c.call(get("x")).await {
            Err(RespError::Connect { reason, .. }) => {
                assert!(reason.contains("refused"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        // In the backoff window nothing is attempted.
        match c.call(get("x")).await {
            Err(e @ RespError::Unavailable { .. }) => {
                assert!(e.to_string().contains("refused"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(1));
        redis.restart();
        monoio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(
            c.call(set("x", "back")).await.unwrap(),
            Reply::Status("OK".into())
        );
    });
}

#[test]
fn a_server_killed_mid_load_fails_the_waiting_calls_and_the_next_call_reconnects() {
    let mut redis = RedisServer::start();
    block_on(async {
        let c = Rc::new(Client::new(ClientConfig::new(redis.host())));
        c.call(set("before", "1")).await.unwrap();
        // A call that is in flight when the server dies.
        let blocked = {
            let c = Rc::clone(&c);
            monoio::spawn(async move {
                c.call(Command::new("BLPOP").arg_str("nothing").arg_int(5))
                    .await
            })
        };
        monoio::time::sleep(Duration::from_millis(100)).await;
        redis.restart();
        match blocked.await {
            Err(RespError::Closed { reason, .. }) => {
                assert!(
                    reason.contains("closed by the server") || reason.contains("read failed"),
                    "{reason}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            c.call(set("after", "1")).await.unwrap(),
            Reply::Status("OK".into())
        );
    });
    assert_eq!(redis.cli(&["GET", "after"]), "1");
}

/// A listener that accepts and then either says nothing or says `garbage`.
fn fake_server(garbage: &'static [u8]) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { return };
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = s.write_all(garbage);
                std::thread::sleep(Duration::from_secs(5));
            });
        }
    });
    addr
}

#[test]
fn a_silent_server_times_the_call_out() {
    let addr = fake_server(b"");
    block_on(async {
        let mut cfg = ClientConfig::new(addr);
        cfg.read_timeout = Duration::from_millis(200);
        let c = Client::new(cfg);
        let started = Instant::now();
        match c.call(get("x")).await {
            Err(RespError::Timeout {
                timeout_ms: 200, ..
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(2));
    });
}

#[test]
fn bytes_that_are_not_resp_close_the_connection_with_a_protocol_error() {
    let addr = fake_server(b"hello there\r\n");
    block_on(async {
        let c = Client::new(ClientConfig::new(addr));
        match c.call(get("x")).await {
            Err(RespError::Protocol { .. }) => {}
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn a_hostile_count_fails_at_once_and_the_next_call_opens_a_fresh_connection() {
    let addr = fake_server(b"*4294967295\r\n");
    block_on(async {
        let c = Client::new(ClientConfig::new(addr));
        let started = Instant::now();
        match c.call(get("x")).await {
            Err(RespError::Protocol { reason, .. }) => {
                assert!(reason.contains("elements"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed() < Duration::from_millis(500));
        // The broken connection is not reused: the fake server sees a second connection and
        // answers it the same way.
        assert!(matches!(
            c.call(get("x")).await,
            Err(RespError::Protocol { .. })
        ));
    });
}

#[test]
fn replies_over_the_size_limit_and_calls_over_the_queue_limit_are_refused() {
    let redis = RedisServer::start();
    let big = "x".repeat(200_000);
    block_on(async {
        let plain = Client::new(ClientConfig::new(redis.host()));
        plain.call(set("big", &big)).await.unwrap();
        let mut cfg = ClientConfig::new(redis.host());
        cfg.max_reply = 64 * 1024;
        cfg.max_in_flight = 2;
        let c = Rc::new(Client::new(cfg));
        match c.call(get("big")).await {
            Err(RespError::Protocol { reason, .. }) => {
                assert!(reason.contains("larger than"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
        // On an idle connection a batch over the limit still goes (a bulk call must be able
        // to succeed); beside a waiting call it is refused.
        assert_eq!(
            c.pipeline(&[get("a"), get("b"), get("c")]).await.unwrap(),
            [Reply::Nil, Reply::Nil, Reply::Nil]
        );
        let waiting = {
            let c = Rc::clone(&c);
            monoio::spawn(
                async move { c.call(Command::new("BLPOP").arg_str("q").arg_int(1)).await },
            )
        };
        monoio::time::sleep(Duration::from_millis(50)).await;
        let two = c.pipeline(&[get("a"), get("b")]).await.unwrap_err();
        assert!(two.to_string().contains("2 calls in flight"), "{two:?}");
        assert_eq!(waiting.await.unwrap(), Reply::Nil);
    });
}

#[test]
fn probe_pings_and_names_what_is_wrong() {
    let redis = RedisServer::start_with(&["--requirepass", "pw"]);
    let mut cfg = ClientConfig::new(redis.host());
    let t = Duration::from_secs(2);
    let e = layotto_resp_client::probe::ping(&cfg, t).unwrap_err();
    assert!(e.to_string().contains("NOAUTH"), "{e}");
    cfg.password = Some("pw".into());
    layotto_resp_client::probe::ping(&cfg, t).unwrap();
    let port = layotto_test_redis::free_port();
    let e = layotto_resp_client::probe::ping(&ClientConfig::new(format!("127.0.0.1:{port}")), t)
        .unwrap_err();
    assert!(e.to_string().contains("refused"), "{e}");
}

#[test]
fn host_names_are_resolved_by_the_probe_never_on_the_worker() {
    let redis = RedisServer::start();
    let cfg = ClientConfig::new(format!("localhost:{}", redis.port()));
    block_on(async {
        let c = Client::new(cfg.clone());
        match c.call(get("x")).await {
            Err(RespError::Connect { reason, .. }) => {
                assert!(reason.contains("not resolved yet"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    });
    // The probe resolves on its own thread and shares the answer with every clone.
    layotto_resp_client::probe::ping(&cfg, Duration::from_secs(2)).unwrap();
    block_on(async {
        let c = Client::new(cfg.clone());
        assert_eq!(
            c.call(set("x", "1")).await.unwrap(),
            Reply::Status("OK".into())
        );
    });
}
