//! h2spec-style conformance, RFC 9113 §8.1 HTTP message exchanges, §8.1.2
//! (h2spec numbering) header fields: uppercase, pseudo-headers,
//! connection-specific fields, `te`; §8.1.2.6 content-length. Every
//! malformed request is RST_STREAM(PROTOCOL_ERROR) and never reaches the app.
#![allow(clippy::unwrap_used)]

#[path = "support/peer.rs"]
mod peer;

use layotto_hpack::Header;
use layotto_http2::connection::Event;
use layotto_http2::frame::{Frame, Reason};
use peer::*;

/// Sends `fields` as a request on stream 1 and expects RST(PROTOCOL_ERROR)
/// with no Request event.
fn malformed(fields: &[(&str, &str)]) {
    let mut p = Peer::handshake();
    let h = p.headers(1, fields, true);
    p.send(h).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
    assert!(p.events().is_empty(), "malformed request reached the app");
}

fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut f = Peer::req_fields();
    f.extend_from_slice(extra);
    f
}

// ---- §8.1 HTTP message exchanges ----

#[test]
fn s8_1_1_request_response_with_trailers() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("te", "trailers")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"hello", false)).unwrap();
    let t = p.headers(1, &[("grpc-status", "0")], true);
    p.send(t).unwrap();
    let ev = p.events();
    assert!(matches!(
        &ev[0],
        Event::Request {
            end_stream: false,
            ..
        }
    ));
    assert!(matches!(
        &ev[1],
        Event::Data {
            end_stream: false,
            ..
        }
    ));
    assert!(
        matches!(&ev[2], Event::Trailers { headers, .. } if &headers[0].name[..] == b"grpc-status")
    );
    p.respond(1, false);
    p.conn
        .send_trailers(sid(1), vec![Header::new("grpc-status", "0")])
        .unwrap();
    let f = p.frames();
    assert!(
        matches!(&f[..], [Frame::Headers(a), Frame::Headers(b)] if !a.end_stream && b.end_stream),
        "{f:?}"
    );
    assert_eq!(
        p.heads[0].1,
        vec![(":status".to_string(), "200".to_string())]
    );
    assert_eq!(p.conn.active_streams(), 0);
}

#[test]
fn s8_1_2_second_headers_without_end_stream() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let t = p.headers(1, &[("x-trailer", "1")], false);
    p.send(t).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

#[test]
fn s8_1_3_trailers_with_pseudo_header() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    let t = p.headers(1, &[(":method", "GET")], true);
    p.send(t).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

#[test]
fn s8_1_4_informational_response_then_final() {
    let mut p = Peer::handshake();
    let h = p.get(1, false);
    p.send(h).unwrap();
    p.conn.send_response(sid(1), 100, vec![], false).unwrap();
    p.respond(1, true);
    p.frames();
    let statuses: Vec<&str> = p.heads.iter().map(|(_, f, _)| f[0].1.as_str()).collect();
    assert_eq!(statuses, vec!["100", "200"]);
}

// ---- §8.1.2 header fields ----

#[test]
fn s8_1_2_1_uppercase_field_name() {
    malformed(&with(&[("X-Upper", "1")]));
}

#[test]
fn s8_1_2_2_invalid_field_value() {
    malformed(&with(&[("x-injected", "a\r\nb: c")]));
}

// ---- §8.1.2.1 pseudo-header fields ----

#[test]
fn s8_1_2_1_1_unknown_pseudo_header() {
    malformed(&with(&[(":foo", "bar")]));
}

#[test]
fn s8_1_2_1_2_response_pseudo_in_request() {
    malformed(&with(&[(":status", "200")]));
}

#[test]
fn s8_1_2_1_3_pseudo_header_in_trailers() {
    s8_1_3_trailers_with_pseudo_header();
}

#[test]
fn s8_1_2_1_4_pseudo_after_regular() {
    malformed(&[
        (":method", "GET"),
        (":scheme", "https"),
        ("x-regular", "1"),
        (":authority", "example.com"),
        (":path", "/"),
    ]);
}

#[test]
fn s8_1_2_1_5_protocol_pseudo_refused() {
    malformed(&[
        (":method", "CONNECT"),
        (":protocol", "websocket"),
        (":scheme", "https"),
        (":authority", "example.com"),
        (":path", "/chat"),
    ]);
}

// ---- §8.1.2.2 connection-specific header fields ----

#[test]
fn s8_1_2_2_1_connection_header() {
    malformed(&with(&[("connection", "keep-alive")]));
}

#[test]
fn s8_1_2_2_2_te_other_than_trailers() {
    malformed(&with(&[("te", "trailers, deflate")]));
}

#[test]
fn s8_1_2_2_3_transfer_encoding() {
    malformed(&with(&[("transfer-encoding", "chunked")]));
}

#[test]
fn s8_1_2_2_4_upgrade_keep_alive_proxy_connection() {
    malformed(&with(&[("upgrade", "h2c")]));
    malformed(&with(&[("keep-alive", "timeout=5")]));
    malformed(&with(&[("proxy-connection", "close")]));
}

#[test]
fn s8_1_2_2_5_te_trailers_allowed() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("te", "trailers")], true);
    p.send(h).unwrap();
    assert_eq!(p.events().len(), 1);
}

// ---- §8.1.2.3 request pseudo-header fields ----

#[test]
fn s8_1_2_3_1_empty_path() {
    malformed(&[
        (":method", "GET"),
        (":scheme", "https"),
        (":authority", "a"),
        (":path", ""),
    ]);
}

#[test]
fn s8_1_2_3_2_missing_method() {
    malformed(&[(":scheme", "https"), (":authority", "a"), (":path", "/")]);
}

#[test]
fn s8_1_2_3_3_missing_scheme() {
    malformed(&[(":method", "GET"), (":authority", "a"), (":path", "/")]);
}

#[test]
fn s8_1_2_3_4_missing_path() {
    malformed(&[
        (":method", "GET"),
        (":scheme", "https"),
        (":authority", "a"),
    ]);
}

#[test]
fn s8_1_2_3_5_duplicate_method() {
    malformed(&with(&[(":method", "POST")]));
}

#[test]
fn s8_1_2_3_6_duplicate_scheme() {
    malformed(&[
        (":method", "GET"),
        (":scheme", "https"),
        (":scheme", "http"),
        (":authority", "a"),
        (":path", "/"),
    ]);
}

#[test]
fn s8_1_2_3_7_duplicate_path() {
    malformed(&with(&[(":path", "/again")]));
}

#[test]
fn s8_1_2_3_8_space_in_path() {
    malformed(&[
        (":method", "GET"),
        (":scheme", "https"),
        (":authority", "a"),
        (":path", "/ HTTP/1.1"),
    ]);
}

#[test]
fn s8_1_2_3_9_host_disagrees_with_authority() {
    malformed(&with(&[("host", "other.example")]));
}

#[test]
fn s8_1_2_3_10_connect_rules() {
    let mut p = Peer::handshake();
    let h = p.headers(
        1,
        &[(":method", "CONNECT"), (":authority", "db:5432")],
        false,
    );
    p.send(h).unwrap();
    let ev = p.events();
    assert!(
        matches!(&ev[..], [Event::Request { head, .. }] if head.path.is_empty() && &head.authority[..] == b"db:5432")
    );
    malformed(&[(":method", "CONNECT"), (":authority", "a"), (":path", "/")]);
    malformed(&[(":method", "CONNECT")]);
}

#[test]
fn s8_1_2_3_11_headers_exclude_pseudo() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("accept", "*/*")], true);
    p.send(h).unwrap();
    let ev = p.events();
    let Event::Request { head, .. } = &ev[0] else {
        panic!()
    };
    assert_eq!(&head.method[..], b"GET");
    assert_eq!(&head.authority[..], b"example.com");
    assert_eq!(head.headers, vec![Header::new("accept", "*/*")]);
}

// ---- §8.1.2.6 malformed requests and responses: content-length ----

#[test]
fn s8_1_2_6_1_content_length_mismatch_single_data() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("content-length", "1")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"test", true)).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

#[test]
fn s8_1_2_6_2_content_length_mismatch_multiple_data() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("content-length", "10")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"test", false)).unwrap();
    p.send(Peer::data(1, b"test", true)).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}

#[test]
fn s8_1_2_6_3_content_length_with_end_stream_on_headers() {
    malformed(&with(&[("content-length", "5")]));
}

#[test]
fn s8_1_2_6_4_content_length_matches() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("content-length", "8")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"test", false)).unwrap();
    p.send(Peer::data(1, b"test", true)).unwrap();
    assert_eq!(p.events().len(), 3);
    assert!(p.frames().is_empty());
}

#[test]
fn s8_1_2_6_5_content_length_not_a_number() {
    malformed(&with(&[("content-length", "+5")]));
}

#[test]
fn s8_1_2_6_6_content_length_checked_before_trailers() {
    let mut p = Peer::handshake();
    let h = p.req_with(1, &[("content-length", "10")], false);
    p.send(h).unwrap();
    p.send(Peer::data(1, b"test", false)).unwrap();
    let t = p.headers(1, &[("x-t", "1")], true);
    p.send(t).unwrap();
    p.expect_rst(1, Reason::PROTOCOL_ERROR);
}
