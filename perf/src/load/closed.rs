//! Closed loop: each connection keeps exactly `inflight` requests
//! outstanding, sending a new one as soon as one completes. Throughput is
//! whatever the server sustains at that concurrency; latency is measured
//! from each write, so it reflects service time at saturation (there is no
//! schedule to fall behind, hence nothing to correct).

use std::cell::RefCell;
use std::time::Instant;

use bytes::BytesMut;

use super::flight::{InFlight, Timeline};
use super::io::{read_until, write_until, Read};
use super::{connect_retrying, Conn, Quota};
use crate::protocol::{Codec, ErrorKind, Protocol};
use crate::stats::Recorder;

/// Drives one connection (reconnecting as needed) until the run ends or
/// its quota of recorded requests is done.
pub async fn connection<P: Protocol>(ctx: Conn<P>, mut quota: Quota) {
    let Conn {
        proto,
        addr,
        inflight,
        plan,
        rec,
        wd,
    } = ctx;
    let rec: &RefCell<Recorder> = &rec;
    let guard = wd.guard();
    let mut done = Vec::with_capacity(inflight);
    let mut carry = Vec::new();
    loop {
        if Instant::now() >= plan.end || (quota.exhausted() && carry.is_empty()) {
            return;
        }
        let Some(mut stream) = connect_retrying(addr, &plan, rec).await else {
            return;
        };
        let mut codec = proto.codec();
        let mut wbuf = BytesMut::with_capacity(4096);
        let mut rbuf = BytesMut::with_capacity(16 * 1024);
        let mut ctrl = BytesMut::new();
        let mut q = InFlight::default();
        codec.preface(&mut wbuf);
        let now = Instant::now();
        for old in carry.drain(..) {
            let token = q.resend(&old, now);
            codec.encode(token, &mut wbuf);
        }
        'conn: loop {
            let now = Instant::now();
            while now < plan.end && q.len() < inflight && !quota.exhausted() {
                let recorded = now >= plan.measure_from;
                quota.take(recorded);
                let token = q.push(now, now, recorded);
                codec.encode(token, &mut wbuf);
            }
            if q.is_empty() {
                return;
            }
            if !wbuf.is_empty() {
                let deadline = (now + plan.timeout).min(plan.end);
                let (res, buf) = write_until(&mut stream, wbuf, &guard, deadline).await;
                wbuf = buf;
                if res.is_err() {
                    fail(&mut q, ErrorKind::Io, &plan, rec);
                    break 'conn;
                }
            }
            // Read until something completes (or the protocol has to talk).
            loop {
                let deadline = q.deadline(plan.timeout).unwrap_or(plan.end).min(plan.end);
                let (read, buf) = read_until(&mut stream, rbuf, &guard, deadline).await;
                rbuf = buf;
                let now = Instant::now();
                let decoded = match read {
                    Read::Data(_) => codec.decode(&mut rbuf, &mut ctrl, &mut done),
                    Read::Eof => {
                        let res = codec.decode_eof(&mut rbuf, &mut done);
                        q.complete(&mut done, now, &mut rec.borrow_mut());
                        let kind = if res.is_ok() {
                            ErrorKind::Io
                        } else {
                            ErrorKind::Protocol
                        };
                        fail(&mut q, kind, &plan, rec);
                        break 'conn;
                    }
                    Read::Deadline => {
                        fail(&mut q, ErrorKind::Timeout, &plan, rec);
                        break 'conn;
                    }
                    Read::Failed(_) => {
                        fail(&mut q, ErrorKind::Io, &plan, rec);
                        break 'conn;
                    }
                };
                q.complete(&mut done, now, &mut rec.borrow_mut());
                if decoded.is_err() {
                    fail(&mut q, ErrorKind::Protocol, &plan, rec);
                    break 'conn;
                }
                wbuf.extend_from_slice(&ctrl);
                ctrl.clear();
                if q.len() < inflight || !wbuf.is_empty() {
                    break;
                }
            }
            if !codec.reusable() {
                carry = q.drain();
                break 'conn;
            }
        }
    }
}

/// Fails what is in flight, unless the run is already over (then the
/// requests simply fall outside the measured window).
pub(super) fn fail(q: &mut InFlight, kind: ErrorKind, plan: &Timeline, rec: &RefCell<Recorder>) {
    if Instant::now() >= plan.end {
        q.abandon();
    } else {
        q.fail_all(kind, &mut rec.borrow_mut());
    }
}
