//! A bounded queue with one consumer, filled from any thread: how a change made on one core
//! reaches a subscriber waiting on another.
//!
//! A std mutex around a `VecDeque` and the consumer's waker. Waking from a foreign thread is
//! safe with monoio's `sync` feature (its wakers then post to the owning runtime). The waker is
//! taken out under the lock and woken after it is released, so the consumer's thread never
//! finds the lock held by the waker call. A closed inbox keeps the reason and hands it to the
//! consumer in place of further items.

use std::collections::VecDeque;
use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

use layotto_component_api::ComponentError;

pub(crate) struct Inbox<T> {
    capacity: usize,
    state: Mutex<State<T>>,
}

struct State<T> {
    items: VecDeque<T>,
    waker: Option<Waker>,
    closed: Option<ComponentError>,
}

/// Why a push did not happen.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    Full,
    Closed,
}

impl<T> Inbox<T> {
    pub(crate) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Inbox {
            capacity: capacity.max(1),
            state: Mutex::new(State {
                items: VecDeque::new(),
                waker: None,
                closed: None,
            }),
        })
    }

    // Poisoning: see shards.rs; every update here leaves the queue valid.
    fn state(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Items waiting to be received.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.state().items.len()
    }

    /// Whether a push would be accepted now. Only the consumer removes items, so room seen
    /// here does not disappear before a push made while the caller still excludes other
    /// producers (see pubsub's fan-out).
    pub(crate) fn has_room(&self) -> bool {
        let s = self.state();
        s.closed.is_none() && s.items.len() < self.capacity
    }

    pub(crate) fn push(&self, item: T) -> Result<(), Refused> {
        let waker = {
            let mut s = self.state();
            if s.closed.is_some() {
                return Err(Refused::Closed);
            }
            if s.items.len() >= self.capacity {
                return Err(Refused::Full);
            }
            s.items.push_back(item);
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }

    /// Puts `item` back at the head, past the capacity if need be: a redelivery of something
    /// this consumer already took out.
    pub(crate) fn push_front(&self, item: T) {
        let waker = {
            let mut s = self.state();
            if s.closed.is_some() {
                return;
            }
            s.items.push_front(item);
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Ends the inbox: pending items are dropped and the consumer gets `reason`.
    pub(crate) fn close(&self, reason: ComponentError) {
        let waker = {
            let mut s = self.state();
            if s.closed.is_none() {
                s.closed = Some(reason);
            }
            s.items.clear();
            s.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state().closed.is_some()
    }

    /// The next item, waiting for one; the close reason once closed.
    pub(crate) async fn recv(&self) -> Result<T, ComponentError> {
        poll_fn(|cx| {
            let mut s = self.state();
            if let Some(reason) = &s.closed {
                return Poll::Ready(Err(reason.clone()));
            }
            match s.items.pop_front() {
                Some(item) => Poll::Ready(Ok(item)),
                None => {
                    s.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_then_closed() {
        let inbox = Inbox::new(2);
        assert_eq!(inbox.push(1), Ok(()));
        assert_eq!(inbox.push(2), Ok(()));
        assert!(!inbox.has_room());
        assert_eq!(inbox.push(3), Err(Refused::Full));
        inbox.push_front(0);
        crate::block_on(async {
            assert_eq!(inbox.recv().await, Ok(0));
            assert_eq!(inbox.recv().await, Ok(1));
        });
        inbox.close(ComponentError::Unavailable("gone".into()));
        assert_eq!(inbox.push(4), Err(Refused::Closed));
        let got = crate::block_on(inbox.recv());
        assert_eq!(got, Err(ComponentError::Unavailable("gone".into())));
    }

    #[test]
    fn a_push_from_another_thread_wakes_the_consumer() {
        let inbox = Inbox::new(4);
        let producer = Arc::clone(&inbox);
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            producer.push(7).unwrap();
        });
        let got = crate::block_on(inbox.recv());
        assert_eq!(got, Ok(7));
        t.join().unwrap();
    }
}
