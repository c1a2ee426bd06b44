//! Socket steps with deadlines, safe to give up on.
//!
//! monoio's reads own their buffer while the kernel fills it, and a read
//! dropped mid-flight loses both the buffer and any bytes that raced in.
//! Here a read that reaches its deadline is *cancelled and awaited*, so
//! bytes that arrived are kept and the connection stays usable; only then
//! does the caller decide whether the wait was a timeout. Reads append into
//! the spare capacity of the buffer (the `layotto_worker::io::read_buf`
//! idea), so a partial response is never copied.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use monoio::buf::IoBufMut;
use monoio::io::{AsyncWriteRentExt, CancelableAsyncReadRent, Canceller};
use monoio::net::TcpStream;

/// Spare capacity kept free for each read.
const READ_SPARE: usize = 16 * 1024;

/// How one bounded read ended.
#[derive(Debug)]
pub enum Read {
    /// This many bytes were appended.
    Data(usize),
    /// The peer closed its side.
    Eof,
    /// The deadline passed with nothing read.
    Deadline,
    Failed(io::Error),
}

/// Reads once into the spare capacity of `buf`, waiting at most until `deadline`.
pub async fn read_until<R: CancelableAsyncReadRent>(
    reader: &mut R,
    mut buf: BytesMut,
    deadline: Instant,
) -> (Read, BytesMut) {
    if buf.capacity() - buf.len() < READ_SPARE {
        buf.reserve(READ_SPARE);
    }
    let (start, end) = (buf.len(), buf.capacity());
    let canceller = Canceller::new();
    let read = reader.cancelable_read(buf.slice_mut(start..end), canceller.handle());
    let mut read = std::pin::pin!(read);
    let wait = deadline.saturating_duration_since(Instant::now());
    let (res, slice) = match monoio::time::timeout(wait, &mut read).await {
        Ok(done) => done,
        Err(_) => {
            let _still_registered = canceller.cancel();
            read.await
        }
    };
    let outcome = match res {
        Ok(0) => Read::Eof,
        Ok(n) => Read::Data(n),
        Err(e) if e.raw_os_error() == Some(ECANCELED) => Read::Deadline,
        Err(e) => Read::Failed(e),
    };
    (outcome, slice.into_inner())
}

/// `ECANCELED` on Linux: what a cancelled operation completes with.
const ECANCELED: i32 = 125;

/// Writes all of `buf` (then clears it), giving up at `deadline`. A write
/// given up on leaves the stream in an unknown state: drop the connection.
pub async fn write_until<W: AsyncWriteRentExt>(
    writer: &mut W,
    buf: BytesMut,
    deadline: Instant,
) -> (Result<(), Write>, BytesMut) {
    let wait = deadline.saturating_duration_since(Instant::now());
    match monoio::time::timeout(wait, writer.write_all(buf)).await {
        Ok((Ok(_), mut buf)) => {
            buf.clear();
            (Ok(()), buf)
        }
        Ok((Err(e), mut buf)) => {
            buf.clear();
            (Err(Write::Failed(e)), buf)
        }
        Err(_) => (Err(Write::Deadline), BytesMut::new()),
    }
}

/// Why a write did not complete.
#[derive(Debug)]
pub enum Write {
    Deadline,
    Failed(io::Error),
}

/// One connection attempt, bounded by `wait`, with Nagle off (requests are
/// written whole; delaying them would only add latency).
pub async fn connect(addr: SocketAddr, wait: Duration) -> io::Result<TcpStream> {
    let stream = monoio::time::timeout(wait, TcpStream::connect(addr))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))??;
    stream.set_nodelay(true)?;
    Ok(stream)
}
