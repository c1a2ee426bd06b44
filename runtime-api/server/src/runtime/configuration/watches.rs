//! The subscriptions of one SubscribeConfiguration stream, awaited together.
//!
//! Each subscription keeps its pending `next()` future between polls, so racing
//! [`Watches::next_change`] against the inbound messages (and dropping the race's loser)
//! never loses a change: only the poll is dropped, not the future. Polling starts one place
//! further each time, so a busy subscription cannot starve the others.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use layotto_component_api::configuration::ConfigurationItem;
use layotto_component_api::{ComponentError, ConfigSubscription};

type Change = Result<Vec<ConfigurationItem>, ComponentError>;
type Pending = Pin<Box<dyn Future<Output = Change>>>;

/// Who a change is for: the response names the store and echoes the request's app id.
#[derive(Debug, Clone)]
pub(crate) struct WatchInfo {
    pub(crate) store_name: String,
    pub(crate) app_id: String,
}

struct Watch {
    info: WatchInfo,
    sub: Rc<dyn ConfigSubscription>,
    pending: Pending,
}

fn arm(sub: &Rc<dyn ConfigSubscription>) -> Pending {
    let sub = Rc::clone(sub);
    Box::pin(async move { sub.next().await })
}

#[derive(Default)]
pub(crate) struct Watches {
    watches: Vec<Watch>,
    start: usize,
}

impl Watches {
    pub(crate) fn add(
        &mut self,
        store_name: String,
        app_id: String,
        sub: Box<dyn ConfigSubscription>,
    ) {
        let sub: Rc<dyn ConfigSubscription> = Rc::from(sub);
        self.watches.push(Watch {
            info: WatchInfo { store_name, app_id },
            pending: arm(&sub),
            sub,
        });
    }

    /// The next change on any subscription; pending forever while there are none.
    pub(crate) async fn next_change(&mut self) -> (WatchInfo, Change) {
        poll_fn(|cx| {
            let n = self.watches.len();
            for step in 0..n {
                let i = (self.start + step) % n;
                let w = &mut self.watches[i];
                if let Poll::Ready(change) = w.pending.as_mut().poll(cx) {
                    w.pending = arm(&w.sub);
                    self.start = (i + 1) % n;
                    return Poll::Ready((w.info.clone(), change));
                }
            }
            Poll::Pending
        })
        .await
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
