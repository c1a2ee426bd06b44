//! An ordered field list that keeps the bytes exactly as received.

use bytes::Bytes;

/// Field lines in wire order. Names keep their original case; lookups are
/// case-insensitive (RFC 9110 §5.1). Decoded names and values are slices of
/// the received head, so building this list copies nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    fields: Vec<(Bytes, Bytes)>,
}

impl Headers {
    /// An empty list.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// The value of the first field called `name`, ignoring ASCII case.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| &v[..])
    }

    /// Every value of fields called `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| &v[..])
    }

    /// How many field lines called `name` there are.
    pub fn count(&self, name: &str) -> usize {
        self.get_all(name).count()
    }

    /// Whether a field called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// All `(name, value)` pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.fields.iter().map(|(n, v)| (&n[..], &v[..]))
    }

    /// The pairs as shared buffers, for forwarding without copying.
    pub fn fields(&self) -> &[(Bytes, Bytes)] {
        &self.fields
    }

    /// Appends a field. The encoder skips fields whose name is not a token
    /// or whose value holds CR, LF or other controls, so a value pushed
    /// here cannot split a message.
    pub fn push(&mut self, name: impl Into<Bytes>, value: impl Into<Bytes>) {
        self.fields.push((name.into(), value.into()));
    }

    /// Removes every field called `name`, returning how many went.
    pub fn remove(&mut self, name: &str) -> usize {
        let before = self.fields.len();
        self.fields
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name.as_bytes()));
        before - self.fields.len()
    }

    /// Number of field lines.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no field lines.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_lookup_in_order() {
        let mut h = Headers::new();
        h.push("Accept", "a");
        h.push("accept", "b");
        h.push("Host", "x");
        assert_eq!(h.get("ACCEPT"), Some(&b"a"[..]));
        assert_eq!(
            h.get_all("accept").collect::<Vec<_>>(),
            vec![&b"a"[..], b"b"]
        );
        assert_eq!(h.count("accept"), 2);
        assert_eq!(h.len(), 3);
        assert_eq!(h.remove("Accept"), 2);
        assert_eq!(
            h.iter().collect::<Vec<_>>(),
            vec![(&b"Host"[..], &b"x"[..])]
        );
        assert!(h.contains("host") && !h.is_empty());
        assert_eq!(h.get("missing"), None);
    }
}
