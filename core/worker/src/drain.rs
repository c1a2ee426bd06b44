//! The shutdown signal: one global switch, fanned out per worker.
//!
//! [`Drain`] is shared by every thread, but touched only at start-up (each worker registers one
//! waker) and once at shutdown. Connections never wait on it directly: each worker turns it
//! into a [`Shutdown`], a thread-local notifier that connections poll without any lock or
//! atomic. That keeps the per-request path core-local.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

/// The process-wide drain switch.
#[derive(Clone, Default)]
pub struct Drain {
    inner: Arc<DrainInner>,
}

#[derive(Default)]
struct DrainInner {
    started: AtomicBool,
    // One waker per worker, registered once; a std mutex is fine on this cold path.
    wakers: Mutex<Vec<Waker>>,
}

impl Drain {
    pub fn new() -> Drain {
        Drain::default()
    }

    /// Starts the drain. Idempotent.
    pub fn start(&self) {
        if self.inner.started.swap(true, Ordering::AcqRel) {
            return;
        }
        let wakers = std::mem::take(
            &mut *self
                .inner
                .wakers
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for w in wakers {
            w.wake();
        }
    }

    pub fn is_started(&self) -> bool {
        self.inner.started.load(Ordering::Acquire)
    }

    /// Resolves once the drain has started. Wakes across threads (monoio's `sync` feature).
    pub fn started(&self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(move |cx| {
            if self.is_started() {
                return Poll::Ready(());
            }
            let mut wakers = self
                .inner
                .wakers
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // Checked again under the lock: `start` takes the list under it, so a waker
            // pushed after this check would be missed only if `start` already ran.
            if self.is_started() {
                return Poll::Ready(());
            }
            if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
                wakers.push(cx.waker().clone());
            }
            Poll::Pending
        })
    }
}

/// A worker's local view of the drain, for its connections.
#[derive(Clone, Default)]
pub struct Shutdown {
    inner: Rc<ShutdownInner>,
}

#[derive(Default)]
struct ShutdownInner {
    set: Cell<bool>,
    waiters: RefCell<Slots>,
}

#[derive(Default)]
struct Slots {
    wakers: Vec<Option<Waker>>,
    free: Vec<usize>,
}

impl Shutdown {
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    pub fn is_set(&self) -> bool {
        self.inner.set.get()
    }

    /// Wakes every waiting connection of this worker.
    pub fn set(&self) {
        if self.inner.set.replace(true) {
            return;
        }
        let wakers: Vec<Waker> = {
            let mut slots = self.inner.waiters.borrow_mut();
            slots.wakers.iter_mut().filter_map(Option::take).collect()
        };
        for w in wakers {
            w.wake();
        }
    }

    /// Resolves when the drain reaches this worker. Dropping it frees its slot, so a
    /// connection can make one per request without the list growing.
    pub fn signaled(&self) -> Signaled {
        Signaled {
            shutdown: self.clone(),
            slot: None,
        }
    }
}

/// The future of [`Shutdown::signaled`].
pub struct Signaled {
    shutdown: Shutdown,
    slot: Option<usize>,
}

impl Future for Signaled {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.shutdown.is_set() {
            return Poll::Ready(());
        }
        let waker = Some(cx.waker().clone());
        let slot = {
            let mut slots = self.shutdown.inner.waiters.borrow_mut();
            match self.slot {
                Some(i) => {
                    slots.wakers[i] = waker;
                    i
                }
                None => match slots.free.pop() {
                    Some(i) => {
                        slots.wakers[i] = waker;
                        i
                    }
                    None => {
                        slots.wakers.push(waker);
                        slots.wakers.len() - 1
                    }
                },
            }
        };
        self.slot = Some(slot);
        Poll::Pending
    }
}

impl Drop for Signaled {
    fn drop(&mut self) {
        if let Some(i) = self.slot {
            let mut slots = self.shutdown.inner.waiters.borrow_mut();
            slots.wakers[i] = None;
            slots.free.push(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noop_cx() -> Context<'static> {
        Context::from_waker(Waker::noop())
    }

    #[test]
    fn signaled_frees_its_slot_when_dropped() {
        let s = Shutdown::new();
        let mut cx = noop_cx();
        for _ in 0..1000 {
            let mut f = s.signaled();
            assert!(Pin::new(&mut f).poll(&mut cx).is_pending());
        }
        assert_eq!(s.inner.waiters.borrow().wakers.len(), 1);
        let mut f = s.signaled();
        assert!(Pin::new(&mut f).poll(&mut cx).is_pending());
        s.set();
        assert!(Pin::new(&mut f).poll(&mut cx).is_ready());
    }

    #[test]
    fn drain_is_seen_from_other_threads() {
        let d = Drain::new();
        let d2 = d.clone();
        std::thread::spawn(move || d2.start()).join().unwrap();
        let mut cx = noop_cx();
        let mut f = std::pin::pin!(d.started());
        assert!(f.as_mut().poll(&mut cx).is_ready());
    }
}
