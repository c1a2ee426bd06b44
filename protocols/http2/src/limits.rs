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
