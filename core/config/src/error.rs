//! What can be wrong with a config, and what is merely suspicious.

use std::fmt;

/// The first error found in a config. Paths are rendered [`crate::JsonPath`]s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not JSON at all.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A value of the wrong JSON type.
    #[error("{path}: expected {expected}, found {found}")]
    Type {
        path: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A required key is absent.
    #[error("{path}: missing required key")]
    Missing { path: String },
    /// The right type, but a value that cannot be used.
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl ConfigError {
    /// The JSON path of the offending value, where there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            ConfigError::Syntax { .. } => None,
            ConfigError::Type { path, .. }
            | ConfigError::Missing { path }
            | ConfigError::Invalid { path, .. } => Some(path),
        }
    }
}

/// A key the parser does not know, or a setting it accepts but does not act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
