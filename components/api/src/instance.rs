//! Blueprint and instance: how one configured component becomes a handle on every worker.
//!
//! [`Registry::build`](crate::Registry::build) runs once on the main thread and returns the
//! blueprint, an `Arc<dyn Component>` that is `Send + Sync`: it holds what all cores share (an
//! in-memory store's one truth, a backend's address) and reports health. Each worker then calls
//! [`Component::instance`](crate::Component::instance) on its own thread and keeps the
//! [`Instance`] it gets: an `Rc` that never leaves that thread, so a backend can keep per-core
//! connections in `Rc<RefCell<..>>` with no lock. The futures instances return are `!Send` for
//! the same reason; [`Call`] is their boxed type.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use layotto_config::Api;

use crate::binding::OutputBinding;
use crate::configuration::ConfigStore;
use crate::file::FileStore;
use crate::hello::Hello;
use crate::lock::LockStore;
use crate::pubsub::PubSub;
use crate::secret::SecretStore;
use crate::sequencer::Sequencer;
use crate::state::StateStore;
use crate::ComponentError;

/// The future of one component call: boxed, `!Send`, borrowing the instance.
pub type Call<'a, T> = Pin<Box<dyn Future<Output = Result<T, ComponentError>> + 'a>>;

/// Which worker is asking for an instance. Defined here, not in the worker crate, so that
/// components do not depend on how workers are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerInfo {
    /// 0-based index of this worker.
    pub id: usize,
    /// How many workers there are in all.
    pub workers: usize,
}

/// One worker's handle on a component: one variant per API.
#[derive(Clone)]
pub enum Instance {
    Hello(Rc<dyn Hello>),
    State(Rc<dyn StateStore>),
    Lock(Rc<dyn LockStore>),
    Sequencer(Rc<dyn Sequencer>),
    ConfigStore(Rc<dyn ConfigStore>),
    PubSub(Rc<dyn PubSub>),
    File(Rc<dyn FileStore>),
    Binding(Rc<dyn OutputBinding>),
    SecretStore(Rc<dyn SecretStore>),
}

impl Instance {
    /// The API this instance serves, the same as its blueprint's.
    pub fn api(&self) -> Api {
        match self {
            Instance::Hello(_) => Api::Hello,
            Instance::State(_) => Api::State,
            Instance::Lock(_) => Api::Lock,
            Instance::Sequencer(_) => Api::Sequencer,
            Instance::ConfigStore(_) => Api::ConfigStore,
            Instance::PubSub(_) => Api::PubSub,
            Instance::File(_) => Api::File,
            Instance::Binding(_) => Api::Binding,
            Instance::SecretStore(_) => Api::SecretStore,
        }
    }
}

impl std::fmt::Debug for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Instance({})", self.api().key())
    }
}

macro_rules! accessor {
    ($name:ident, $variant:ident, $tr:ident) => {
        impl Instance {
            #[doc = concat!("The `", stringify!($tr), "` if this instance is one.")]
            pub fn $name(&self) -> Option<&Rc<dyn $tr>> {
                match self {
                    Instance::$variant(x) => Some(x),
                    _ => None,
                }
            }
        }
    };
}

accessor!(hello, Hello, Hello);
accessor!(state, State, StateStore);
accessor!(lock, Lock, LockStore);
accessor!(sequencer, Sequencer, Sequencer);
accessor!(config_store, ConfigStore, ConfigStore);
accessor!(pubsub, PubSub, PubSub);
accessor!(file, File, FileStore);
accessor!(binding, Binding, OutputBinding);
accessor!(secret_store, SecretStore, SecretStore);
