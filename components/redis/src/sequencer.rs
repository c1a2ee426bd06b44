//! `redis` sequencer in Layotto's layout: one integer key per sequence, `INCR` for each id,
//! `INCRBY` for a segment, so ids are unique across every sidecar on the same Redis.
//!
//! `biggerThan` floors are applied before the first id this worker hands out for that key (a
//! script sets the key to the floor unless it is already at or above it), rather than at
//! startup as Layotto does: the sidecar can start while Redis is down, and no id is served
//! before the floor holds. The script is idempotent, so every worker running it is harmless.
//! Floors use the key exactly as configured, like Layotto's (facts §3.4).

use std::cell::Cell;

use bytes::Bytes;
use layotto_component_api::sequencer::{Increment, Segment};
use layotto_component_api::{Call, ComponentError, Metadata, Sequencer};
use layotto_resp_client::{Client, Command, Script};

use crate::error::component;

/// Raises KEYS[1] to ARGV[1] unless it is already there; a non-number fails.
const FLOOR: &str = r#"
local cur = redis.call("GET", KEYS[1])
if cur ~= false then
  local n = tonumber(cur)
  if n == nil then return redis.error_reply("NOT_A_NUMBER the sequence key holds something else") end
  if n >= tonumber(ARGV[1]) then return 0 end
end
redis.call("SET", KEYS[1], ARGV[1])
return 1
"#;

pub(crate) struct RedisSequencer {
    client: Client,
    floors: Vec<(String, i64)>,
    floors_done: Cell<bool>,
    floor: Script,
}

impl RedisSequencer {
    pub(crate) fn new(client: Client, bigger_than: &[(String, i64)]) -> RedisSequencer {
        RedisSequencer {
            client,
            floors: bigger_than
                .iter()
                .filter(|(_, v)| *v > 0)
                .cloned()
                .collect(),
            floors_done: Cell::new(false),
            floor: Script::new(FLOOR),
        }
    }

    /// Every script body, for `SCRIPT LOAD` on each new connection.
    pub(crate) fn scripts() -> Vec<Bytes> {
        vec![Script::new(FLOOR).body()]
    }

    async fn ensure_floors(&self) -> Result<(), ComponentError> {
        if self.floors_done.get() {
            return Ok(());
        }
        let calls: Vec<(Vec<Bytes>, Vec<Bytes>)> = self
            .floors
            .iter()
            .map(|(k, v)| {
                (
                    vec![Bytes::from(k.clone())],
                    vec![Bytes::from(v.to_string())],
                )
            })
            .collect();
        if !calls.is_empty() {
            let replies = self
                .floor
                .run_all(&self.client, &calls)
                .await
                .map_err(component)?;
            for r in replies {
                r.into_result()
                    .map_err(|e| ComponentError::Internal(format!("applying biggerThan: {e}")))?;
            }
        }
        self.floors_done.set(true);
        Ok(())
    }

    async fn incr(&self, key: &str, by: i64) -> Result<i64, ComponentError> {
        if key.is_empty() {
            return Err(ComponentError::InvalidArgument(
                "empty sequencer key".into(),
            ));
        }
        self.ensure_floors().await?;
        let cmd = if by == 1 {
            Command::new("INCR").arg_str(key)
        } else {
            Command::new("INCRBY").arg_str(key).arg_int(by)
        };
        let reply = self.client.call(cmd).await.map_err(component)?;
        reply
            .into_result()
            .and_then(|r| r.as_int())
            .map_err(|e| ComponentError::Internal(format!("sequence key {key:?}: {e}")))
    }
}

impl Sequencer for RedisSequencer {
    fn next_id(&self, key: String, _: Increment, _: Metadata) -> Call<'_, i64> {
        Box::pin(async move { self.incr(&key, 1).await })
    }

    fn supports_segments(&self) -> bool {
        true
    }

    fn segment(&self, key: String, size: u32) -> Call<'_, Segment> {
        Box::pin(async move {
            if size == 0 {
                return Err(ComponentError::InvalidArgument(
                    "segment size must be > 0".into(),
                ));
            }
            let end = self.incr(&key, i64::from(size)).await?;
            Ok(Segment {
                start: end - i64::from(size) + 1,
                end,
            })
        })
    }
}
