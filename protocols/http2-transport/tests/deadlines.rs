//! What the driver owns beyond the protocol: a client that never finishes its handshake is
//! dropped, an idle connection is sent GOAWAY(NO_ERROR), and a client that half-closes its
//! socket after its request still gets the answer.
#![allow(clippy::unwrap_used)]

use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::pin::Pin;
use std::rc::Rc;
use std::time::{Duration, Instant};

use layotto_http2_transport::{serve_with, Handler, Limits, Request, Timeouts};

/// Answers every request with 204 after a short pause (so the answer comes after the EOF).
struct NoRequests;
impl Handler for NoRequests {
    fn call(self: Rc<Self>, mut r: Request) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async move {
            monoio::time::sleep(Duration::from_millis(50)).await;
            let _ = r.respond.send_response(204, Vec::new(), true);
        })
    }
}

/// Frame types and stream ids of everything read until the server closes.
fn frames(c: &mut TcpStream) -> Vec<(u8, u32)> {
    let mut all = Vec::new();
    c.read_to_end(&mut all).unwrap();
    let mut rest = &all[..];
    let mut out = Vec::new();
    while rest.len() >= 9 {
        let len = u32::from_be_bytes([0, rest[0], rest[1], rest[2]]) as usize;
        let id = u32::from_be_bytes([rest[5], rest[6], rest[7], rest[8]]) & 0x7fff_ffff;
        out.push((rest[3], id));
        rest = &rest[9 + len..];
    }
    out
}

fn server(timeouts: Timeouts) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut rt = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
            .enable_timer()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = monoio::net::TcpListener::bind("127.0.0.1:0").unwrap();
            tx.send(l.local_addr().unwrap()).unwrap();
            loop {
                let (s, _) = l.accept().await.unwrap();
                monoio::spawn(serve_with(
                    s,
                    Rc::new(NoRequests),
                    Limits::default(),
                    timeouts,
                    None,
                ));
            }
        })
    });
    rx.recv().unwrap()
}

const T: Timeouts = Timeouts {
    handshake: Duration::from_millis(200),
    idle: Some(Duration::from_millis(300)),
};

#[test]
fn a_silent_client_is_dropped_after_the_handshake_deadline() {
    let addr = server(T);
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let t = Instant::now();
    let mut sink = Vec::new();
    // Whatever the server sent (its SETTINGS), then end of stream.
    c.read_to_end(&mut sink).unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "closed after {:?}",
        t.elapsed()
    );
}

#[test]
fn an_idle_connection_gets_goaway() {
    let addr = server(T);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let t = Instant::now();
    let mut all = Vec::new();
    c.read_to_end(&mut all).unwrap();
    // Walk the frames the server sent: a GOAWAY with NO_ERROR must be among them.
    let mut rest = &all[..];
    let mut goaway = None;
    while rest.len() >= 9 {
        let len = u32::from_be_bytes([0, rest[0], rest[1], rest[2]]) as usize;
        let kind = rest[3];
        let payload = &rest[9..9 + len];
        if kind == 0x7 {
            goaway = Some(u32::from_be_bytes([
                payload[4], payload[5], payload[6], payload[7],
            ]));
        }
        rest = &rest[9 + len..];
    }
    assert_eq!(goaway, Some(0), "no GOAWAY(NO_ERROR) in {all:?}");
    assert!(t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_half_closed_client_still_gets_its_answer() {
    let addr = server(Timeouts::SERVER);
    let mut c = TcpStream::connect(addr).unwrap();
    c.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    // HEADERS, END_STREAM | END_HEADERS, stream 1: GET http / with :authority "x" (HPACK
    // static-table indexes 2, 6 and 4, then a literal with indexed name 1).
    c.write_all(&[
        0, 0, 6, 1, 5, 0, 0, 0, 1, 0x82, 0x86, 0x84, 0x41, 0x01, b'x',
    ])
    .unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let seen = frames(&mut c);
    assert!(
        seen.contains(&(0x1, 1)),
        "no HEADERS on stream 1 in {seen:?}"
    );
    assert!(seen.contains(&(0x7, 0)), "no GOAWAY in {seen:?}");
}
