//! Our echo server on a monoio thread, and the echo service written on our gRPC layer.
#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use layotto_grpc_transport::{
    bidi, client_streaming, server_streaming, unary, Code, GrpcServer, Routes, Status,
};
use layotto_http2_transport::Limits;
use layotto_interop_tests::echo::{EchoReply, EchoRequest};

/// Counts a server's handlers that are running: a cancelled call must bring it back down.
struct Active(Arc<AtomicUsize>);
impl Active {
    fn new(n: &Arc<AtomicUsize>) -> Active {
        n.fetch_add(1, Ordering::SeqCst);
        Active(Arc::clone(n))
    }
}
impl Drop for Active {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn echo_routes(active: Arc<AtomicUsize>) -> Routes {
    let mut r = Routes::new();
    let (a1, a2, a3, a4) = (active.clone(), active.clone(), active.clone(), active);
    r.add(
        "/test.echo.Echo/Unary",
        unary(move |_call, req: EchoRequest| {
            let _a = Active::new(&a1);
            async move {
                let _a = _a;
                if req.delay_ms > 0 {
                    monoio::time::sleep(Duration::from_millis(req.delay_ms as u64)).await;
                }
                if req.fail_code != 0 {
                    return Err(Status::new(
                        Code::from_i32(req.fail_code as i32),
                        "asked to fail: ünïcode % ok",
                    ));
                }
                Ok(EchoReply {
                    payload: req.payload,
                    index: 0,
                })
            }
        }),
    );
    r.add(
        "/test.echo.Echo/ServerStream",
        server_streaming(move |_call, req: EchoRequest, sink| {
            let _a = Active::new(&a2);
            async move {
                let _a = _a;
                for i in 0..req.count {
                    if req.delay_ms > 0 {
                        monoio::time::sleep(Duration::from_millis(req.delay_ms as u64)).await;
                    }
                    sink.send(&EchoReply {
                        payload: req.payload.clone(),
                        index: i,
                    })
                    .await?;
                }
                if req.fail_code != 0 {
                    return Err(Status::new(
                        Code::from_i32(req.fail_code as i32),
                        "failed after messages",
                    ));
                }
                Ok(())
            }
        }),
    );
    r.add(
        "/test.echo.Echo/ClientStream",
        client_streaming(move |_call, mut messages| {
            let _a = Active::new(&a3);
            async move {
                let _a = _a;
                let mut all = Vec::new();
                let mut n = 0;
                while let Some(m) = messages.next_message::<EchoRequest>().await {
                    all.extend_from_slice(&m?.payload);
                    n += 1;
                }
                Ok(EchoReply {
                    payload: all,
                    index: n,
                })
            }
        }),
    );
    r.add(
        "/test.echo.Echo/Bidi",
        bidi(move |_call, mut messages, sink| {
            let _a = Active::new(&a4);
            async move {
                let _a = _a;
                let mut i = 0;
                while let Some(m) = messages.next_message::<EchoRequest>().await {
                    sink.send(&EchoReply {
                        payload: m?.payload,
                        index: i,
                    })
                    .await?;
                    i += 1;
                }
                Ok(())
            }
        }),
    );
    r
}

/// Our echo server's address and its count of running handlers.
pub struct OurServer {
    pub addr: SocketAddr,
    pub active: Arc<AtomicUsize>,
}

impl OurServer {
    /// Waits up to 2 s for every handler to end; returns how many still run.
    pub fn wait_idle(&self) -> usize {
        for _ in 0..200 {
            if self.active.load(Ordering::SeqCst) == 0 {
                return 0;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.active.load(Ordering::SeqCst)
    }
}

/// Starts our gRPC echo server on a thread of its own (epoll or io_uring).
pub fn start_our_server(uring: bool) -> OurServer {
    let active = Arc::new(AtomicUsize::new(0));
    let routes_active = Arc::clone(&active);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let body = async move {
            let listener = monoio::net::TcpListener::bind("127.0.0.1:0").unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let server: Rc<dyn layotto_http2_transport::Handler> =
                Rc::new(GrpcServer::new(echo_routes(routes_active)));
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let server = Rc::clone(&server);
                monoio::spawn(async move {
                    layotto_http2_transport::serve(stream, server, Limits::default(), None).await;
                });
            }
        };
        if uring && monoio::utils::detect_uring() {
            monoio::RuntimeBuilder::<monoio::IoUringDriver>::new()
                .enable_timer()
                .build()
                .unwrap()
                .block_on(body)
        } else {
            monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
                .enable_timer()
                .build()
                .unwrap()
                .block_on(body)
        }
    });
    OurServer {
        addr: rx.recv().unwrap(),
        active,
    }
}

/// Runs `f` on a fresh monoio runtime (for our client side).
pub fn on_monoio<F: std::future::Future<Output = T> + 'static, T: Send + 'static>(
    f: impl FnOnce() -> F + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
            .enable_timer()
            .build()
            .unwrap()
            .block_on(f())
    })
    .join()
    .unwrap()
}
