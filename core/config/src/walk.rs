//! A cursor over one JSON object that knows its path and which keys were read.
//!
//! Every typed accessor marks its key as known; [`Obj::finish`] turns the keys nobody asked
//! for into warnings. That one mechanism gives every object in the config unknown-key
//! warnings without a list per struct going stale.

use serde_json::{Map, Value};

use crate::{ConfigError, JsonPath, Warning};

pub(crate) type Result<T> = std::result::Result<T, ConfigError>;

pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(crate) fn type_error(path: &JsonPath, expected: &'static str, found: &Value) -> ConfigError {
    ConfigError::Type {
        path: path.to_string(),
        expected,
        found: kind_of(found),
    }
}

pub(crate) fn invalid(path: &JsonPath, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_string(),
        message: message.into(),
    }
}

pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    pub(crate) path: JsonPath,
    read: Vec<&'a str>,
}

impl<'a> Obj<'a> {
    pub(crate) fn new(value: &'a Value, path: JsonPath) -> Result<Obj<'a>> {
        match value {
            Value::Object(map) => Ok(Obj {
                map,
                path,
                read: Vec::new(),
            }),
            other => Err(type_error(&path, "object", other)),
        }
    }

    pub(crate) fn at(&self, key: &str) -> JsonPath {
        self.path.key(key)
    }

    /// The raw value, marked as read. `null` counts as absent, as Go's decoder treats it.
    pub(crate) fn raw(&mut self, key: &str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.read.push(k.as_str());
        (!v.is_null()).then_some(v)
    }

    /// Marks keys as known without reading them: settings Layotto has that we accept and
    /// do not act on, which should not be reported as typos.
    pub(crate) fn accept(&mut self, keys: &[&str]) {
        for key in keys {
            self.raw(key);
        }
    }

    pub(crate) fn str(&mut self, key: &str) -> Result<Option<&'a str>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(type_error(&self.at(key), "string", other)),
        }
    }

    pub(crate) fn req_str(&mut self, key: &str) -> Result<&'a str> {
        self.str(key)?.ok_or_else(|| self.missing(key))
    }

    pub(crate) fn bool(&mut self, key: &str) -> Result<Option<bool>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(type_error(&self.at(key), "boolean", other)),
        }
    }

    pub(crate) fn u64(&mut self, key: &str) -> Result<Option<u64>> {
        match self.raw(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| type_error(&self.at(key), "non-negative integer", v)),
            Some(other) => Err(type_error(&self.at(key), "non-negative integer", other)),
        }
    }

    pub(crate) fn obj(&mut self, key: &str) -> Result<Option<Obj<'a>>> {
        let path = self.at(key);
        self.raw(key).map(|v| Obj::new(v, path)).transpose()
    }

    pub(crate) fn map(&mut self, key: &str) -> Result<Option<&'a Map<String, Value>>> {
        match self.raw(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(type_error(&self.at(key), "object", other)),
        }
    }

    /// The elements of an array with their paths; absent is empty.
    pub(crate) fn array(&mut self, key: &str) -> Result<Vec<(JsonPath, &'a Value)>> {
        let path = self.at(key);
        match self.raw(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| (path.index(i), v))
                .collect()),
            Some(other) => Err(type_error(&path, "array", other)),
        }
    }

    pub(crate) fn missing(&self, key: &str) -> ConfigError {
        ConfigError::Missing {
            path: self.at(key).to_string(),
        }
    }

    /// Reports every key that no accessor asked for.
    pub(crate) fn finish(self, warnings: &mut Vec<Warning>) {
        for key in self.map.keys() {
            if !self.read.contains(&key.as_str()) {
                warnings.push(Warning {
                    path: self.path.key(key).to_string(),
                    message: "unknown key, ignored".to_owned(),
                });
            }
        }
    }
}
