//! The requests in flight on one connection and the timeline they are
//! judged against: which ones count (sent after warm-up), when sending
//! stops, and how a completion turns into a recorded latency.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::protocol::{ErrorKind, Outcome};
use crate::stats::Recorder;

/// The shared schedule of a run, fixed when the threads start.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    /// Warm-up ends: requests scheduled from here on are recorded.
    pub measure_from: Instant,
    /// No request is sent after this, and nothing is waited for past it.
    pub end: Instant,
    /// Longest wait for one response.
    pub timeout: Duration,
}

/// One request written and not yet answered.
#[derive(Debug, Clone, Copy)]
pub struct Sent {
    pub token: u64,
    /// When it was due: the send time in a closed loop, the scheduled time
    /// in an open loop.
    pub intended: Instant,
    /// When it was written.
    pub sent: Instant,
    /// Inside the measured window.
    pub recorded: bool,
}

/// Requests in flight, oldest first.
#[derive(Debug, Default)]
pub struct InFlight {
    queue: VecDeque<Sent>,
    next_token: u64,
}

impl InFlight {
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Registers a request; returns its token for the codec.
    pub fn push(&mut self, intended: Instant, sent: Instant, recorded: bool) -> u64 {
        let token = self.next_token;
        self.next_token += 1;
        self.queue.push_back(Sent {
            token,
            intended,
            sent,
            recorded,
        });
        token
    }

    /// When the oldest request stops being worth waiting for.
    pub fn deadline(&self, timeout: Duration) -> Option<Instant> {
        self.queue.front().map(|s| s.sent + timeout)
    }

    /// Records completions; in-order protocols always hit the front.
    pub fn complete(&mut self, done: &mut Vec<(u64, Outcome)>, now: Instant, rec: &mut Recorder) {
        for (token, outcome) in done.drain(..) {
            let Some(at) = self.queue.iter().position(|s| s.token == token) else {
                continue;
            };
            let Some(sent) = self.queue.remove(at) else {
                continue;
            };
            if !sent.recorded {
                continue;
            }
            match outcome {
                Outcome::Ok => rec.ok(
                    now.saturating_duration_since(sent.intended),
                    now.saturating_duration_since(sent.sent),
                ),
                Outcome::Failed(kind) => rec.error(kind),
            }
        }
    }

    /// Fails every request still in flight (the connection is gone),
    /// counting only those inside the measured window.
    pub fn fail_all(&mut self, kind: ErrorKind, rec: &mut Recorder) {
        let n = self.queue.drain(..).filter(|s| s.recorded).count();
        rec.errors_n(kind, n as u64);
    }

    /// Takes the unanswered requests out, oldest first, to be sent again on
    /// a new connection: after a response announcing `Connection: close`,
    /// the requests pipelined behind it were never processed (RFC 9112
    /// §9.6), so they are retried rather than counted as errors.
    pub fn drain(&mut self) -> Vec<Sent> {
        self.queue.drain(..).collect()
    }

    /// Registers a retried request under a new token, keeping its
    /// intended time so the retry's delay is part of its latency.
    pub fn resend(&mut self, old: &Sent, now: Instant) -> u64 {
        self.push(old.intended, now, old.recorded)
    }

    /// Forgets what is in flight without counting it (the run is over).
    pub fn abandon(&mut self) {
        self.queue.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_from_intended_time_only_inside_the_window() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut q = InFlight::default();
        let warm = q.push(t0, t0, false);
        let a = q.push(t0, t0 + ms(5), true);
        let b = q.push(t0, t0, true);
        assert_eq!(q.deadline(ms(10)), Some(t0 + ms(10)));
        let mut rec = Recorder::default();
        let mut done = vec![
            (b, Outcome::Failed(ErrorKind::Status(500))),
            (warm, Outcome::Ok),
        ];
        q.complete(&mut done, t0 + ms(7), &mut rec);
        assert!(done.is_empty() && rec.ok == 0 && rec.error_total() == 1);
        q.complete(&mut vec![(a, Outcome::Ok)], t0 + ms(8), &mut rec);
        assert_eq!(rec.ok, 1);
        // Response time counts from the intended time, service time from the write.
        assert!(rec.latency.max() >= 7_990_000 && rec.service.max() <= 3_010_000);
        q.push(t0, t0, true);
        q.push(t0, t0, false);
        q.fail_all(ErrorKind::Io, &mut rec);
        assert_eq!(rec.errors.get(&ErrorKind::Io), Some(&1));
        assert!(q.is_empty());
        q.push(t0, t0, true);
        let carried = q.drain();
        let token = q.resend(&carried[0], t0 + ms(3));
        q.complete(&mut vec![(token, Outcome::Ok)], t0 + ms(4), &mut rec);
        assert!(rec.latency.max() >= 7_990_000 && rec.ok == 2);
    }
}
