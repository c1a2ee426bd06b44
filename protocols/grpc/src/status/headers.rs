//! Status ↔ trailer fields, and the status a client synthesises when a
//! response has none.

use bytes::Bytes;

use super::{percent, Status};
use crate::base64;
use crate::code::Code;

/// Trailer carrying the decimal status code.
pub const GRPC_STATUS: &str = "grpc-status";
/// Trailer carrying the percent-encoded message.
pub const GRPC_MESSAGE: &str = "grpc-message";
/// Trailer carrying base64 binary details.
pub const GRPC_STATUS_DETAILS_BIN: &str = "grpc-status-details-bin";

impl Status {
    /// The trailer fields for this status, in the order they are sent:
    /// `grpc-status` always, `grpc-message` and `grpc-status-details-bin`
    /// only when non-empty (unpadded base64, as the spec recommends).
    pub fn to_headers(&self) -> Vec<(Bytes, Bytes)> {
        let mut out = Vec::with_capacity(3);
        out.push((
            Bytes::from_static(GRPC_STATUS.as_bytes()),
            Bytes::from_static(self.code.as_header_value().as_bytes()),
        ));
        if !self.message.is_empty() {
            out.push((
                Bytes::from_static(GRPC_MESSAGE.as_bytes()),
                percent::encode(&self.message),
            ));
        }
        if !self.details.is_empty() {
            out.push((
                Bytes::from_static(GRPC_STATUS_DETAILS_BIN.as_bytes()),
                base64::encode(&self.details),
            ));
        }
        out
    }

    /// Reads a status from trailer (or Trailers-Only header) fields.
    /// `None` when there is no `grpc-status` at all; the first occurrence of
    /// each field wins. Decoding is tolerant, as the spec asks of receivers:
    /// a non-numeric `grpc-status` becomes `UNKNOWN` (with the raw value in
    /// the message if there is no `grpc-message`), a badly escaped message
    /// is kept raw, and undecodable details are dropped.
    pub fn from_headers<'a, I>(headers: I) -> Option<Status>
    where
        I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
    {
        let mut code = None;
        let mut message = None;
        let mut details = None;
        for (name, value) in headers {
            match name {
                b"grpc-status" if code.is_none() => code = Some(value),
                b"grpc-message" if message.is_none() => message = Some(value),
                b"grpc-status-details-bin" if details.is_none() => details = Some(value),
                _ => {}
            }
        }
        let raw_code = code?;
        let message = message.map(percent::decode);
        let details = details
            .and_then(|d| base64::decode(d).ok())
            .unwrap_or_default();
        Some(match Code::from_bytes(raw_code) {
            Some(code) => Status::with_details(code, message.unwrap_or_default(), details),
            None => Status::with_details(
                Code::Unknown,
                message.unwrap_or_else(|| {
                    format!(
                        "malformed grpc-status: {:?}",
                        String::from_utf8_lossy(raw_code)
                    )
                }),
                details,
            ),
        })
    }

    /// The status of a finished response: its `grpc-status` if the fields
    /// carry one, otherwise one synthesised from the HTTP status
    /// ([`Code::from_http_status`]) with a message naming it. An HTTP 200
    /// without `grpc-status` is also a broken response and gets `UNKNOWN`.
    pub fn from_response<'a, I>(http_status: u16, headers: I) -> Status
    where
        I: IntoIterator<Item = (&'a [u8], &'a [u8])>,
    {
        match Status::from_headers(headers) {
            Some(status) => status,
            None if http_status == 200 => Status::unknown("response carried no grpc-status"),
            None => Status::new(
                Code::from_http_status(http_status),
                format!("HTTP status {http_status} without grpc-status"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(Bytes, Bytes)]) -> Vec<(&[u8], &[u8])> {
        list.iter().map(|(n, v)| (&n[..], &v[..])).collect()
    }

    #[test]
    fn exact_trailer_bytes() {
        let s = Status::with_details(
            Code::InvalidArgument,
            "bad key: 100%",
            Bytes::from_static(b"\x08\x03"),
        );
        let h = s.to_headers();
        assert_eq!(
            pairs(&h),
            vec![
                (&b"grpc-status"[..], &b"3"[..]),
                (b"grpc-message", b"bad key: 100%25"),
                // 08 03 → base64 "CAM=" unpadded.
                (b"grpc-status-details-bin", b"CAM"),
            ]
        );
        assert_eq!(Status::from_headers(pairs(&h)), Some(s));
    }

    #[test]
    fn ok_sends_only_the_code() {
        assert_eq!(
            pairs(&Status::ok().to_headers()),
            vec![(&b"grpc-status"[..], &b"0"[..])]
        );
    }

    #[test]
    fn parsing_is_tolerant() {
        let s = Status::from_headers([
            (&b"content-type"[..], &b"application/grpc"[..]),
            (b"grpc-status-details-bin", b"CAM="),
            (b"grpc-message", b"50% off"),
            (b"grpc-status", b"16"),
            (b"grpc-status", b"0"),
        ]);
        assert_eq!(
            s,
            Some(Status::with_details(
                Code::Unauthenticated,
                "50% off",
                Bytes::from_static(b"\x08\x03")
            ))
        );
        let s = Status::from_headers([(&b"grpc-status"[..], &b"abc"[..])]).unwrap();
        assert_eq!(s.code, Code::Unknown);
        assert!(s.message.contains("abc"));
        let s = Status::from_headers([
            (&b"grpc-status"[..], &b"99"[..]),
            (b"grpc-status-details-bin", b"!!"),
        ])
        .unwrap();
        assert_eq!((s.code, s.details.len()), (Code::Unknown, 0));
        assert_eq!(
            Status::from_headers([(&b"grpc-message"[..], &b"x"[..])]),
            None
        );
    }

    #[test]
    fn synthesised_from_http() {
        let none: [(&[u8], &[u8]); 0] = [];
        assert_eq!(Status::from_response(503, none).code, Code::Unavailable);
        assert_eq!(Status::from_response(404, none).code, Code::Unimplemented);
        assert_eq!(Status::from_response(200, none).code, Code::Unknown);
        assert_eq!(
            Status::from_response(503, [(&b"grpc-status"[..], &b"0"[..])]).code,
            Code::Ok
        );
    }
}
