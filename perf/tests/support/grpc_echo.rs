//! A tiny gRPC server for the generator's tests: our HTTP/2 transport and
//! gRPC dispatch on a monoio thread of its own, with a unary echo at the
//! SayHello path, a bidi echo (each message answered with itself) and a
//! method that always fails. Shared by the codec's unit
//! tests and the `layotto-perf grpc` integration test (included by path),
//! so both drive the same server. The thread lives until the test process
//! exits; it only ever listens on loopback.

use std::net::SocketAddr;
use std::rc::Rc;

use bytes::Bytes;
use layotto_grpc_transport::{bidi, Code, GrpcServer, Messages, Method, Routes, Sink, Status};
use layotto_http2::limits::Limits;

/// The echo method's path (the Runtime's SayHello, answered with the request).
pub const ECHO: &str = "/spec.proto.runtime.v1.Runtime/SayHello";
/// A bidi method answering each message with itself, then `grpc-status: 0`.
pub const BIDI_ECHO: &str = "/perf.Test/BidiEcho";
/// A method that always answers `NOT_FOUND` (5).
pub const FAIL: &str = "/perf.Test/Fail";

fn routes() -> Routes {
    let mut routes = Routes::new();
    routes.add(
        ECHO,
        Method::Unary(Rc::new(|_call, body: Bytes| {
            Box::pin(async move { Ok::<Bytes, Status>(body) })
        })),
    );
    routes.add(
        BIDI_ECHO,
        bidi(|_call, mut messages: Messages, sink: Sink| async move {
            while let Some(message) = messages.next().await {
                sink.send_bytes(&message?).await?;
            }
            Ok(())
        }),
    );
    routes.add(
        FAIL,
        Method::Unary(Rc::new(|_call, _body: Bytes| {
            Box::pin(async move { Err::<Bytes, Status>(Status::new(Code::NotFound, "no")) })
        })),
    );
    routes
}

/// Starts the server with these HTTP/2 limits; returns its address.
pub fn start(limits: Limits) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let body = async move {
            let Ok(listener) = monoio::net::TcpListener::bind("127.0.0.1:0") else {
                return;
            };
            let Ok(addr) = listener.local_addr() else {
                return;
            };
            if tx.send(addr).is_err() {
                return;
            }
            let server: Rc<dyn layotto_http2_transport::Handler> =
                Rc::new(GrpcServer::new(routes()));
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let server = Rc::clone(&server);
                monoio::spawn(async move {
                    layotto_http2_transport::serve(stream, server, limits, None).await;
                });
            }
        };
        if let Ok(mut rt) = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
            .enable_timer()
            .build()
        {
            rt.block_on(body);
        }
    });
    rx.recv_timeout(std::time::Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("the echo server did not start"))
}
