//! Property tests: split-anywhere equivalence, encode/decode round trips,
//! and arbitrary input never panicking or over-buffering.

// Helpers outside #[test] fns unwrap their own fixtures too.
#![allow(clippy::unwrap_used)]

use bytes::{Bytes, BytesMut};
use layotto_http1::*;
use proptest::prelude::*;

/// One decoded message with its whole body and trailers.
type Decoded<H> = (H, Vec<u8>, Headers);

/// Decodes a pipelined request stream fed in the given pieces.
fn decode_requests(pieces: &[&[u8]]) -> Result<Vec<Decoded<Request>>, Error> {
    let limits = Limits::default();
    let mut heads = RequestDecoder::new(limits);
    let mut src = BytesMut::new();
    let mut out = Vec::new();
    let mut body: Option<(Request, BodyDecoder, Vec<u8>)> = None;
    for piece in pieces {
        src.extend_from_slice(piece);
        loop {
            match body.as_mut() {
                None => match heads.decode(&mut src)? {
                    Some(req) => {
                        let dec = BodyDecoder::new(req.body, &limits);
                        body = Some((req, dec, Vec::new()));
                    }
                    None => break,
                },
                Some((_, dec, data)) => match dec.decode(&mut src)? {
                    Some(BodyEvent::Data(b)) => data.extend_from_slice(&b),
                    Some(BodyEvent::End { trailers }) => {
                        if let Some((req, _, data)) = body.take() {
                            out.push((req, data, trailers));
                        }
                    }
                    None => break,
                },
            }
        }
    }
    assert!(body.is_none() && src.is_empty(), "stream left incomplete");
    Ok(out)
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,11}".prop_filter("reserved", |n| {
        let n = n.to_ascii_lowercase();
        ![
            "host",
            "content-length",
            "transfer-encoding",
            "connection",
            "expect",
        ]
        .contains(&n.as_str())
    })
}

/// A field value without leading or trailing whitespace.
fn value() -> impl Strategy<Value = String> {
    "([!-~]([ -~\t]{0,20}[!-~])?)?"
}

fn fields() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::vec((token(), value()), 0..6)
}

#[derive(Debug, Clone)]
struct Msg {
    method: Method,
    target: String,
    fields: Vec<(String, String)>,
    body: Vec<u8>,
    chunked: Option<Vec<usize>>,
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Get),
        Just(Method::Post),
        Just(Method::Put),
        Just(Method::Delete),
        Just(Method::Patch),
        "[A-Z]{1,8}"
            .prop_map(|m| Method::Other(Bytes::from(m)))
            .prop_filter("known", |m| {
                !matches!(
                    m.as_str(),
                    "GET"
                        | "HEAD"
                        | "POST"
                        | "PUT"
                        | "DELETE"
                        | "OPTIONS"
                        | "PATCH"
                        | "TRACE"
                        | "CONNECT"
                )
            }),
    ]
}

fn msg() -> impl Strategy<Value = Msg> {
    (
        method(),
        "/[a-z0-9/?=&%.-]{0,20}",
        fields(),
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::option::of(proptest::collection::vec(1usize..40, 1..8)),
    )
        .prop_map(|(method, target, fields, body, chunked)| Msg {
            method,
            target,
            fields,
            body,
            chunked,
        })
}

/// Hand-writes a message (independently of the encoder), with varied
/// chunk sizes and extensions.
fn wire(m: &Msg) -> Vec<u8> {
    let mut out =
        format!("{} {} HTTP/1.1\r\nHost: h\r\n", m.method.as_str(), m.target).into_bytes();
    for (n, v) in &m.fields {
        out.extend_from_slice(format!("{n}:  {v}\t\r\n").as_bytes());
    }
    match &m.chunked {
        None => {
            out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", m.body.len()).as_bytes());
            out.extend_from_slice(&m.body);
        }
        Some(sizes) => {
            out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            let mut rest = &m.body[..];
            for &size in sizes.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (chunk, tail) = rest.split_at(size.min(rest.len()));
                out.extend_from_slice(format!("{:X};n{size}=\"v\"\r\n", chunk.len()).as_bytes());
                out.extend_from_slice(chunk);
                out.extend_from_slice(b"\r\n");
                rest = tail;
            }
            out.extend_from_slice(b"0\r\nX-Trailer: t\r\n\r\n");
        }
    }
    out
}

fn split_at_points<'a>(data: &'a [u8], points: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = points.iter().map(|p| p % (data.len() + 1)).collect();
    cuts.sort_unstable();
    let mut pieces = Vec::new();
    let mut at = 0;
    for cut in cuts {
        pieces.push(&data[at..cut]);
        at = cut;
    }
    pieces.push(&data[at..]);
    pieces
}

fn sample_head() -> impl Strategy<Value = RequestHead> {
    (method(), "/[a-z0-9/?=&%.-]{0,20}", fields(), any::<bool>()).prop_map(
        |(method, target, fields, v10)| {
            let mut headers = Headers::new();
            headers.push("Host", "example");
            for (n, v) in fields {
                headers.push(n, v);
            }
            RequestHead {
                method,
                target: Bytes::from(target),
                version: if v10 {
                    Version::Http10
                } else {
                    Version::Http11
                },
                headers,
            }
        },
    )
}

fn read_body(kind: BodyKind, src: &mut BytesMut) -> (Vec<u8>, Headers) {
    let mut dec = BodyDecoder::new(kind, &Limits::default());
    let mut data = Vec::new();
    loop {
        match dec.decode_eof(src).unwrap() {
            Some(BodyEvent::Data(b)) => data.extend_from_slice(&b),
            Some(BodyEvent::End { trailers }) => return (data, trailers),
            None => panic!("body did not end"),
        }
    }
}

fn strip_framing(h: &Headers) -> Headers {
    let mut h = h.clone();
    h.remove("content-length");
    h.remove("transfer-encoding");
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn split_anywhere(msgs in proptest::collection::vec(msg(), 1..5),
                      points in proptest::collection::vec(any::<usize>(), 0..30)) {
        let stream: Vec<u8> = msgs.iter().flat_map(wire).collect();
        let whole = decode_requests(&[&stream]).unwrap();
        let pieces = decode_requests(&split_at_points(&stream, &points)).unwrap();
        let bytewise: Vec<&[u8]> = stream.chunks(1).collect();
        prop_assert_eq!(&whole, &pieces);
        prop_assert_eq!(&whole, &decode_requests(&bytewise).unwrap());
        prop_assert_eq!(whole.len(), msgs.len());
        for ((req, body, trailers), m) in whole.iter().zip(&msgs) {
            prop_assert_eq!(&req.head.method, &m.method);
            prop_assert_eq!(&req.head.target[..], m.target.as_bytes());
            prop_assert_eq!(body, &m.body);
            prop_assert_eq!(trailers.len(), usize::from(m.chunked.is_some()));
            for (n, v) in &m.fields {
                prop_assert!(req.head.headers.get_all(n).any(|got| got == v.as_bytes()));
            }
        }
    }

    #[test]
    fn request_round_trip(head in sample_head(),
                          body in proptest::collection::vec(any::<u8>(), 0..300),
                          chunks in proptest::collection::vec(1usize..64, 1..6),
                          chunked in any::<bool>()) {
        let chunked = chunked && head.version == Version::Http11;
        let kind = match (chunked, body.len()) {
            (true, _) => BodyKind::Chunked,
            (false, 0) => BodyKind::Empty,
            (false, n) => BodyKind::Length(n as u64),
        };
        let mut buf = BytesMut::new();
        encode_request_head(&head, &kind, &mut buf);
        let mut trailers = Headers::new();
        if chunked {
            let mut rest = &body[..];
            for &n in chunks.iter().cycle() {
                if rest.is_empty() { break; }
                let (a, b) = rest.split_at(n.min(rest.len()));
                encode_chunk(a, &mut buf);
                rest = b;
            }
            trailers.push("X-Trailer", "yes");
            encode_last_chunk(Some(&trailers), &mut buf);
        } else {
            buf.extend_from_slice(&body);
        }
        let req = RequestDecoder::new(Limits::default()).decode(&mut buf).unwrap().unwrap();
        prop_assert_eq!(&req.head.method, &head.method);
        prop_assert_eq!(&req.head.target, &head.target);
        prop_assert_eq!(req.head.version, head.version);
        prop_assert_eq!(strip_framing(&req.head.headers), head.headers.clone());
        prop_assert_eq!(req.body, kind);
        prop_assert_eq!(read_body(req.body, &mut buf), (body, trailers));
        prop_assert!(buf.is_empty());
    }

    #[test]
    fn response_round_trip(status in 100u16..600, reason in "[ -~]{0,20}", fields in fields(),
                           body in proptest::collection::vec(any::<u8>(), 0..300),
                           framing in 0u8..3, v10 in any::<bool>()) {
        let mut headers = Headers::new();
        for (n, v) in fields {
            headers.push(n, v);
        }
        let head = ResponseHead {
            version: if v10 { Version::Http10 } else { Version::Http11 },
            status,
            reason: Bytes::from(reason),
            headers,
        };
        let bodiless = (100..200).contains(&status) || status == 204 || status == 304;
        let kind = match framing {
            _ if bodiless => BodyKind::Empty,
            0 if !v10 => BodyKind::Chunked,
            1 => BodyKind::CloseDelimited,
            _ if body.is_empty() => BodyKind::Empty,
            _ => BodyKind::Length(body.len() as u64),
        };
        let body = if kind == BodyKind::Empty { Vec::new() } else { body };
        let mut buf = BytesMut::new();
        encode_response_head(&head, &kind, &mut buf);
        match kind {
            BodyKind::Chunked => {
                encode_chunk(&body, &mut buf);
                encode_last_chunk(None, &mut buf);
            }
            _ => buf.extend_from_slice(&body),
        }
        let resp = ResponseDecoder::new(Limits::default()).decode(&mut buf, &Method::Get).unwrap().unwrap();
        prop_assert_eq!(strip_framing(&resp.head.headers), head.headers.clone());
        prop_assert_eq!((resp.head.status, resp.head.version), (status, head.version));
        prop_assert_eq!(&resp.head.reason, &head.reason);
        prop_assert_eq!(resp.body, kind);
        prop_assert_eq!(read_body(resp.body, &mut buf).0, body);
        prop_assert!(buf.is_empty());
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
        fuzz_logic::request(&data);
        fuzz_logic::response(&data);
    }

    #[test]
    fn mutated_streams_never_panic(msgs in proptest::collection::vec(msg(), 1..3),
                                   edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..6),
                                   seed in any::<u8>()) {
        let mut data = vec![seed];
        data.extend(msgs.iter().flat_map(wire));
        let len = data.len();
        for (at, b) in edits {
            data[at % len] = b;
        }
        fuzz_logic::request(&data);
        fuzz_logic::response(&data);
    }
}
