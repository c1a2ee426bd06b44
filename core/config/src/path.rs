//! JSON paths as the operator would type them: `servers[0].listeners[1].bind_port`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Where a value sits in the config document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    pub fn root() -> JsonPath {
        JsonPath::default()
    }

    pub fn key(&self, key: &str) -> JsonPath {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.to_owned()));
        next
    }

    pub fn index(&self, i: usize) -> JsonPath {
        let mut next = self.clone();
        next.0.push(Segment::Index(i));
        next
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("$");
        }
        for (n, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Index(i) => write!(f, "[{i}]")?,
                // Keys that are not plain identifiers (component names can be anything) are
                // quoted so the path stays unambiguous.
                Segment::Key(k) if is_plain(k) => {
                    if n > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => write!(f, "[{k:?}]")?,
            }
        }
        Ok(())
    }
}

fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_operator_types_it() {
        let p = JsonPath::root()
            .key("servers")
            .index(0)
            .key("listeners")
            .index(1)
            .key("bind_port");
        assert_eq!(p.to_string(), "servers[0].listeners[1].bind_port");
        assert_eq!(JsonPath::root().to_string(), "$");
        assert_eq!(
            JsonPath::root().key("state").key("my.store").to_string(),
            "state[\"my.store\"]"
        );
    }
}
