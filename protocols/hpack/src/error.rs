//! Why a header block could not be decoded.

/// A decoding failure.
///
/// Every variant except [`DecoderError::HeaderListTooLarge`] is a
/// COMPRESSION_ERROR (RFC 7541 §2.2 / RFC 9113 §4.3): the decoder's dynamic
/// table may now differ from the peer's, so the connection must be closed
/// and the [`Decoder`](crate::Decoder) must not be used again.
///
/// `HeaderListTooLarge` is different: the whole block was still decoded and
/// the dynamic table is consistent, so only the stream need be refused
/// (e.g. 431 or RST_STREAM) and the decoder stays usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecoderError {
    /// A prefix integer does not fit in 32 bits or has too many continuation bytes.
    #[error("hpack integer overflow")]
    IntegerOverflow,
    /// The block ends in the middle of an integer, string or representation.
    #[error("hpack block truncated")]
    Truncated,
    /// A string literal is longer than the decoder's string length limit.
    #[error("hpack string literal too long")]
    StringTooLong,
    /// An index is 0 or past the end of the static and dynamic tables.
    #[error("hpack index out of range")]
    InvalidIndex,
    /// A Huffman string contains EOS, or its padding is too long or not all ones.
    #[error("invalid hpack huffman string")]
    InvalidHuffman,
    /// A dynamic table size update exceeds the limit we advertised.
    #[error("hpack table size update above the advertised limit")]
    TableSizeUpdateTooLarge,
    /// A dynamic table size update follows a header field in the block.
    #[error("hpack table size update not at the start of the block")]
    TableSizeUpdateNotAtStart,
    /// We lowered our table size limit and the block did not start with an update to honour it.
    #[error("hpack table size update missing after the limit was lowered")]
    TableSizeUpdateMissing,
    /// The decoded header list exceeds the caller's size limit (not a connection error).
    #[error("decoded header list too large")]
    HeaderListTooLarge,
}

impl DecoderError {
    /// True for every error after which the connection must be torn down
    /// with COMPRESSION_ERROR; false only for `HeaderListTooLarge`.
    pub fn is_connection_error(self) -> bool {
        !matches!(self, DecoderError::HeaderListTooLarge)
    }
}
