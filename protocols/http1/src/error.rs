//! The codec's single error type and its mapping to a response status.

/// Why a message was rejected. Every variant is fatal for the connection:
/// after an error the byte stream can no longer be framed reliably.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request line (or status line) is longer than `max_request_line`.
    #[error("request line too long")]
    RequestLineTooLong,
    /// The head is larger than `max_head`.
    #[error("message head too large")]
    HeadTooLarge,
    /// The head or trailer section has more than `max_headers` field lines.
    #[error("too many header fields")]
    TooManyHeaders,
    /// A field line is longer than `max_field_line`.
    #[error("header field line too long")]
    FieldLineTooLong,
    /// A line ended with LF not preceded by CR.
    #[error("bare lf in message framing")]
    BareLf,
    /// A CR was not followed by LF.
    #[error("bare cr in message framing")]
    BareCr,
    /// The start line does not have the `a SP b SP c` shape.
    #[error("malformed start line")]
    BadStartLine,
    /// The request method is not a token.
    #[error("invalid request method")]
    BadMethod,
    /// The request target is empty, holds whitespace, controls or a fragment.
    #[error("invalid request target")]
    BadTarget,
    /// The protocol version is not of the form `HTTP/d.d`.
    #[error("malformed http version")]
    BadVersion,
    /// A well-formed version other than HTTP/1.0 or HTTP/1.1.
    #[error("unsupported http version")]
    UnsupportedVersion,
    /// The response status code is not three digits in 100..=999, or the
    /// reason phrase holds control bytes.
    #[error("invalid response status line")]
    BadStatus,
    /// A field line starts with whitespace (obsolete line folding).
    #[error("obsolete line folding")]
    ObsFold,
    /// Whitespace between a field name and its colon.
    #[error("whitespace before colon in field line")]
    WhitespaceBeforeColon,
    /// A field line has no colon.
    #[error("field line without colon")]
    MissingColon,
    /// A field name is empty or not a token.
    #[error("invalid field name")]
    BadFieldName,
    /// A field value holds NUL or another control byte.
    #[error("invalid field value")]
    BadFieldValue,
    /// An HTTP/1.1 request without a Host field.
    #[error("missing host header")]
    MissingHost,
    /// More than one Host field line.
    #[error("duplicate host header")]
    DuplicateHost,
    /// A Host value holding whitespace or a comma.
    #[error("invalid host header")]
    BadHost,
    /// Connection names a framing field, or holds a non-token option.
    #[error("invalid connection header")]
    BadConnection,
    /// Content-Length is not 1 to 19 decimal digits.
    #[error("invalid content-length")]
    BadContentLength,
    /// Content-Length values differ across lines or list members.
    #[error("conflicting content-length values")]
    ConflictingContentLength,
    /// Both Content-Length and Transfer-Encoding are present.
    #[error("content-length together with transfer-encoding")]
    ContentLengthWithTransferEncoding,
    /// Transfer-Encoding in an HTTP/1.0 message.
    #[error("transfer-encoding in http/1.0 message")]
    TransferEncodingInHttp10,
    /// More than one Transfer-Encoding field line.
    #[error("duplicate transfer-encoding header")]
    DuplicateTransferEncoding,
    /// Transfer-Encoding has an empty member.
    #[error("malformed transfer-encoding")]
    BadTransferEncoding,
    /// `chunked` is not the final (and only once) transfer coding.
    #[error("chunked is not the final transfer coding")]
    ChunkedNotLast,
    /// A transfer coding other than `chunked`.
    #[error("unsupported transfer coding")]
    UnknownTransferCoding,
    /// A chunk size is not 1 to 16 hex digits followed by `;` or the line end.
    #[error("invalid chunk size")]
    BadChunkSize,
    /// A chunk extension does not follow `;token[=token|quoted-string]`.
    #[error("invalid chunk extension")]
    BadChunkExtension,
    /// A chunk-size line is longer than `max_chunk_line`.
    #[error("chunk line too long")]
    ChunkLineTooLong,
    /// Chunk extensions over one body exceed `max_chunk_extensions`.
    #[error("chunk extensions too large")]
    ChunkExtensionsTooLarge,
    /// Chunk data is not followed by CRLF.
    #[error("chunk data not followed by crlf")]
    BadChunkData,
    /// The trailer section exceeds `max_trailers`.
    #[error("trailer section too large")]
    TrailersTooLarge,
    /// The connection ended before the body was complete.
    #[error("message body incomplete at end of stream")]
    IncompleteBody,
}

impl Error {
    /// The status a server should answer with before closing. This is the
    /// one place errors meet HTTP semantics: 414 and 431 per RFC 9110
    /// §15.5.15 and RFC 6585 §5, 501 for an unknown transfer coding (RFC
    /// 9112 §6.1), 505 for a version we do not speak (RFC 9110 §15.6.6),
    /// 413 when chunk extensions outgrow their budget, 400 otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Error::RequestLineTooLong => 414,
            Error::HeadTooLarge
            | Error::TooManyHeaders
            | Error::FieldLineTooLong
            | Error::TrailersTooLarge => 431,
            Error::ChunkExtensionsTooLarge => 413,
            Error::UnknownTransferCoding => 501,
            Error::UnsupportedVersion => 505,
            Error::BareLf
            | Error::BareCr
            | Error::BadStartLine
            | Error::BadMethod
            | Error::BadTarget
            | Error::BadVersion
            | Error::BadStatus
            | Error::ObsFold
            | Error::WhitespaceBeforeColon
            | Error::MissingColon
            | Error::BadFieldName
            | Error::BadFieldValue
            | Error::MissingHost
            | Error::DuplicateHost
            | Error::BadHost
            | Error::BadConnection
            | Error::BadContentLength
            | Error::ConflictingContentLength
            | Error::ContentLengthWithTransferEncoding
            | Error::TransferEncodingInHttp10
            | Error::DuplicateTransferEncoding
            | Error::BadTransferEncoding
            | Error::ChunkedNotLast
            | Error::BadChunkSize
            | Error::BadChunkExtension
            | Error::ChunkLineTooLong
            | Error::BadChunkData
            | Error::IncompleteBody => 400,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_classes() {
        assert_eq!(Error::RequestLineTooLong.status(), 414);
        assert_eq!(Error::HeadTooLarge.status(), 431);
        assert_eq!(Error::TooManyHeaders.status(), 431);
        assert_eq!(Error::FieldLineTooLong.status(), 431);
        assert_eq!(Error::UnknownTransferCoding.status(), 501);
        assert_eq!(Error::ChunkedNotLast.status(), 400);
        assert_eq!(Error::ChunkExtensionsTooLarge.status(), 413);
        assert_eq!(Error::UnsupportedVersion.status(), 505);
    }

    #[test]
    fn messages_are_lowercase() {
        let all = [
            Error::RequestLineTooLong,
            Error::BareLf,
            Error::ContentLengthWithTransferEncoding,
            Error::TransferEncodingInHttp10,
            Error::IncompleteBody,
        ];
        for e in all {
            let msg = e.to_string();
            assert_eq!(msg, msg.to_lowercase());
        }
    }
}
