//! A Redis client for one worker core: RESP2 over monoio, pipelined, reconnecting.
//!
//! Why not a general-purpose client: the sidecar runs one monoio runtime per core and shares
//! nothing between them, so each worker owns its [`Client`] and its connections (`Rc`, no
//! locks). Every call is written into its connection's output buffer and the connection's
//! writer task sends whatever has accumulated in one write, so concurrent calls from many gRPC
//! streams become one pipelined batch per event-loop turn without anybody asking for it.
//! Replies come back in order, and the reader hands each to the oldest waiting call.
//!
//! Failure rules, chosen so that a slow or dead Redis never hangs a caller:
//! - every call has a deadline (`read_timeout`); a call that misses it fails with
//!   [`RespError::Timeout`] and its connection is closed, since the replies on it can no longer
//!   be matched to anyone who cares;
//! - a connection that breaks fails every call waiting on it with [`RespError::Closed`]; the
//!   next call opens a new one;
//! - a connection that cannot be opened puts its slot into exponential backoff, and calls in
//!   that window fail at once with [`RespError::Unavailable`] instead of piling up;
//! - at most `max_in_flight` calls and `max_unsent` bytes wait per connection
//!   ([`RespError::Busy`] beyond);
//! - names are never resolved on a worker (that blocks): IP literals are used as they are,
//!   host names through an [`AddrCache`] the health [`probe`] fills from its own thread.
//!
//! Nothing is retried here: whether a command may be sent twice is the caller's business.
//!
//! The wire codec is the `redis-protocol` crate; [`Command`] encodes requests as arrays of
//! bulk strings, [`Reply`] is the decoded answer. [`Script`] runs Lua by SHA1 and falls back to
//! sending the body when the server's script cache does not have it. [`probe`] is a blocking
//! PING for health checks on a thread that is not a worker.
#![forbid(unsafe_code)]

mod client;
mod command;
mod config;
mod conn;
mod decoder;
mod error;
mod frame;
pub mod fuzz_logic;
mod handshake;
pub mod probe;
mod reply;
mod script;
mod slot;

pub use client::Client;
pub use command::Command;
pub use config::{AddrCache, ClientConfig};
pub use decoder::{DecodeError, Limits, ReplyDecoder};
pub use error::RespError;
pub use reply::Reply;
pub use script::Script;
