//! Layotto's key-prefix strategies: how a user's key becomes the key a store sees.
//!
//! Pure string logic, applied by the Runtime API (which knows the app id and the store's name),
//! not by components, so every backend sees the same keys. The strategy comes from the store's
//! `metadata.keyPrefix`, lower-cased (a custom prefix too, as Layotto lower-cases the whole
//! value before using it):
//!
//! | strategy | state (default `none`) | lock (default `appid`) | sequencer (default `appid`) |
//! |---|---|---|---|
//! | `none` | `key` | `lock|||key` | `sequencer|||key` |
//! | `appid` | `app||key` (`key` if no app id) | `lock|||app||key` (`lock|||key`) | `sequencer|||app||key` |
//! | `name` | `store||key` | `lock|||store||key` | `sequencer|||store||key` |
//! | other `p` | `p||key` | `lock|||p||key` | `sequencer|||p||key` |
//!
//! `||` is the separator, so neither a key nor a custom prefix may contain it.

use crate::ComponentError;

/// The separator between prefix and key.
pub const SEPARATOR: &str = "||";
/// The metadata key that selects the strategy.
pub const METADATA_KEY: &str = "keyPrefix";
/// The fixed head of every lock key.
pub const LOCK_HEAD: &str = "lock|||";
/// The fixed head of every sequencer key.
pub const SEQUENCER_HEAD: &str = "sequencer|||";

/// A parsed `keyPrefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyPrefix {
    None,
    AppId,
    Name,
    Custom(String),
}

impl KeyPrefix {
    /// Parses `metadata.keyPrefix`; a missing or empty value gives `default`.
    pub fn parse(value: Option<&str>, default: KeyPrefix) -> Result<KeyPrefix, ComponentError> {
        let Some(raw) = value.filter(|v| !v.is_empty()) else {
            return Ok(default);
        };
        if raw.contains(SEPARATOR) {
            return Err(ComponentError::Metadata {
                key: METADATA_KEY.into(),
                message: format!("{raw:?} must not contain {SEPARATOR:?}"),
            });
        }
        Ok(match raw.to_lowercase().as_str() {
            "none" => KeyPrefix::None,
            "appid" => KeyPrefix::AppId,
            "name" => KeyPrefix::Name,
            other => KeyPrefix::Custom(other.to_owned()),
        })
    }

    /// State's strategy: Layotto's default is `none` (Dapr's would be `appid`).
    pub fn for_state(value: Option<&str>) -> Result<KeyPrefix, ComponentError> {
        KeyPrefix::parse(value, KeyPrefix::None)
    }

    /// Lock's and sequencer's strategy: default `appid`.
    pub fn for_lock(value: Option<&str>) -> Result<KeyPrefix, ComponentError> {
        KeyPrefix::parse(value, KeyPrefix::AppId)
    }

    /// Same rules as lock.
    pub fn for_sequencer(value: Option<&str>) -> Result<KeyPrefix, ComponentError> {
        KeyPrefix::parse(value, KeyPrefix::AppId)
    }

    /// `key` with this prefix, before any fixed head.
    fn apply(&self, app_id: &str, store_name: &str, key: &str) -> Result<String, ComponentError> {
        if key.contains(SEPARATOR) {
            return Err(ComponentError::InvalidArgument(format!(
                "key {key:?} must not contain {SEPARATOR:?}"
            )));
        }
        Ok(match self {
            KeyPrefix::None => key.to_owned(),
            KeyPrefix::AppId if app_id.is_empty() => key.to_owned(),
            KeyPrefix::AppId => format!("{app_id}{SEPARATOR}{key}"),
            KeyPrefix::Name => format!("{store_name}{SEPARATOR}{key}"),
            KeyPrefix::Custom(p) => format!("{p}{SEPARATOR}{key}"),
        })
    }

    /// The key a state store sees for the user's `key`.
    pub fn state_key(
        &self,
        app_id: &str,
        store: &str,
        key: &str,
    ) -> Result<String, ComponentError> {
        self.apply(app_id, store, key)
    }

    /// The key a lock store sees for `resource_id`.
    pub fn lock_key(&self, app_id: &str, store: &str, id: &str) -> Result<String, ComponentError> {
        Ok(format!("{LOCK_HEAD}{}", self.apply(app_id, store, id)?))
    }

    /// The key a sequencer sees for the user's `key`.
    pub fn sequencer_key(
        &self,
        app_id: &str,
        store: &str,
        key: &str,
    ) -> Result<String, ComponentError> {
        Ok(format!(
            "{SEQUENCER_HEAD}{}",
            self.apply(app_id, store, key)?
        ))
    }
}

/// The user's key back from a stored state key: the part after the first `||` (up to the next
/// one, though a valid key holds none), or the whole key if it has no prefix.
pub fn original_state_key(stored: &str) -> &str {
    match stored.split_once(SEPARATOR) {
        Some((_, rest)) => rest.split(SEPARATOR).next().unwrap_or(rest),
        None => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_strategies() {
        let none = KeyPrefix::for_state(None).unwrap();
        assert_eq!(none, KeyPrefix::None);
        assert_eq!(none.state_key("app", "redis", "k").unwrap(), "k");
        let appid = KeyPrefix::for_state(Some("AppId")).unwrap();
        assert_eq!(appid.state_key("app", "redis", "k").unwrap(), "app||k");
        assert_eq!(appid.state_key("", "redis", "k").unwrap(), "k");
        let name = KeyPrefix::for_state(Some("name")).unwrap();
        assert_eq!(name.state_key("app", "redis", "k").unwrap(), "redis||k");
        let custom = KeyPrefix::for_state(Some("MyPrefix")).unwrap();
        assert_eq!(
            custom.state_key("app", "redis", "k").unwrap(),
            "myprefix||k"
        );
        assert_eq!(
            KeyPrefix::for_state(Some("")).unwrap(),
            KeyPrefix::None,
            "an empty value is the default"
        );
    }

    #[test]
    fn lock_strategies_default_to_appid() {
        let d = KeyPrefix::for_lock(None).unwrap();
        assert_eq!(d.lock_key("app", "s", "r").unwrap(), "lock|||app||r");
        assert_eq!(d.lock_key("", "s", "r").unwrap(), "lock|||r");
        let none = KeyPrefix::for_lock(Some("none")).unwrap();
        assert_eq!(none.lock_key("app", "s", "r").unwrap(), "lock|||r");
        let name = KeyPrefix::for_lock(Some("name")).unwrap();
        assert_eq!(name.lock_key("app", "s", "r").unwrap(), "lock|||s||r");
        let c = KeyPrefix::for_lock(Some("p")).unwrap();
        assert_eq!(c.lock_key("app", "s", "r").unwrap(), "lock|||p||r");
    }

    #[test]
    fn sequencer_strategies_default_to_appid() {
        let d = KeyPrefix::for_sequencer(None).unwrap();
        assert_eq!(
            d.sequencer_key("app", "s", "k").unwrap(),
            "sequencer|||app||k"
        );
        assert_eq!(d.sequencer_key("", "s", "k").unwrap(), "sequencer|||k");
        let none = KeyPrefix::for_sequencer(Some("NONE")).unwrap();
        assert_eq!(
            none.sequencer_key("app", "s", "k").unwrap(),
            "sequencer|||k"
        );
        let name = KeyPrefix::for_sequencer(Some("name")).unwrap();
        assert_eq!(
            name.sequencer_key("a", "s", "k").unwrap(),
            "sequencer|||s||k"
        );
        let c = KeyPrefix::for_sequencer(Some("x")).unwrap();
        assert_eq!(c.sequencer_key("a", "s", "k").unwrap(), "sequencer|||x||k");
    }

    #[test]
    fn separator_is_refused_in_keys_and_prefixes() {
        assert!(matches!(
            KeyPrefix::for_state(Some("a||b")),
            Err(ComponentError::Metadata { .. })
        ));
        let d = KeyPrefix::for_lock(None).unwrap();
        assert!(matches!(
            d.lock_key("app", "s", "x||y"),
            Err(ComponentError::InvalidArgument(_))
        ));
        assert!(KeyPrefix::None.state_key("", "", "a||b").is_err());
        // A single bar is an ordinary character.
        assert_eq!(KeyPrefix::None.state_key("", "", "a|b").unwrap(), "a|b");
    }

    #[test]
    fn original_keys_drop_the_prefix() {
        assert_eq!(original_state_key("app||k"), "k");
        assert_eq!(original_state_key("k"), "k");
        assert_eq!(original_state_key("a||b||c"), "b");
        assert_eq!(original_state_key("||k"), "k");
    }
}
