//! Size caps applied while bytes arrive, so a peer can never make the
//! decoder wait for (or the caller buffer) more than these amounts.

/// Per-connection size limits. Every cap is checked before the whole item
/// is buffered: an over-long line fails as soon as the cap is passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest request line (or status line), CRLF excluded. Exceeding it
    /// is [`Error::RequestLineTooLong`](crate::Error) (414).
    pub max_request_line: usize,
    /// Largest head: start line, fields and the blank line, CRLFs included
    /// (431).
    pub max_head: usize,
    /// Most field lines in a head or a trailer section (431).
    pub max_headers: usize,
    /// Longest single field line, CRLF excluded (431).
    pub max_field_line: usize,
    /// Longest chunk-size line including its extensions, CRLF excluded.
    pub max_chunk_line: usize,
    /// Total chunk-extension bytes accepted over one body.
    pub max_chunk_extensions: usize,
    /// Largest trailer section, CRLFs included.
    pub max_trailers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_request_line: 8 * 1024,
            max_head: 64 * 1024,
            max_headers: 100,
            max_field_line: 16 * 1024,
            max_chunk_line: 4 * 1024,
            max_chunk_extensions: 16 * 1024,
            max_trailers: 16 * 1024,
        }
    }
}
