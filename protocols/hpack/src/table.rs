//! The HPACK index space (RFC 7541 §2.3.3): indices 1..=61 address the
//! static table, 62 and up the dynamic table, newest entry first.

mod dynamic;
mod static_table;

use bytes::Bytes;

pub use dynamic::DynamicTable;
pub(crate) use static_table::STATIC_LEN;

/// Looks up a field by HPACK index. `None` for index 0 and for indices past
/// the end of the dynamic table; both are decoding errors (§2.3.3, §6.1).
pub(crate) fn get(dynamic: &DynamicTable, index: usize) -> Option<(Bytes, Bytes)> {
    match index {
        0 => None,
        1..=STATIC_LEN => {
            let (name, value) = static_table::STATIC_TABLE[index - 1];
            Some((Bytes::from_static(name), Bytes::from_static(value)))
        }
        _ => dynamic
            .get(index - STATIC_LEN - 1)
            .map(|(n, v)| (n.clone(), v.clone())),
    }
}

/// What the encoder found for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// Name and value both match the entry at this index.
    Full(usize),
    /// Only the name matches the entry at this index.
    Name(usize),
}

/// Best index for a field across both tables: a full match anywhere beats a
/// name match; among equals the static table wins, since its indices are
/// stable and usually shorter.
pub(crate) fn find(dynamic: &DynamicTable, name: &[u8], value: &[u8]) -> Option<Match> {
    let stat = static_table::find(name, value);
    if let Some((i, true)) = stat {
        return Some(Match::Full(i));
    }
    let dynamic_hit = dynamic.find(name, value);
    if let Some((i, true)) = dynamic_hit {
        return Some(Match::Full(i + STATIC_LEN + 1));
    }
    match (stat, dynamic_hit) {
        (Some((i, _)), _) => Some(Match::Name(i)),
        (None, Some((i, _))) => Some(Match::Name(i + STATIC_LEN + 1)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_space() {
        let mut t = DynamicTable::new(4096);
        assert!(get(&t, 0).is_none());
        assert_eq!(
            get(&t, 2).unwrap(),
            (Bytes::from(":method"), Bytes::from("GET"))
        );
        assert!(get(&t, 62).is_none());
        t.insert(Bytes::from("a"), Bytes::from("1"));
        t.insert(Bytes::from("b"), Bytes::from("2"));
        assert_eq!(get(&t, 62).unwrap().0, "b");
        assert_eq!(get(&t, 63).unwrap().0, "a");
        assert!(get(&t, 64).is_none());
        assert_eq!(find(&t, b"a", b"1"), Some(Match::Full(63)));
        assert_eq!(find(&t, b"a", b"9"), Some(Match::Name(63)));
        assert_eq!(find(&t, b":path", b"/x"), Some(Match::Name(4)));
        assert_eq!(find(&t, b"zz", b""), None);
        t.insert(Bytes::from(":path"), Bytes::from("/x"));
        assert_eq!(find(&t, b":path", b"/x"), Some(Match::Full(62)));
    }
}
