//! `secret_store`: named secrets, each a small map of values (Layotto §3.9).

use std::collections::BTreeMap;

use crate::{Call, Metadata};

/// One secret: usually `{key: value}`, several entries for multi-valued stores.
pub type Secret = BTreeMap<String, String>;

pub trait SecretStore {
    fn get(&self, key: String, metadata: Metadata) -> Call<'_, Secret>;

    /// Every secret the store holds, by name.
    fn bulk_get(&self, metadata: Metadata) -> Call<'_, BTreeMap<String, Secret>>;
}
