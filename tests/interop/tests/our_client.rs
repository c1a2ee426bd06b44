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
    std_listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
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
                .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener))
                .await
                .unwrap();
        });
    });
    addr
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
