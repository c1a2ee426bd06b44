//! The streaming scenarios: the sidecar's SubscribeConfiguration, the
//! Runtime's subscription stream, against `tonic-runtime-peer` doing the
//! same in-memory work (perf/tonic-peer/src/config.rs).
//!
//! - `grpc-bidi-pingpong`: request-reply on open streams. Each message
//!   subscribes to one existing key and its reply is the push of that key's
//!   current value; a sample is one round trip. Every message adds a
//!   subscription that lives until its stream ends, so a stream is kept to
//!   [`MESSAGES`] round trips. The sidecar's cost per subscription grows
//!   with the subscriptions alive (each one dropped scans the store's whole
//!   watcher list, each stream polls all of its own), tonic's does not: by
//!   hand, 16 x 16 streams, round trips/s sidecar vs tonic were 166k vs 82k
//!   at 3 per stream, 114k vs 113k at 10, 68k vs 109k at 30 and 13k vs 83k
//!   at 100, both servers CPU-bound. Longer streams would measure that
//!   bookkeeping, shorter ones mostly stream setup.
//! - `grpc-config-push`: many messages on one stream, what a subscriber
//!   lives on. One subscription per connection, and SaveConfiguration calls
//!   on the same connection whose changes the server pushes on it
//!   ([`ConfigPush`]); a sample is the time from a save to its push.
//!
//! There is no server-streaming scenario: the Runtime's only
//! server-streaming method is GetFile, whose 100 KiB chunks would make a
//! messages/s figure a bytes/s one (see protocol/grpc/push.rs).
//!
//! Same multiplexed load as the unary gRPC scenarios ([`CONNECTIONS`] x
//! [`STREAMS`] from one thread), on a shorter window: with these two the
//! default suite took 286 s of its five minutes.

use std::time::Duration;

use super::compare::{alternate, Comparison, Outcome};
use super::grpc::{measured, servers, side, skipped, spec, CONNECTIONS, GOAL, KEY_SPACE, STREAMS};
use super::peers::Running;
use super::scenarios::Settings;
use crate::load::Stop;
use crate::measure::measure;
use crate::protocol::grpc::push::ConfigPush;
use crate::protocol::grpc::requests::Scenario;
use crate::protocol::grpc::Grpc;
use crate::report::RunReport;

/// Round trips per ping-pong stream before the client half-closes it.
pub const MESSAGES: u32 = 10;

/// Measured window and warm-up: half the HTTP/1 scenarios' window, and a
/// quarter of their warm-up (enough to open every connection and stream).
fn window(s: &Settings) -> (Duration, Duration) {
    (s.duration.mul_f64(0.5), s.warmup / 4)
}

fn load_text(s: &Settings) -> String {
    let (d, w) = window(s);
    format!(
        "closed loop from `layotto-perf grpc`, 1 thread, {CONNECTIONS} connections, \
         {:.1} s measured after {:.1} s of warm-up, against servers with {} worker on the \
         server core",
        d.as_secs_f64(),
        w.as_secs_f64(),
        s.workers
    )
}

/// Saves every configuration key once, in one call, so each subscription
/// is answered with a current value.
fn fill(s: &Settings, srv: &Running) -> Result<(), String> {
    let proto = Grpc::new(
        &srv.addr.to_string(),
        Scenario::SaveConfig.method(),
        &Scenario::SaveConfig.messages(KEY_SPACE),
    )?;
    let stop = Stop::Requests {
        count: 1,
        cap: Duration::from_secs(10),
    };
    let one = crate::load::LoadSpec {
        connections: 1,
        inflight: 1,
        ..spec(s, srv.addr, stop, Duration::ZERO)
    };
    let r = measure(&proto, &one, "fill", &[]).map_err(|e| e.to_string())?;
    if r.ok != 1 || r.error_total() > 0 {
        return Err(format!(
            "saving {KEY_SPACE} configuration keys failed: {:?}",
            r.errors
        ));
    }
    Ok(())
}

fn pingpong(s: &Settings, label: &str, srv: &Running) -> Result<RunReport, String> {
    let proto = Grpc::new(
        &srv.addr.to_string(),
        Scenario::Subscribe.method(),
        &Scenario::Subscribe.messages(KEY_SPACE),
    )?
    .bidi(MESSAGES)?;
    let (d, w) = window(s);
    let spec = spec(s, srv.addr, Stop::After(d), w);
    measure(&proto, &spec, label, &[srv.target.pid()]).map_err(|e| e.to_string())
}

fn push(s: &Settings, label: &str, srv: &Running) -> Result<RunReport, String> {
    let proto = ConfigPush::new(&srv.addr.to_string());
    let (d, w) = window(s);
    let spec = spec(s, srv.addr, Stop::After(d), w);
    measure(&proto, &spec, label, &[srv.target.pid()]).map_err(|e| e.to_string())
}

pub fn bidi_pingpong(s: &Settings) -> Vec<Outcome> {
    let (id, title) = (
        "grpc-bidi-pingpong",
        "gRPC bidi ping-pong (SubscribeConfiguration): layotto vs tonic",
    );
    let (layotto, tonic) = match servers(s) {
        Ok(pair) => pair,
        Err(e) => return skipped(id, title, format!("a server did not start: {e}")),
    };
    if let Err(e) = fill(s, &layotto).and_then(|()| fill(s, &tonic)) {
        return skipped(id, title, e);
    }
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "Round trips on open bidi streams: each message is a `SubscribeConfigurationRequest` \
             for one of {KEY_SPACE} keys of `config_demo` (saved first, 100-byte contents), \
             answered by the push of its current value; {STREAMS} streams per connection, \
             {MESSAGES} round trips per stream, then the client half-closes and the last round \
             trip ends at the trailers (so 1 in {MESSAGES} samples includes opening the stream \
             and 1 in {MESSAGES} its close). Each message adds a subscription until its stream \
             ends, on both servers; hence short streams. {}. Throughput is round trips per \
             second; latency is per round trip.",
            load_text(s)
        ),
        goal: Some(GOAL.into()),
        unit: Some("round trips".into()),
        ours: side("layotto"),
        peer: side("tonic"),
    };
    let res = alternate(
        s,
        |_| pingpong(s, "layotto", &layotto),
        |_, _| pingpong(s, "tonic", &tonic),
    );
    measured(c, res)
}

pub fn config_push(s: &Settings) -> Vec<Outcome> {
    let (id, title) = (
        "grpc-config-push",
        "gRPC config pushes, many per stream (SubscribeConfiguration): layotto vs tonic",
    );
    let (layotto, tonic) = match servers(s) {
        Ok(pair) => pair,
        Err(e) => return skipped(id, title, format!("a server did not start: {e}")),
    };
    let c = Comparison {
        id: id.into(),
        title: title.into(),
        what: format!(
            "Many messages on one long-lived stream, what a configuration subscriber lives on: \
             each connection holds one `SubscribeConfiguration` stream for a key of its own, and \
             keeps {STREAMS} `SaveConfiguration` calls of that key (100-byte contents) in flight \
             on other streams of the same connection; each save's change is pushed on the \
             subscription. A sample is complete when the save was answered and its push \
             arrived: latency is save-to-subscriber, throughput is pushes per second through \
             {CONNECTIONS} streams (one per connection). Pushes are matched to saves in order. \
             {}.",
            load_text(s)
        ),
        goal: Some(GOAL.into()),
        unit: Some("pushes".into()),
        ours: side("layotto"),
        peer: side("tonic"),
    };
    let res = alternate(
        s,
        |_| push(s, "layotto", &layotto),
        |_, _| push(s, "tonic", &tonic),
    );
    measured(c, res)
}
