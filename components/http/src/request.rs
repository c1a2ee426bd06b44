//! Dapr's http binding rules (v1.5.2, facts §3.8), as pure functions between the binding's
//! domain types and HTTP/1.1 heads:
//! - operations `get head post put patch delete options trace`, and `create` sent as POST;
//! - request metadata keys starting with an uppercase letter become headers; `path` is
//!   appended to the url;
//! - a body only for POST, PUT and PATCH, with Content-Type defaulting to JSON; Accept
//!   defaults to JSON too;
//! - the answer's metadata: `statusCode`, `status` (`"200 OK"`), and each response header under
//!   its canonical name (`Content-Type`), repeated values joined with `", "`.

use bytes::{Bytes, BytesMut};
use layotto_component_api::{ComponentError, Metadata};
use layotto_http1::{
    encode_request_head, BodyKind, Headers, Method, RequestHead, ResponseHead, Version,
};

use crate::url::Target;

/// The operations the binding accepts, in Dapr's spelling.
pub const OPERATIONS: [&str; 9] = [
    "create", "get", "head", "post", "put", "patch", "delete", "options", "trace",
];

const JSON: &str = "application/json; charset=utf-8";

pub(crate) fn method(operation: &str) -> Result<Method, ComponentError> {
    Ok(match operation {
        "create" | "post" => Method::Post,
        "get" => Method::Get,
        "head" => Method::Head,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "trace" => Method::Trace,
        other => {
            return Err(ComponentError::InvalidArgument(format!(
                "operation {other:?} is not supported by the http binding; supported: {}",
                OPERATIONS.join(", ")
            )))
        }
    })
}

fn is_header_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The request's bytes (head and body) for `method` on `target`.
pub(crate) fn encode(
    target: &Target,
    method: &Method,
    data: &Bytes,
    metadata: &Metadata,
) -> Result<BytesMut, ComponentError> {
    let with_body = matches!(method, Method::Post | Method::Put | Method::Patch);
    let mut headers = Headers::new();
    headers.push(
        Bytes::from_static(b"host"),
        Bytes::from(target.authority.clone()),
    );
    let mut content_type = false;
    let mut accept = false;
    for (k, v) in metadata.iter().filter(|(k, _)| is_header_key(k)) {
        let lower = k.to_ascii_lowercase();
        // The encoder owns framing; Host and Connection are ours.
        if matches!(lower.as_str(), "host" | "connection") {
            continue;
        }
        content_type |= lower == "content-type";
        accept |= lower == "accept";
        headers.push(Bytes::from(k.clone()), Bytes::from(v.clone()));
    }
    if with_body && !content_type {
        headers.push(
            Bytes::from_static(b"content-type"),
            Bytes::from_static(JSON.as_bytes()),
        );
    }
    if !accept {
        headers.push(
            Bytes::from_static(b"accept"),
            Bytes::from_static(JSON.as_bytes()),
        );
    }
    // One request per connection for now: no pool to return it to.
    headers.push(
        Bytes::from_static(b"connection"),
        Bytes::from_static(b"close"),
    );
    let head = RequestHead {
        method: method.clone(),
        target: Bytes::from(target.request_target(metadata.get("path").map(String::as_str))?),
        version: Version::Http11,
        headers,
    };
    let body = if with_body && !data.is_empty() {
        BodyKind::Length(data.len() as u64)
    } else {
        BodyKind::Empty
    };
    let mut out = BytesMut::with_capacity(256 + if with_body { data.len() } else { 0 });
    encode_request_head(&head, &body, &mut out);
    if with_body {
        out.extend_from_slice(data);
    }
    Ok(out)
}

/// `content-type` → `Content-Type`, as Go's net/http names headers.
fn canonical(name: &[u8]) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for &b in name {
        let c = b as char;
        out.push(if upper {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        upper = c == '-';
    }
    out
}

/// Go's reason texts for the common codes, for `status` when the peer sent none.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

pub(crate) fn response_metadata(head: &ResponseHead) -> Metadata {
    let mut md = Metadata::new();
    for (name, value) in head.headers.iter() {
        let value = String::from_utf8_lossy(value);
        md.entry(canonical(name))
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert_with(|| value.into_owned());
    }
    let text = if head.reason.is_empty() {
        reason(head.status).to_owned()
    } else {
        String::from_utf8_lossy(&head.reason).into_owned()
    };
    md.insert("statusCode".into(), head.status.to_string());
    md.insert(
        "status".into(),
        format!("{} {text}", head.status).trim_end().to_owned(),
    );
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: &BytesMut) -> String {
        String::from_utf8(b.to_vec()).unwrap()
    }

    #[test]
    fn operations_map_to_methods() {
        assert_eq!(method("create").unwrap(), Method::Post);
        assert_eq!(method("trace").unwrap(), Method::Trace);
        let err = method("GET").unwrap_err().to_string();
        assert!(err.contains("supported: create, get"), "{err}");
    }

    #[test]
    fn a_post_carries_body_headers_and_json_defaults() {
        let t = Target::parse("http://127.0.0.1:81/api").unwrap();
        let md = Metadata::from([
            ("X-Trace".to_owned(), "abc".to_owned()),
            ("lowercase".to_owned(), "not a header".to_owned()),
            ("path".to_owned(), "items".to_owned()),
            ("Host".to_owned(), "evil".to_owned()),
        ]);
        let out = text(&encode(&t, &Method::Post, &Bytes::from_static(b"{}"), &md).unwrap());
        assert!(
            out.starts_with("POST /api/items HTTP/1.1\r\nhost: 127.0.0.1:81\r\n"),
            "{out}"
        );
        assert!(out.contains("X-Trace: abc\r\n"));
        assert!(!out.contains("lowercase") && !out.contains("evil"));
        assert!(out.contains("content-type: application/json; charset=utf-8\r\n"));
        assert!(out.contains("accept: application/json; charset=utf-8\r\n"));
        assert!(out.contains("content-length: 2\r\n"));
        assert!(out.ends_with("\r\n\r\n{}"));
    }

    #[test]
    fn a_get_sends_no_body_and_keeps_a_given_accept() {
        let t = Target::parse("http://h").unwrap();
        let md = Metadata::from([("Accept".to_owned(), "text/plain".to_owned())]);
        let out = text(&encode(&t, &Method::Get, &Bytes::from_static(b"ignored"), &md).unwrap());
        assert!(out.starts_with("GET / HTTP/1.1\r\n"));
        assert!(out.contains("Accept: text/plain\r\n"));
        assert!(!out.contains("content-type") && !out.contains("ignored"));
    }

    #[test]
    fn response_metadata_uses_canonical_names_and_joins_repeats() {
        let mut headers = Headers::new();
        headers.push(
            Bytes::from_static(b"content-type"),
            Bytes::from_static(b"text/plain"),
        );
        headers.push(Bytes::from_static(b"x-a"), Bytes::from_static(b"1"));
        headers.push(Bytes::from_static(b"X-A"), Bytes::from_static(b"2"));
        let head = ResponseHead {
            version: Version::Http11,
            status: 201,
            reason: Bytes::new(),
            headers,
        };
        let md = response_metadata(&head);
        assert_eq!(md["Content-Type"], "text/plain");
        assert_eq!(md["X-A"], "1, 2");
        assert_eq!(md["statusCode"], "201");
        assert_eq!(md["status"], "201 Created");
    }
}
