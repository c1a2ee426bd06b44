//! `local.file`: secrets in a JSON file (Dapr v1.5.2, facts §3.9).
//!
//! Without `multiValued`, nested objects are flattened with `nestedSeparator` (default `:`):
//! `{"db":{"user":"u"}}` is the secret `db:user` = `{"db:user": "u"}`, and `db` alone is not
//! found. With `multiValued`, each top-level key is one secret whose entries are its value
//! flattened (`db` = `{"user": "u"}`).
//!
//! The file is read on each use rather than once at start: operators rotate it in place, and a
//! file that is missing or broken makes the component DOWN (naming the file and the error)
//! instead of aborting the sidecar, so readiness tells the orchestrator and recovers by itself
//! once the file is fixed. The read is a small blocking file read on the worker's thread.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use layotto_component_api::secret::Secret;
use layotto_component_api::{
    indicator_name, Api, Call, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Instance, Metadata, SecretStore, WorkerInfo,
};

pub struct FileSecretStore {
    indicator: String,
    file: SecretFile,
}

/// Where the secrets are and how to read them; each worker's instance holds a copy.
#[derive(Clone)]
struct SecretFile {
    path: PathBuf,
    separator: String,
    multi_valued: bool,
}

pub(crate) fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let path = spec
        .metadata_str("secretsFile")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ComponentError::Metadata {
            key: "secretsFile".into(),
            message: "required: the path of the JSON secrets file".into(),
        })?;
    let multi_valued = match spec.metadata_str("multiValued").as_deref() {
        None | Some("") => false,
        Some(v) => v.parse::<bool>().map_err(|_| ComponentError::Metadata {
            key: "multiValued".into(),
            message: format!("{v:?} is not true or false"),
        })?,
    };
    Ok(Arc::new(FileSecretStore {
        indicator: indicator_name(spec),
        file: SecretFile {
            path: PathBuf::from(path),
            separator: spec
                .metadata_str("nestedSeparator")
                .unwrap_or_else(|| ":".to_owned()),
            multi_valued,
        },
    }))
}

impl FileSecretStore {
    /// Every secret, flattened.
    pub fn load(&self) -> Result<BTreeMap<String, String>, String> {
        let value = self.file.read()?;
        let mut out = BTreeMap::new();
        flatten("", &value, &self.file.separator, &mut out);
        Ok(out)
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.load()?.remove(key))
    }
}

impl SecretFile {
    fn read(&self) -> Result<Value, String> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", self.path.display()))?;
        if !value.is_object() {
            return Err(format!("{} must hold a JSON object", self.path.display()));
        }
        Ok(value)
    }

    /// Every secret by name, in this store's shape.
    fn secrets(&self) -> Result<BTreeMap<String, Secret>, ComponentError> {
        let value = self.read().map_err(ComponentError::Unavailable)?;
        let mut out = BTreeMap::new();
        if self.multi_valued {
            if let Value::Object(map) = &value {
                for (k, v) in map {
                    let mut entries = BTreeMap::new();
                    match v {
                        Value::Object(_) => flatten("", v, &self.separator, &mut entries),
                        other => flatten(k, other, &self.separator, &mut entries),
                    }
                    out.insert(k.clone(), entries);
                }
            }
        } else {
            let mut flat = BTreeMap::new();
            flatten("", &value, &self.separator, &mut flat);
            for (k, v) in flat {
                out.insert(k.clone(), BTreeMap::from([(k, v)]));
            }
        }
        Ok(out)
    }
}

impl SecretStore for SecretFile {
    fn get(&self, key: String, _: Metadata) -> Call<'_, Secret> {
        Box::pin(async move {
            self.secrets()?
                .remove(&key)
                .ok_or(ComponentError::NotFound {
                    what: "secret",
                    name: key,
                })
        })
    }

    fn bulk_get(&self, _: Metadata) -> Call<'_, BTreeMap<String, Secret>> {
        Box::pin(async move { self.secrets() })
    }
}

fn flatten(prefix: &str, value: &Value, sep: &str, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}{sep}{k}")
                };
                flatten(&key, v, sep, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

impl HealthIndicator for FileSecretStore {
    fn name(&self) -> &str {
        &self.indicator
    }
    fn health(&self) -> Health {
        match self.file.read() {
            Ok(_) => Health::Up,
            Err(reason) => Health::Down(reason),
        }
    }
}

impl Component for FileSecretStore {
    fn api(&self) -> Api {
        Api::SecretStore
    }
    fn type_name(&self) -> &str {
        "local.file"
    }
    fn instance(&self, _: &WorkerInfo) -> Result<Instance, ComponentError> {
        Ok(Instance::SecretStore(Rc::new(self.file.clone())))
    }
}

#[cfg(test)]
mod tests;
