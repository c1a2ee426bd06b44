//! One HTTP/1.1 exchange for InvokeService, on the calling worker's runtime: a fresh
//! connection (`connection: close`), `layotto-http1` for the bytes, one deadline over the
//! connect and the whole exchange. Interim 1xx answers are skipped; the body is capped at
//! what fits in one gRPC response message.

use std::io;
use std::net::SocketAddr;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use layotto_grpc_transport::Status;
use layotto_http1::{BodyDecoder, BodyEvent, Limits, Method, ResponseDecoder, ResponseHead};
use monoio::buf::IoBufMut;
use monoio::io::{AsyncReadRent, AsyncWriteRentExt};
use monoio::net::TcpStream;

/// The largest response body: the gRPC default message limit, less room for the envelope.
pub(crate) const MAX_BODY: usize = 4 * 1024 * 1024 - 1024;
const READ_SPARE: usize = 16 * 1024;

fn lost(addr: SocketAddr, e: &io::Error) -> Status {
    Status::unavailable(format!("invoke {addr}: {e}"))
}

fn malformed(addr: SocketAddr, e: &layotto_http1::Error) -> Status {
    Status::unavailable(format!("invoke {addr}: malformed response: {e}"))
}

fn timed_out(what: &str) -> Status {
    Status::deadline_exceeded(format!("invoke: timed out {what}"))
}

/// Reads once into the spare capacity of `buf`.
async fn read_buf(stream: &mut TcpStream, mut buf: BytesMut) -> (io::Result<usize>, BytesMut) {
    if buf.capacity() - buf.len() < READ_SPARE {
        buf.reserve(READ_SPARE);
    }
    let (start, end) = (buf.len(), buf.capacity());
    let (res, slice) = stream.read(buf.slice_mut(start..end)).await;
    (res, slice.into_inner())
}

/// Sends `request` to the first address that accepts and reads the whole response, all
/// before `deadline`.
pub(crate) async fn exchange(
    addrs: &[SocketAddr],
    request: BytesMut,
    method: &Method,
    deadline: Instant,
) -> Result<(ResponseHead, Bytes), Status> {
    let mut last = Status::unavailable("invoke: no address to connect to");
    for &addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        match monoio::time::timeout(left, TcpStream::connect_addr(addr)).await {
            Ok(Ok(stream)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                return match monoio::time::timeout(
                    left,
                    send_and_read(stream, addr, request, method),
                )
                .await
                {
                    Ok(r) => r,
                    Err(_) => Err(timed_out("waiting for the response")),
                };
            }
            Ok(Err(e)) => last = lost(addr, &e),
            Err(_) => return Err(timed_out("connecting")),
        }
    }
    Err(last)
}

async fn send_and_read(
    mut stream: TcpStream,
    addr: SocketAddr,
    request: BytesMut,
    method: &Method,
) -> Result<(ResponseHead, Bytes), Status> {
    let (res, _) = stream.write_all(request).await;
    res.map_err(|e| lost(addr, &e))?;

    let mut buf = BytesMut::with_capacity(READ_SPARE);
    let mut decoder = ResponseDecoder::new(Limits::default());
    let response = loop {
        match decoder
            .decode(&mut buf, method)
            .map_err(|e| malformed(addr, &e))?
        {
            Some(r) if (100..200).contains(&r.head.status) => continue,
            Some(r) => break r,
            None => {
                let (res, b) = read_buf(&mut stream, buf).await;
                buf = b;
                if res.map_err(|e| lost(addr, &e))? == 0 {
                    return Err(Status::unavailable(format!(
                        "invoke {addr}: closed before the response head"
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
        .map_err(|e| malformed(addr, &e))?;
        match event {
            Some(BodyEvent::Data(d)) => {
                if out.len() + d.len() > MAX_BODY {
                    return Err(Status::resource_exhausted(format!(
                        "invoke {addr}: response body over {MAX_BODY} bytes"
                    )));
                }
                out.extend_from_slice(&d);
            }
            Some(BodyEvent::End { .. }) => break,
            None if body.is_done() => break,
            None => {
                let (res, b) = read_buf(&mut stream, buf).await;
                buf = b;
                eof = res.map_err(|e| lost(addr, &e))? == 0;
            }
        }
    }
    Ok((response.head, out.freeze()))
}
