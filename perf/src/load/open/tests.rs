use super::*;
use crate::protocol::Outcome;
use crate::stats::Summary;

#[test]
fn timer_jitter_is_forgiven_a_hold_up_is_not() {
    let t0 = Instant::now();
    let just_late = t0 + Duration::from_micros(900);
    assert_eq!(reference_time(t0, just_late), just_late);
    assert_eq!(reference_time(t0, t0 + Duration::from_millis(30)), t0);
}

#[test]
fn pacer_spreads_and_survives_lateness() {
    let t0 = Instant::now();
    let mut p = Pacer::new(t0, 100.0, 0.5);
    assert_eq!(p.due(), t0 + Duration::from_millis(5));
    assert_eq!(p.take_due(t0), None);
    // Checked late: every request due by then is handed out, each with
    // its own scheduled time, none skipped.
    let late = t0 + Duration::from_millis(36);
    let dues: Vec<_> = std::iter::from_fn(|| p.take_due(late)).collect();
    assert_eq!(dues.len(), 4);
    assert_eq!(dues[3], t0 + Duration::from_millis(35));
}

/// A server answering one request at a time in 1 ms stalls once for 100 ms
/// while the client sends 100 requests/s with at most one in flight. The
/// service-time histogram sees one slow request; the corrected one sees
/// every request that was due during the stall.
#[test]
fn a_stall_shows_up_in_the_corrected_histogram() {
    let ms = Duration::from_millis;
    let t0 = Instant::now();
    let mut pacer = Pacer::new(t0, 100.0, 0.0);
    let mut q = InFlight::default();
    let mut rec = Recorder::default();
    let mut now = t0;
    let end = t0 + Duration::from_secs(1);
    let stall_at = t0 + ms(300);
    let mut stalled = false;
    while now < end {
        // Wait for the schedule, then send (the window of one is free).
        now = now.max(pacer.due());
        let Some(intended) = pacer.take_due(now) else {
            continue;
        };
        let token = q.push(reference_time(intended, now), now, true);
        let mut service = ms(1);
        if !stalled && now >= stall_at {
            stalled = true;
            service += ms(100);
        }
        now += service;
        q.complete(&mut vec![(token, Outcome::Ok)], now, &mut rec);
    }
    let slow = |h: &hdrhistogram::Histogram<u64>| h.count_between(20_000_000, u64::MAX);
    assert!(rec.ok >= 100);
    assert_eq!(
        slow(&rec.service),
        1,
        "only the stalled request was slow to serve"
    );
    assert!(slow(&rec.latency) >= 8, "corrected: {}", slow(&rec.latency));
    let (corrected, service) = (Summary::of(&rec.latency), Summary::of(&rec.service));
    assert!(
        corrected.p99 > 10.0 * service.p99,
        "{corrected:?} vs {service:?}"
    );
}
