//! One HTTP/1.1 exchange over a fresh TCP connection on the calling worker's monoio runtime.
//!
//! The codec is the workspace's pure `layotto-http1`; this file only moves bytes and keeps the
//! clock: connecting is bounded by `connect` (5 s, Dapr's dial timeout) and the whole exchange
//! after it by `response` (10 s, Dapr's client timeout). Interim 1xx answers are skipped. The
//! response body is capped at [`MAX_BODY`] so a misbehaving server cannot exhaust memory.
//! Each request closes its connection (`connection: close`); a per-worker pool is later work.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_component_api::ComponentError;
use layotto_http1::{BodyDecoder, BodyEvent, Limits, Method, ResponseDecoder, ResponseHead};
use monoio::buf::IoBufMut;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt};
use monoio::net::TcpStream;

/// The largest response body read into memory.
pub const MAX_BODY: usize = 16 << 20;
const READ_SPARE: usize = 16 * 1024;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) connect: Duration,
    pub(crate) response: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            response: Duration::from_secs(10),
        }
    }
}

/// Reads once into the spare capacity of `buf` (monoio reads write from the start of the
/// buffer they own, so appending needs a slice over the tail).
async fn read_buf(stream: &mut TcpStream, mut buf: BytesMut) -> (io::Result<usize>, BytesMut) {
    if buf.capacity() - buf.len() < READ_SPARE {
        buf.reserve(READ_SPARE);
    }
    let (start, end) = (buf.len(), buf.capacity());
    let (res, slice) = stream.read(buf.slice_mut(start..end)).await;
    (res, slice.into_inner())
}

fn lost(addr: SocketAddr, e: io::Error) -> ComponentError {
    ComponentError::Unavailable(format!("http {addr}: {e}"))
}

fn malformed(addr: SocketAddr, e: layotto_http1::Error) -> ComponentError {
    ComponentError::Unavailable(format!("http {addr}: malformed response: {e}"))
}

async fn connect(
    addrs: &[SocketAddr],
    t: &Timeouts,
) -> Result<(TcpStream, SocketAddr), ComponentError> {
    let mut last = None;
    for &addr in addrs {
        match monoio::time::timeout(t.connect, TcpStream::connect_addr(addr)).await {
            Ok(Ok(stream)) => return Ok((stream, addr)),
            Ok(Err(e)) => last = Some(lost(addr, e)),
            Err(_) => last = Some(ComponentError::Timeout { op: "connecting" }),
        }
    }
    Err(last.unwrap_or_else(|| ComponentError::Unavailable("no address to connect to".into())))
}

/// Sends `request` and reads the whole response.
pub(crate) async fn exchange(
    addrs: &[SocketAddr],
    request: BytesMut,
    method: &Method,
    t: &Timeouts,
) -> Result<(ResponseHead, Bytes), ComponentError> {
    let (stream, addr) = connect(addrs, t).await?;
    match monoio::time::timeout(t.response, send_and_read(stream, addr, request, method)).await {
        Ok(result) => result,
        Err(_) => Err(ComponentError::Timeout {
            op: "waiting for the response",
        }),
    }
}

async fn send_and_read(
    mut stream: TcpStream,
    addr: SocketAddr,
    request: BytesMut,
    method: &Method,
) -> Result<(ResponseHead, Bytes), ComponentError> {
    let (res, _) = stream.write_all(request).await;
    res.map_err(|e| lost(addr, e))?;

    let mut buf = BytesMut::with_capacity(READ_SPARE);
    let mut decoder = ResponseDecoder::new(Limits::default());
    let response = loop {
        match decoder
            .decode(&mut buf, method)
            .map_err(|e| malformed(addr, e))?
        {
            Some(r) if (100..200).contains(&r.head.status) => continue,
            Some(r) => break r,
            None => {
                let (res, b) = read_buf(&mut stream, buf).await;
                buf = b;
                if res.map_err(|e| lost(addr, e))? == 0 {
                    return Err(ComponentError::Unavailable(format!(
                        "http {addr}: closed before the response head"
                    )));
                }
            }
        }
    };

    let mut body = BodyDecoder::new(response.body, decoder.limits());
    let mut out = BytesMut::new();
    let mut eof = false;
    loop {
        let event = if eof {
            body.decode_eof(&mut buf)
        } else {
            body.decode(&mut buf)
        }
        .map_err(|e| malformed(addr, e))?;
        match event {
            Some(BodyEvent::Data(d)) => {
                if out.len() + d.len() > MAX_BODY {
                    return Err(ComponentError::ResourceExhausted(format!(
                        "http {addr}: response body over {MAX_BODY} bytes"
                    )));
                }
                out.extend_from_slice(&d);
            }
            Some(BodyEvent::End { .. }) => break,
            None if body.is_done() => break,
            None => {
                let (res, b) = read_buf(&mut stream, buf).await;
                buf = b;
                eof = res.map_err(|e| lost(addr, e))? == 0;
            }
        }
    }
    Ok((response.head, out.freeze()))
}
