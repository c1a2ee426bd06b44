//! Stream identifiers (RFC 9113 §5.1.1): 31 bits, preceded on the wire by a
//! reserved bit that is ignored on receipt and sent as zero (§4.1).

/// A 31-bit stream identifier; `0` names the connection itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId(u32);

impl StreamId {
    /// Stream 0: frames that apply to the whole connection.
    pub const ZERO: StreamId = StreamId(0);
    /// The largest identifier, 2^31-1.
    pub const MAX: StreamId = StreamId(u32::MAX >> 1);
    /// Mask that drops the reserved high bit.
    const MASK: u32 = u32::MAX >> 1;

    /// Makes an identifier, clearing the reserved bit.
    pub const fn new(id: u32) -> Self {
        StreamId(id & Self::MASK)
    }

    /// Reads a big-endian identifier as it appears on the wire, dropping the
    /// reserved bit (§4.1: "MUST be ignored when receiving").
    pub const fn from_wire(bytes: [u8; 4]) -> Self {
        Self::new(u32::from_be_bytes(bytes))
    }

    /// The numeric value (always below 2^31).
    pub const fn value(self) -> u32 {
        self.0
    }

    /// Whether this is stream 0, the connection control stream.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Client-initiated streams use odd identifiers (§5.1.1).
    pub const fn is_client_initiated(self) -> bool {
        self.0 & 1 == 1
    }

    /// Server-initiated streams use even, non-zero identifiers (§5.1.1).
    pub const fn is_server_initiated(self) -> bool {
        self.0 != 0 && self.0 & 1 == 0
    }
}

impl From<u32> for StreamId {
    fn from(id: u32) -> Self {
        StreamId::new(id)
    }
}

impl From<StreamId> for u32 {
    fn from(id: StreamId) -> u32 {
        id.0
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_bit_is_masked() {
        assert_eq!(StreamId::from_wire([0x80, 0, 0, 1]), StreamId::new(1));
        assert_eq!(StreamId::new(u32::MAX), StreamId::MAX);
        assert_eq!(StreamId::MAX.value(), 0x7fff_ffff);
    }

    #[test]
    fn initiator_parity() {
        assert!(StreamId::new(1).is_client_initiated());
        assert!(StreamId::new(2).is_server_initiated());
        assert!(!StreamId::ZERO.is_server_initiated());
        assert!(!StreamId::ZERO.is_client_initiated());
        assert!(StreamId::ZERO.is_zero());
    }
}
