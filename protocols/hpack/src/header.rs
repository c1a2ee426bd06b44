//! One decoded or to-be-encoded header field.

use bytes::Bytes;

/// Size overhead RFC 7541 §4.1 adds to every entry (and RFC 9113 §6.5.2 to
/// every field of a header list).
pub const ENTRY_OVERHEAD: usize = 32;

/// A header field as HPACK sees it: opaque name and value bytes.
///
/// HPACK itself imposes no syntax: names are expected to be lowercase and
/// pseudo-headers are simply names starting with `:`, but checking that is
/// the HTTP/2 layer's job.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// Field name (lowercase in HTTP/2).
    pub name: Bytes,
    /// Field value.
    pub value: Bytes,
    /// Never-indexed (RFC 7541 §6.2.3, §7.1.3): when decoding, the peer sent
    /// it with the never-indexed flag; when encoding, it is sent that way and
    /// kept out of the dynamic table. Intermediaries must preserve it.
    pub sensitive: bool,
}

impl Header {
    /// A normal (indexable) header.
    pub fn new(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Header {
        Header {
            name: name.into(),
            value: value.into(),
            sensitive: false,
        }
    }

    /// A header that must never be indexed (e.g. authorization, short cookies).
    pub fn sensitive(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Header {
        Header {
            name: name.into(),
            value: value.into(),
            sensitive: true,
        }
    }

    /// `name + value + 32`: its size in a dynamic table (RFC 7541 §4.1) and
    /// in a header list (RFC 9113 §6.5.2).
    pub fn size(&self) -> usize {
        entry_size(&self.name, &self.value)
    }
}

/// `name + value + 32` (RFC 7541 §4.1), saturating so hostile lengths
/// cannot wrap.
pub(crate) fn entry_size(name: &[u8], value: &[u8]) -> usize {
    name.len()
        .saturating_add(value.len())
        .saturating_add(ENTRY_OVERHEAD)
}
