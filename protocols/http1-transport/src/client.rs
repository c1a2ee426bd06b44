//! One request, one response, one connection.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_http1::{BodyDecoder, BodyEvent, Limits, Method, ResponseDecoder, ResponseHead};
use layotto_worker::io::read_buf;
use monoio::io::AsyncWriteRentExt;
use monoio::net::TcpStream;

const READ_SPARE: usize = 16 * 1024;

/// Bounds of one exchange.
#[derive(Debug, Clone, Copy)]
pub struct ExchangeLimits {
    /// Per address tried.
    pub connect: Duration,
    /// From the connection to the end of the response.
    pub response: Duration,
    /// The largest response body read into memory.
    pub max_body: usize,
}

/// Why an exchange failed; callers map it to their own error (a component error, a gRPC
/// status), keeping the peer's address in the message.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("no address to connect to")]
    NoAddress,
    #[error("{addr}: {source}")]
    Io { addr: SocketAddr, source: io::Error },
    #[error("{addr}: malformed response: {source}")]
    Malformed {
        addr: SocketAddr,
        source: layotto_http1::Error,
    },
    #[error("{addr}: closed before the response head")]
    Closed { addr: SocketAddr },
    #[error("timed out {phase}")]
    Timeout { phase: &'static str },
    #[error("{addr}: response body over {limit} bytes")]
    BodyTooLarge { addr: SocketAddr, limit: usize },
}

/// Sends `request` (an encoded head and body) to the first address that accepts and reads the
/// whole response. `method` decides whether the response may have a body (HEAD).
pub async fn exchange(
    addrs: &[SocketAddr],
    request: BytesMut,
    method: &Method,
    limits: ExchangeLimits,
) -> Result<(ResponseHead, Bytes), ExchangeError> {
    let mut last = ExchangeError::NoAddress;
    for &addr in addrs {
        match monoio::time::timeout(limits.connect, TcpStream::connect_addr(addr)).await {
            Ok(Ok(stream)) => {
                return monoio::time::timeout(
                    limits.response,
                    send_and_read(stream, addr, request, method, limits.max_body),
                )
                .await
                .unwrap_or(Err(ExchangeError::Timeout {
                    phase: "waiting for the response",
                }));
            }
            Ok(Err(source)) => last = ExchangeError::Io { addr, source },
            Err(_) => {
                last = ExchangeError::Timeout {
                    phase: "connecting",
                }
            }
        }
    }
    Err(last)
}

async fn send_and_read(
    mut stream: TcpStream,
    addr: SocketAddr,
    request: BytesMut,
    method: &Method,
    max_body: usize,
) -> Result<(ResponseHead, Bytes), ExchangeError> {
    let io = |source| ExchangeError::Io { addr, source };
    let malformed = |source| ExchangeError::Malformed { addr, source };
    let (res, _) = stream.write_all(request).await;
    res.map_err(io)?;

    let mut buf = BytesMut::with_capacity(READ_SPARE);
    let mut decoder = ResponseDecoder::new(Limits::default());
    let response = loop {
        match decoder.decode(&mut buf, method).map_err(malformed)? {
            Some(r) if (100..200).contains(&r.head.status) => continue,
            Some(r) => break r,
            None => {
                let (res, b) = read_buf(&mut stream, buf, READ_SPARE).await;
                buf = b;
                if res.map_err(io)? == 0 {
                    return Err(ExchangeError::Closed { addr });
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
        .map_err(malformed)?;
        match event {
            Some(BodyEvent::Data(d)) => {
                if out.len() + d.len() > max_body {
                    return Err(ExchangeError::BodyTooLarge {
                        addr,
                        limit: max_body,
                    });
                }
                out.extend_from_slice(&d);
            }
            Some(BodyEvent::End { .. }) => break,
            None if body.is_done() => break,
            None => {
                let (res, b) = read_buf(&mut stream, buf, READ_SPARE).await;
                buf = b;
                eof = res.map_err(io)? == 0;
            }
        }
    }
    Ok((response.head, out.freeze()))
}
