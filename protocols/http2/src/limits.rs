//! Our local defaults: what we advertise in SETTINGS (RFC 9113 §6.5.2) and
//! the abuse limits the RFC leaves to implementations (§10.5).

use crate::frame::Settings;

/// SETTINGS_MAX_CONCURRENT_STREAMS we advertise.
pub const MAX_CONCURRENT_STREAMS: u32 = 100;
/// SETTINGS_INITIAL_WINDOW_SIZE we advertise: 1 MiB per stream, so a
/// sidecar hop does not throttle bulk gRPC transfers at the 64 KiB default.
pub const INITIAL_STREAM_WINDOW_SIZE: u32 = 1 << 20;
/// Connection receive window we grow to with WINDOW_UPDATE on stream 0
/// (its initial size is fixed at 65 535 by §6.9.2).
pub const CONNECTION_WINDOW_SIZE: u32 = 2 << 20;
/// SETTINGS_MAX_FRAME_SIZE we advertise (the protocol minimum).
pub const MAX_FRAME_SIZE: u32 = 16_384;
/// SETTINGS_HEADER_TABLE_SIZE we advertise (the protocol default).
pub const HEADER_TABLE_SIZE: u32 = 4_096;
/// SETTINGS_MAX_HEADER_LIST_SIZE we advertise.
pub const MAX_HEADER_LIST_SIZE: u32 = 64 << 10;
/// CONTINUATION frames accepted per field block (VU#421644 flood defence).
pub const MAX_CONTINUATION_FRAMES: usize = 5;
/// Encoded field block bytes accepted: twice the decoded list limit, since
/// HPACK rarely expands, but a literal block can exceed its decoded size.
pub const MAX_HEADER_BLOCK_SIZE: usize = 2 * MAX_HEADER_LIST_SIZE as usize;
/// SETTINGS entries accepted per frame; more is ENHANCE_YOUR_CALM.
pub const MAX_SETTINGS_PER_FRAME: usize = 32;

/// How long our SETTINGS may stay unacknowledged before GOAWAY(SETTINGS_TIMEOUT)
/// (RFC 9113 §6.5.3 leaves the value to us; 10 s as nghttp2/Go use).
pub const SETTINGS_ACK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

// ---- Abuse budgets of the connection (RFC 9113 §10.5; shared/http-defenses.md Part E) ----

/// Control frames we owe (SETTINGS/PING ACKs, RST_STREAM, WINDOW_UPDATE) not
/// yet written: past this, GOAWAY(ENHANCE_YOUR_CALM). A peer flooding PING
/// or SETTINGS while not reading our output (CVE-2019-9512/9515) would
/// otherwise grow our write queue without bound. Envoy's and nghttp2's cap.
pub const MAX_PENDING_CONTROL_FRAMES: usize = 1_000;
/// Soft mark: the driver should stop reading once this many control frames
/// wait to be written (h2 flushes ACKs before reading on).
pub const PAUSE_READING_CONTROL_FRAMES: usize = 16;
/// Client resets of streams that had no response yet, within a ~1 s sliding
/// window, tolerated before GOAWAY(ENHANCE_YOUR_CALM) (Rapid Reset,
/// CVE-2023-44487): 4 x MAX_CONCURRENT_STREAMS, Go's rule.
pub const MAX_EARLY_RESETS_PER_SEC: u32 = 400;
/// Envoy's ratio rule: with at least this many streams opened within ~1 s,
/// more than half of them reset early is GOAWAY(ENHANCE_YOUR_CALM).
pub const RESET_RATIO_MIN_STREAMS: u32 = 500;
/// Stream errors we send (RST_STREAM for the peer's mistakes) per connection
/// before GOAWAY(ENHANCE_YOUR_CALM): MadeYouReset (CVE-2025-8671) makes us
/// reset streams instead of the client; h2's `max_local_error_reset_streams`.
pub const MAX_LOCAL_STREAM_ERRORS: u32 = 1_024;
/// Consecutive empty DATA frames without END_STREAM before
/// GOAWAY(ENHANCE_YOUR_CALM) (CVE-2019-9518): they cost a frame of CPU each
/// and carry nothing. Between Envoy (1) and h2 (100).
pub const MAX_EMPTY_DATA_RUN: u32 = 10;
/// PRIORITY frames accepted: this many per stream opened, plus one stream's
/// worth (Envoy's `100 x (1 + streams)`; CVE-2019-9513). PRIORITY is parsed
/// and ignored, so the cap only bounds CPU.
pub const PRIORITY_FRAMES_PER_STREAM: u64 = 100;
/// WINDOW_UPDATE frames accepted: `5 + 2 x (streams opened + 10 x DATA
/// frames we sent)` (Envoy's formula): a peer cannot make us do flow-control
/// work (Data Dribble, CVE-2019-9511) far beyond the data we actually send.
pub const WINDOW_UPDATE_BASE: u64 = 5;
/// Decoded header lists this many times our MAX_HEADER_LIST_SIZE are not
/// answered with 431 but with GOAWAY(ENHANCE_YOUR_CALM) (HPACK bomb,
/// CVE-2016-6581; h2's multiplier).
pub const HEADER_LIST_ABUSE_FACTOR: usize = 4;
/// Recently closed streams remembered so late frames on them are judged by
/// how they closed (§5.1); older closed ids fall back to the stream-id
/// ordering rules. Bounded so the memory is not.
pub const REMEMBERED_CLOSED_STREAMS: usize = 256;
/// PING payloads we sent and still expect an ACK for; older ones are dropped.
pub const MAX_OUTSTANDING_PINGS: usize = 8;

/// The local limits as one value, for configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// See [`MAX_CONCURRENT_STREAMS`].
    pub max_concurrent_streams: u32,
    /// See [`INITIAL_STREAM_WINDOW_SIZE`].
    pub initial_stream_window_size: u32,
    /// See [`CONNECTION_WINDOW_SIZE`].
    pub connection_window_size: u32,
    /// See [`MAX_FRAME_SIZE`].
    pub max_frame_size: u32,
    /// See [`HEADER_TABLE_SIZE`].
    pub header_table_size: u32,
    /// See [`MAX_HEADER_LIST_SIZE`].
    pub max_header_list_size: u32,
    /// See [`MAX_CONTINUATION_FRAMES`].
    pub max_continuation_frames: usize,
    /// See [`MAX_HEADER_BLOCK_SIZE`].
    pub max_header_block_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_concurrent_streams: MAX_CONCURRENT_STREAMS,
            initial_stream_window_size: INITIAL_STREAM_WINDOW_SIZE,
            connection_window_size: CONNECTION_WINDOW_SIZE,
            max_frame_size: MAX_FRAME_SIZE,
            header_table_size: HEADER_TABLE_SIZE,
            max_header_list_size: MAX_HEADER_LIST_SIZE,
            max_continuation_frames: MAX_CONTINUATION_FRAMES,
            max_header_block_size: MAX_HEADER_BLOCK_SIZE,
        }
    }
}

impl Limits {
    /// The SETTINGS frame a server sends first (§3.4). Push is disabled
    /// because we never accept pushes either way.
    pub fn local_settings(&self) -> Settings {
        Settings {
            ack: false,
            header_table_size: Some(self.header_table_size),
            enable_push: Some(false),
            max_concurrent_streams: Some(self.max_concurrent_streams),
            initial_window_size: Some(self.initial_stream_window_size),
            max_frame_size: Some(self.max_frame_size),
            max_header_list_size: Some(self.max_header_list_size),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::{DEFAULT_MAX_FRAME_SIZE, MAX_INITIAL_WINDOW_SIZE};

    #[test]
    fn defaults_are_valid_settings() {
        let l = Limits::default();
        assert!(l.max_frame_size >= DEFAULT_MAX_FRAME_SIZE);
        assert!(l.initial_stream_window_size <= MAX_INITIAL_WINDOW_SIZE);
        assert!(l.connection_window_size <= MAX_INITIAL_WINDOW_SIZE);
        let s = l.local_settings();
        assert_eq!(s.entries().count(), 6);
        assert_eq!(s.max_concurrent_streams, Some(100));
    }
}
