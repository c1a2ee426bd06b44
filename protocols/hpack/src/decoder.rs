//! Header block decoding (RFC 7541 §3, §6).

use bytes::Bytes;

use crate::table::{self, DynamicTable};
use crate::{huffman, integer, DecoderError, Header};

/// Default cap on one string literal's encoded length. A block is already
/// in memory, so this mainly stops a single name or value from being
/// unreasonably large; it matches common HTTP/2 stacks' per-field limits.
pub const DEFAULT_MAX_STRING_LEN: usize = 64 * 1024;

/// Decodes the header blocks of one direction of a connection, keeping the
/// dynamic table in step with the peer's encoder.
///
/// Blocks must be fed whole (HEADERS plus its CONTINUATIONs) and in the
/// order they arrived on the connection, since each one may change the
/// table (RFC 7541 §2.2). After any error other than
/// [`DecoderError::HeaderListTooLarge`] the table may no longer match the
/// peer's: the connection must be closed with COMPRESSION_ERROR and the
/// decoder dropped.
#[derive(Debug, Clone)]
pub struct Decoder {
    table: DynamicTable,
    /// The SETTINGS_HEADER_TABLE_SIZE we advertised and the peer
    /// acknowledged: the most a table size update may ask for (§6.3).
    limit: usize,
    /// Set when our limit dropped below the table's current maximum: the
    /// smallest limit since then, which the next block must honour with a
    /// size update at its start (§4.2).
    required_update: Option<usize>,
    max_string_len: usize,
}

impl Decoder {
    /// A decoder whose table starts at `max_table_size` bytes, which is also
    /// the limit for size updates. In HTTP/2 this is 4096, the protocol's
    /// initial SETTINGS_HEADER_TABLE_SIZE, whatever we advertise: our own
    /// setting only applies once the peer acknowledges it (then call
    /// [`Decoder::set_max_table_size`]).
    pub fn new(max_table_size: usize) -> Decoder {
        Decoder {
            table: DynamicTable::new(max_table_size),
            limit: max_table_size,
            required_update: None,
            max_string_len: DEFAULT_MAX_STRING_LEN,
        }
    }

    /// Applies a new SETTINGS_HEADER_TABLE_SIZE of ours, once acknowledged.
    ///
    /// Later size updates above `n` are errors (§6.3). If `n` is below the
    /// table's current maximum, the peer's encoder must shrink its table, so
    /// the next block must start with a size update of at most `n`
    /// (§4.2); until it does, entries the peer already evicted are still
    /// here and the table keeps its present size.
    pub fn set_max_table_size(&mut self, n: usize) {
        self.limit = n;
        if n < self.table.max_size() {
            self.required_update = Some(self.required_update.map_or(n, |r| r.min(n)));
        }
    }

    /// The current size update limit (our acknowledged setting).
    pub fn max_table_size(&self) -> usize {
        self.limit
    }

    /// Caps the encoded length of one string literal; longer ones fail with
    /// [`DecoderError::StringTooLong`] before anything is allocated.
    pub fn set_max_string_len(&mut self, n: usize) {
        self.max_string_len = n;
    }

    /// The dynamic table, for inspection.
    pub fn dynamic_table(&self) -> &DynamicTable {
        &self.table
    }

    /// Decodes one complete header block, calling `emit` for each field in
    /// order.
    ///
    /// `max_header_list_size` bounds the sum of `name + value + 32` over the
    /// emitted fields (RFC 9113 §6.5.2). Once it is exceeded no more fields
    /// are emitted, but the rest of the block is still decoded so the
    /// dynamic table stays in step, and the result is
    /// [`DecoderError::HeaderListTooLarge`] (a stream error, e.g. 431),
    /// unless a real decoding error comes later in the block.
    ///
    /// Strings without Huffman coding and not added to the table are
    /// zero-copy slices of `block`; everything stored in the table is copied
    /// so it does not pin the block's buffer.
    pub fn decode(
        &mut self,
        block: &Bytes,
        max_header_list_size: usize,
        mut emit: impl FnMut(Header),
    ) -> Result<(), DecoderError> {
        let buf = &block[..];
        let mut pos = 0;
        let mut at_start = true;
        let mut list_size = 0usize;
        let mut too_large = false;
        while let Some(&first) = buf.get(pos) {
            if first & 0xe0 == 0x20 {
                // 001xxxxx: dynamic table size update (§6.3), allowed only
                // before the first field of a block (§4.2).
                if !at_start {
                    return Err(DecoderError::TableSizeUpdateNotAtStart);
                }
                let size = integer::decode(buf, &mut pos, 5)?;
                if size > self.limit {
                    return Err(DecoderError::TableSizeUpdateTooLarge);
                }
                if self.required_update.is_some_and(|r| size <= r) {
                    self.required_update = None;
                }
                self.table.set_max_size(size);
                continue;
            }
            if at_start {
                at_start = false;
                if self.required_update.is_some() {
                    return Err(DecoderError::TableSizeUpdateMissing);
                }
            }
            let header = if first & 0x80 != 0 {
                // 1xxxxxxx: indexed field (§6.1); index 0 is an error.
                let index = integer::decode(buf, &mut pos, 7)?;
                let (name, value) =
                    table::get(&self.table, index).ok_or(DecoderError::InvalidIndex)?;
                Header::new(name, value)
            } else if first & 0x40 != 0 {
                // 01xxxxxx: literal with incremental indexing (§6.2.1).
                let (name, value) = self.literal(block, &mut pos, 6, true)?;
                self.table.insert(name.clone(), value.clone());
                Header::new(name, value)
            } else {
                // 0000xxxx without indexing (§6.2.2), 0001xxxx never
                // indexed (§6.2.3). The flag must survive re-encoding by
                // an intermediary (§7.1.3), hence `sensitive`.
                let sensitive = first & 0x10 != 0;
                let (name, value) = self.literal(block, &mut pos, 4, false)?;
                Header {
                    name,
                    value,
                    sensitive,
                }
            };
            if !too_large {
                list_size = list_size.saturating_add(header.size());
                if list_size > max_header_list_size {
                    too_large = true;
                } else {
                    emit(header);
                }
            }
        }
        if too_large {
            Err(DecoderError::HeaderListTooLarge)
        } else {
            Ok(())
        }
    }

    /// A literal field's name (indexed with a `prefix_bits` prefix, or a
    /// string when the index is 0) and value (§6.2).
    fn literal(
        &self,
        block: &Bytes,
        pos: &mut usize,
        prefix_bits: u8,
        copy: bool,
    ) -> Result<(Bytes, Bytes), DecoderError> {
        let index = integer::decode(block, pos, prefix_bits)?;
        let name = if index == 0 {
            self.string(block, pos, copy)?
        } else {
            table::get(&self.table, index)
                .ok_or(DecoderError::InvalidIndex)?
                .0
        };
        let value = self.string(block, pos, copy)?;
        Ok((name, value))
    }

    /// A string literal (§5.2): H flag, 7-bit prefix length, octets. The
    /// length is checked against the block and the limit before anything
    /// is allocated.
    fn string(&self, block: &Bytes, pos: &mut usize, copy: bool) -> Result<Bytes, DecoderError> {
        let huffman = block.get(*pos).ok_or(DecoderError::Truncated)? & 0x80 != 0;
        let len = integer::decode(block, pos, 7)?;
        if len > self.max_string_len {
            return Err(DecoderError::StringTooLong);
        }
        let end = pos
            .checked_add(len)
            .filter(|&end| end <= block.len())
            .ok_or(DecoderError::Truncated)?;
        let raw = &block[*pos..end];
        let out = if huffman {
            huffman::decode(raw)?
        } else if copy {
            Bytes::copy_from_slice(raw)
        } else {
            block.slice(*pos..end)
        };
        *pos = end;
        Ok(out)
    }
}
