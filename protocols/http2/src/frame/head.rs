//! The 9-octet frame header (RFC 9113 §4.1).
//!
//! ```text
//! HTTP Frame {
//!   Length (24),
//!   Type (8),
//!   Flags (8),
//!   Reserved (1),
//!   Stream Identifier (31),
//!   Frame Payload (..),
//! }
//! ```

use bytes::{BufMut, BytesMut};

use super::StreamId;

/// Size of the fixed frame header that precedes every payload.
pub const FRAME_HEADER_LEN: usize = 9;

/// Largest value the 24-bit Length field can carry (§4.1), which is also the
/// upper bound of SETTINGS_MAX_FRAME_SIZE (§6.5.2).
pub const MAX_FRAME_LEN: u32 = (1 << 24) - 1;

/// Frame type (§4.1, §6). Types this implementation does not know are kept
/// as `Unknown` so the caller can ignore them as §4.1 and §5.5 require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// DATA, type 0x00 (§6.1).
    Data,
    /// HEADERS, type 0x01 (§6.2).
    Headers,
    /// PRIORITY, type 0x02 (§6.3).
    Priority,
    /// RST_STREAM, type 0x03 (§6.4).
    RstStream,
    /// SETTINGS, type 0x04 (§6.5).
    Settings,
    /// PUSH_PROMISE, type 0x05 (§6.6).
    PushPromise,
    /// PING, type 0x06 (§6.7).
    Ping,
    /// GOAWAY, type 0x07 (§6.8).
    GoAway,
    /// WINDOW_UPDATE, type 0x08 (§6.9).
    WindowUpdate,
    /// CONTINUATION, type 0x09 (§6.10).
    Continuation,
    /// Any other type octet; such frames MUST be ignored (§4.1, §5.5).
    Unknown(u8),
}

impl Kind {
    /// Maps the Type octet to a kind; never fails.
    pub const fn from_u8(byte: u8) -> Self {
        match byte {
            0x0 => Kind::Data,
            0x1 => Kind::Headers,
            0x2 => Kind::Priority,
            0x3 => Kind::RstStream,
            0x4 => Kind::Settings,
            0x5 => Kind::PushPromise,
            0x6 => Kind::Ping,
            0x7 => Kind::GoAway,
            0x8 => Kind::WindowUpdate,
            0x9 => Kind::Continuation,
            other => Kind::Unknown(other),
        }
    }

    /// The Type octet on the wire.
    pub const fn as_u8(self) -> u8 {
        match self {
            Kind::Data => 0x0,
            Kind::Headers => 0x1,
            Kind::Priority => 0x2,
            Kind::RstStream => 0x3,
            Kind::Settings => 0x4,
            Kind::PushPromise => 0x5,
            Kind::Ping => 0x6,
            Kind::GoAway => 0x7,
            Kind::WindowUpdate => 0x8,
            Kind::Continuation => 0x9,
            Kind::Unknown(other) => other,
        }
    }
}

/// The Flags octet. Flags are type-specific; bits a frame type does not define
/// MUST be ignored on receipt and left unset when sending (§4.1).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// END_STREAM (DATA, HEADERS).
    pub const END_STREAM: u8 = 0x1;
    /// ACK (SETTINGS, PING); the same bit as END_STREAM.
    pub const ACK: u8 = 0x1;
    /// END_HEADERS (HEADERS, PUSH_PROMISE, CONTINUATION).
    pub const END_HEADERS: u8 = 0x4;
    /// PADDED (DATA, HEADERS, PUSH_PROMISE).
    pub const PADDED: u8 = 0x8;
    /// PRIORITY (HEADERS).
    pub const PRIORITY: u8 = 0x20;

    /// Whether every bit of `flag` is set.
    pub const fn contains(self, flag: u8) -> bool {
        self.0 & flag == flag
    }

    /// Builds a flags octet from booleans, one `(bit, set)` pair each.
    pub fn from_pairs(pairs: &[(u8, bool)]) -> Self {
        Flags(
            pairs
                .iter()
                .filter(|(_, on)| *on)
                .fold(0, |acc, (bit, _)| acc | bit),
        )
    }
}

impl std::fmt::Debug for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Flags({:#04x})", self.0)
    }
}

/// A decoded frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Payload length in octets (24 bits).
    pub length: u32,
    /// Frame type.
    pub kind: Kind,
    /// Raw flags octet.
    pub flags: Flags,
    /// Stream identifier with the reserved bit already cleared.
    pub stream_id: StreamId,
}

impl Head {
    /// Parses the first 9 octets of `src`; `None` if fewer are present.
    pub fn parse(src: &[u8]) -> Option<Head> {
        let h: &[u8; FRAME_HEADER_LEN] = src.get(..FRAME_HEADER_LEN)?.try_into().ok()?;
        Some(Head {
            length: u32::from_be_bytes([0, h[0], h[1], h[2]]),
            kind: Kind::from_u8(h[3]),
            flags: Flags(h[4]),
            // The reserved bit MUST be ignored when receiving (§4.1).
            stream_id: StreamId::from_wire([h[5], h[6], h[7], h[8]]),
        })
    }

    /// Writes a header for a payload of `length` octets. The caller keeps
    /// `length` within [`MAX_FRAME_LEN`] (the encoder splits larger blocks).
    pub fn encode(
        kind: Kind,
        flags: Flags,
        stream_id: StreamId,
        length: usize,
        dst: &mut BytesMut,
    ) {
        debug_assert!(length <= MAX_FRAME_LEN as usize, "frame payload too long");
        let len = (length as u32 & MAX_FRAME_LEN).to_be_bytes();
        dst.reserve(FRAME_HEADER_LEN + length);
        dst.put_slice(&len[1..]);
        dst.put_u8(kind.as_u8());
        dst.put_u8(flags.0);
        // The reserved bit MUST remain unset when sending (§4.1).
        dst.put_u32(stream_id.value());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_and_masks_reserved_bit() {
        let raw = [
            0x00, 0x01, 0x02, // length 258
            0x01, // HEADERS
            0x25, // END_STREAM | END_HEADERS | PRIORITY
            0x80, 0x00, 0x00, 0x07, // reserved bit set, stream 7
        ];
        let head = Head::parse(&raw).unwrap();
        assert_eq!(head.length, 258);
        assert_eq!(head.kind, Kind::Headers);
        assert!(head
            .flags
            .contains(Flags::END_STREAM | Flags::END_HEADERS | Flags::PRIORITY));
        assert!(!head.flags.contains(Flags::PADDED));
        assert_eq!(head.stream_id, StreamId::new(7));
    }

    #[test]
    fn short_input_is_none() {
        assert_eq!(Head::parse(&[0; 8]), None);
    }

    #[test]
    fn unknown_kind_round_trips() {
        for byte in 0..=255u8 {
            assert_eq!(Kind::from_u8(byte).as_u8(), byte);
        }
        assert_eq!(Kind::from_u8(0xfa), Kind::Unknown(0xfa));
    }

    #[test]
    fn encode_round_trip() {
        let mut dst = BytesMut::new();
        Head::encode(Kind::Ping, Flags(Flags::ACK), StreamId::ZERO, 8, &mut dst);
        assert_eq!(&dst[..], &[0, 0, 8, 6, 1, 0, 0, 0, 0]);
        let head = Head::parse(&dst).unwrap();
        assert_eq!(
            (head.length, head.kind, head.flags),
            (8, Kind::Ping, Flags(1))
        );
    }
}
