use super::*;

fn decode(input: &[u8], method: &Method) -> Result<Option<Response>, Error> {
    ResponseDecoder::new(Limits::default()).decode(&mut BytesMut::from(input), method)
}

fn ok(input: &[u8], method: &Method) -> Response {
    decode(input, method).unwrap().unwrap()
}

#[test]
fn status_line_and_reason() {
    let r = ok(
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nabc",
        &Method::Get,
    );
    assert_eq!(
        (r.head.status, &r.head.reason[..]),
        (404, &b"Not Found"[..])
    );
    assert_eq!((r.body, r.keep_alive), (BodyKind::Length(3), true));
    // No reason, with and without the SP.
    assert_eq!(
        ok(b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", &Method::Get)
            .head
            .reason,
        ""
    );
    assert_eq!(
        ok(b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", &Method::Get)
            .head
            .status,
        200
    );
}

#[test]
fn bodiless_statuses_and_methods() {
    // HEAD, 1xx, 204, 304: Empty whatever the fields say.
    let cl = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    assert_eq!(ok(cl, &Method::Head).body, BodyKind::Empty);
    assert_eq!(ok(cl, &Method::Get).body, BodyKind::Length(10));
    for status in ["100", "101", "204", "304"] {
        let input = format!("HTTP/1.1 {status} X\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!(
            ok(input.as_bytes(), &Method::Get).body,
            BodyKind::Empty,
            "{status}"
        );
    }
    // A 2xx to CONNECT starts a tunnel.
    assert_eq!(
        ok(b"HTTP/1.1 200 OK\r\n\r\n", &Method::Connect).body,
        BodyKind::Empty
    );
}

#[test]
fn close_delimited_without_framing() {
    let r = ok(b"HTTP/1.1 200 OK\r\n\r\n", &Method::Get);
    assert_eq!((r.body, r.keep_alive), (BodyKind::CloseDelimited, false));
    let r = ok(
        b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n",
        &Method::Get,
    );
    assert!(r.keep_alive);
    let r = ok(
        b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n",
        &Method::Get,
    );
    assert!(!r.keep_alive);
}

#[test]
fn errors() {
    let cases: &[(&[u8], Error)] = &[
        (b"HTTP/1.1 20 OK\r\n\r\n", Error::BadStatus),
        (b"HTTP/1.1 2000 OK\r\n\r\n", Error::BadStatus),
        (b"HTTP/1.1 099 OK\r\n\r\n", Error::BadStatus),
        (b"HTTP/1.1 200 O\x01K\r\n\r\n", Error::BadStatus),
        (b"HTTP/1.1  200 OK\r\n\r\n", Error::BadStatus),
        (b"HTTP/1.1\r\n\r\n", Error::BadStartLine),
        (b"HTTP/1\r\n\r\n", Error::BadStartLine),
        (b"HTTP/3.0 200 OK\r\n\r\n", Error::UnsupportedVersion),
        (b"HTTP/1.1 200 OK\nContent-Length: 0\n\n", Error::BareLf),
        (
            b"HTTP/1.1 200 OK\r\nX : y\r\n\r\n",
            Error::WhitespaceBeforeColon,
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            Error::ContentLengthWithTransferEncoding,
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            Error::UnknownTransferCoding,
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
            Error::ConflictingContentLength,
        ),
        (
            b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            Error::TransferEncodingInHttp10,
        ),
        (
            b"HTTP/1.1 200 OK\r\nConnection: transfer-encoding\r\n\r\n",
            Error::BadConnection,
        ),
    ];
    for (input, want) in cases {
        assert_eq!(
            decode(input, &Method::Get),
            Err(*want),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn interim_then_final_on_one_buffer() {
    let mut d = ResponseDecoder::new(Limits::default());
    let mut src = BytesMut::from(
        &b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"[..],
    );
    assert_eq!(
        d.decode(&mut src, &Method::Post)
            .unwrap()
            .unwrap()
            .head
            .status,
        100
    );
    let r = d.decode(&mut src, &Method::Post).unwrap().unwrap();
    assert_eq!((r.head.status, r.body), (201, BodyKind::Empty));
    assert!(src.is_empty());
}
