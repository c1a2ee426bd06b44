//! Components whose backend is this machine: Dapr's `local.file` and `local.env` secret stores,
//! and Layotto's `local` file store (confined to one directory).
#![forbid(unsafe_code)]

mod file;
mod secret_env;
mod secret_file;
#[cfg(test)]
mod test_support;

pub use file::LocalFileStore;
pub use secret_env::EnvSecretStore;
pub use secret_file::FileSecretStore;

use layotto_component_api::{Api, Registry};

/// Registers `local.file` and `local.env` under `secret_store`, and `local` under `file`.
pub fn register(registry: &mut Registry) {
    registry.register(Api::File, "local", file::build);
    registry.register(Api::SecretStore, "local.file", secret_file::build);
    registry.register(Api::SecretStore, "local.env", secret_env::build);
}
