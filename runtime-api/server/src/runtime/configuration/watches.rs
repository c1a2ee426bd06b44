//! The subscriptions of one SubscribeConfiguration stream, awaited together.
//!
//! Each subscription keeps its pending `next()` future between polls, so racing
//! [`Watches::next_change`] against the inbound messages (and dropping the race's loser)
//! never loses a change: only the poll is dropped, not the future. The futures sit in a
//! `FuturesUnordered`, which polls only those whose waker fired: a stream with a hundred
//! subscriptions pays for the one that changed, not for all of them, and a busy one cannot
//! starve the others because a woken future goes to the back of the queue.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_util::stream::{FuturesUnordered, StreamExt};

use layotto_component_api::configuration::ConfigurationItem;
use layotto_component_api::{ComponentError, ConfigSubscription};

type Change = Result<Vec<ConfigurationItem>, ComponentError>;
type Pending = Pin<Box<dyn Future<Output = (usize, Change)>>>;

/// Who a change is for: the response names the store and echoes the request's app id.
#[derive(Debug, Clone)]
pub(crate) struct WatchInfo {
    pub(crate) store_name: String,
    pub(crate) app_id: String,
}

struct Watch {
    info: WatchInfo,
    sub: Rc<dyn ConfigSubscription>,
}

/// The next change of subscription `i`, tagged with `i`.
fn arm(i: usize, sub: &Rc<dyn ConfigSubscription>) -> Pending {
    let sub = Rc::clone(sub);
    Box::pin(async move { (i, sub.next().await) })
}

#[derive(Default)]
pub(crate) struct Watches {
    watches: Vec<Watch>,
    pending: FuturesUnordered<Pending>,
}

impl Watches {
    pub(crate) fn add(
        &mut self,
        store_name: String,
        app_id: String,
        sub: Box<dyn ConfigSubscription>,
    ) {
        let sub: Rc<dyn ConfigSubscription> = Rc::from(sub);
        self.pending.push(arm(self.watches.len(), &sub));
        self.watches.push(Watch {
            info: WatchInfo { store_name, app_id },
            sub,
        });
    }

    /// The next change on any subscription; pending forever while there are none.
    pub(crate) async fn next_change(&mut self) -> (WatchInfo, Change) {
        loop {
            let Some((i, change)) = self.pending.next().await else {
                // No subscriptions: nothing will ever come (the caller races this with the
                // stream's inbound messages, which may add some).
                return std::future::pending().await;
            };
            let Some(w) = self.watches.get(i) else {
                continue;
            };
            self.pending.push(arm(i, &w.sub));
            return (w.info.clone(), change);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use layotto_component_api::Call;

    /// Yields queued batches, then stays pending.
    struct Queue(RefCell<VecDeque<Vec<ConfigurationItem>>>);

    impl ConfigSubscription for Queue {
        fn next(&self) -> Call<'_, Vec<ConfigurationItem>> {
            let item = self.0.borrow_mut().pop_front();
            Box::pin(async move {
                match item {
                    Some(i) => Ok(i),
                    None => std::future::pending().await,
                }
            })
        }
    }

    fn batch(key: &str) -> Vec<ConfigurationItem> {
        vec![ConfigurationItem {
            key: key.into(),
            ..Default::default()
        }]
    }

    #[test]
    fn changes_from_every_subscription_in_turn() {
        let mut rt = monoio::RuntimeBuilder::<monoio::LegacyDriver>::new()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        rt.block_on(async {
            let mut w = Watches::default();
            let q = |keys: &[&str]| {
                Box::new(Queue(RefCell::new(keys.iter().map(|k| batch(k)).collect())))
            };
            w.add("a".into(), "app".into(), q(&["a1", "a2"]));
            w.add("b".into(), "app".into(), q(&["b1"]));
            let mut seen = Vec::new();
            for _ in 0..3 {
                let (info, change) = w.next_change().await;
                let key = change.map(|c| c[0].key.clone()).unwrap_or_default();
                seen.push(format!("{}:{key}", info.store_name));
            }
            assert_eq!(seen, vec!["a:a1", "b:b1", "a:a2"]);
        });
    }
}
