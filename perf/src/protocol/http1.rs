//! HTTP/1.1 requests over keep-alive connections, pipelined up to the
//! in-flight depth, using the sidecar's own codec (`layotto-http1`) so the
//! generator exercises the same framing rules it measures.
//!
//! The request is encoded once; every send is a copy of those bytes.
//! Responses are matched to requests in order (HTTP/1.1 has no other way).

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use layotto_http1::{
    encode_request_head, BodyDecoder, BodyEvent, BodyKind, Headers, Limits, Method, RequestHead,
    ResponseDecoder, Version,
};

use super::{Codec, ErrorKind, Outcome, Protocol, ProtocolError};

/// One request, repeated.
#[derive(Debug, Clone)]
pub struct Http1 {
    method: Method,
    wire: Bytes,
}

impl Http1 {
    /// `host` is the Host field value; `headers` are `name: value` lines.
    pub fn new(
        method: &str,
        path: &str,
        host: &str,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Http1 {
        let method = parse_method(method);
        let mut fields = Headers::new();
        fields.push("host", Bytes::copy_from_slice(host.as_bytes()));
        for (name, value) in headers {
            fields.push(
                Bytes::copy_from_slice(name.as_bytes()),
                Bytes::copy_from_slice(value.as_bytes()),
            );
        }
        let head = RequestHead {
            method: method.clone(),
            target: Bytes::copy_from_slice(path.as_bytes()),
            version: Version::Http11,
            headers: fields,
        };
        let kind = if body.is_empty() {
            BodyKind::Empty
        } else {
            BodyKind::Length(body.len() as u64)
        };
        let mut wire = BytesMut::new();
        encode_request_head(&head, &kind, &mut wire);
        wire.extend_from_slice(body);
        Http1 {
            method,
            wire: wire.freeze(),
        }
    }

    /// The bytes sent for every request.
    pub fn wire(&self) -> &[u8] {
        &self.wire
    }
}

fn parse_method(m: &str) -> Method {
    match m.to_ascii_uppercase().as_str() {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "OPTIONS" => Method::Options,
        "PATCH" => Method::Patch,
        other => Method::Other(Bytes::copy_from_slice(other.as_bytes())),
    }
}

impl Protocol for Http1 {
    type Codec = Http1Codec;

    fn name(&self) -> &'static str {
        "http1"
    }

    fn codec(&self) -> Http1Codec {
        Http1Codec {
            proto: self.clone(),
            limits: Limits::default(),
            heads: ResponseDecoder::new(Limits::default()),
            body: None,
            pending: VecDeque::new(),
            closing: false,
        }
    }
}

/// Decoding state of one connection.
#[derive(Debug)]
pub struct Http1Codec {
    proto: Http1,
    limits: Limits,
    heads: ResponseDecoder,
    /// The body being read and the status of its response.
    body: Option<(BodyDecoder, u16)>,
    /// Tokens of requests written and not yet answered, oldest first.
    pending: VecDeque<u64>,
    closing: bool,
}

impl Http1Codec {
    fn finish(&mut self, status: u16, done: &mut Vec<(u64, Outcome)>) -> Result<(), ProtocolError> {
        let token = self
            .pending
            .pop_front()
            .ok_or_else(|| ProtocolError("response without a request".into()))?;
        let outcome = if (200..300).contains(&status) {
            Outcome::Ok
        } else {
            Outcome::Failed(ErrorKind::Status(status))
        };
        done.push((token, outcome));
        Ok(())
    }

    fn step(
        &mut self,
        src: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
        eof: bool,
    ) -> Result<bool, ProtocolError> {
        let Some((body, status)) = self.body.as_mut() else {
            let Some(resp) = self
                .heads
                .decode(src, &self.proto.method)
                .map_err(|e| ProtocolError(format!("response head: {e}")))?
            else {
                return Ok(false);
            };
            // Interim responses (100 Continue) precede the real one.
            if (100..200).contains(&resp.head.status) {
                return Ok(true);
            }
            if !resp.keep_alive {
                self.closing = true;
            }
            self.body = Some((BodyDecoder::new(resp.body, &self.limits), resp.head.status));
            return Ok(true);
        };
        let event = if eof {
            body.decode_eof(src)
        } else {
            body.decode(src)
        };
        match event.map_err(|e| ProtocolError(format!("response body: {e}")))? {
            Some(BodyEvent::Data(_)) => Ok(true),
            Some(BodyEvent::End { .. }) => {
                let status = *status;
                self.body = None;
                self.finish(status, done)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

impl Codec for Http1Codec {
    fn encode(&mut self, token: u64, dst: &mut BytesMut) {
        dst.extend_from_slice(&self.proto.wire);
        self.pending.push_back(token);
    }

    fn decode(
        &mut self,
        src: &mut BytesMut,
        _ctrl: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError> {
        while self.step(src, done, false)? {}
        Ok(())
    }

    fn decode_eof(
        &mut self,
        src: &mut BytesMut,
        done: &mut Vec<(u64, Outcome)>,
    ) -> Result<(), ProtocolError> {
        while self.body.is_some() && self.step(src, done, true)? {}
        Ok(())
    }

    fn reusable(&self) -> bool {
        !self.closing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get() -> Http1 {
        Http1::new("get", "/x", "127.0.0.1:1", &[], b"")
    }

    #[test]
    fn encodes_once_with_host() {
        let wire = String::from_utf8_lossy(get().wire()).into_owned();
        assert!(wire.starts_with("GET /x HTTP/1.1\r\n"), "{wire}");
        assert!(wire.contains("host: 127.0.0.1:1\r\n"));
        assert!(wire.ends_with("\r\n\r\n"));
        let post = Http1::new("POST", "/", "h", &[("x-a".into(), "1".into())], b"hi");
        let wire = String::from_utf8_lossy(post.wire()).into_owned();
        assert!(wire.contains("x-a: 1\r\n") && wire.contains("content-length: 2\r\n"));
        assert!(wire.ends_with("\r\n\r\nhi"));
    }

    #[test]
    fn pipelined_responses_split_anywhere() {
        let stream = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 503 No\r\ntransfer-encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        for cut in 0..stream.len() {
            let mut codec = get().codec();
            let mut out = BytesMut::new();
            for t in 1..=3 {
                codec.encode(t, &mut out);
            }
            let (mut src, mut ctrl, mut done) = (BytesMut::new(), BytesMut::new(), Vec::new());
            src.extend_from_slice(&stream[..cut]);
            codec
                .decode(&mut src, &mut ctrl, &mut done)
                .expect("first part");
            src.extend_from_slice(&stream[cut..]);
            codec
                .decode(&mut src, &mut ctrl, &mut done)
                .expect("second part");
            assert_eq!(
                done,
                vec![
                    (1, Outcome::Ok),
                    (2, Outcome::Failed(ErrorKind::Status(503))),
                    (3, Outcome::Ok)
                ],
                "cut at {cut}"
            );
            assert!(src.is_empty() && codec.reusable());
        }
    }

    #[test]
    fn close_and_garbage() {
        let mut codec = get().codec();
        let mut out = BytesMut::new();
        codec.encode(7, &mut out);
        let mut src = BytesMut::from(&b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nbody"[..]);
        let (mut ctrl, mut done) = (BytesMut::new(), Vec::new());
        codec.decode(&mut src, &mut ctrl, &mut done).expect("head");
        assert!(done.is_empty() && !codec.reusable());
        codec.decode_eof(&mut src, &mut done).expect("eof");
        assert_eq!(done, vec![(7, Outcome::Ok)]);

        let mut codec = get().codec();
        let mut src = BytesMut::from(&b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..]);
        assert!(
            codec.decode(&mut src, &mut ctrl, &mut done).is_err(),
            "unsolicited"
        );
        let mut src = BytesMut::from(&b"SSH-2.0\r\n\r\n"[..]);
        assert!(get()
            .codec()
            .decode(&mut src, &mut ctrl, &mut done)
            .is_err());
    }
}
