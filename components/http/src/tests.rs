//! The binding against a tiny HTTP server on 127.0.0.1 in a plain thread.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::time::Duration;

use bytes::Bytes;
use layotto_component_api::binding::{InvokeRequest, InvokeResponse};
use layotto_component_api::{Component, ComponentError, Metadata, WorkerInfo};

use super::*;

/// Serves each canned response to one connection, in order, after reading the request; sends
/// every request's text back. A `None` response accepts and then says nothing for a second.
fn serve(responses: Vec<Option<&'static str>>) -> (SocketAddr, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for response in responses {
            let (mut conn, _) = listener.accept().unwrap();
            let Some(response) = response else {
                std::thread::sleep(Duration::from_secs(1));
                continue;
            };
            let _ = tx.send(read_request(&mut conn));
            conn.write_all(response.as_bytes()).unwrap();
        }
    });
    (addr, rx)
}

fn read_request(conn: &mut std::net::TcpStream) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = conn.read(&mut buf).unwrap();
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if got.len() >= end + 4 + length {
                return text;
            }
        }
        if n == 0 {
            return text;
        }
    }
}

fn binding(url: &str, timeouts: Timeouts) -> HttpBinding {
    HttpBinding::new("bindings/h".into(), url, timeouts).unwrap()
}

fn invoke(
    b: &HttpBinding,
    op: &str,
    data: &'static str,
    md: Metadata,
) -> Result<InvokeResponse, ComponentError> {
    let mut rt = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
        .enable_timer()
        .build()
        .unwrap();
    let instance = b.instance(&WorkerInfo { id: 0, workers: 1 }).unwrap();
    let out = instance.binding().unwrap();
    rt.block_on(out.invoke(InvokeRequest {
        operation: op.into(),
        data: Bytes::from_static(data.as_bytes()),
        metadata: md,
    }))
}

const OK_JSON: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}";

#[test]
fn post_sends_body_and_headers_and_returns_body_and_metadata() {
    let (addr, requests) = serve(vec![Some(OK_JSON)]);
    let b = binding(&format!("http://{addr}/api"), Timeouts::default());
    let md = Metadata::from([
        ("X-Custom".to_owned(), "v".to_owned()),
        ("path".to_owned(), "/orders".to_owned()),
    ]);
    let out = invoke(&b, "create", "{\"n\":1}", md).unwrap();
    assert_eq!(out.data, Bytes::from_static(b"{\"ok\":true}"));
    assert_eq!(out.metadata["statusCode"], "200");
    assert_eq!(out.metadata["status"], "200 OK");
    assert_eq!(out.metadata["Content-Type"], "application/json");
    let req = requests.recv().unwrap();
    assert!(req.starts_with("POST /api/orders HTTP/1.1\r\n"), "{req}");
    assert!(req.contains(&format!("host: {addr}\r\n")));
    assert!(req.contains("X-Custom: v\r\n"));
    assert!(req.ends_with("\r\n\r\n{\"n\":1}"));
}

#[test]
fn an_error_status_is_an_error_with_the_status_and_body() {
    let (addr, _r) = serve(vec![Some(
        "HTTP/1.1 404 Not Found\r\ncontent-length: 7\r\n\r\nmissing",
    )]);
    let b = binding(&format!("http://{addr}"), Timeouts::default());
    let err = invoke(&b, "get", "", Metadata::new()).unwrap_err();
    assert_eq!(
        err,
        ComponentError::Status {
            status: 404,
            body: "missing".into()
        }
    );
}

#[test]
fn chunked_close_delimited_interim_and_head_responses() {
    let (addr, _r) = serve(vec![
        Some("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
        Some("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the end"),
        Some("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n"),
    ]);
    let b = binding(&format!("http://{addr}"), Timeouts::default());
    assert_eq!(
        invoke(&b, "get", "", Metadata::new()).unwrap().data,
        "abcde"
    );
    assert_eq!(
        invoke(&b, "delete", "", Metadata::new()).unwrap().data,
        "until the end"
    );
    let head = invoke(&b, "head", "", Metadata::new()).unwrap();
    assert!(head.data.is_empty(), "a HEAD answer has no body");
    assert_eq!(head.metadata["Content-Length"], "100");
}

#[test]
fn unsupported_operations_fail_before_any_io() {
    let b = binding("http://127.0.0.1:9", Timeouts::default());
    let err = invoke(&b, "connect", "", Metadata::new()).unwrap_err();
    assert!(matches!(err, ComponentError::InvalidArgument(_)), "{err}");
    let path = Metadata::from([("path".to_owned(), "../x".to_owned())]);
    let err = invoke(&b, "get", "", path).unwrap_err();
    assert!(matches!(err, ComponentError::InvalidArgument(_)), "{err}");
}

#[test]
fn a_refused_connection_is_unavailable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let b = binding(&format!("http://127.0.0.1:{port}"), Timeouts::default());
    let err = invoke(&b, "get", "", Metadata::new()).unwrap_err();
    assert!(matches!(err, ComponentError::Unavailable(_)), "{err}");
}

#[test]
fn a_silent_server_times_out() {
    let (addr, _r) = serve(vec![None]);
    let short = Timeouts {
        connect: Duration::from_secs(1),
        response: Duration::from_millis(100),
    };
    let b = binding(&format!("http://{addr}"), short);
    let err = invoke(&b, "get", "", Metadata::new()).unwrap_err();
    assert_eq!(
        err,
        ComponentError::Timeout {
            op: "waiting for the response"
        }
    );
}

#[test]
fn the_registry_builds_it_from_metadata_and_refuses_https() {
    let mut r = Registry::new();
    register(&mut r);
    let mut spec = ComponentSpec {
        api: Api::Binding,
        name: "h".into(),
        type_name: TYPE.into(),
        metadata: Default::default(),
        hello: None,
        bigger_than: Vec::new(),
        address: Vec::new(),
        timeout: None,
        secret_ref: Vec::new(),
        component_ref: None,
        path: "bindings.h".into(),
    };
    assert!(r.build(&spec).is_err(), "url is required");
    spec.metadata
        .insert("url".into(), "https://example.com".into());
    let err = r.build(&spec).err().unwrap().to_string();
    assert!(err.contains("https is not supported yet"), "{err}");
    spec.metadata
        .insert("url".into(), "http://127.0.0.1:1/x".into());
    let built = r.build(&spec).unwrap();
    assert_eq!(built.name(), "bindings/h");
    let inst = built.instance(&WorkerInfo { id: 0, workers: 1 }).unwrap();
    assert_eq!(inst.binding().unwrap().operations().len(), 9);
}
