use super::*;
use crate::{BodyDecoder, BodyEvent, Limits, RequestDecoder, Version};
use bytes::Bytes;

fn request_head(method: Method) -> RequestHead {
    let mut headers = Headers::new();
    headers.push("Host", "h");
    // Stale framing fields in the input must not reach the wire.
    headers.push("Content-Length", "999");
    headers.push("Transfer-Encoding", "gzip");
    RequestHead {
        method,
        target: Bytes::from_static(b"/x"),
        version: Version::Http11,
        headers,
    }
}

fn encoded<F: FnOnce(&mut BytesMut)>(f: F) -> String {
    let mut dst = BytesMut::new();
    f(&mut dst);
    String::from_utf8(dst.to_vec()).unwrap()
}

#[test]
fn request_framing_per_body() {
    let head = request_head(Method::Post);
    assert_eq!(
        encoded(|d| encode_request_head(&head, &BodyKind::Length(12), d)),
        "POST /x HTTP/1.1\r\nHost: h\r\ncontent-length: 12\r\n\r\n"
    );
    assert_eq!(
        encoded(|d| encode_request_head(&head, &BodyKind::Chunked, d)),
        "POST /x HTTP/1.1\r\nHost: h\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    assert_eq!(
        encoded(|d| encode_request_head(&head, &BodyKind::Empty, d)),
        "POST /x HTTP/1.1\r\nHost: h\r\ncontent-length: 0\r\n\r\n"
    );
    let get = request_head(Method::Get);
    assert_eq!(
        encoded(|d| encode_request_head(&get, &BodyKind::Empty, d)),
        "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"
    );
}

#[test]
fn response_framing_per_status() {
    let mut head = ResponseHead {
        version: Version::Http11,
        status: 200,
        reason: Bytes::from_static(b"OK"),
        headers: Headers::new(),
    };
    assert_eq!(
        encoded(|d| encode_response_head(&head, &BodyKind::Length(u64::MAX), d)),
        "HTTP/1.1 200 OK\r\ncontent-length: 18446744073709551615\r\n\r\n"
    );
    assert_eq!(
        encoded(|d| encode_response_head(&head, &BodyKind::Empty, d)),
        "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"
    );
    head.status = 204;
    head.reason = Bytes::new();
    assert_eq!(
        encoded(|d| encode_response_head(&head, &BodyKind::Chunked, d)),
        "HTTP/1.1 204 \r\n\r\n"
    );
    head.status = 304;
    assert_eq!(
        encoded(|d| encode_response_head(&head, &BodyKind::Empty, d)),
        "HTTP/1.1 304 \r\n\r\n"
    );
}

#[test]
fn injection_is_impossible() {
    let mut head = request_head(Method::Other(Bytes::from_static(b"GE T")));
    head.target = Bytes::from_static(b"/a b\r\nX: y#f");
    head.headers.push("X-Evil", "a\r\nInjected: 1");
    head.headers.push("Bad Name", "v");
    head.headers.push("X-Ok", "fine");
    assert_eq!(
        encoded(|d| encode_request_head(&head, &BodyKind::Empty, d)),
        "GET /abX:yf HTTP/1.1\r\nHost: h\r\nX-Ok: fine\r\n\r\n"
    );
}

#[test]
fn chunks_decode_back() {
    let mut dst = BytesMut::new();
    encode_request_head(&request_head(Method::Put), &BodyKind::Chunked, &mut dst);
    encode_chunk(b"hello ", &mut dst);
    encode_chunk(b"", &mut dst);
    encode_chunk(&[b'w'; 300], &mut dst);
    let mut trailers = Headers::new();
    trailers.push("X-Sum", "abc");
    trailers.push("Host", "dropped");
    encode_last_chunk(Some(&trailers), &mut dst);
    assert!(dst.windows(5).any(|w| w == b"12c\r\n"), "hex size");
    let limits = Limits::default();
    let req = RequestDecoder::new(limits)
        .decode(&mut dst)
        .unwrap()
        .unwrap();
    let mut body = BodyDecoder::new(req.body, &limits);
    let mut data = Vec::new();
    let end = loop {
        match body.decode(&mut dst).unwrap().unwrap() {
            BodyEvent::Data(b) => data.extend_from_slice(&b),
            BodyEvent::End { trailers } => break trailers,
        }
    };
    assert_eq!(data.len(), 306);
    assert_eq!((end.len(), end.get("x-sum")), (1, Some(&b"abc"[..])));
    assert!(dst.is_empty());
    assert_eq!(encoded(|d| encode_last_chunk(None, d)), "0\r\n\r\n");
}
