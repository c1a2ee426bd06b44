//! HTTP/2 frame layer (RFC 9113): bytes in, frames out. No sockets, no
//! clock, no HPACK; the connection driver is built on top of this crate.
//!
//! # Pieces
//!
//! * [`frame`]: one type per frame (§6) with `decode(head, payload)` and
//!   `encode(&self, dst)`, the 9-octet [`frame::Head`] (§4.1),
//!   [`frame::StreamId`], [`frame::Reason`] (§7) and the [`frame::Frame`] enum.
//!   Payloads are zero-copy [`bytes::Bytes`] slices of the receive buffer.
//! * [`FrameError`]: every violation the frame layer detects, each mapped by
//!   [`FrameError::reaction`] to exactly one [`Reaction`]: GOAWAY with a code
//!   (connection error, §5.4.1) or RST_STREAM with a code (stream error,
//!   §5.4.2).
//! * [`codec`]: [`codec::Preface`] (§3.4), [`codec::FrameDecoder`] (§4.1,
//!   §4.2; rejects oversized frames from the header alone),
//!   [`codec::HeaderBlockAssembler`] (joins HEADERS/PUSH_PROMISE +
//!   CONTINUATION, §6.10, with CONTINUATION-flood limits) and
//!   [`codec::FrameEncoder`] (splits field blocks and DATA by the peer's
//!   SETTINGS_MAX_FRAME_SIZE).
//! * [`flow_control`]: [`flow_control::SendWindow`] and
//!   [`flow_control::RecvWindow`] over a checked [`flow_control::Window`]
//!   (§5.2, §6.9).
//! * [`stream_state`]: the §5.1 state machine, [`stream_state::StreamState`].
//! * [`limits`]: our advertised SETTINGS and abuse limits.
//! * [`connection`]: the sans-I/O connection state machine built on all of
//!   the above (preface, SETTINGS, streams, flow control, HTTP message
//!   rules, abuse budgets): [`Connection`], [`Event`], [`SendError`].
//!
//! # Receive path, as a connection would drive it
//!
//! ```
//! use bytes::BytesMut;
//! use layotto_http2::codec::{FrameDecoder, HeaderBlockAssembler, Preface};
//! use layotto_http2::frame::Frame;
//! use layotto_http2::Reaction;
//!
//! let mut buf = BytesMut::from(&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0"[..]);
//! assert!(Preface::consume(&mut buf).unwrap());
//! let mut decoder = FrameDecoder::new(16_384);
//! let mut blocks = HeaderBlockAssembler::default();
//! loop {
//!     let frame = match decoder.decode(&mut buf).and_then(|f| f.map(|f| blocks.push(f)).transpose()) {
//!         Ok(Some(Some(frame))) => frame, // act on it (HPACK-decode HEADERS blocks, ...)
//!         Ok(Some(None)) => continue,     // a fragment of an open field block
//!         Ok(None) => break,              // read more bytes into `buf`
//!         Err(e) => match e.reaction() {
//!             Reaction::Connection(code) => panic!("send GOAWAY({code}) and close"),
//!             Reaction::Stream(id, code) => { let _ = (id, code); continue } // RST_STREAM
//!         },
//!     };
//!     assert!(matches!(frame, Frame::Settings(_)));
//! }
//! ```
//!
//! Checks that need connection or stream state (stream-id ordering,
//! PUSH_PROMISE from a client, flow-control windows, SETTINGS ACK timing)
//! are made by [`connection`], using [`stream_state`] and [`flow_control`].

#![forbid(unsafe_code)]

pub mod codec;
pub mod connection;
pub mod error;
pub mod flow_control;
pub mod frame;
pub mod limits;
pub mod stream_state;

#[doc(hidden)]
pub mod fuzz_logic;

pub use connection::{
    Connection, ConnectionError, Event, PeerSettings, RequestHead, Role, SendError,
};
pub use error::{FrameError, Reaction};
pub use frame::{Frame, Kind, Reason, StreamId};
