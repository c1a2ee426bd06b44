//! HPACK header compression for HTTP/2 (RFC 7541).
//!
//! Pure and synchronous: header blocks in, header fields out, and back.
//! The HTTP/2 connection owns one [`Decoder`] for the blocks it receives
//! and one [`Encoder`] for those it sends, feeds them whole blocks in
//! connection order, and maps [`DecoderError`] to COMPRESSION_ERROR (or,
//! for [`DecoderError::HeaderListTooLarge`], to a stream-level refusal).
//! HTTP semantics (pseudo-header rules, lowercase names, forbidden
//! connection headers) are checked by the HTTP/2 layer, not here.
//!
//! ```
//! use bytes::BytesMut;
//! use layotto_hpack::{Decoder, Encoder, Header};
//!
//! let mut encoder = Encoder::new(4096);
//! let mut decoder = Decoder::new(4096);
//! let sent = [
//!     Header::new(":method", "GET"),
//!     Header::new(":path", "/pkg.Service/Method"),
//!     Header::sensitive("authorization", "Bearer secret"),
//! ];
//! let mut block = BytesMut::new();
//! encoder.encode(&sent, &mut block);
//!
//! let mut received = Vec::new();
//! decoder.decode(&block.freeze(), 16 * 1024, |h| received.push(h))?;
//! assert_eq!(received, sent);
//! # Ok::<(), layotto_hpack::DecoderError>(())
//! ```
//!
//! Layout: `integer` and [`huffman`] are the primitive codings
//! (§5), `table` the static and dynamic tables (§2.3, §4), and
//! `decoder` / `encoder` the header field representations (§6).

#![forbid(unsafe_code)]

mod decoder;
mod encoder;
mod error;
mod header;
pub mod huffman;
mod integer;
mod table;

#[doc(hidden)]
pub mod fuzz_logic;

pub use decoder::{Decoder, DEFAULT_MAX_STRING_LEN};
pub use encoder::{Encoder, MAX_ENCODER_TABLE_SIZE};
pub use error::DecoderError;
pub use header::{Header, ENTRY_OVERHEAD};
pub use table::DynamicTable;
