//! The Lua that makes etag checks atomic. Written for the layout Dapr v1.5.2's `redis` state
//! store uses, so both read and write the same keys: a hash per key with `data`, `version`
//! (the etag, an integer counter starting at 1) and, after a first-write save, `first-write`.
//!
//! A write passes when the key has no version yet, the version is empty, the caller's
//! expected version (ARGV "0" for none) equals it, or no etag was given and the key was never
//! written with first-write. A key holding another type (a plain string from some other
//! tool) is replaced. TTL is applied in the same script, so a value never exists without
//! the lifetime it was saved with (Dapr sends EXPIRE separately).

use layotto_resp_client::Script;

/// The error text scripts raise for a failed etag check; the caller maps it to Aborted.
pub(crate) const MISMATCH: &str = "ETAG_MISMATCH";

/// KEYS[1] = key; ARGV = expected version or "0", data, "0" to mark first-write else "1",
/// TTL seconds ("" for none, > 0 expire, <= 0 persist). Returns the new version.
///
/// Three commands on the common path (HMGET, HSET, HINCRBY): each `redis.call` costs Redis
/// about a microsecond, and this script is every SaveState.
pub(crate) const SET: &str = r#"
local key = KEYS[1]
local ok, cur = pcall(redis.call, "HMGET", key, "version", "first-write")
if not ok then
  redis.call("DEL", key)
  cur = { false, false }
end
local version, want, marked = cur[1], ARGV[1], cur[2] ~= false
if version and version ~= "" and not tonumber(version) then
  return redis.error_reply("STATE_CORRUPT version field is not a number")
end
if not (version == false or version == "" or version == want or (want == "0" and not marked)) then
  return redis.error_reply("ETAG_MISMATCH")
end
if ARGV[3] == "0" then
  redis.call("HSET", key, "data", ARGV[2], "first-write", "0")
else
  redis.call("HSET", key, "data", ARGV[2])
end
local v = redis.call("HINCRBY", key, "version", 1)
if ARGV[4] ~= "" then
  if tonumber(ARGV[4]) > 0 then redis.call("EXPIRE", key, ARGV[4]) else redis.call("PERSIST", key) end
end
return v
"#;

/// KEYS[1] = key; ARGV[1] = expected version, or "0" for an unconditional delete. Returns the
/// number of keys removed.
pub(crate) const DELETE: &str = r#"
local key = KEYS[1]
local want = ARGV[1]
if want == "0" or redis.call("TYPE", key).ok ~= "hash" then return redis.call("DEL", key) end
local version = redis.call("HGET", key, "version")
if version == false or version == "" or version == want then return redis.call("DEL", key) end
return redis.error_reply("ETAG_MISMATCH")
"#;

/// All-or-nothing transaction. KEYS[i] is operation i's key; ARGV holds four values per
/// operation: "set" or "del", the expected version ("0" for none), data, TTL ("" for none).
/// Every check runs first, against the state the earlier operations of the same transaction
/// leave behind; only if all pass is anything written. Upserts here never mark first-write,
/// as Dapr's do not. Fails with "ETAG_MISMATCH <i>" naming the first failing operation.
pub(crate) const TRANSACT: &str = r#"
local staged = {}
local function look(key)
  local s = staged[key]
  if s == nil then
    if redis.call("TYPE", key).ok == "hash" then
      s = { version = redis.call("HGET", key, "version"),
            marked = redis.call("HEXISTS", key, "first-write") == 1 }
    else
      s = { version = false, marked = false }
    end
    staged[key] = s
  end
  return s
end
for i = 1, #KEYS do
  local op, want = ARGV[4 * i - 3], ARGV[4 * i - 2]
  local s = look(KEYS[i])
  if op == "set" and s.version and s.version ~= "" and not tonumber(s.version) then
    return redis.error_reply("STATE_CORRUPT version field of operation " .. i .. " is not a number")
  end
  local free = s.version == false or s.version == "" or s.version == want
  if op == "set" then
    if not (free or (want == "0" and not s.marked)) then
      return redis.error_reply("ETAG_MISMATCH " .. i)
    end
    s.version = tostring((tonumber(s.version) or 0) + 1)
  else
    if not (free or want == "0") then return redis.error_reply("ETAG_MISMATCH " .. i) end
    s.version, s.marked = false, false
  end
end
for i = 1, #KEYS do
  local key, op, data, ttl = KEYS[i], ARGV[4 * i - 3], ARGV[4 * i - 1], ARGV[4 * i]
  if op == "set" then
    local kind = redis.call("TYPE", key).ok
    if kind ~= "hash" and kind ~= "none" then redis.call("DEL", key) end
    redis.call("HSET", key, "data", data)
    redis.call("HINCRBY", key, "version", 1)
    if ttl ~= "" then
      if tonumber(ttl) > 0 then redis.call("EXPIRE", key, ttl) else redis.call("PERSIST", key) end
    end
  else
    redis.call("DEL", key)
  end
end
return #KEYS
"#;

pub(crate) struct Scripts {
    pub(crate) set: Script,
    pub(crate) delete: Script,
    pub(crate) transact: Script,
}

impl Scripts {
    /// Every body, for `SCRIPT LOAD` on each new connection.
    pub(crate) fn bodies() -> Vec<bytes::Bytes> {
        let s = Scripts::new();
        vec![s.set.body(), s.delete.body(), s.transact.body()]
    }

    pub(crate) fn new() -> Scripts {
        Scripts {
            set: Script::new(SET),
            delete: Script::new(DELETE),
            transact: Script::new(TRANSACT),
        }
    }
}
