//! The WEAK cache on a real monoio runtime, against a counting fake sequencer.
#![allow(clippy::unwrap_used)]

use std::cell::Cell;

use layotto_component_api::sequencer::Segment;
use layotto_component_api::{Call, Metadata};

use super::*;

/// Hands out segments from one counter and counts the calls; fails while `broken`.
#[derive(Default)]
struct Fake {
    last: Cell<i64>,
    fetches: Cell<u32>,
    broken: Cell<bool>,
}

impl layotto_component_api::Sequencer for Fake {
    fn next_id(&self, _: String, _: Increment, _: Metadata) -> Call<'_, i64> {
        Box::pin(async move {
            self.last.set(self.last.get() + 1);
            Ok(self.last.get())
        })
    }
    fn supports_segments(&self) -> bool {
        true
    }
    fn segment(&self, _: String, size: u32) -> Call<'_, Segment> {
        Box::pin(async move {
            self.fetches.set(self.fetches.get() + 1);
            if self.broken.get() {
                return Err(ComponentError::Unavailable("backend down".into()));
            }
            let start = self.last.get() + 1;
            self.last.set(self.last.get() + i64::from(size));
            Ok(Segment {
                start,
                end: self.last.get(),
            })
        })
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
        .enable_timer()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn ids_increase_and_segments_are_fetched_ahead() {
    block_on(async {
        let fake = Rc::new(Fake::default());
        let seq: Rc<Sequencer> = fake.clone();
        let ids = WeakIds::default();
        let mut last = 0;
        for _ in 0..25_000 {
            let id = ids.next("s", &seq, "k".into()).await.unwrap();
            assert!(id > last, "{id} after {last}");
            last = id;
        }
        // 25 000 ids from 10 000-id segments, one prefetched ahead.
        assert_eq!(fake.fetches.get(), 3);
        assert_eq!(last, 25_000, "prefetch kept up: no gaps in a single caller");
    });
}

#[test]
fn concurrent_callers_share_one_fetch() {
    block_on(async {
        let fake = Rc::new(Fake::default());
        let seq: Rc<Sequencer> = fake.clone();
        let ids = Rc::new(WeakIds::default());
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (ids, seq) = (Rc::clone(&ids), Rc::clone(&seq));
            tasks.push(monoio::spawn(async move {
                ids.next("s", &seq, "k".into()).await.unwrap()
            }));
        }
        let mut got = Vec::new();
        for t in tasks {
            got.push(t.await);
        }
        got.sort_unstable();
        got.dedup();
        assert_eq!(got.len(), 8, "unique ids");
        assert_eq!(fake.fetches.get(), 1);
    });
}

#[test]
fn a_failed_fetch_is_reported_and_retried() {
    block_on(async {
        let fake = Rc::new(Fake::default());
        fake.broken.set(true);
        let seq: Rc<Sequencer> = fake.clone();
        let ids = WeakIds::default();
        let err = ids.next("s", &seq, "k".into()).await.unwrap_err();
        assert!(matches!(err, ComponentError::Unavailable(_)), "{err}");
        fake.broken.set(false);
        assert_eq!(ids.next("s", &seq, "k".into()).await.unwrap(), 1);
        // Other keys and stores have their own segments.
        assert_eq!(ids.next("s", &seq, "other".into()).await.unwrap(), 10_001);
    });
}
