//! `config_store`: application configuration with change subscriptions (Layotto §3.5).

use crate::{Call, Metadata};

/// The group and label a blank one stands for.
pub const DEFAULT_GROUP: &str = "default";
pub const DEFAULT_LABEL: &str = "default";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigurationItem {
    pub key: String,
    pub content: String,
    pub group: String,
    pub label: String,
    pub tags: Metadata,
    pub metadata: Metadata,
}

/// Which items a get, delete or subscribe is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigQuery {
    pub app_id: String,
    pub group: String,
    pub label: String,
    /// Empty: every key.
    pub keys: Vec<String>,
    pub metadata: Metadata,
}

/// `value`, or `default` when it is blank.
pub fn or_default(value: &str, default: &str) -> String {
    if value.trim().is_empty() {
        default.to_owned()
    } else {
        value.to_owned()
    }
}

pub trait ConfigStore {
    fn get(&self, query: ConfigQuery) -> Call<'_, Vec<ConfigurationItem>>;

    fn save(
        &self,
        app_id: String,
        items: Vec<ConfigurationItem>,
        metadata: Metadata,
    ) -> Call<'_, ()>;

    fn delete(&self, query: ConfigQuery) -> Call<'_, ()>;

    /// Watches the queried keys. Dropping the subscription ends it.
    fn subscribe(&self, query: ConfigQuery) -> Call<'_, Box<dyn ConfigSubscription>>;
}

/// A stream of changes to the watched keys.
pub trait ConfigSubscription {
    /// The next batch of changed items. An error ends the subscription (e.g. it fell too far
    /// behind and was dropped); the caller may subscribe again.
    fn next(&self) -> Call<'_, Vec<ConfigurationItem>>;
}
