//! SETTINGS frames (RFC 9113 §6.5) and the six parameters of §6.5.2.
//!
//! ```text
//! SETTINGS Frame {
//!   Length (24), Type (8) = 0x04,
//!   Unused Flags (7), ACK Flag (1),
//!   Reserved (1), Stream Identifier (31) = 0,
//!   Setting (48) ...,
//! }
//! Setting { Identifier (16), Value (32) }
//! ```

use bytes::{Buf, BufMut, Bytes, BytesMut};

use super::{Flags, Head, Kind, StreamId, MAX_FRAME_LEN};
use crate::{limits, FrameError};

/// Initial flow-control window before any SETTINGS (§6.5.2).
pub const DEFAULT_INITIAL_WINDOW_SIZE: u32 = 65_535;
/// Largest SETTINGS_INITIAL_WINDOW_SIZE, 2^31-1 (§6.5.2).
pub const MAX_INITIAL_WINDOW_SIZE: u32 = (1 << 31) - 1;
/// Initial and smallest SETTINGS_MAX_FRAME_SIZE, 2^14 (§6.5.2).
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 1 << 14;

/// Size of one Setting entry.
const SETTING_LEN: usize = 6;

/// Identifiers defined in §6.5.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum SettingId {
    /// SETTINGS_HEADER_TABLE_SIZE (0x01).
    HeaderTableSize = 0x1,
    /// SETTINGS_ENABLE_PUSH (0x02).
    EnablePush = 0x2,
    /// SETTINGS_MAX_CONCURRENT_STREAMS (0x03).
    MaxConcurrentStreams = 0x3,
    /// SETTINGS_INITIAL_WINDOW_SIZE (0x04).
    InitialWindowSize = 0x4,
    /// SETTINGS_MAX_FRAME_SIZE (0x05).
    MaxFrameSize = 0x5,
    /// SETTINGS_MAX_HEADER_LIST_SIZE (0x06).
    MaxHeaderListSize = 0x6,
}

impl SettingId {
    /// §6.5.2: "An endpoint that receives a SETTINGS frame with any unknown or
    /// unsupported identifier MUST ignore that setting." -> `None`.
    pub const fn from_u16(id: u16) -> Option<Self> {
        Some(match id {
            0x1 => SettingId::HeaderTableSize,
            0x2 => SettingId::EnablePush,
            0x3 => SettingId::MaxConcurrentStreams,
            0x4 => SettingId::InitialWindowSize,
            0x5 => SettingId::MaxFrameSize,
            0x6 => SettingId::MaxHeaderListSize,
            _ => return None,
        })
    }
}

/// A SETTINGS frame: the parameters it carries (later duplicates win, as
/// §6.5.3 processes values in order) or an acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// ACK: acknowledges the peer's SETTINGS; carries no parameters.
    pub ack: bool,
    /// SETTINGS_HEADER_TABLE_SIZE.
    pub header_table_size: Option<u32>,
    /// SETTINGS_ENABLE_PUSH.
    pub enable_push: Option<bool>,
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    pub max_concurrent_streams: Option<u32>,
    /// SETTINGS_INITIAL_WINDOW_SIZE, at most 2^31-1.
    pub initial_window_size: Option<u32>,
    /// SETTINGS_MAX_FRAME_SIZE, in [2^14, 2^24-1].
    pub max_frame_size: Option<u32>,
    /// SETTINGS_MAX_HEADER_LIST_SIZE.
    pub max_header_list_size: Option<u32>,
}

impl Settings {
    /// A SETTINGS frame with the ACK flag (§6.5.3).
    pub fn ack() -> Self {
        Settings {
            ack: true,
            ..Settings::default()
        }
    }

    /// Parameters present, in identifier order.
    pub fn entries(&self) -> impl Iterator<Item = (SettingId, u32)> {
        [
            (SettingId::HeaderTableSize, self.header_table_size),
            (SettingId::EnablePush, self.enable_push.map(u32::from)),
            (SettingId::MaxConcurrentStreams, self.max_concurrent_streams),
            (SettingId::InitialWindowSize, self.initial_window_size),
            (SettingId::MaxFrameSize, self.max_frame_size),
            (SettingId::MaxHeaderListSize, self.max_header_list_size),
        ]
        .into_iter()
        .filter_map(|(id, v)| v.map(|v| (id, v)))
    }

    /// Decodes a SETTINGS payload.
    pub fn decode(head: Head, mut payload: Bytes) -> Result<Self, FrameError> {
        // §6.5: "If an endpoint receives a SETTINGS frame whose Stream
        // Identifier field is anything other than 0x00, the endpoint MUST
        // respond with a connection error of type PROTOCOL_ERROR."
        super::require_connection(&head)?;
        if head.flags.contains(Flags::ACK) {
            // §6.5: "Receipt of a SETTINGS frame with the ACK flag set and a
            // length field value other than 0 MUST be treated as a connection
            // error of type FRAME_SIZE_ERROR."
            if !payload.is_empty() {
                return Err(FrameError::SettingsAckWithPayload);
            }
            return Ok(Settings::ack());
        }
        // §6.5: "A SETTINGS frame with a length other than a multiple of 6
        // octets MUST be treated as a connection error of type
        // FRAME_SIZE_ERROR."
        let count = payload.len() / SETTING_LEN;
        if count * SETTING_LEN != payload.len() {
            return Err(super::bad_size(&head));
        }
        // Our own limit: every SETTINGS costs an ACK and processing, so a
        // frame stuffed with entries is treated as abuse.
        if count > limits::MAX_SETTINGS_PER_FRAME {
            return Err(FrameError::TooManySettings { count });
        }
        let mut settings = Settings::default();
        while payload.has_remaining() {
            let id = payload.get_u16();
            let value = payload.get_u32();
            if let Some(id) = SettingId::from_u16(id) {
                settings.set(id, value)?;
            }
        }
        Ok(settings)
    }

    /// Validates and stores one parameter (§6.5.2).
    fn set(&mut self, id: SettingId, value: u32) -> Result<(), FrameError> {
        match id {
            SettingId::HeaderTableSize => self.header_table_size = Some(value),
            SettingId::EnablePush => {
                // §6.5.2: "Any value other than 0 or 1 MUST be treated as a
                // connection error of type PROTOCOL_ERROR."
                self.enable_push = Some(match value {
                    0 => false,
                    1 => true,
                    _ => return Err(FrameError::InvalidEnablePush { value }),
                });
            }
            SettingId::MaxConcurrentStreams => self.max_concurrent_streams = Some(value),
            SettingId::InitialWindowSize => {
                // §6.5.2: "Values above the maximum flow-control window size
                // of 2^31-1 MUST be treated as a connection error of type
                // FLOW_CONTROL_ERROR."
                if value > MAX_INITIAL_WINDOW_SIZE {
                    return Err(FrameError::InvalidInitialWindowSize { value });
                }
                self.initial_window_size = Some(value);
            }
            SettingId::MaxFrameSize => {
                // §6.5.2: "Values outside this range MUST be treated as a
                // connection error of type PROTOCOL_ERROR."
                if !(DEFAULT_MAX_FRAME_SIZE..=MAX_FRAME_LEN).contains(&value) {
                    return Err(FrameError::InvalidMaxFrameSize { value });
                }
                self.max_frame_size = Some(value);
            }
            SettingId::MaxHeaderListSize => self.max_header_list_size = Some(value),
        }
        Ok(())
    }

    /// Writes the frame.
    pub fn encode(&self, dst: &mut BytesMut) {
        let flags = Flags::from_pairs(&[(Flags::ACK, self.ack)]);
        if self.ack {
            Head::encode(Kind::Settings, flags, StreamId::ZERO, 0, dst);
            return;
        }
        let len = self.entries().count() * SETTING_LEN;
        Head::encode(Kind::Settings, flags, StreamId::ZERO, len, dst);
        for (id, value) in self.entries() {
            dst.put_u16(id as u16);
            dst.put_u32(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &[u8]) -> Result<Settings, FrameError> {
        Settings::decode(Head::parse(raw).unwrap(), Bytes::copy_from_slice(&raw[9..]))
    }

    #[test]
    fn all_six_round_trip() {
        let raw: &[u8] = b"\x00\x00\x24\x04\x00\x00\x00\x00\x00\
            \x00\x01\x00\x00\x10\x00\
            \x00\x02\x00\x00\x00\x00\
            \x00\x03\x00\x00\x00\x64\
            \x00\x04\x00\x10\x00\x00\
            \x00\x05\x00\x00\x40\x00\
            \x00\x06\x00\x01\x00\x00";
        // len 36 (6 entries); SETTINGS; stream 0; HEADER_TABLE_SIZE 4096,
        // ENABLE_PUSH 0, MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 1 MiB,
        // MAX_FRAME_SIZE 16384, MAX_HEADER_LIST_SIZE 64 KiB
        let s = parse(raw).unwrap();
        assert_eq!(
            s,
            Settings {
                ack: false,
                header_table_size: Some(4096),
                enable_push: Some(false),
                max_concurrent_streams: Some(100),
                initial_window_size: Some(1 << 20),
                max_frame_size: Some(16384),
                max_header_list_size: Some(65536),
            }
        );
        let mut out = BytesMut::new();
        s.encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn ack_round_trip() {
        let raw: &[u8] = b"\x00\x00\x00\x04\x01\x00\x00\x00\x00";
        assert_eq!(parse(raw).unwrap(), Settings::ack());
        let mut out = BytesMut::new();
        Settings::ack().encode(&mut out);
        assert_eq!(&out[..], raw);
    }

    #[test]
    fn unknown_ignored_and_last_wins() {
        // unknown id 0x99 = 7, then MAX_CONCURRENT_STREAMS 1 then 2
        let s = parse(
            b"\x00\x00\x12\x04\x00\x00\x00\x00\x00\
              \x00\x99\x00\x00\x00\x07\x00\x03\x00\x00\x00\x01\x00\x03\x00\x00\x00\x02",
        )
        .unwrap();
        assert_eq!(
            s,
            Settings {
                max_concurrent_streams: Some(2),
                ..Settings::default()
            }
        );
    }

    #[test]
    fn non_zero_stream() {
        assert_eq!(
            parse(b"\x00\x00\x00\x04\x00\x00\x00\x00\x01"),
            Err(FrameError::StreamIdForbidden {
                kind: Kind::Settings
            })
        );
    }

    #[test]
    fn ack_with_payload() {
        assert_eq!(
            parse(b"\x00\x00\x06\x04\x01\x00\x00\x00\x00\x00\x03\x00\x00\x00\x01"),
            Err(FrameError::SettingsAckWithPayload)
        );
    }

    #[test]
    fn not_multiple_of_six() {
        assert_eq!(
            parse(b"\x00\x00\x05\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00"),
            Err(FrameError::BadFrameSize {
                kind: Kind::Settings,
                length: 5
            })
        );
    }

    #[test]
    fn too_many_entries() {
        let n = limits::MAX_SETTINGS_PER_FRAME + 1;
        let mut raw = vec![0, 0, (n * 6) as u8, 4, 0, 0, 0, 0, 0];
        for _ in 0..n {
            raw.extend_from_slice(b"\x00\x03\x00\x00\x00\x01");
        }
        assert_eq!(parse(&raw), Err(FrameError::TooManySettings { count: n }));
        let e = FrameError::TooManySettings { count: n };
        assert_eq!(e.reason(), crate::frame::Reason::ENHANCE_YOUR_CALM);
    }

    #[test]
    fn enable_push_must_be_boolean() {
        assert_eq!(
            parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02"),
            Err(FrameError::InvalidEnablePush { value: 2 })
        );
    }

    #[test]
    fn initial_window_size_limit() {
        // 2^31-1 accepted, 2^31 rejected with FLOW_CONTROL_ERROR
        let ok = parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x04\x7f\xff\xff\xff").unwrap();
        assert_eq!(ok.initial_window_size, Some(MAX_INITIAL_WINDOW_SIZE));
        let e = parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x04\x80\x00\x00\x00").unwrap_err();
        assert_eq!(e, FrameError::InvalidInitialWindowSize { value: 1 << 31 });
        assert_eq!(e.reason(), crate::frame::Reason::FLOW_CONTROL_ERROR);
    }

    #[test]
    fn max_frame_size_range() {
        // 16383 too small, 2^24 too large, both PROTOCOL_ERROR; bounds accepted
        assert_eq!(
            parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x05\x00\x00\x3f\xff"),
            Err(FrameError::InvalidMaxFrameSize { value: 16383 })
        );
        assert_eq!(
            parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x05\x01\x00\x00\x00"),
            Err(FrameError::InvalidMaxFrameSize { value: 1 << 24 })
        );
        let top = parse(b"\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x05\x00\xff\xff\xff").unwrap();
        assert_eq!(top.max_frame_size, Some(MAX_FRAME_LEN));
    }
}
