//! Byte-level codec: the connection preface (RFC 9113 §3.4), the frame
//! decoder (§4), field block assembly across CONTINUATION frames (§4.3,
//! §6.10) and frame writers that respect the peer's SETTINGS_MAX_FRAME_SIZE.

pub mod decoder;
pub mod encoder;
pub mod header_block;
pub mod preface;

pub use decoder::FrameDecoder;
pub use encoder::FrameEncoder;
pub use header_block::HeaderBlockAssembler;
pub use preface::{Preface, PrefaceStatus, PREFACE};
