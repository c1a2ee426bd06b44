//! Header block encoding (RFC 7541 §3, §6) with a simple indexing policy.

use bytes::{Bytes, BytesMut};

use crate::table::{self, DynamicTable, Match};
use crate::{huffman, integer, Header};

/// Most dynamic table memory the encoder will use, whatever the peer
/// allows. RFC 7541 §4.2 lets an encoder use less than the decoder's
/// limit; this bounds our memory and the linear table search per field.
pub const MAX_ENCODER_TABLE_SIZE: usize = 16 * 1024;

/// Fields whose values are usually unique per message: indexing them would
/// only push useful entries out of the table.
const UNINDEXED_NAMES: &[&[u8]] = &[
    b"content-length",
    b"etag",
    b"if-modified-since",
    b"if-none-match",
    b"age",
    b"x-request-id",
    b"traceparent",
];

/// Table size changes not yet announced to the peer (§4.2).
#[derive(Debug, Clone, Copy)]
struct PendingResize {
    /// Smallest size since the last block; announced first if it shrank.
    min: usize,
    /// Latest size; announced last.
    last: usize,
}

/// Encodes header blocks for one direction of a connection.
///
/// Blocks must be sent in the order they are encoded, since each may change
/// the dynamic table the peer's decoder mirrors.
#[derive(Debug, Clone)]
pub struct Encoder {
    table: DynamicTable,
    pending: Option<PendingResize>,
    huffman: bool,
}

impl Encoder {
    /// An encoder for a peer whose decoder table starts at `max_table_size`
    /// (4096 in HTTP/2 until the peer's SETTINGS arrive). Above
    /// [`MAX_ENCODER_TABLE_SIZE`] the encoder announces the smaller size it
    /// will actually use in its first block.
    pub fn new(max_table_size: usize) -> Encoder {
        let used = max_table_size.min(MAX_ENCODER_TABLE_SIZE);
        let pending = (used != max_table_size).then_some(PendingResize {
            min: used,
            last: used,
        });
        Encoder {
            table: DynamicTable::new(max_table_size),
            pending,
            huffman: true,
        }
    }

    /// Applies the peer's new SETTINGS_HEADER_TABLE_SIZE. The change is
    /// announced at the start of the next block; if the size went down and
    /// then up again before that, the smallest value is announced first so
    /// the peer evicts what we evicted (§4.2).
    pub fn update_max_table_size(&mut self, n: usize) {
        let used = n.min(MAX_ENCODER_TABLE_SIZE);
        self.pending = Some(match self.pending {
            Some(p) => PendingResize {
                min: p.min.min(used),
                last: used,
            },
            None => PendingResize {
                min: used,
                last: used,
            },
        });
    }

    /// Whether string literals may be Huffman-coded (when strictly shorter).
    /// On by default.
    pub fn set_huffman(&mut self, enabled: bool) {
        self.huffman = enabled;
    }

    /// The dynamic table, for inspection.
    pub fn dynamic_table(&self) -> &DynamicTable {
        &self.table
    }

    /// Appends one header block encoding `headers` to `dst`.
    ///
    /// Fields are indexed when they fully match a table entry; otherwise
    /// sent as literals, added to the dynamic table unless sensitive
    /// (never-indexed, §7.1.3), larger than 3/4 of the table, or of a kind
    /// whose values rarely repeat.
    pub fn encode<'a>(
        &mut self,
        headers: impl IntoIterator<Item = &'a Header>,
        dst: &mut BytesMut,
    ) {
        if let Some(p) = self.pending.take() {
            // Size updates go first in the block (§4.2).
            if p.min < self.table.max_size() {
                self.size_update(p.min, dst);
            }
            if p.last != self.table.max_size() {
                self.size_update(p.last, dst);
            }
        }
        for header in headers {
            self.field(header, dst);
        }
    }

    fn size_update(&mut self, size: usize, dst: &mut BytesMut) {
        integer::encode(dst, 0x20, 5, size);
        self.table.set_max_size(size);
    }

    fn field(&mut self, h: &Header, dst: &mut BytesMut) {
        let found = table::find(&self.table, &h.name, &h.value);
        if h.sensitive {
            // Never indexed (§6.2.3): even a full match is sent as a
            // literal, so the flag reaches the peer and any proxy beyond.
            let name_index = match found {
                Some(Match::Full(i) | Match::Name(i)) => i,
                None => 0,
            };
            self.literal(0x10, 4, name_index, h, dst);
            return;
        }
        let name_index = match found {
            Some(Match::Full(i)) => {
                integer::encode(dst, 0x80, 7, i);
                return;
            }
            Some(Match::Name(i)) => i,
            None => 0,
        };
        if self.worth_indexing(h) {
            self.literal(0x40, 6, name_index, h, dst);
            // Copies, so a field sliced from a large buffer does not keep
            // that buffer alive for the life of the connection.
            self.table.insert(
                Bytes::copy_from_slice(&h.name),
                Bytes::copy_from_slice(&h.value),
            );
        } else {
            self.literal(0x00, 4, name_index, h, dst);
        }
    }

    fn worth_indexing(&self, h: &Header) -> bool {
        h.size() <= self.table.max_size() / 4 * 3 && !UNINDEXED_NAMES.contains(&&h.name[..])
    }

    /// A literal representation (§6.2): pattern `flags`, name index with a
    /// `prefix_bits` prefix (0 = literal name), then the strings.
    fn literal(
        &self,
        flags: u8,
        prefix_bits: u8,
        name_index: usize,
        h: &Header,
        dst: &mut BytesMut,
    ) {
        integer::encode(dst, flags, prefix_bits, name_index);
        if name_index == 0 {
            self.string(&h.name, dst);
        }
        self.string(&h.value, dst);
    }

    /// A string literal (§5.2), Huffman-coded only when that is shorter.
    fn string(&self, s: &[u8], dst: &mut BytesMut) {
        if self.huffman {
            let coded_len = huffman::encoded_len(s);
            if coded_len < s.len() {
                dst.reserve(coded_len + 5);
                integer::encode(dst, 0x80, 7, coded_len);
                huffman::encode(s, dst);
                return;
            }
        }
        dst.reserve(s.len() + 5);
        integer::encode(dst, 0x00, 7, s.len());
        dst.extend_from_slice(s);
    }
}
