//! Our gRPC client (on our HTTP/2 client connection) calls a tonic server: unary and all three
//! streaming kinds, small and 4 MB messages, and error statuses.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::pin::Pin;

use layotto_grpc_transport::{CallOptions, Code, GrpcClient};
use layotto_interop_tests::echo::echo_server::{Echo, EchoServer};
use layotto_interop_tests::echo::{EchoReply, EchoRequest};
use support::on_monoio;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

struct TonicEcho;

type Replies = Pin<Box<dyn Stream<Item = Result<EchoReply, Status>> + Send>>;

#[tonic::async_trait]
impl Echo for TonicEcho {
    async fn unary(&self, r: Request<EchoRequest>) -> Result<Response<EchoReply>, Status> {
        let r = r.into_inner();
        if r.fail_code != 0 {
            return Err(Status::new(
                tonic::Code::from(r.fail_code as i32),
                "tonic says no",
            ));
        }
        Ok(Response::new(EchoReply {
            payload: r.payload,
            index: 0,
        }))
    }

    type ServerStreamStream = Replies;
    async fn server_stream(&self, r: Request<EchoRequest>) -> Result<Response<Replies>, Status> {
        let r = r.into_inner();
        let s = tokio_stream::iter((0..r.count).map(move |i| {
            Ok(EchoReply {
                payload: r.payload.clone(),
                index: i,
            })
        }));
        Ok(Response::new(Box::pin(s)))
    }

    async fn client_stream(
        &self,
        r: Request<Streaming<EchoRequest>>,
    ) -> Result<Response<EchoReply>, Status> {
        let mut s = r.into_inner();
        let (mut all, mut n) = (Vec::new(), 0);
        while let Some(m) = s.next().await {
            all.extend_from_slice(&m?.payload);
            n += 1;
        }
        Ok(Response::new(EchoReply {
            payload: all,
            index: n,
        }))
    }

    type BidiStream = Replies;
    async fn bidi(&self, r: Request<Streaming<EchoRequest>>) -> Result<Response<Replies>, Status> {
        let s = r.into_inner().map(|m| {
            m.map(|m| EchoReply {
                payload: m.payload,
                index: 0,
            })
        });
        Ok(Response::new(Box::pin(s)))
    }
}

fn start_tonic() -> SocketAddr {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    let (_stop, thread) = serve_tonic(std_listener);
    std::mem::forget(_stop);
    drop(thread);
    addr
}

/// Serves tonic on `std_listener` until the returned sender fires.
fn serve_tonic(
    std_listener: std::net::TcpListener,
) -> (
    tokio::sync::oneshot::Sender<()>,
    std::thread::JoinHandle<()>,
) {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std_listener.set_nonblocking(true).unwrap();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
            tonic::transport::Server::builder()
                .add_service(
                    EchoServer::new(TonicEcho)
                        .max_decoding_message_size(8 << 20)
                        .max_encoding_message_size(8 << 20),
                )
                .serve_with_incoming_shutdown(
                    tokio_stream::wrappers::TcpListenerStream::new(listener),
                    async {
                        let _ = stopped.await;
                    },
                )
                .await
                .unwrap();
        });
    });
    (stop, thread)
}

async fn call(
    ch: &layotto_grpc_transport::Channel,
) -> Result<EchoReply, layotto_grpc_transport::Status> {
    let req = EchoRequest {
        payload: b"r".to_vec(),
        ..Default::default()
    };
    let c = ch.client().await?;
    c.unary::<_, EchoReply>("/test.echo.Echo/Unary", &req, &CallOptions::default())
        .await
}

/// Waits for the main thread without blocking the runtime: the connection task must keep
/// running (it answers the server's GOAWAY, which the server's shutdown waits for).
async fn wait(rx: &std::sync::mpsc::Receiver<()>) {
    while rx.try_recv().is_err() {
        monoio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// The channel fails fast while the peer is gone and reconnects once it is back.
#[test]
fn the_channel_reconnects() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, thread) = serve_tonic(listener);
    let (to_test, from_main) = std::sync::mpsc::channel::<()>();
    let (to_main, from_test) = std::sync::mpsc::channel::<()>();
    let client = std::thread::spawn(move || {
        on_monoio(move || async move {
            let ch = layotto_grpc_transport::Channel::new(addr);
            assert_eq!(call(&ch).await.unwrap().payload, b"r");
            to_main.send(()).unwrap();
            wait(&from_main).await; // the server is down now
            let mut down = 0;
            for _ in 0..20 {
                match call(&ch).await {
                    Err(e) => {
                        assert_eq!(e.code, Code::Unavailable, "{e:?}");
                        down += 1;
                    }
                    Ok(_) => break,
                }
                monoio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            assert!(down > 0, "calls succeeded while the server was down");
            to_main.send(()).unwrap();
            wait(&from_main).await; // the server is back
            let mut ok = false;
            for _ in 0..100 {
                if call(&ch).await.is_ok() {
                    ok = true;
                    break;
                }
                monoio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            assert!(ok, "never reconnected");
        })
    });
    from_test.recv().unwrap();
    stop.send(()).unwrap();
    thread.join().unwrap();
    to_test.send(()).unwrap();
    from_test.recv().unwrap();
    let listener = std::net::TcpListener::bind(addr).unwrap();
    let (_stop, _thread) = serve_tonic(listener);
    to_test.send(()).unwrap();
    client.join().unwrap();
}

#[test]
fn our_client_against_tonic() {
    let addr = start_tonic();
    on_monoio(move || async move {
        let c = GrpcClient::connect(addr).await.unwrap();
        let o = CallOptions::default();
        // Unary, small and 4 MB.
        let r: EchoReply = c
            .unary(
                "/test.echo.Echo/Unary",
                &EchoRequest {
                    payload: b"hi".to_vec(),
                    ..Default::default()
                },
                &o,
            )
            .await
            .unwrap();
        assert_eq!(r.payload, b"hi");
        let big = vec![3u8; 4_000_000];
        let r: EchoReply = c
            .unary(
                "/test.echo.Echo/Unary",
                &EchoRequest {
                    payload: big.clone(),
                    ..Default::default()
                },
                &o,
            )
            .await
            .unwrap();
        assert_eq!(r.payload, big);
        // An error status from the peer.
        let e = c
            .unary::<_, EchoReply>(
                "/test.echo.Echo/Unary",
                &EchoRequest {
                    fail_code: 7,
                    ..Default::default()
                },
                &o,
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, Code::PermissionDenied);
        assert_eq!(e.message, "tonic says no");
        // Server streaming.
        let (mut tx, mut rx) = c.open("/test.echo.Echo/ServerStream", &o).await.unwrap();
        tx.send(&EchoRequest {
            payload: vec![1; 1000],
            count: 50,
            ..Default::default()
        })
        .await
        .unwrap();
        tx.close().await.unwrap();
        let mut n = 0;
        while let Some(m) = rx.next_message::<EchoReply>().await {
            assert_eq!(m.unwrap().index, n);
            n += 1;
        }
        assert_eq!(n, 50);
        assert!(rx.status().await.is_ok());
        // Client streaming, 4 MB in total.
        let (mut tx, mut rx) = c.open("/test.echo.Echo/ClientStream", &o).await.unwrap();
        for i in 0..10u8 {
            tx.send(&EchoRequest {
                payload: vec![i; 400_000],
                ..Default::default()
            })
            .await
            .unwrap();
        }
        tx.close().await.unwrap();
        let r = rx.next_message::<EchoReply>().await.unwrap().unwrap();
        assert_eq!((r.index, r.payload.len()), (10, 4_000_000));
        assert!(rx.status().await.is_ok());
        // Bidi, interleaved: each reply read before the next request is sent.
        let (mut tx, mut rx) = c.open("/test.echo.Echo/Bidi", &o).await.unwrap();
        for i in 0..20 {
            tx.send(&EchoRequest {
                payload: format!("p{i}").into_bytes(),
                ..Default::default()
            })
            .await
            .unwrap();
            let m = rx.next_message::<EchoReply>().await.unwrap().unwrap();
            assert_eq!(m.payload, format!("p{i}").into_bytes());
        }
        tx.close().await.unwrap();
        assert!(rx.next().await.is_none());
        assert!(rx.status().await.is_ok());
    });
}
