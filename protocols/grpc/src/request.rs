//! Checking that an HTTP/2 request head is a gRPC call
//! (`PROTOCOL-HTTP2.md`, "Requests").
//!
//! Order matters because each failure is answered differently: a wrong
//! method is plain HTTP 405 and a wrong content-type plain HTTP 415 (the
//! peer may not speak gRPC at all, so a gRPC status would mean nothing to
//! it), while a malformed path is a gRPC `UNIMPLEMENTED` in a
//! Trailers-Only response (HTTP 200).
//!
//! `te: trailers` is required by the spec, and C-core and grpc-go clients
//! send it, but some clients and proxies drop it; refusing would break them
//! for no safety gain, so it is only reported ([`GrpcRequest::te_trailers`]).

use thiserror::Error;

use crate::status::Status;

/// Why a request head is not an acceptable gRPC call.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    /// `:method` is not `POST`: answer HTTP 405 (with `allow: POST`).
    #[error("gRPC requires POST")]
    MethodNotAllowed,
    /// `content-type` is missing or not `application/grpc[+...|;...]`:
    /// answer HTTP 415.
    #[error("content-type is not application/grpc")]
    UnsupportedMediaType,
    /// `:path` is not `/service/method`: answer gRPC `UNIMPLEMENTED`.
    #[error("malformed gRPC path")]
    BadPath,
}

impl RequestError {
    /// The HTTP status to answer with: 405, 415, or 200 (Trailers-Only
    /// carrying [`RequestError::status`]).
    pub fn http_status(&self) -> u16 {
        match self {
            RequestError::MethodNotAllowed => 405,
            RequestError::UnsupportedMediaType => 415,
            RequestError::BadPath => 200,
        }
    }

    /// The gRPC status to send, when the answer is a gRPC one.
    pub fn status(&self) -> Option<Status> {
        match self {
            RequestError::BadPath => Some(Status::unimplemented("malformed method path")),
            _ => None,
        }
    }
}

/// A request head that passed [`validate_request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrpcRequest<'a> {
    /// The whole `:path`, e.g. `/spec.proto.runtime.v1.Runtime/SayHello`
    /// (the router's key).
    pub path: &'a str,
    /// Fully-qualified service, e.g. `spec.proto.runtime.v1.Runtime`.
    pub service: &'a str,
    /// Method name, e.g. `SayHello`.
    pub method: &'a str,
    /// The content-type's `+subtype` (`proto`, `json`, …); `None` for plain
    /// `application/grpc`, which means protobuf.
    pub subtype: Option<&'a [u8]>,
    /// Whether `te: trailers` was present.
    pub te_trailers: bool,
}

/// Validates a request head from its HTTP/2 fields: `method` is
/// `:method`, `path` is `:path`, `content_type` and `te` the fields of those
/// names (all `te` values, each possibly a comma list).
pub fn validate_request<'a, 't>(
    method: &[u8],
    path: &'a [u8],
    content_type: Option<&'a [u8]>,
    te: impl IntoIterator<Item = &'t [u8]>,
) -> Result<GrpcRequest<'a>, RequestError> {
    if method != b"POST" {
        return Err(RequestError::MethodNotAllowed);
    }
    let subtype = content_type
        .and_then(grpc_subtype)
        .ok_or(RequestError::UnsupportedMediaType)?;
    let path = std::str::from_utf8(path).map_err(|_| RequestError::BadPath)?;
    let (service, method) = parse_path(path).ok_or(RequestError::BadPath)?;
    let te_trailers = te.into_iter().any(|v| {
        v.split(|&b| b == b',')
            .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"trailers"))
    });
    Ok(GrpcRequest {
        path,
        service,
        method,
        subtype,
        te_trailers,
    })
}

/// Recognises a gRPC content-type (ASCII case-insensitive):
/// `application/grpc` exactly, or followed by `+subtype` or `;params`.
/// `Some(None)` for no subtype, `Some(Some(b"proto"))` for `+proto`, `None`
/// when it is not gRPC (note `application/grpc-web` is not).
pub fn grpc_subtype(content_type: &[u8]) -> Option<Option<&[u8]>> {
    const BASE: &[u8] = b"application/grpc";
    let head = content_type.get(..BASE.len())?;
    if !head.eq_ignore_ascii_case(BASE) {
        return None;
    }
    let rest = &content_type[BASE.len()..];
    match rest.first() {
        None | Some(b';') => Some(None),
        Some(b'+') => {
            let sub = &rest[1..];
            let end = sub.iter().position(|&b| b == b';').unwrap_or(sub.len());
            Some(Some(sub[..end].trim_ascii()))
        }
        Some(_) => None,
    }
}

/// Splits `/service/method`. Both parts must be non-empty and free of `/`
/// and `?`; the service is usually `package.Service` but a package-less
/// `Service` is valid too.
pub fn parse_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix('/')?;
    let (service, method) = rest.split_once('/')?;
    let ok = |s: &str| !s.is_empty() && !s.contains(['/', '?']);
    (ok(service) && ok(method)).then_some((service, method))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &[u8] = b"/spec.proto.runtime.v1.Runtime/SayHello";

    fn check(
        method: &[u8],
        ct: Option<&'static [u8]>,
    ) -> Result<GrpcRequest<'static>, RequestError> {
        validate_request(method, PATH, ct, [&b"trailers"[..]])
    }

    #[test]
    fn accepts_a_grpc_call() {
        let r = check(b"POST", Some(b"application/grpc".as_slice())).unwrap();
        assert_eq!(r.service, "spec.proto.runtime.v1.Runtime");
        assert_eq!(r.method, "SayHello");
        assert_eq!(r.path, "/spec.proto.runtime.v1.Runtime/SayHello");
        assert_eq!(r.subtype, None);
        assert!(r.te_trailers);
    }

    #[test]
    fn method_must_be_post() {
        for m in [&b"GET"[..], b"PUT", b"post"] {
            let err = check(m, Some(b"application/grpc".as_slice())).unwrap_err();
            assert_eq!(
                (err.clone(), err.http_status()),
                (RequestError::MethodNotAllowed, 405)
            );
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(grpc_subtype(b"application/grpc"), Some(None));
        assert_eq!(
            grpc_subtype(b"application/grpc+proto"),
            Some(Some(&b"proto"[..]))
        );
        assert_eq!(
            grpc_subtype(b"Application/GRPC+json; charset=utf-8"),
            Some(Some(&b"json"[..]))
        );
        assert_eq!(grpc_subtype(b"application/grpc;charset=utf-8"), Some(None));
        for bad in [
            &b"application/grpc-web"[..],
            b"application/grpcx",
            b"text/plain",
            b"application/json",
            b"",
        ] {
            assert_eq!(grpc_subtype(bad), None, "{bad:?}");
        }
        let err = check(b"POST", Some(b"text/plain".as_slice())).unwrap_err();
        assert_eq!(err.http_status(), 415);
        assert_eq!(
            check(b"POST", None).unwrap_err(),
            RequestError::UnsupportedMediaType
        );
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("/a.B/C"), Some(("a.B", "C")));
        assert_eq!(parse_path("/Svc/M"), Some(("Svc", "M")));
        for bad in ["", "/", "//M", "/S/", "S/M", "/S/M/x", "/S/M?q=1", "/S"] {
            assert_eq!(parse_path(bad), None, "{bad:?}");
        }
        let err = validate_request(b"POST", b"/nope", Some(b"application/grpc"), []).unwrap_err();
        assert_eq!(err.http_status(), 200);
        assert_eq!(
            err.status().map(|s| s.code),
            Some(crate::code::Code::Unimplemented)
        );
        let err = validate_request(b"POST", b"/\xff/M", Some(b"application/grpc"), []).unwrap_err();
        assert_eq!(err, RequestError::BadPath);
    }

    #[test]
    fn te_is_optional() {
        let r = validate_request(b"POST", PATH, Some(b"application/grpc"), []).unwrap();
        assert!(!r.te_trailers);
        let r = validate_request(
            b"POST",
            PATH,
            Some(b"application/grpc"),
            [&b"gzip, Trailers"[..]],
        )
        .unwrap();
        assert!(r.te_trailers);
    }
}
