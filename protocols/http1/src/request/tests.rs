use super::*;
use crate::{BodyDecoder, BodyEvent};

fn decode(input: &[u8]) -> Result<Option<Request>, Error> {
    RequestDecoder::new(Limits::default()).decode(&mut BytesMut::from(input))
}

fn err(input: &[u8]) -> Error {
    match decode(input) {
        Err(e) => e,
        other => panic!(
            "expected an error for {:?}, got {other:?}",
            String::from_utf8_lossy(input)
        ),
    }
}

/// A request line plus Host, then the given field lines, then the blank line.
fn with_fields(fields: &str) -> Vec<u8> {
    format!("POST /p HTTP/1.1\r\nHost: h\r\n{fields}\r\n").into_bytes()
}

#[test]
fn simple_get() {
    let req = decode(b"GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept:  */* \r\n\r\n")
        .unwrap()
        .unwrap();
    assert_eq!(req.head.method, Method::Get);
    assert_eq!(&req.head.target[..], b"/a?b=c");
    assert_eq!(req.head.version, Version::Http11);
    assert_eq!(req.head.headers.get("accept"), Some(&b"*/*"[..]));
    assert_eq!(req.body, BodyKind::Empty);
    assert!(req.keep_alive && !req.expect_continue);
}

#[test]
fn incomplete_consumes_nothing_and_resumes() {
    let mut d = RequestDecoder::new(Limits::default());
    let mut src = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: h\r\n"[..]);
    assert_eq!(d.decode(&mut src), Ok(None));
    assert_eq!(src.len(), 25);
    src.extend_from_slice(b"\r\nrest");
    assert!(d.decode(&mut src).unwrap().is_some());
    assert_eq!(&src[..], b"rest");
}

#[test]
fn pipelined_twenty_in_order() {
    let mut stream = Vec::new();
    for i in 0..20 {
        if i % 2 == 0 {
            stream.extend_from_slice(format!("GET /{i} HTTP/1.1\r\nHost: h\r\n\r\n").as_bytes());
        } else {
            let body = format!("body{i}");
            stream.extend_from_slice(
                format!(
                    "POST /{i} HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    }
    let limits = Limits::default();
    let mut d = RequestDecoder::new(limits);
    let mut src = BytesMut::from(&stream[..]);
    for i in 0..20 {
        let req = d.decode(&mut src).unwrap().unwrap();
        assert_eq!(req.head.target, format!("/{i}").as_bytes());
        let mut body = BodyDecoder::new(req.body, &limits);
        let mut data = Vec::new();
        while let Some(ev) = body.decode(&mut src).unwrap() {
            match ev {
                BodyEvent::Data(b) => data.extend_from_slice(&b),
                BodyEvent::End { .. } => break,
            }
        }
        let want = if i % 2 == 0 {
            String::new()
        } else {
            format!("body{i}")
        };
        assert_eq!(data, want.as_bytes());
    }
    assert!(src.is_empty());
}

#[test]
fn keep_alive_and_http10() {
    let ka = |input: &[u8]| decode(input).unwrap().unwrap().keep_alive;
    assert!(ka(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
    assert!(!ka(
        b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
    ));
    // HTTP/1.0: no Host needed, persistent only on request.
    assert!(!ka(b"GET / HTTP/1.0\r\n\r\n"));
    assert!(ka(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    // Expect is honoured on 1.1 only.
    let exp = |input: &[u8]| decode(input).unwrap().unwrap().expect_continue;
    assert!(exp(
        b"PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n"
    ));
    assert!(!exp(
        b"PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n"
    ));
    // TE in HTTP/1.0 is faulty framing.
    assert_eq!(
        err(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Error::TransferEncodingInHttp10
    );
}

#[test]
fn framing_table() {
    use Error::*;
    let cases: &[(&str, Error, u16)] = &[
        (
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            ContentLengthWithTransferEncoding,
            400,
        ),
        (
            "Transfer-Encoding: xchunked\r\n",
            UnknownTransferCoding,
            501,
        ),
        (
            "Transfer-Encoding: gzip, chunked\r\n",
            UnknownTransferCoding,
            501,
        ),
        (
            "Transfer-Encoding: chunked, identity\r\n",
            ChunkedNotLast,
            400,
        ),
        (
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            DuplicateTransferEncoding,
            400,
        ),
        ("Content-Length: +5\r\n", BadContentLength, 400),
        ("Content-Length: 0x5\r\n", BadContentLength, 400),
        ("Content-Length: 5, 6\r\n", ConflictingContentLength, 400),
        (
            "Content-Length: 5\r\nContent-Length: 6\r\n",
            ConflictingContentLength,
            400,
        ),
        ("Connection: content-length\r\n", BadConnection, 400),
        ("Host: other\r\n", DuplicateHost, 400),
    ];
    for (fields, want, status) in cases {
        let got = err(&with_fields(fields));
        assert_eq!((got, got.status()), (*want, *status), "{fields}");
    }
    let ok = decode(&with_fields("Content-Length: 5, 5\r\n"))
        .unwrap()
        .unwrap();
    assert_eq!(ok.body, BodyKind::Length(5));
    let ok = decode(&with_fields("Transfer-Encoding: Chunked\r\n"))
        .unwrap()
        .unwrap();
    assert_eq!(ok.body, BodyKind::Chunked);
}

#[test]
fn field_syntax_table() {
    let cases: &[(&[u8], Error)] = &[
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n",
            Error::WhitespaceBeforeColon,
        ),
        // Whitespace-led first field after the request line.
        (
            b"GET / HTTP/1.1\r\n X: 1\r\nHost: h\r\n\r\n",
            Error::ObsFold,
        ),
        // Folded continuation.
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n",
            Error::ObsFold,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
            Error::BareCr,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n",
            Error::BadFieldValue,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n",
            Error::BadFieldName,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
            Error::MissingColon,
        ),
        // LF-only request.
        (b"GET / HTTP/1.1\nHost: h\n\n", Error::BareLf),
    ];
    for (input, want) in cases {
        assert_eq!(err(input), *want, "{:?}", String::from_utf8_lossy(input));
        assert_eq!(want.status(), 400);
    }
}

#[test]
fn request_line_table() {
    let cases: &[(&[u8], Error)] = &[
        (b"GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", Error::BadTarget),
        (b"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", Error::BadTarget),
        (b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n", Error::BadTarget),
        (b"GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", Error::BadTarget),
        (b"G(T / HTTP/1.1\r\nHost: h\r\n\r\n", Error::BadMethod),
        (b"GET /\r\nHost: h\r\n\r\n", Error::BadStartLine),
        (b"GET\r\n\r\n", Error::BadStartLine),
        (
            b"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
            Error::UnsupportedVersion,
        ),
        // Trailing space: the last SP splits, so the "target" holds a space.
        (b"GET / HTTP/1.1 \r\nHost: h\r\n\r\n", Error::BadTarget),
        (b"GET / HTTP/1.1x\r\nHost: h\r\n\r\n", Error::BadVersion),
        (b"GET / HTTP/1.1\r\n\r\n", Error::MissingHost),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
            Error::DuplicateHost,
        ),
        (b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", Error::BadHost),
    ];
    for (input, want) in cases {
        assert_eq!(err(input), *want, "{:?}", String::from_utf8_lossy(input));
    }
    assert_eq!(Error::UnsupportedVersion.status(), 505);
    // Leading empty lines are skipped (RFC 9112 §2.2).
    let req = decode(b"\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")
        .unwrap()
        .unwrap();
    assert_eq!(
        (req.head.method, &req.head.target[..]),
        (Method::Options, &b"*"[..])
    );
}

#[test]
fn size_limits() {
    let lim = Limits::default();
    // 8 KiB + 1 target: 414.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: h\r\n\r\n",
        "a".repeat(lim.max_request_line)
    );
    assert_eq!(err(long.as_bytes()).status(), 414);
    // 101 fields: 431.
    let many: String = (0..100).map(|i| format!("X-{i}: v\r\n")).collect();
    let e = err(&with_fields(&many));
    assert_eq!((e, e.status()), (Error::TooManyHeaders, 431));
    // 64 KiB + 1 head, every line within its own cap.
    let mut head = b"GET / HTTP/1.1\r\nHost: h\r\n".to_vec();
    let field = format!("X: {}\r\n", "v".repeat(8000));
    while head.len() + field.len() + 2 <= lim.max_head {
        head.extend_from_slice(field.as_bytes());
    }
    let pad = lim.max_head + 1 - head.len() - 2 - 5;
    head.extend_from_slice(format!("Y: {}\r\n\r\n", "p".repeat(pad)).as_bytes());
    assert_eq!(head.len(), lim.max_head + 1);
    assert_eq!(err(&head), Error::HeadTooLarge);
    head.truncate(head.len() - 5);
    head.extend_from_slice(b"\r\n\r\n");
    assert!(
        decode(&head).unwrap().is_some(),
        "exactly max_head must pass"
    );
    // 10 000 three-byte header lines: 431 once the count cap is hit.
    let tiny = "a:b\r\n".repeat(10_000);
    assert_eq!(err(&with_fields(&tiny)).status(), 431);
    // A field line over 16 KiB: 431.
    let fat = format!("X: {}\r\n", "v".repeat(lim.max_field_line));
    assert_eq!(err(&with_fields(&fat)), Error::FieldLineTooLong);
}

#[test]
fn endless_line_fails_without_a_crlf() {
    let mut d = RequestDecoder::new(Limits::default());
    let mut src = BytesMut::new();
    let mut fed = 0;
    let result = loop {
        src.extend_from_slice(&[b'a'; 1024]);
        fed += 1024;
        match d.decode(&mut src) {
            Ok(None) if fed < 1 << 20 => continue,
            other => break other,
        }
    };
    assert_eq!(result, Err(Error::RequestLineTooLong));
    assert!(fed <= 9 * 1024, "failed only after {fed} bytes");
    // Same for a head whose field line never ends.
    let mut d = RequestDecoder::new(Limits::default());
    let mut src = BytesMut::from(&b"GET / HTTP/1.1\r\nX: "[..]);
    src.extend_from_slice(&[b'v'; 17 * 1024]);
    assert_eq!(d.decode(&mut src), Err(Error::FieldLineTooLong));
}

#[test]
fn byte_by_byte_is_linear() {
    // Each call resumes where the last stopped; a 60 KiB head trickled in
    // one byte at a time must finish quickly.
    let mut head = b"GET / HTTP/1.1\r\nHost: h\r\n".to_vec();
    for i in 0..60 {
        head.extend_from_slice(format!("X-{i}: {}\r\n", "v".repeat(1000)).as_bytes());
    }
    head.extend_from_slice(b"\r\n");
    let mut d = RequestDecoder::new(Limits::default());
    let mut src = BytesMut::new();
    let start = std::time::Instant::now();
    let mut got = None;
    for &b in &head {
        src.extend_from_slice(&[b]);
        if let Some(r) = d.decode(&mut src).unwrap() {
            got = Some(r);
        }
    }
    assert_eq!(got.unwrap().head.headers.len(), 61);
    assert!(start.elapsed().as_secs() < 5);
}
