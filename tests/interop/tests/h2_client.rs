//! The `h2` crate as a raw HTTP/2 client of our gRPC server: framing by hand, so the server's
//! own behaviour (deadline enforcement, reset handling, HTTP-level answers, flow control)
//! shows without a gRPC library's client-side logic in between.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use layotto_interop_tests::echo::{EchoReply, EchoRequest};
use prost::Message;
use support::*;

fn frame(m: &EchoRequest) -> Bytes {
    let body = m.encode_to_vec();
    let mut b = BytesMut::with_capacity(body.len() + 5);
    b.put_u8(0);
    b.put_u32(body.len() as u32);
    b.put_slice(&body);
    b.freeze()
}

async fn connect(server: &OurServer) -> h2::client::SendRequest<Bytes> {
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (client, conn) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    client.ready().await.unwrap()
}

fn grpc_request(server: &OurServer, method: &str, timeout: Option<&str>) -> http::Request<()> {
    let mut b = http::Request::builder()
        .method("POST")
        .uri(format!("http://{}/test.echo.Echo/{method}", server.addr))
        .header("content-type", "application/grpc")
        .header("te", "trailers");
    if let Some(t) = timeout {
        b = b.header("grpc-timeout", t);
    }
    b.body(()).unwrap()
}

/// Reads the whole body, releasing flow-control capacity as a well-behaved client does.
async fn drain(body: &mut h2::RecvStream) -> Vec<u8> {
    let mut all = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        body.flow_control().release_capacity(chunk.len()).unwrap();
        all.extend_from_slice(&chunk);
    }
    all
}

fn grpc_status(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get("grpc-status")
        .map(|v| v.to_str().unwrap().to_owned())
}

// wait_idle blocks this thread: the client connection must run on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_enforces_grpc_timeout() {
    let server = start_our_server(true);
    let mut c = connect(&server).await;
    let (resp, mut send) = c
        .send_request(grpc_request(&server, "Unary", Some("200m")), false)
        .unwrap();
    send.send_data(
        frame(&EchoRequest {
            delay_ms: 5000,
            ..Default::default()
        }),
        true,
    )
    .unwrap();
    let t = std::time::Instant::now();
    let resp = resp.await.unwrap();
    assert_eq!(resp.status(), 200);
    // Trailers-Only: the status is in the head and the stream ends with it.
    assert_eq!(grpc_status(resp.headers()).as_deref(), Some("4"));
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(server.wait_idle(), 0);
}

// wait_idle blocks this thread: the client connection must run on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_explicit_reset_cancels_the_handler() {
    let server = start_our_server(false);
    let mut c = connect(&server).await;
    let (resp, mut send) = c
        .send_request(grpc_request(&server, "ServerStream", None), false)
        .unwrap();
    send.send_data(
        frame(&EchoRequest {
            count: 1000,
            delay_ms: 20,
            ..Default::default()
        }),
        true,
    )
    .unwrap();
    let resp = resp.await.unwrap();
    let mut body = resp.into_body();
    let first = body.data().await.unwrap().unwrap();
    assert!(first.len() >= 5);
    assert_eq!(server.active.load(std::sync::atomic::Ordering::SeqCst), 1);
    send.send_reset(h2::Reason::CANCEL);
    assert_eq!(server.wait_idle(), 0, "handler not cancelled by RST_STREAM");
    // The connection still serves new calls.
    let (resp, mut send) = c
        .send_request(grpc_request(&server, "Unary", None), false)
        .unwrap();
    send.send_data(
        frame(&EchoRequest {
            payload: b"after".to_vec(),
            ..Default::default()
        }),
        true,
    )
    .unwrap();
    let resp = resp.await.unwrap();
    let mut body = resp.into_body();
    let data = drain(&mut body).await;
    let reply = EchoReply::decode(&data[5..]).unwrap();
    assert_eq!(reply.payload, b"after");
    let trailers = body.trailers().await.unwrap().unwrap();
    assert_eq!(grpc_status(&trailers).as_deref(), Some("0"));
}

#[tokio::test]
async fn non_grpc_requests_get_http_answers() {
    let server = start_our_server(true);
    let mut c = connect(&server).await;
    let get = http::Request::builder()
        .method("GET")
        .uri(format!("http://{}/test.echo.Echo/Unary", server.addr))
        .body(())
        .unwrap();
    let (resp, _) = c.send_request(get, true).unwrap();
    assert_eq!(resp.await.unwrap().status(), 405);
    let plain = http::Request::builder()
        .method("POST")
        .uri(format!("http://{}/test.echo.Echo/Unary", server.addr))
        .header("content-type", "text/plain")
        .body(())
        .unwrap();
    let (resp, _) = c.send_request(plain, true).unwrap();
    assert_eq!(resp.await.unwrap().status(), 415);
}

/// 16 MB each way on one stream with default windows: flow control must keep it moving.
#[tokio::test]
async fn large_bidi_streams_flow_without_stalls() {
    let server = start_our_server(true);
    let mut c = connect(&server).await;
    let (resp, mut send) = c
        .send_request(grpc_request(&server, "Bidi", None), false)
        .unwrap();
    let writer = tokio::spawn(async move {
        for i in 0..16u8 {
            let f = frame(&EchoRequest {
                payload: vec![i; 1_000_000],
                ..Default::default()
            });
            send.reserve_capacity(f.len());
            let mut rest = f;
            while !rest.is_empty() {
                let cap = std::future::poll_fn(|cx| send.poll_capacity(cx))
                    .await
                    .unwrap()
                    .unwrap();
                let chunk = rest.split_to(cap.min(rest.len()));
                send.send_data(chunk, false).unwrap();
                if !rest.is_empty() {
                    send.reserve_capacity(rest.len());
                }
            }
        }
        send.send_data(Bytes::new(), true).unwrap();
    });
    let resp = tokio::time::timeout(Duration::from_secs(30), resp)
        .await
        .unwrap()
        .unwrap();
    let mut body = resp.into_body();
    let data = tokio::time::timeout(Duration::from_secs(30), drain(&mut body))
        .await
        .unwrap();
    writer.await.unwrap();
    let trailers = body.trailers().await.unwrap().unwrap();
    assert_eq!(grpc_status(&trailers).as_deref(), Some("0"));
    // 16 replies of ~1 MB each, in order.
    let mut rest = &data[..];
    let mut n = 0u8;
    while !rest.is_empty() {
        let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        let reply = EchoReply::decode(&rest[5..5 + len]).unwrap();
        assert_eq!(reply.payload, vec![n; 1_000_000]);
        rest = &rest[5 + len..];
        n += 1;
    }
    assert_eq!(n, 16);
}
