//! Components by name: the blueprints all workers share, and each worker's instances.
//!
//! A request names its component (`store_name`, `pubsub_name`, `service_name`, ...); the
//! lookup here gives the three answers Layotto's callers rely on: no component of that kind
//! at all is FAILED_PRECONDITION, an unknown name is INVALID_ARGUMENT listing the configured
//! ones (so a typo explains itself), and a component whose instance could not be built on
//! this worker is UNAVAILABLE with the reason, rather than a startup abort on one core.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::key_prefix::{KeyPrefix, METADATA_KEY};
use layotto_component_api::{
    Api, Component, ComponentSpec, ConfigStore, FileStore, Hello, Instance, LockStore,
    OutputBinding, PubSub, SecretStore, Sequencer, StateStore, WorkerInfo,
};
use layotto_grpc_transport::Status;

/// The key prefix strategy a component's config selects (`none` for APIs without keys).
pub(crate) fn prefix_of(spec: &ComponentSpec) -> Result<KeyPrefix, String> {
    let raw = spec.metadata_str(METADATA_KEY);
    match spec.api {
        Api::State => KeyPrefix::for_state(raw.as_deref()),
        Api::Lock => KeyPrefix::for_lock(raw.as_deref()),
        Api::Sequencer => KeyPrefix::for_sequencer(raw.as_deref()),
        _ => Ok(KeyPrefix::None),
    }
    .map_err(|e| format!("{}.metadata.{METADATA_KEY}: {e}", spec.path))
}

/// One configured component, as every worker builds its instance from it.
struct Blueprint {
    name: String,
    api: Api,
    prefix: KeyPrefix,
    component: Arc<dyn Component>,
}

/// The components of one gRPC listener.
pub(crate) struct Blueprints(Vec<Blueprint>);

impl Blueprints {
    /// Parses each store's `metadata.keyPrefix` once, so a bad one fails startup with its path.
    pub(crate) fn new(
        components: Vec<(ComponentSpec, Arc<dyn Component>)>,
    ) -> Result<Blueprints, String> {
        let mut out = Vec::with_capacity(components.len());
        for (spec, component) in components {
            let prefix = prefix_of(&spec)?;
            out.push(Blueprint {
                name: spec.name,
                api: spec.api,
                prefix,
                component,
            });
        }
        Ok(Blueprints(out))
    }

    /// This worker's instances; called on the worker's thread.
    pub(crate) fn instances(&self, info: &WorkerInfo) -> Stores {
        let mut s = Stores::default();
        for b in &self.0 {
            let built = b.component.instance(info);
            if let Err(e) = &built {
                tracing::error!(api = b.api.key(), name = %b.name, worker = info.id, error = %e,
                    "component instance failed; calls to it answer UNAVAILABLE on this worker");
            }
            let built = built.map_err(|e| e.to_string());
            let (name, prefix) = (b.name.clone(), b.prefix.clone());
            match b.api {
                Api::Hello => s.hello.put(name, prefix, built, Instance::hello),
                Api::State => s.state.put(name, prefix, built, Instance::state),
                Api::Lock => s.lock.put(name, prefix, built, Instance::lock),
                Api::Sequencer => s.sequencer.put(name, prefix, built, Instance::sequencer),
                Api::ConfigStore => s.config.put(name, prefix, built, Instance::config_store),
                Api::PubSub => s.pubsub.put(name, prefix, built, Instance::pubsub),
                Api::File => s.file.put(name, prefix, built, Instance::file),
                Api::Binding => s.binding.put(name, prefix, built, Instance::binding),
                Api::SecretStore => s.secret.put(name, prefix, built, Instance::secret_store),
                // Extension APIs (oss, cryption, email, phone, sms) have no Runtime methods.
                _ => {}
            }
        }
        s
    }
}

/// A named instance on this worker, with the key prefix strategy of its config.
pub(crate) struct Store<T: ?Sized> {
    pub(crate) name: String,
    pub(crate) handle: Rc<T>,
    pub(crate) prefix: KeyPrefix,
}

/// All instances of one API on this worker.
pub(crate) struct Kind<T: ?Sized> {
    what: &'static str,
    entries: BTreeMap<String, Result<Store<T>, String>>,
}

impl<T: ?Sized> Kind<T> {
    fn new(what: &'static str) -> Kind<T> {
        Kind {
            what,
            entries: BTreeMap::new(),
        }
    }

    fn put(
        &mut self,
        name: String,
        prefix: KeyPrefix,
        built: Result<Instance, String>,
        pick: fn(&Instance) -> Option<&Rc<T>>,
    ) {
        let slot = built.and_then(|i| {
            pick(&i)
                .map(|handle| Store {
                    name: name.clone(),
                    handle: Rc::clone(handle),
                    prefix,
                })
                .ok_or_else(|| format!("the component built a {} instance", i.api().key()))
        });
        self.entries.insert(name, slot);
    }

    /// The configured names, sorted.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// The instance called `name`, or the status that explains why there is none.
    pub(crate) fn get(&self, name: &str) -> Result<&Store<T>, Status> {
        if self.entries.is_empty() {
            return Err(Status::failed_precondition(format!(
                "no {} is configured",
                self.what
            )));
        }
        match self.entries.get(name) {
            Some(Ok(store)) => Ok(store),
            Some(Err(reason)) => Err(Status::unavailable(format!(
                "{} {name:?} is unavailable on this worker: {reason}",
                self.what
            ))),
            None => Err(Status::invalid_argument(format!(
                "{} {name:?} is not found; configured: {}",
                self.what,
                self.names().join(", ")
            ))),
        }
    }
}

/// One worker's instances, by API.
pub(crate) struct Stores {
    pub(crate) hello: Kind<dyn Hello>,
    pub(crate) state: Kind<dyn StateStore>,
    pub(crate) lock: Kind<dyn LockStore>,
    pub(crate) sequencer: Kind<dyn Sequencer>,
    pub(crate) config: Kind<dyn ConfigStore>,
    pub(crate) pubsub: Kind<dyn PubSub>,
    pub(crate) file: Kind<dyn FileStore>,
    pub(crate) binding: Kind<dyn OutputBinding>,
    pub(crate) secret: Kind<dyn SecretStore>,
}

impl Default for Stores {
    fn default() -> Stores {
        Stores {
            hello: Kind::new("hello service"),
            state: Kind::new("state store"),
            lock: Kind::new("lock store"),
            sequencer: Kind::new("sequencer"),
            config: Kind::new("configuration store"),
            pubsub: Kind::new("pubsub"),
            file: Kind::new("file store"),
            binding: Kind::new("output binding"),
            secret: Kind::new("secret store"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layotto_grpc_transport::Code;

    struct Nop;

    #[test]
    fn lookups_explain_themselves() {
        let mut k: Kind<Nop> = Kind::new("state store");
        let err = k.get("x").err().map(|s| (s.code, s.message));
        assert_eq!(
            err,
            Some((
                Code::FailedPrecondition,
                "no state store is configured".into()
            ))
        );
        k.entries.insert(
            "b".into(),
            Ok(Store {
                name: "b".into(),
                handle: Rc::new(Nop),
                prefix: KeyPrefix::None,
            }),
        );
        k.entries.insert("a".into(), Err("no connection".into()));
        let err = k.get("x").err().map(|s| (s.code, s.message));
        assert_eq!(
            err,
            Some((
                Code::InvalidArgument,
                "state store \"x\" is not found; configured: a, b".into()
            ))
        );
        let err = k.get("a").err().map(|s| s.code);
        assert_eq!(err, Some(Code::Unavailable));
        assert!(k.get("b").is_ok());
    }
}
