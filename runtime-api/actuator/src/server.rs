//! An HTTP/1.1 server connection: read, decode, answer, repeat.
//!
//! Enough for the actuator (small bodies, answered whole), with the defences every listener
//! needs: a total deadline for each head (slowloris), a keep-alive idle timeout, a body cap,
//! a request cap per connection, and one error answer followed by close on bad input. On drain
//! an idle connection closes at once and a busy one after its answer.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_http1::{
    encode_response_head, BodyDecoder, BodyEvent, BodyKind, Headers, Limits, Request,
    RequestDecoder, ResponseHead, Version,
};
use layotto_worker::io::read_buf;
use layotto_worker::Connection;
use monoio::io::AsyncWriteRentExt;
use monoio::net::TcpStream;

use crate::Reply;

/// From the first byte of a head to its end (http-defenses: 10 s).
const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// Between requests on a kept-alive connection (nginx's value).
const IDLE_TIMEOUT: Duration = Duration::from_secs(75);
/// A body must keep arriving; 30 s without a byte closes the connection.
const BODY_STALL: Duration = Duration::from_secs(30);
/// The actuator answers whole bodies; its only body is a small JSON object.
const MAX_BODY: usize = 1024 * 1024;
/// After this many requests the answer says `Connection: close` (nginx's keepalive_requests).
const MAX_REQUESTS: usize = 1000;
const READ_CHUNK: usize = 8 * 1024;

enum ReadOutcome {
    Data,
    Closed,
    TimedOut,
    Shutdown,
}

struct Conn {
    stream: TcpStream,
    buf: BytesMut,
}

impl Conn {
    async fn read(&mut self, limit: Duration) -> ReadOutcome {
        let buf = std::mem::take(&mut self.buf);
        match monoio::time::timeout(limit, read_buf(&mut self.stream, buf, READ_CHUNK)).await {
            Ok((Ok(0), buf)) => {
                self.buf = buf;
                ReadOutcome::Closed
            }
            Ok((Ok(_), buf)) => {
                self.buf = buf;
                ReadOutcome::Data
            }
            Ok((Err(_), buf)) => {
                self.buf = buf;
                ReadOutcome::Closed
            }
            // The buffer went down with the cancelled read; the connection closes anyway.
            Err(_) => ReadOutcome::TimedOut,
        }
    }

    async fn write(&mut self, out: BytesMut) -> bool {
        let (res, _) = self.stream.write_all(out).await;
        res.is_ok()
    }
}

pub(crate) async fn serve(conn: Connection, handle: impl Fn(&Request, Bytes) -> Reply) {
    let Connection { stream, worker, .. } = conn;
    let limits = Limits::default();
    let mut decoder = RequestDecoder::new(limits);
    let mut c = Conn {
        stream,
        buf: BytesMut::with_capacity(READ_CHUNK),
    };
    let mut served = 0usize;
    loop {
        // The head: idle wait (interruptible by drain) until a first byte, then a deadline.
        let request = loop {
            match decoder.decode(&mut c.buf) {
                Ok(Some(r)) => break r,
                Ok(None) if c.buf.is_empty() => {
                    if worker.shutdown.is_set() {
                        return;
                    }
                    let read = c.read(IDLE_TIMEOUT);
                    let outcome = monoio::select! {
                        o = read => o,
                        _ = worker.shutdown.signaled() => ReadOutcome::Shutdown,
                    };
                    if !matches!(outcome, ReadOutcome::Data) {
                        return;
                    }
                }
                Ok(None) => match c.read(HEAD_DEADLINE).await {
                    ReadOutcome::Data => {}
                    ReadOutcome::TimedOut => {
                        let _ = c.write(error_reply(408)).await;
                        return;
                    }
                    _ => return,
                },
                Err(e) => {
                    tracing::debug!(error = %e, "bad request head");
                    let _ = c.write(error_reply(e.status())).await;
                    return;
                }
            }
        };
        worker.counters().request();
        served += 1;
        let body = match read_body(&mut c, &request, &limits).await {
            Ok(body) => body,
            Err(Some(status)) => {
                let _ = c.write(error_reply(status)).await;
                return;
            }
            Err(None) => return,
        };
        let reply = handle(&request, body);
        let keep_alive = request.keep_alive && !worker.shutdown.is_set() && served < MAX_REQUESTS;
        let mut out = BytesMut::with_capacity(256 + reply.body.len());
        reply.encode(request.head.version, keep_alive, &mut out);
        if !c.write(out).await || !keep_alive {
            return;
        }
    }
}

/// Reads a whole body. `Err(Some(status))` answers and closes; `Err(None)` just closes.
async fn read_body(c: &mut Conn, request: &Request, limits: &Limits) -> Result<Bytes, Option<u16>> {
    if let BodyKind::Length(n) = request.body {
        if n > MAX_BODY as u64 {
            return Err(Some(413));
        }
    }
    if matches!(request.body, BodyKind::Empty | BodyKind::Length(0)) {
        return Ok(Bytes::new());
    }
    if request.expect_continue
        && !c
            .write(BytesMut::from(&b"HTTP/1.1 100 Continue\r\n\r\n"[..]))
            .await
    {
        return Err(None);
    }
    let mut body = BytesMut::new();
    let mut decoder = BodyDecoder::new(request.body, limits);
    loop {
        match decoder.decode(&mut c.buf) {
            Ok(Some(BodyEvent::Data(d))) => {
                if body.len() + d.len() > MAX_BODY {
                    return Err(Some(413));
                }
                body.extend_from_slice(&d);
            }
            Ok(Some(BodyEvent::End { .. })) => return Ok(body.freeze()),
            Ok(None) => match c.read(BODY_STALL).await {
                ReadOutcome::Data => {}
                ReadOutcome::TimedOut => return Err(Some(408)),
                _ => return Err(None),
            },
            Err(e) => return Err(Some(e.status())),
        }
    }
}

fn error_reply(status: u16) -> BytesMut {
    let mut out = BytesMut::with_capacity(128);
    Reply::json(status, Bytes::new()).encode(Version::Http11, false, &mut out);
    out
}

impl Reply {
    fn encode(&self, version: Version, keep_alive: bool, dst: &mut BytesMut) {
        let mut headers = Headers::new();
        if !self.body.is_empty() || self.status != 404 {
            headers.push(&b"content-type"[..], &b"application/json"[..]);
        }
        if let Some(allow) = self.allow {
            headers.push(&b"allow"[..], allow.as_bytes().to_vec());
        }
        if !keep_alive {
            headers.push(&b"connection"[..], &b"close"[..]);
        } else if version == Version::Http10 {
            headers.push(&b"connection"[..], &b"keep-alive"[..]);
        }
        let head = ResponseHead {
            version: Version::Http11,
            status: self.status,
            reason: Bytes::from_static(reason(self.status).as_bytes()),
            headers,
        };
        // A HEAD answer carries the length the GET would have, and no body (RFC 9110 §9.3.2).
        encode_response_head(&head, &BodyKind::Length(self.body.len() as u64), dst);
        if !self.head_only {
            dst.extend_from_slice(&self.body);
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}
