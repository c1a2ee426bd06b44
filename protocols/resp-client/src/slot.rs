//! Where one call's reply lands: filled once by the connection's reader (or by the failure
//! that ends the connection), awaited once by the caller. Single-threaded, so a `RefCell` and
//! a waker are all a one-shot channel needs.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::{Reply, RespError};

#[derive(Default)]
struct Inner {
    value: Option<Result<Reply, RespError>>,
    waker: Option<Waker>,
}

/// The connection's end.
pub(crate) struct Slot(Rc<RefCell<Inner>>);

/// The caller's end; dropping it (a timed-out caller) makes the reply go nowhere.
pub(crate) struct Pending(Rc<RefCell<Inner>>);

pub(crate) fn slot() -> (Slot, Pending) {
    let inner = Rc::new(RefCell::new(Inner::default()));
    (Slot(Rc::clone(&inner)), Pending(inner))
}

impl Slot {
    pub(crate) fn fill(self, value: Result<Reply, RespError>) {
        let waker = {
            let mut inner = self.0.borrow_mut();
            inner.value = Some(value);
            inner.waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl Future for Pending {
    type Output = Result<Reply, RespError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut inner = self.0.borrow_mut();
        match inner.value.take() {
            Some(v) => Poll::Ready(v),
            None => {
                inner.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
