//! Socket steps with deadlines, safe to give up on, and cheap.
//!
//! monoio's reads own their buffer while the kernel fills it, and a read
//! dropped mid-flight loses both the buffer and any bytes that raced in.
//! So operations here are *cancelled and awaited*: bytes that arrived are
//! kept and the connection stays usable; the caller then decides whether
//! the wait was a timeout. Arming a timer per operation would cost more
//! than the operation itself at 100k+ requests/s, so each connection has a
//! [`Guard`] (a deadline and a canceller, reused) and one [`Watchdog`] task
//! per thread cancels what is overdue every few milliseconds. Reads append
//! into the spare capacity of the buffer (the `layotto_worker::io::read_buf`
//! idea), so a partial response is never copied.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::{Rc, Weak};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use monoio::buf::IoBufMut;
use monoio::io::{
    CancelHandle, CancelableAsyncReadRent, CancelableAsyncWriteRent, CancelableAsyncWriteRentExt,
    Canceller,
};
use monoio::net::TcpStream;

/// Spare capacity kept free for each read.
const READ_SPARE: usize = 16 * 1024;
/// How often the watchdog looks; deadlines are enforced this late at most.
pub const WATCH_EVERY: Duration = Duration::from_millis(5);
/// `ECANCELED` on Linux: what a cancelled operation completes with.
const ECANCELED: i32 = 125;

/// The deadline of one connection's pending operation.
#[derive(Default)]
pub struct Guard {
    deadline: Cell<Option<Instant>>,
    canceller: RefCell<Canceller>,
}

impl Guard {
    /// Sets the deadline of the next operation and returns its handle.
    fn arm(&self, deadline: Instant) -> CancelHandle {
        self.deadline.set(Some(deadline));
        self.canceller.borrow().handle()
    }

    fn disarm(&self) {
        self.deadline.set(None);
    }

    fn fire_if_due(&self, now: Instant) {
        if self.deadline.get().is_some_and(|d| d <= now) {
            self.deadline.set(None);
            let old = std::mem::take(&mut *self.canceller.borrow_mut());
            *self.canceller.borrow_mut() = old.cancel();
        }
    }
}

/// Cancels the overdue operations of one thread's connections.
#[derive(Default)]
pub struct Watchdog {
    guards: RefCell<Vec<Weak<Guard>>>,
}

impl Watchdog {
    /// A guard for a new connection (or one half of it).
    pub fn guard(&self) -> Rc<Guard> {
        let g = Rc::new(Guard::default());
        self.guards.borrow_mut().push(Rc::downgrade(&g));
        g
    }

    /// Runs until dropped with the runtime.
    pub async fn run(self: Rc<Self>) {
        loop {
            monoio::time::sleep(WATCH_EVERY).await;
            let now = Instant::now();
            self.guards.borrow_mut().retain(|w| match w.upgrade() {
                Some(g) => {
                    g.fire_if_due(now);
                    true
                }
                None => false,
            });
        }
    }
}

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

/// Reads once into the spare capacity of `buf`, waiting at most until
/// `deadline` (plus up to [`WATCH_EVERY`]).
pub async fn read_until<R: CancelableAsyncReadRent>(
    reader: &mut R,
    mut buf: BytesMut,
    guard: &Guard,
    deadline: Instant,
) -> (Read, BytesMut) {
    if buf.capacity() - buf.len() < READ_SPARE {
        buf.reserve(READ_SPARE);
    }
    let (start, end) = (buf.len(), buf.capacity());
    let handle = guard.arm(deadline);
    let (res, slice) = reader
        .cancelable_read(buf.slice_mut(start..end), handle)
        .await;
    guard.disarm();
    let outcome = match res {
        Ok(0) => Read::Eof,
        Ok(n) => Read::Data(n),
        Err(e) if e.raw_os_error() == Some(ECANCELED) => Read::Deadline,
        Err(e) => Read::Failed(e),
    };
    (outcome, slice.into_inner())
}

/// Why a write did not complete.
#[derive(Debug)]
pub enum Write {
    Deadline,
    Failed(io::Error),
}

/// Writes all of `buf` (then clears it), giving up at `deadline`. A write
/// given up on leaves the stream in an unknown state: drop the connection.
pub async fn write_until<W: CancelableAsyncWriteRent>(
    writer: &mut W,
    buf: BytesMut,
    guard: &Guard,
    deadline: Instant,
) -> (Result<(), Write>, BytesMut) {
    let handle = guard.arm(deadline);
    let (res, mut buf) = CancelableAsyncWriteRentExt::write_all(writer, buf, handle).await;
    guard.disarm();
    buf.clear();
    match res {
        Ok(_) => (Ok(()), buf),
        Err(e) if e.raw_os_error() == Some(ECANCELED) => (Err(Write::Deadline), buf),
        Err(e) => (Err(Write::Failed(e)), buf),
    }
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
