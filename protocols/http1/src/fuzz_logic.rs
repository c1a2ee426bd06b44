//! Shared fuzz harness: the libFuzzer targets and the stable corpus test
//! both call these, so every invariant is checked on stable too.
//!
//! Each input is decoded twice, once as a single buffer and once trickled
//! in pseudo-random pieces, under default and under tight limits. Both
//! runs must agree; every decoded message must survive an encode/decode
//! round trip; and the caller's buffer must never hold more unconsumed
//! bytes than the limits allow.

use bytes::BytesMut;

use crate::{
    encode_chunk, encode_last_chunk, encode_request_head, encode_response_head, BodyDecoder,
    BodyEvent, BodyKind, Headers, Limits, Method, Request, RequestDecoder, Response,
    ResponseDecoder,
};

/// Runs the request-side checks on one input.
pub fn request(data: &[u8]) {
    let (seed, stream) = data.split_first().map_or((0, data), |(s, r)| (*s, r));
    for limits in [Limits::default(), tight()] {
        let decode = |limits: &Limits, split| {
            let mut dec = RequestDecoder::new(*limits);
            run(stream, limits, split, |src| {
                Ok(dec.decode(src)?.map(|r| {
                    let body = r.body;
                    (r, body)
                }))
            })
        };
        let whole = decode(&limits, None);
        let pieces = decode(&limits, Some(seed));
        assert_eq!(whole, pieces, "split changed the outcome");
        for (req, body, trailers) in &whole.messages {
            round_trip_request(req, body, trailers);
        }
    }
}

/// Runs the response-side checks on one input; its first byte picks the
/// request method and the split pattern.
pub fn response(data: &[u8]) {
    let (seed, stream) = data.split_first().map_or((0, data), |(s, r)| (*s, r));
    let method = match seed & 3 {
        0 => Method::Get,
        1 => Method::Head,
        2 => Method::Connect,
        _ => Method::Post,
    };
    for limits in [Limits::default(), tight()] {
        let decode = |limits: &Limits, split| {
            let mut dec = ResponseDecoder::new(*limits);
            run(stream, limits, split, |src| {
                Ok(dec.decode(src, &method)?.map(|r| {
                    let body = r.body;
                    (r, body)
                }))
            })
        };
        let whole = decode(&limits, None);
        let pieces = decode(&limits, Some(seed >> 2));
        assert_eq!(whole, pieces, "split changed the outcome");
        for (resp, body, trailers) in &whole.messages {
            round_trip_response(resp, &method, body, trailers);
        }
    }
}

/// Small caps, so short inputs reach every limit.
fn tight() -> Limits {
    Limits {
        max_request_line: 64,
        max_head: 256,
        max_headers: 8,
        max_field_line: 64,
        max_chunk_line: 32,
        max_chunk_extensions: 48,
        max_trailers: 64,
    }
}

fn roomy() -> Limits {
    Limits {
        max_request_line: 1 << 24,
        max_head: 1 << 24,
        max_headers: 1 << 16,
        max_field_line: 1 << 24,
        max_chunk_line: 1 << 24,
        max_chunk_extensions: 1 << 24,
        max_trailers: 1 << 24,
    }
}

#[derive(Debug, PartialEq)]
struct Outcome<H> {
    messages: Vec<(H, Vec<u8>, Headers)>,
    failed: bool,
    truncated: bool,
}

enum Stage<H> {
    Head,
    Body(H, BodyDecoder, Vec<u8>),
}

/// Decodes a pipelined stream: heads, then bodies, until an error or the
/// end of input (which is treated as the peer closing).
fn run<H>(
    stream: &[u8],
    limits: &Limits,
    split: Option<u8>,
    mut decode_head: impl FnMut(&mut BytesMut) -> Result<Option<(H, BodyKind)>, crate::Error>,
) -> Outcome<H> {
    let mut out = Outcome {
        messages: Vec::new(),
        failed: false,
        truncated: false,
    };
    let mut src = BytesMut::new();
    let mut rng = u64::from(split.unwrap_or(0)) * 0x9e37_79b9 + 1;
    let mut fed = 0;
    let mut stage = Stage::Head;
    loop {
        let piece = match split {
            None => stream.len() - fed,
            Some(_) => {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                (rng % 23 + 1) as usize
            }
        };
        let end = (fed + piece).min(stream.len());
        src.extend_from_slice(&stream[fed..end]);
        fed = end;
        loop {
            let before = src.len();
            match &mut stage {
                Stage::Head => match decode_head(&mut src) {
                    Ok(None) => {
                        assert_eq!(src.len(), before, "incomplete head consumed bytes");
                        assert!(
                            src.len() <= limits.max_head + 1,
                            "head buffered past max_head"
                        );
                        break;
                    }
                    Ok(Some((head, kind))) => {
                        assert!(src.len() < before);
                        stage = Stage::Body(head, BodyDecoder::new(kind, limits), Vec::new());
                    }
                    Err(_) => {
                        out.failed = true;
                        return out;
                    }
                },
                Stage::Body(_, dec, body) => match dec.decode(&mut src) {
                    Ok(Some(BodyEvent::Data(b))) => {
                        assert!(!b.is_empty() && src.len() + b.len() <= before);
                        body.extend_from_slice(&b);
                    }
                    Ok(Some(BodyEvent::End { trailers })) => {
                        finish(&mut stage, &mut out, trailers);
                    }
                    Ok(None) => {
                        assert!(
                            src.len() <= dec.pending_limit(limits),
                            "body line buffered past cap"
                        );
                        break;
                    }
                    Err(_) => {
                        out.failed = true;
                        return out;
                    }
                },
            }
        }
        if fed == stream.len() {
            break;
        }
    }
    while let Stage::Body(_, dec, body) = &mut stage {
        match dec.decode_eof(&mut src) {
            Ok(Some(BodyEvent::Data(b))) => body.extend_from_slice(&b),
            Ok(Some(BodyEvent::End { trailers })) => finish(&mut stage, &mut out, trailers),
            Ok(None) | Err(_) => {
                out.truncated = true;
                break;
            }
        }
    }
    out
}

fn finish<H>(stage: &mut Stage<H>, out: &mut Outcome<H>, trailers: Headers) {
    if let Stage::Body(head, _, body) = std::mem::replace(stage, Stage::Head) {
        out.messages.push((head, body, trailers));
    }
}

fn encode_body(kind: &BodyKind, body: &[u8], trailers: &Headers, dst: &mut BytesMut) {
    match kind {
        BodyKind::Chunked => {
            encode_chunk(body, dst);
            encode_last_chunk(Some(trailers), dst);
        }
        BodyKind::Length(_) | BodyKind::CloseDelimited => dst.extend_from_slice(body),
        BodyKind::Empty => {}
    }
}

/// Reads one whole body back, treating the end of `src` as the close.
fn decode_body(kind: BodyKind, src: &mut BytesMut) -> (Vec<u8>, Headers) {
    let mut dec = BodyDecoder::new(kind, &roomy());
    let mut body = Vec::new();
    loop {
        match dec.decode_eof(src) {
            Ok(Some(BodyEvent::Data(b))) => body.extend_from_slice(&b),
            Ok(Some(BodyEvent::End { trailers })) => return (body, trailers),
            other => panic!("re-encoded body failed to decode: {other:?}"),
        }
    }
}

fn without_framing(h: &Headers) -> Headers {
    let mut h = h.clone();
    h.remove("content-length");
    h.remove("transfer-encoding");
    h
}

fn round_trip_request(req: &Request, body: &[u8], trailers: &Headers) {
    let mut buf = BytesMut::new();
    encode_request_head(&req.head, &req.body, &mut buf);
    encode_body(&req.body, body, trailers, &mut buf);
    let again = match RequestDecoder::new(roomy()).decode(&mut buf) {
        Ok(Some(r)) => r,
        other => panic!("re-encoded request failed to decode: {other:?}"),
    };
    assert_eq!(again.head.method, req.head.method);
    assert_eq!(again.head.target, req.head.target);
    assert_eq!(again.head.version, req.head.version);
    assert_eq!(
        without_framing(&again.head.headers),
        without_framing(&req.head.headers)
    );
    assert_eq!((again.body, again.keep_alive), (req.body, req.keep_alive));
    assert_eq!(again.expect_continue, req.expect_continue);
    assert_eq!(
        decode_body(again.body, &mut buf),
        (body.to_vec(), trailers.clone())
    );
    assert!(buf.is_empty(), "re-encoded request left bytes over");
}

fn round_trip_response(resp: &Response, method: &Method, body: &[u8], trailers: &Headers) {
    let mut buf = BytesMut::new();
    encode_response_head(&resp.head, &resp.body, &mut buf);
    encode_body(&resp.body, body, trailers, &mut buf);
    let again = match ResponseDecoder::new(roomy()).decode(&mut buf, method) {
        Ok(Some(r)) => r,
        other => panic!("re-encoded response failed to decode: {other:?}"),
    };
    assert_eq!(again.head.version, resp.head.version);
    assert_eq!(again.head.status, resp.head.status);
    assert_eq!(again.head.reason, resp.head.reason);
    assert_eq!(
        without_framing(&again.head.headers),
        without_framing(&resp.head.headers)
    );
    assert_eq!((again.body, again.keep_alive), (resp.body, resp.keep_alive));
    assert_eq!(
        decode_body(again.body, &mut buf),
        (body.to_vec(), trailers.clone())
    );
    assert!(buf.is_empty(), "re-encoded response left bytes over");
}
