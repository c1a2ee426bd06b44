//! gRPC length-prefixed messages: decoding (with size limits and capped
//! gzip inflation), encoding, and the `grpc-encoding` negotiation.

mod decoder;
mod encode;
mod encoding;
mod inflate;

pub use decoder::{MessageDecoder, DEFAULT_MAX_MESSAGE_SIZE, PREFIX_LEN};
pub use encode::{encode_compressed, encode_message, encode_message_limited, encode_raw};
pub use encoding::{Encoding, GRPC_ACCEPT_ENCODING, GRPC_ENCODING};
