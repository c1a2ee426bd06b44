#![allow(clippy::unwrap_used)]

use layotto_proto::spec::proto::runtime::v1::HttpExtension;

use super::*;

fn target() -> Target {
    Target {
        authority: "127.0.0.1:8080".into(),
        addrs: vec!["127.0.0.1:8080".parse().unwrap()],
        base_path: "/api".into(),
    }
}

fn request(verb: Option<Verb>, query: &str) -> CommonInvokeRequest {
    CommonInvokeRequest {
        method: "orders/1".into(),
        data: Some(prost_types::Any {
            type_url: "ignored".into(),
            value: b"{\"a\":1}".to_vec(),
        }),
        content_type: "application/json".into(),
        http_extension: verb.map(|v| HttpExtension {
            verb: v as i32,
            querystring: query.into(),
        }),
    }
}

#[test]
fn post_by_default_with_body_and_headers() {
    let meta = vec![
        ("x-trace".to_owned(), "t1".to_owned()),
        ("content-length".to_owned(), "999".to_owned()),
        ("host".to_owned(), "evil".to_owned()),
    ];
    let (m, bytes) = encode(&target(), "orders", &request(None, ""), &meta);
    assert_eq!(m, Method::Post);
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.starts_with("POST /api/orders/1 HTTP/1.1\r\n"),
        "{text}"
    );
    let lower = text.to_ascii_lowercase();
    assert!(lower.contains("host: 127.0.0.1:8080\r\n"), "{text}");
    assert!(lower.contains("id: orders\r\n"), "{text}");
    assert!(
        lower.contains("content-type: application/json\r\n"),
        "{text}"
    );
    assert!(lower.contains("x-trace: t1\r\n"), "{text}");
    assert!(lower.contains("content-length: 7\r\n"), "{text}");
    assert!(!lower.contains("evil") && !lower.contains("999"), "{text}");
    assert!(text.ends_with("\r\n\r\n{\"a\":1}"), "{text}");
}

#[test]
fn verb_and_query_string() {
    let (m, bytes) = encode(&target(), "o", &request(Some(Verb::Get), "a=1&b=2"), &[]);
    assert_eq!(m, Method::Get);
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(
        text.starts_with("GET /api/orders/1?a=1&b=2 HTTP/1.1\r\n"),
        "{text}"
    );
    let (m, _) = encode(&target(), "o", &request(Some(Verb::None), ""), &[]);
    assert_eq!(m, Method::Post);
    let (m, _) = encode(&target(), "o", &request(Some(Verb::Patch), ""), &[]);
    assert_eq!(m, Method::Patch);
}
