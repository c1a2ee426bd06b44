//! GetNextId (Layotto §3.4), with the WEAK segment cache kept per worker.
//!
//! STRONG goes to the component on every call, so ids are strictly increasing per key in the
//! order the component serves the calls. WEAK (the proto's zero value, and what an absent
//! `options` means) is served from segments of [`SEGMENT_SIZE`] ids that this worker
//! reserves from the component ([`segments`]), when the component supports segments.
//!
//! Shared nothing: each worker fetches and consumes its own segments, with no lock or
//! message between cores. Ids stay unique across workers (each segment is reserved for one)
//! and increase on each worker, but across workers, as across Layotto sidecars sharing one
//! backend, WEAK ids only trend upward: worker 1 may hand out 10 001 before worker 0 hands
//! out 17. Use STRONG where a global order matters.
//!
//! A fetch runs as its own task, so a caller that goes away (deadline, cancel) never leaves
//! the key stuck "fetching"; callers that find the cache empty wait for it up to
//! [`FETCH_WAIT`] (Layotto's 2 s). The cache is keyed by store and prefixed key (Layotto keys
//! it by key alone) and holds one entry per key a worker has served.

mod segments;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::Duration;

use layotto_component_api::sequencer::Increment;
use layotto_component_api::ComponentError;
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::sequencer_options::AutoIncrement;
use layotto_proto::spec::proto::runtime::v1::{GetNextIdRequest, GetNextIdResponse};

use super::{errors, meta, required, unary, Ctx};
use segments::{Segments, Take, SEGMENT_SIZE};

type Sequencer = dyn layotto_component_api::Sequencer;

/// How long a caller waits for a segment fetch.
const FETCH_WAIT: Duration = Duration::from_secs(2);

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "GetNextId", get_next_id);
}

async fn get_next_id(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetNextIdRequest,
) -> Result<GetNextIdResponse, Status> {
    let store = ctx.stores.sequencer.get(&req.store_name)?;
    required(&req.key, "key")?;
    let key = store
        .prefix
        .sequencer_key(&ctx.app_id, &store.name, &req.key)
        .map_err(|e| errors::status("sequencer key", &e))?;
    let strong = req
        .options
        .as_ref()
        .is_some_and(|o| o.increment() == AutoIncrement::Strong);
    let doing = format!("sequencer {:?}: next id", store.name);
    let next_id = if strong {
        store
            .handle
            .next_id(key, Increment::Strong, meta(req.metadata))
            .await
            .map_err(errors::with(&doing))?
    } else if store.handle.supports_segments() {
        ctx.weak_ids
            .next(&store.name, &store.handle, key)
            .await
            .map_err(errors::with(&doing))?
    } else {
        store
            .handle
            .next_id(key, Increment::Weak, meta(req.metadata))
            .await
            .map_err(errors::with(&doing))?
    };
    Ok(GetNextIdResponse { next_id })
}

/// One worker's WEAK cache: segments per (store, key).
#[derive(Default)]
pub(crate) struct WeakIds {
    keys: RefCell<HashMap<(String, String), Rc<KeyIds>>>,
}

/// One key's segments, and the callers waiting for a fetch.
#[derive(Default)]
struct KeyIds {
    segments: RefCell<Segments>,
    /// Bumped when a fetch ends; waiters wake on a change.
    generation: Cell<u64>,
    /// The last failed fetch and its generation, so waiters report it.
    failure: RefCell<Option<(u64, ComponentError)>>,
    waiters: RefCell<Vec<Waker>>,
}

impl KeyIds {
    fn finish(&self, result: Result<layotto_component_api::sequencer::Segment, ComponentError>) {
        let generation = self.generation.get() + 1;
        self.generation.set(generation);
        match result {
            Ok(seg) => self.segments.borrow_mut().fill(seg),
            Err(e) => {
                self.segments.borrow_mut().failed();
                *self.failure.borrow_mut() = Some((generation, e));
            }
        }
        for w in self.waiters.borrow_mut().drain(..) {
            w.wake();
        }
    }

    /// Waits until the generation moves past `seen`.
    async fn changed(&self, seen: u64) {
        poll_fn(|cx| {
            if self.generation.get() != seen {
                return Poll::Ready(());
            }
            self.waiters.borrow_mut().push(cx.waker().clone());
            Poll::Pending
        })
        .await
    }
}

/// Fetches one segment in its own task; the result lands in `ids` whatever the callers do.
fn spawn_fetch(ids: Rc<KeyIds>, seq: Rc<Sequencer>, key: String) {
    monoio::spawn(async move {
        let result = match monoio::time::timeout(FETCH_WAIT, seq.segment(key, SEGMENT_SIZE)).await {
            Ok(r) => r,
            Err(_) => Err(ComponentError::Timeout {
                op: "reserving a segment of ids",
            }),
        };
        ids.finish(result);
    });
}

impl WeakIds {
    async fn next(
        &self,
        store: &str,
        seq: &Rc<Sequencer>,
        key: String,
    ) -> Result<i64, ComponentError> {
        let ids = Rc::clone(
            self.keys
                .borrow_mut()
                .entry((store.to_owned(), key.clone()))
                .or_default(),
        );
        let wait = async {
            loop {
                let seen = ids.generation.get();
                let take = ids.segments.borrow_mut().take();
                match take {
                    Take::Id { id, prefetch } => {
                        if prefetch {
                            spawn_fetch(Rc::clone(&ids), Rc::clone(seq), key.clone());
                        }
                        return Ok(id);
                    }
                    Take::Fetch => spawn_fetch(Rc::clone(&ids), Rc::clone(seq), key.clone()),
                    Take::Wait => {}
                }
                ids.changed(seen).await;
                if let Some((g, e)) = ids.failure.borrow().as_ref() {
                    if *g > seen {
                        return Err(e.clone());
                    }
                }
            }
        };
        match monoio::time::timeout(FETCH_WAIT, wait).await {
            Ok(r) => r,
            Err(_) => Err(ComponentError::Timeout {
                op: "waiting for a segment of ids",
            }),
        }
    }
}

#[cfg(test)]
mod tests;
