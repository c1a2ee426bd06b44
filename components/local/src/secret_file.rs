//! `local.file`: secrets in a JSON file, nested objects flattened with a separator (`a:b`).
//!
//! The file is read on each use rather than once at start: operators rotate it in place, and a
//! file that is missing or broken makes the component DOWN (naming the file and the error)
//! instead of aborting the sidecar, so readiness tells the orchestrator and recovers by itself
//! once the file is fixed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use layotto_component_api::{
    indicator_name, Api, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
};

pub struct FileSecretStore {
    indicator: String,
    path: PathBuf,
    separator: String,
}

pub(crate) fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let path = spec
        .metadata_str("secretsFile")
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ComponentError::Metadata {
            key: "secretsFile".into(),
            message: "required: the path of the JSON secrets file".into(),
        })?;
    Ok(Arc::new(FileSecretStore {
        indicator: indicator_name(spec),
        path: PathBuf::from(path),
        separator: spec
            .metadata_str("nestedSeparator")
            .unwrap_or_else(|| ":".to_owned()),
    }))
}

impl FileSecretStore {
    /// Every secret, flattened.
    pub fn load(&self) -> Result<BTreeMap<String, String>, String> {
        let text = std::fs::read_to_string(&self.path)
            .map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not valid JSON: {e}", self.path.display()))?;
        if !value.is_object() {
            return Err(format!("{} must hold a JSON object", self.path.display()));
        }
        let mut out = BTreeMap::new();
        flatten("", &value, &self.separator, &mut out);
        Ok(out)
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.load()?.remove(key))
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
        match self.load() {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(path: &std::path::Path) -> FileSecretStore {
        FileSecretStore {
            indicator: "secret_store/s".into(),
            path: path.to_owned(),
            separator: ":".into(),
        }
    }

    #[test]
    fn nested_secrets_flatten_and_health_follows_the_file() {
        let dir = std::env::temp_dir().join(format!("layotto-secret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secrets.json");
        let _ = std::fs::remove_file(&file);
        let s = store(&file);
        assert_eq!(s.health().status(), "DOWN");
        assert!(s.health().reason().contains("secrets.json"));
        std::fs::write(&file, r#"{"db":{"password":"pw","port":5432},"token":"t"}"#).unwrap();
        assert!(s.health().is_up());
        assert_eq!(s.get("db:password").unwrap().as_deref(), Some("pw"));
        assert_eq!(s.get("db:port").unwrap().as_deref(), Some("5432"));
        assert_eq!(s.get("nope").unwrap(), None);
        std::fs::write(&file, "not json").unwrap();
        assert!(s.health().reason().contains("not valid JSON"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
