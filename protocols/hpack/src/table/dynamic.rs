//! The dynamic table (RFC 7541 §2.3.2, §4): a FIFO of recently indexed
//! fields bounded by a byte budget.

use std::collections::VecDeque;

use bytes::Bytes;

use crate::header::entry_size;

/// A dynamic table, shared in shape by the encoder and the decoder so the
/// two sides of a connection evolve identically.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamicTable {
    /// Newest entry at the front (index 0 here is HPACK index 62).
    entries: VecDeque<(Bytes, Bytes)>,
    /// Sum of `name + value + 32` over the entries (§4.1).
    size: usize,
    /// Current maximum size, as last set by a table size update (§4.2).
    max_size: usize,
}

impl DynamicTable {
    /// An empty table with the given maximum size in bytes.
    pub fn new(max_size: usize) -> DynamicTable {
        DynamicTable {
            entries: VecDeque::new(),
            size: 0,
            max_size,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Current size in bytes (§4.1).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Current maximum size in bytes.
    pub fn max_size(&self) -> usize {
        self.max_size
    }

    /// Entry `i`, counting from the newest (`0`); HPACK index `62 + i`.
    pub fn get(&self, i: usize) -> Option<(&Bytes, &Bytes)> {
        self.entries.get(i).map(|(n, v)| (n, v))
    }

    /// Entries from newest to oldest, as `(name, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        self.entries.iter().map(|(n, v)| (&n[..], &v[..]))
    }

    /// Adds a field as the newest entry, first evicting the oldest entries
    /// until it fits (§4.4). A field larger than the whole table empties it
    /// and is not added; §4.4 says this is not an error.
    pub(crate) fn insert(&mut self, name: Bytes, value: Bytes) {
        let size = entry_size(&name, &value);
        if size > self.max_size {
            self.entries.clear();
            self.size = 0;
            return;
        }
        self.evict_to(self.max_size - size);
        self.size += size;
        self.entries.push_front((name, value));
    }

    /// Changes the maximum size, evicting the oldest entries until the table
    /// fits (§4.3).
    pub(crate) fn set_max_size(&mut self, max_size: usize) {
        self.max_size = max_size;
        self.evict_to(max_size);
    }

    /// Best entry for a field: `(i, true)` for a name and value match,
    /// else `(i, false)` for the newest name-only match.
    pub(crate) fn find(&self, name: &[u8], value: &[u8]) -> Option<(usize, bool)> {
        let mut name_only = None;
        for (i, (n, v)) in self.entries.iter().enumerate() {
            if n[..] == *name {
                if v[..] == *value {
                    return Some((i, true));
                }
                name_only.get_or_insert((i, false));
            }
        }
        name_only
    }

    fn evict_to(&mut self, budget: usize) {
        while self.size > budget {
            match self.entries.pop_back() {
                Some((n, v)) => self.size -= entry_size(&n, &v),
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Bytes {
        Bytes::copy_from_slice(s.as_bytes())
    }

    #[test]
    fn fifo_eviction() {
        // Each entry: 1 + 1 + 32 = 34 bytes; 100 bytes hold two.
        let mut t = DynamicTable::new(100);
        t.insert(b("a"), b("1"));
        t.insert(b("b"), b("2"));
        assert_eq!((t.len(), t.size()), (2, 68));
        t.insert(b("c"), b("3"));
        assert_eq!((t.len(), t.size()), (2, 68));
        assert_eq!(
            t.iter().collect::<Vec<_>>(),
            [(&b"c"[..], &b"3"[..]), (b"b", b"2")]
        );
    }

    #[test]
    fn oversized_entry_empties_table() {
        let mut t = DynamicTable::new(40);
        t.insert(b("a"), b("1"));
        t.insert(b("name"), b("value-too-long"));
        assert!(t.is_empty());
        assert_eq!(t.size(), 0);
    }

    #[test]
    fn exact_fit_is_kept() {
        let mut t = DynamicTable::new(34);
        t.insert(b("a"), b("1"));
        assert_eq!(t.len(), 1);
        t.insert(b("b"), b("2"));
        assert_eq!(t.get(0).unwrap().0, "b");
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn shrinking_evicts_oldest() {
        let mut t = DynamicTable::new(4096);
        for i in 0..10 {
            t.insert(b(&format!("k{i}")), b("v"));
        }
        t.set_max_size(70);
        assert_eq!(t.len(), 2);
        assert_eq!(t.get(0).unwrap().0, "k9");
        t.set_max_size(0);
        assert!(t.is_empty());
        t.insert(b("x"), b(""));
        assert!(t.is_empty());
    }
}
