//! The binding's `url`, parsed once: where to connect and what to put in the request line.
//!
//! Only `http://` for now; `https://` needs the TLS stream the core I/O crate will provide,
//! and is refused at startup with that reason rather than failing on the first request.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

use layotto_component_api::ComponentError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    /// Host name or address, as written (IPv6 without brackets).
    pub(crate) host: String,
    pub(crate) port: u16,
    /// The Host header value: `host[:port]` as written in the url.
    pub(crate) authority: String,
    /// The path, starting with `/`.
    pub(crate) path: String,
    /// Without the `?`; empty if none.
    pub(crate) query: String,
}

fn bad(url: &str, why: &str) -> ComponentError {
    ComponentError::Metadata {
        key: "url".into(),
        message: format!("{url:?}: {why}"),
    }
}

impl Target {
    pub(crate) fn parse(url: &str) -> Result<Target, ComponentError> {
        let rest = if let Some(rest) = url.strip_prefix("http://") {
            rest
        } else if url.starts_with("https://") {
            return Err(bad(url, "https is not supported yet; use http://"));
        } else {
            return Err(bad(url, "must start with http://"));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (authority, path_query) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(bad(url, "needs a host (and no user info)"));
        }
        let (host, port) =
            split_host_port(authority).ok_or_else(|| bad(url, "bad host or port"))?;
        let (path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p, q),
            None => (path_query, ""),
        };
        let path = if path.is_empty() { "/" } else { path };
        if !path
            .bytes()
            .chain(query.bytes())
            .all(|b| (b'!'..=b'~').contains(&b))
        {
            return Err(bad(
                url,
                "path and query must be visible ASCII (percent-encode the rest)",
            ));
        }
        Ok(Target {
            host: host.to_owned(),
            port,
            authority: authority.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
        })
    }

    /// The request target for this url, with request metadata `path` appended (Dapr's rule:
    /// one `/` between them; `..` refused so a caller cannot climb out of the base path).
    pub(crate) fn request_target(&self, extra: Option<&str>) -> Result<String, ComponentError> {
        let mut target = self.path.clone();
        if let Some(extra) = extra.filter(|p| !p.is_empty()) {
            if extra.contains("..") {
                return Err(ComponentError::InvalidArgument(format!(
                    "metadata path {extra:?} must not contain `..`"
                )));
            }
            if !extra
                .bytes()
                .all(|b| (b'!'..=b'~').contains(&b) && b != b'#')
            {
                return Err(ComponentError::InvalidArgument(format!(
                    "metadata path {extra:?} must be visible ASCII without `#`"
                )));
            }
            target = format!(
                "{}/{}",
                target.trim_end_matches('/'),
                extra.trim_start_matches('/')
            );
        }
        if !self.query.is_empty() {
            target.push('?');
            target.push_str(&self.query);
        }
        Ok(target)
    }

    /// The addresses to try. A literal address needs no lookup; a name is resolved with the
    /// system resolver, which blocks this worker for the lookup.
    pub(crate) fn addrs(&self) -> Result<Vec<SocketAddr>, ComponentError> {
        if let Ok(ip) = self.host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, self.port)]);
        }
        let addrs: Vec<SocketAddr> = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| ComponentError::Unavailable(format!("resolving {}: {e}", self.host)))?
            .collect();
        if addrs.is_empty() {
            return Err(ComponentError::Unavailable(format!(
                "{} has no address",
                self.host
            )));
        }
        Ok(addrs)
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`.
fn split_host_port(authority: &str) -> Option<(&str, u16)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        let port = match after {
            "" => 80,
            p => p.strip_prefix(':')?.parse().ok()?,
        };
        return Some((host, port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.contains(':') => Some((host, port.parse().ok()?)),
        Some(_) => None,
        None => Some((authority, 80)),
    }
    .filter(|(h, _)| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hosts_ports_paths_and_queries() {
        let t = Target::parse("http://example.com").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("example.com", 80, "/")
        );
        let t = Target::parse("http://127.0.0.1:8080/api/v1?x=1#frag").unwrap();
        assert_eq!(t.port, 8080);
        assert_eq!(t.authority, "127.0.0.1:8080");
        assert_eq!((t.path.as_str(), t.query.as_str()), ("/api/v1", "x=1"));
        let t = Target::parse("http://[::1]:9000?q").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 9000, "/")
        );
        assert_eq!(t.addrs().unwrap()[0].to_string(), "[::1]:9000");
    }

    #[test]
    fn refuses_what_it_cannot_serve() {
        for url in [
            "https://example.com",
            "ftp://x",
            "example.com",
            "http://",
            "http://:80",
            "http://h:port",
            "http://user@h",
            "http://h/a b",
            "http://::1",
        ] {
            assert!(Target::parse(url).is_err(), "{url}");
        }
        let https = Target::parse("https://x").unwrap_err().to_string();
        assert!(https.contains("https is not supported yet"), "{https}");
    }

    #[test]
    fn metadata_path_joins_with_one_slash_and_refuses_dotdot() {
        let t = Target::parse("http://h/base/?k=v").unwrap();
        assert_eq!(t.request_target(None).unwrap(), "/base/?k=v");
        assert_eq!(
            t.request_target(Some("/items/1")).unwrap(),
            "/base/items/1?k=v"
        );
        let root = Target::parse("http://h").unwrap();
        assert_eq!(root.request_target(Some("x")).unwrap(), "/x");
        assert!(root.request_target(Some("../admin")).is_err());
        assert!(root.request_target(Some("a b")).is_err());
    }
}
