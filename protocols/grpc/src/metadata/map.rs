//! [`Metadata`]: an ordered list of application metadata entries.

use bytes::Bytes;

use super::{
    decode_binary_value, encode_binary_value, is_binary_key, is_reserved, is_valid_ascii_value,
    is_valid_key, lossy, MetadataError,
};

/// Application metadata: `(key, value)` in arrival order, duplicates kept.
/// Values of `-bin` keys are held decoded (raw bytes); others as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    entries: Vec<(Bytes, Bytes)>,
}

impl Metadata {
    /// No entries.
    pub fn new() -> Metadata {
        Metadata::default()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.entries.iter().map(|(k, v)| (&k[..], &v[..]))
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&Bytes> {
        self.entries
            .iter()
            .find(|(k, _)| &k[..] == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// Every value of `key`, in order.
    pub fn get_all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Bytes> + 'a {
        self.entries
            .iter()
            .filter(move |(k, _)| &k[..] == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// Adds an entry set by the application. The key must be valid and not
    /// reserved (`user-agent` is refused too: the transport sets it); a
    /// non-`-bin` value must be printable ASCII. `-bin` values are raw bytes.
    pub fn append(
        &mut self,
        key: impl Into<Bytes>,
        value: impl Into<Bytes>,
    ) -> Result<(), MetadataError> {
        let key = key.into();
        let value = value.into();
        if !is_valid_key(&key) {
            return Err(MetadataError::InvalidKey(lossy(&key)));
        }
        if is_reserved(&key) || &key[..] == b"user-agent" {
            return Err(MetadataError::ReservedKey(lossy(&key)));
        }
        if !is_binary_key(&key) && !is_valid_ascii_value(&value) {
            return Err(MetadataError::InvalidAsciiValue(lossy(&key)));
        }
        self.entries.push((key, value));
        Ok(())
    }

    /// Removes every entry of `key`; returns how many there were.
    pub fn remove(&mut self, key: &str) -> usize {
        let before = self.entries.len();
        self.entries.retain(|(k, _)| &k[..] != key.as_bytes());
        before - self.entries.len()
    }

    /// The application metadata among received header fields: reserved
    /// fields are skipped, `-bin` values decoded (comma-joined ones split),
    /// ASCII values kept as the HTTP/2 layer accepted them (it already
    /// refuses NUL, CR and LF; being stricter here would fail whole calls
    /// over one odd header from a proxy).
    ///
    /// Fails only on a `-bin` value that is not base64; a server should
    /// answer that with `INTERNAL`.
    pub fn from_headers<'a, I>(headers: I) -> Result<Metadata, MetadataError>
    where
        I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
    {
        let mut entries = Vec::new();
        for (name, value) in headers {
            if is_reserved(name) {
                continue;
            }
            let key = Bytes::copy_from_slice(name);
            if is_binary_key(name) {
                for v in decode_binary_value(name, value)? {
                    entries.push((key.clone(), v));
                }
            } else {
                entries.push((key, Bytes::copy_from_slice(value)));
            }
        }
        Ok(Metadata { entries })
    }

    /// Header fields to send: one per entry, `-bin` values base64
    /// (unpadded); reserved keys and `user-agent` are left out.
    pub fn to_headers(&self) -> Vec<(Bytes, Bytes)> {
        self.entries
            .iter()
            .filter(|(k, _)| !is_reserved(k) && &k[..] != b"user-agent")
            .map(|(k, v)| {
                let value = if is_binary_key(k) {
                    encode_binary_value(v)
                } else {
                    v.clone()
                };
                (k.clone(), value)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_headers_skips_reserved_and_decodes_bin() {
        let md = Metadata::from_headers([
            (&b":path"[..], &b"/a.B/C"[..]),
            (b"content-type", b"application/grpc"),
            (b"te", b"trailers"),
            (b"grpc-timeout", b"1S"),
            (b"user-agent", b"grpc-go/1.70"),
            (b"x-id", b"42"),
            (b"trace-bin", b"AAE=,AgM"),
            (b"x-id", b"43"),
        ])
        .unwrap();
        let got: Vec<_> = md.iter().collect();
        assert_eq!(
            got,
            vec![
                (&b"user-agent"[..], &b"grpc-go/1.70"[..]),
                (b"x-id", b"42"),
                (b"trace-bin", b"\x00\x01"),
                (b"trace-bin", b"\x02\x03"),
                (b"x-id", b"43"),
            ]
        );
        assert_eq!(md.get("x-id").map(|v| &v[..]), Some(&b"42"[..]));
        assert_eq!(md.get_all("x-id").count(), 2);
        assert!(Metadata::from_headers([(&b"k-bin"[..], &b"!"[..])]).is_err());
    }

    #[test]
    fn to_headers_encodes_and_drops_user_agent() {
        let mut md = Metadata::from_headers([(&b"user-agent"[..], &b"ua"[..])]).unwrap();
        md.append("x-a", "1").unwrap();
        md.append("k-bin", &b"\xff\xfe"[..]).unwrap();
        let h = md.to_headers();
        let got: Vec<_> = h.iter().map(|(k, v)| (&k[..], &v[..])).collect();
        assert_eq!(got, vec![(&b"x-a"[..], &b"1"[..]), (b"k-bin", b"//4")]);
    }

    #[test]
    fn append_validates() {
        let mut md = Metadata::new();
        assert!(matches!(
            md.append("X-A", "1"),
            Err(MetadataError::InvalidKey(_))
        ));
        assert!(matches!(
            md.append("grpc-status", "0"),
            Err(MetadataError::ReservedKey(_))
        ));
        assert!(matches!(
            md.append("user-agent", "x"),
            Err(MetadataError::ReservedKey(_))
        ));
        assert!(matches!(
            md.append("x", "a\nb"),
            Err(MetadataError::InvalidAsciiValue(_))
        ));
        md.append("grpc-trace-bin", &b"\x00"[..]).unwrap();
        md.append("x", "a").unwrap();
        md.append("x", "b").unwrap();
        assert_eq!(md.remove("x"), 2);
        assert_eq!(md.len(), 1);
    }
}
