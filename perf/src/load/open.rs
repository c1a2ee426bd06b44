//! Open loop: requests leave on a fixed schedule (`--rate` spread evenly
//! over the connections), whether or not earlier ones were answered.
//!
//! Coordinated omission: when the server stalls, a closed-loop client stops
//! sending and so never measures the requests a real user would have sent
//! meanwhile. Here every request's latency runs from its *scheduled* time,
//! so time spent queued behind a stall (in the socket, or in this client
//! because `--inflight` was reached or the connection was being re-opened)
//! is counted. The service time (from the actual write) is kept alongside;
//! the difference between the two is exactly the omitted delay. Lateness
//! below the timer's resolution is not blamed on the server (see
//! [`reference_time`]).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use monoio::io::{CancelableAsyncReadRent, CancelableAsyncWriteRent, Splitable};

use super::closed::fail;
use super::flight::{InFlight, Timeline};
use super::io::{read_until, write_until, Guard, Read};
use super::{connect_retrying, Conn, Quota};
use crate::protocol::{Codec, ErrorKind, Protocol};
use crate::stats::Recorder;

/// How long a writer waits before re-checking a full in-flight window, and
/// how often an idle reader looks up.
const POLL: Duration = Duration::from_millis(1);

/// Lateness forgiven as pacing jitter: monoio's timer has 1 ms ticks and
/// rounds sleeps up, so a request can leave up to ~1 ms after its slot
/// through no fault of the server.
pub const PACING_SLACK: Duration = Duration::from_millis(2);

/// The time a request's latency is counted from. A request sent within
/// [`PACING_SLACK`] of its slot counts from its actual send (the lateness is
/// the generator's timer, not the server); one sent later than that was
/// held back (full in-flight window, blocked write, reconnect) and counts
/// from its slot, which is the coordinated-omission correction.
pub fn reference_time(scheduled: Instant, sent: Instant) -> Instant {
    if sent.saturating_duration_since(scheduled) <= PACING_SLACK {
        sent
    } else {
        scheduled
    }
}

/// The send schedule of one connection: request `n` is due at
/// `first + n * interval`. It survives reconnects, so requests that could
/// not be sent while reconnecting are sent late and measured late.
#[derive(Debug, Clone, Copy)]
pub struct Pacer {
    first: Instant,
    interval: Duration,
    next: u64,
}

impl Pacer {
    /// `rate_per_conn` requests per second starting at `start`, shifted by
    /// `phase` (0..1) of an interval so connections do not fire together.
    pub fn new(start: Instant, rate_per_conn: f64, phase: f64) -> Pacer {
        let interval = Duration::from_secs_f64(1.0 / rate_per_conn.max(1e-6));
        Pacer {
            first: start + interval.mul_f64(phase.clamp(0.0, 1.0)),
            interval,
            next: 0,
        }
    }

    /// When the next request is due.
    pub fn due(&self) -> Instant {
        let n = u32::try_from(self.next).unwrap_or(u32::MAX);
        self.first + self.interval * n
    }

    /// Takes the next request if it is due at `now`; returns its due time.
    pub fn take_due(&mut self, now: Instant) -> Option<Instant> {
        let due = self.due();
        (due <= now).then(|| {
            self.next += 1;
            due
        })
    }
}

struct Shared<C> {
    codec: C,
    q: InFlight,
    broken: bool,
    /// The server announced the close (`Connection: close`): what is still
    /// in flight was not processed and is sent again on the next connection.
    graceful: bool,
    writer_done: bool,
    ctrl: BytesMut,
}

/// Drives one connection on its schedule until the run ends or its quota is done.
pub async fn connection<P: Protocol>(ctx: Conn<P>, mut pacer: Pacer, mut quota: Quota) {
    let Conn {
        proto,
        addr,
        inflight,
        plan,
        rec,
        wd,
    } = ctx;
    let rec: &RefCell<Recorder> = &rec;
    let (wguard, rguard) = (wd.guard(), wd.guard());
    let mut carry = Vec::new();
    loop {
        if Instant::now() >= plan.end
            || (carry.is_empty() && (pacer.due() >= plan.end || quota.exhausted()))
        {
            return;
        }
        let Some(stream) = connect_retrying(addr, &plan, rec).await else {
            return;
        };
        let mut codec = proto.codec();
        let mut preface = BytesMut::new();
        codec.preface(&mut preface);
        let mut q = InFlight::default();
        let now = Instant::now();
        for old in carry.drain(..) {
            let token = q.resend(&old, now);
            codec.encode(token, &mut preface);
        }
        let shared = Rc::new(RefCell::new(Shared {
            codec,
            q,
            broken: false,
            graceful: false,
            writer_done: false,
            ctrl: preface,
        }));
        let (reader, writer) = stream.into_split();
        let w = write_side(
            writer, &shared, inflight, &plan, &mut pacer, &mut quota, rec, &wguard,
        );
        let r = read_side(reader, &shared, &plan, rec, &rguard);
        // The write half lives until the reader is done: dropping it early
        // half-closes the socket, and an HTTP/2 server may then drop the
        // streams still in flight.
        let (writer, ()) = monoio::join!(w, r);
        drop(writer);
        let mut s = shared.borrow_mut();
        if s.graceful {
            carry = s.q.drain();
        } else {
            fail(&mut s.q, ErrorKind::Io, &plan, rec);
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn write_side<C: Codec, W: CancelableAsyncWriteRent>(
    mut writer: W,
    shared: &Rc<RefCell<Shared<C>>>,
    inflight: usize,
    plan: &Timeline,
    pacer: &mut Pacer,
    quota: &mut Quota,
    rec: &RefCell<Recorder>,
    guard: &Guard,
) -> W {
    let mut wbuf = BytesMut::with_capacity(4096);
    loop {
        let due = pacer.due();
        if shared.borrow().broken {
            break;
        }
        if (due >= plan.end || quota.exhausted()) && shared.borrow().ctrl.is_empty() {
            // The reader finishes once everything in flight is answered.
            break;
        }
        let now = Instant::now();
        if due > now && shared.borrow().ctrl.is_empty() {
            monoio::time::sleep(due - now).await;
            continue;
        }
        {
            let mut s = shared.borrow_mut();
            let s = &mut *s;
            wbuf.extend_from_slice(&s.ctrl);
            s.ctrl.clear();
            while s.q.len() < inflight && !quota.exhausted() {
                let Some(intended) = pacer.take_due(now) else {
                    break;
                };
                if intended >= plan.end {
                    break;
                }
                let recorded = intended >= plan.measure_from;
                quota.take(recorded);
                let token = s.q.push(reference_time(intended, now), now, recorded);
                s.codec.encode(token, &mut wbuf);
            }
            if s.q.deadline(plan.timeout).is_some_and(|d| d <= now) {
                s.broken = true;
                fail(&mut s.q, ErrorKind::Timeout, plan, rec);
                break;
            }
        }
        if wbuf.is_empty() {
            // The in-flight window is full: wait for the reader. The
            // schedule keeps running, so the wait is measured.
            monoio::time::sleep(POLL).await;
            continue;
        }
        let (res, buf) =
            write_until(&mut writer, wbuf, guard, (now + plan.timeout).min(plan.end)).await;
        wbuf = buf;
        if res.is_err() {
            shared.borrow_mut().broken = true;
            break;
        }
    }
    shared.borrow_mut().writer_done = true;
    writer
}

async fn read_side<C: Codec, R: CancelableAsyncReadRent>(
    mut reader: R,
    shared: &Rc<RefCell<Shared<C>>>,
    plan: &Timeline,
    rec: &RefCell<Recorder>,
    guard: &Guard,
) {
    let mut rbuf = BytesMut::with_capacity(16 * 1024);
    let mut done = Vec::new();
    loop {
        let deadline = {
            let s = shared.borrow();
            if s.broken || (s.writer_done && s.q.is_empty()) {
                return;
            }
            // Idle readers wake up now and then to notice the writer quit.
            let idle = Instant::now() + POLL * 10;
            s.q.deadline(plan.timeout).unwrap_or(idle).min(plan.end)
        };
        let (read, buf) = read_until(&mut reader, rbuf, guard, deadline).await;
        rbuf = buf;
        let now = Instant::now();
        let mut s = shared.borrow_mut();
        let s = &mut *s;
        let decoded = match read {
            Read::Data(_) => s.codec.decode(&mut rbuf, &mut s.ctrl, &mut done),
            Read::Eof => {
                let res = s.codec.decode_eof(&mut rbuf, &mut done);
                s.q.complete(&mut done, now, &mut rec.borrow_mut());
                let kind = if res.is_ok() {
                    ErrorKind::Io
                } else {
                    ErrorKind::Protocol
                };
                fail(&mut s.q, kind, plan, rec);
                s.broken = true;
                return;
            }
            Read::Deadline => {
                if now >= plan.end {
                    s.broken = true;
                    return;
                }
                if s.q.deadline(plan.timeout).is_some_and(|d| d <= now) {
                    fail(&mut s.q, ErrorKind::Timeout, plan, rec);
                    s.broken = true;
                    return;
                }
                continue;
            }
            Read::Failed(_) => {
                fail(&mut s.q, ErrorKind::Io, plan, rec);
                s.broken = true;
                return;
            }
        };
        s.q.complete(&mut done, now, &mut rec.borrow_mut());
        if decoded.is_err() {
            fail(&mut s.q, ErrorKind::Protocol, plan, rec);
            s.broken = true;
            return;
        }
        if !s.codec.reusable() {
            s.graceful = true;
            s.broken = true;
            return;
        }
    }
}

#[cfg(test)]
mod tests;
