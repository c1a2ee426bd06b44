//! Proto state messages → the component API's requests, with the store's key prefix applied.
//!
//! Pure, so the prefix and etag rules are tested without a store:
//! - the key is the store's strategy applied to the user's key (`none` by default for state,
//!   `appid` → `<app_id>||key`, `name` → `<store>||key`, custom → `<prefix>||key`); a key with
//!   `||` in it is INVALID_ARGUMENT;
//! - an absent `etag` message is "no etag", a present one passes its string through (the
//!   component API treats an empty string as "no etag" too, as Dapr's redis does);
//! - concurrency and consistency map one to one, unspecified to unspecified.

use layotto_component_api::key_prefix::{original_state_key, KeyPrefix};
use layotto_component_api::state::{
    Concurrency, Consistency, DeleteRequest, Operation, SetRequest,
};
use layotto_grpc_transport::Status;
use layotto_proto::spec::proto::runtime::v1::state_options::{StateConcurrency, StateConsistency};
use layotto_proto::spec::proto::runtime::v1::{
    Etag, StateItem, StateOptions, TransactionalStateOperation,
};

use crate::runtime::{errors, meta};

/// How a store's keys are built: its strategy, name, and the app's id.
pub(crate) struct Keys<'a> {
    pub(crate) prefix: &'a KeyPrefix,
    pub(crate) store: &'a str,
    pub(crate) app_id: &'a str,
}

impl Keys<'_> {
    /// The key the store sees for the user's `key`.
    pub(crate) fn stored(&self, key: &str) -> Result<String, Status> {
        if key.is_empty() {
            return Err(Status::invalid_argument("state key is empty"));
        }
        self.prefix
            .state_key(self.app_id, self.store, key)
            .map_err(|e| errors::status("state key", &e))
    }
}

/// The user's key back from a stored one, as results report it.
pub(crate) fn user_key(stored: &str) -> String {
    original_state_key(stored).to_owned()
}

pub(crate) fn consistency(c: StateConsistency) -> Consistency {
    match c {
        StateConsistency::ConsistencyUnspecified => Consistency::Unspecified,
        StateConsistency::ConsistencyEventual => Consistency::Eventual,
        StateConsistency::ConsistencyStrong => Consistency::Strong,
    }
}

fn concurrency(c: StateConcurrency) -> Concurrency {
    match c {
        StateConcurrency::ConcurrencyUnspecified => Concurrency::Unspecified,
        StateConcurrency::ConcurrencyFirstWrite => Concurrency::FirstWrite,
        StateConcurrency::ConcurrencyLastWrite => Concurrency::LastWrite,
    }
}

fn options(o: Option<StateOptions>) -> (Concurrency, Consistency) {
    o.map_or((Concurrency::Unspecified, Consistency::Unspecified), |o| {
        (concurrency(o.concurrency()), consistency(o.consistency()))
    })
}

fn etag(e: Option<Etag>) -> Option<String> {
    e.map(|e| e.value)
}

pub(crate) fn set_request(keys: &Keys<'_>, item: StateItem) -> Result<SetRequest, Status> {
    let (concurrency, consistency) = options(item.options);
    Ok(SetRequest {
        key: keys.stored(&item.key)?,
        value: item.value,
        etag: etag(item.etag),
        concurrency,
        consistency,
        metadata: meta(item.metadata),
    })
}

/// A delete from its parts (DeleteState) or from a [`StateItem`] (DeleteBulkState).
pub(crate) fn delete_request(
    keys: &Keys<'_>,
    key: &str,
    etag_msg: Option<Etag>,
    opts: Option<StateOptions>,
    metadata: std::collections::HashMap<String, String>,
) -> Result<DeleteRequest, Status> {
    let (concurrency, consistency) = options(opts);
    Ok(DeleteRequest {
        key: keys.stored(key)?,
        etag: etag(etag_msg),
        concurrency,
        consistency,
        metadata: meta(metadata),
    })
}

/// One transaction step; `None` for an entry without a request (skipped, as Layotto does).
pub(crate) fn operation(
    keys: &Keys<'_>,
    op: TransactionalStateOperation,
) -> Result<Option<Operation>, Status> {
    let Some(item) = op.request else {
        return Ok(None);
    };
    match op.operation_type.as_str() {
        "upsert" => Ok(Some(Operation::Upsert(set_request(keys, item)?))),
        "delete" => Ok(Some(Operation::Delete(delete_request(
            keys,
            &item.key,
            item.etag,
            item.options,
            item.metadata,
        )?))),
        other => Err(Status::unimplemented(format!(
            "transaction operation type {other:?} is not supported; use \"upsert\" or \"delete\""
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layotto_grpc_transport::Code;

    fn item(key: &str, etag: Option<&str>, concurrency: StateConcurrency) -> StateItem {
        StateItem {
            key: key.into(),
            value: "v".into(),
            etag: etag.map(|v| Etag { value: v.into() }),
            metadata: [("ttlInSeconds".to_owned(), "5".to_owned())].into(),
            options: Some(StateOptions {
                concurrency: concurrency as i32,
                consistency: StateConsistency::ConsistencyStrong as i32,
            }),
        }
    }

    #[test]
    fn prefixes_apply_per_strategy() {
        let cases = [
            (KeyPrefix::None, "k"),
            (KeyPrefix::AppId, "app1||k"),
            (KeyPrefix::Name, "kv||k"),
            (KeyPrefix::Custom("p".into()), "p||k"),
        ];
        for (prefix, want) in cases {
            let keys = Keys {
                prefix: &prefix,
                store: "kv",
                app_id: "app1",
            };
            assert_eq!(keys.stored("k").unwrap(), want);
            assert_eq!(user_key(want), "k");
        }
        let keys = Keys {
            prefix: &KeyPrefix::None,
            store: "kv",
            app_id: "",
        };
        assert_eq!(keys.stored("a||b").unwrap_err().code, Code::InvalidArgument);
        assert_eq!(keys.stored("").unwrap_err().code, Code::InvalidArgument);
    }

    #[test]
    fn items_keep_etag_options_and_metadata() {
        let keys = Keys {
            prefix: &KeyPrefix::AppId,
            store: "kv",
            app_id: "app1",
        };
        let r = set_request(
            &keys,
            item("k", Some("3"), StateConcurrency::ConcurrencyFirstWrite),
        )
        .unwrap();
        assert_eq!(r.key, "app1||k");
        assert_eq!(r.etag.as_deref(), Some("3"));
        assert_eq!(r.concurrency, Concurrency::FirstWrite);
        assert_eq!(r.consistency, Consistency::Strong);
        assert_eq!(
            r.metadata.get("ttlInSeconds").map(String::as_str),
            Some("5")
        );
        let r = set_request(
            &keys,
            item("k", None, StateConcurrency::ConcurrencyLastWrite),
        )
        .unwrap();
        assert_eq!(r.etag, None);
        assert_eq!(r.concurrency, Concurrency::LastWrite);
    }

    #[test]
    fn transaction_operations() {
        let keys = Keys {
            prefix: &KeyPrefix::None,
            store: "kv",
            app_id: "",
        };
        let op = |t: &str, req: Option<StateItem>| TransactionalStateOperation {
            operation_type: t.into(),
            request: req,
        };
        let i = || {
            Some(item(
                "k",
                Some("1"),
                StateConcurrency::ConcurrencyUnspecified,
            ))
        };
        assert!(matches!(
            operation(&keys, op("upsert", i())).unwrap(),
            Some(Operation::Upsert(_))
        ));
        match operation(&keys, op("delete", i())).unwrap() {
            Some(Operation::Delete(d)) => assert_eq!(d.etag.as_deref(), Some("1")),
            other => panic!("{other:?}"),
        }
        assert!(operation(&keys, op("upsert", None)).unwrap().is_none());
        assert_eq!(
            operation(&keys, op("merge", i())).unwrap_err().code,
            Code::Unimplemented
        );
    }
}
