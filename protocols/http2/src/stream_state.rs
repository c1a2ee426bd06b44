//! The stream state machine of RFC 9113 §5.1 (Figure 2).
//!
//! ```text
//!                              +--------+
//!                      send PP |        | recv PP
//!                     ,--------+  idle  +--------.
//!                    /         |        |         \
//!                   v          +--------+          v
//!            +----------+          |           +----------+
//!            |          |          | send H /  |          |
//!     ,------+ reserved |          | recv H    | reserved +------.
//!     |      | (local)  |          |           | (remote) |      |
//!     |      +---+------+          v           +------+---+      |
//!     |          |             +--------+             |          |
//!     |          |     recv ES |        | send ES     |          |
//!     |   send H |     ,-------+  open  +-------.     | recv H   |
//!     |          |    /        |        |        \    |          |
//!     |          v   v         +---+----+         v   v          |
//!     |      +----------+          |           +----------+      |
//!     |      |   half-  |          |           |   half-  |      |
//!     |      |  closed  |          | send R /  |  closed  |      |
//!     |      | (remote) |          | recv R    | (local)  |      |
//!     |      +----+-----+          |           +-----+----+      |
//!     |           |                |                 |           |
//!     |           | send ES /      |       recv ES / |           |
//!     |           | send R /       v        send R / |           |
//!     |           | recv R     +--------+   recv R   |           |
//!     | send R /  `----------->|        |<-----------'  send R / |
//!     | recv R                 | closed |               recv R   |
//!     `----------------------->|        |<-----------------------'
//!                              +--------+
//!
//!   H: HEADERS (+ CONTINUATION)   PP: PUSH_PROMISE   ES: END_STREAM flag
//!   R: RST_STREAM
//! ```
//!
//! `recv_*` methods check a frame from the peer and return the RFC's error
//! for violations (a [`FrameError`] that knows if it is a stream or
//! connection error); `send_*` methods guard our own sends and return a
//! [`SendStateError`], which is a local bug, not a peer violation. PRIORITY
//! is allowed in every state and changes nothing, so it has no method.

use crate::frame::{Kind, StreamId};
use crate::FrameError;

/// State of one stream (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StreamState {
    /// Not yet used.
    #[default]
    Idle,
    /// We promised it with PUSH_PROMISE.
    ReservedLocal,
    /// The peer promised it with PUSH_PROMISE.
    ReservedRemote,
    /// Both sides may send.
    Open,
    /// We sent END_STREAM; the peer may still send.
    HalfClosedLocal,
    /// The peer sent END_STREAM; we may still send.
    HalfClosedRemote,
    /// Done; how it closed decides how late frames are treated.
    Closed(CloseCause),
}

/// How a stream reached `closed`, which §5.1 needs to judge late frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseCause {
    /// Both sides sent END_STREAM.
    EndStream,
    /// The peer sent RST_STREAM.
    RecvReset,
    /// We sent RST_STREAM.
    SentReset,
}

/// What to do with a received frame that is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Act on the frame.
    Process,
    /// Drop it silently (late frames on a closed stream, §5.1).
    Ignore,
}

/// We tried to send a frame the current state forbids (§5.1). A bug in the
/// caller: do not send the frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot send {kind:?} on stream {stream_id} in state {state:?}")]
pub struct SendStateError {
    /// The stream.
    pub stream_id: StreamId,
    /// The frame we tried to send.
    pub kind: Kind,
    /// The state that forbids it.
    pub state: StreamState,
}

use CloseCause::{EndStream, RecvReset, SentReset};
use StreamState::*;

impl StreamState {
    /// Whether the stream is closed.
    pub fn is_closed(self) -> bool {
        matches!(self, Closed(_))
    }

    /// Whether the peer may still send DATA/HEADERS.
    pub fn can_recv(self) -> bool {
        matches!(self, Open | HalfClosedLocal | ReservedRemote)
    }

    /// Whether we may still send DATA/HEADERS.
    pub fn can_send(self) -> bool {
        matches!(self, Open | HalfClosedRemote | ReservedLocal)
    }

    /// A HEADERS block (after CONTINUATION assembly) arrived. `Ignore` still
    /// requires the block to be HPACK-decoded to keep the decoder in sync.
    pub fn recv_headers(&mut self, id: StreamId, end_stream: bool) -> Result<Received, FrameError> {
        let kind = Kind::Headers;
        *self = match *self {
            // idle: receiving HEADERS opens the stream, END_STREAM
            // half-closes it at once.
            Idle if end_stream => HalfClosedRemote,
            Idle => Open,
            // reserved (remote): "Receiving a HEADERS frame causes the
            // stream to transition to half-closed (local)."
            ReservedRemote if end_stream => Closed(EndStream),
            ReservedRemote => HalfClosedLocal,
            // reserved (local): only RST_STREAM, PRIORITY, WINDOW_UPDATE may
            // be received, else connection error PROTOCOL_ERROR.
            ReservedLocal => {
                return Err(FrameError::FrameOnReservedStream {
                    stream_id: id,
                    kind,
                })
            }
            Open if end_stream => HalfClosedRemote,
            HalfClosedLocal if end_stream => Closed(EndStream),
            state @ (Open | HalfClosedLocal) => state,
            HalfClosedRemote | Closed(_) => return closed_stream(*self, id, kind),
        };
        Ok(Received::Process)
    }

    /// A DATA frame arrived.
    pub fn recv_data(&mut self, id: StreamId, end_stream: bool) -> Result<Received, FrameError> {
        let kind = Kind::Data;
        *self = match *self {
            // idle: "Receiving any frame other than HEADERS or PRIORITY on a
            // stream in this state MUST be treated as a connection error of
            // type PROTOCOL_ERROR."
            Idle => {
                return Err(FrameError::FrameOnIdleStream {
                    stream_id: id,
                    kind,
                })
            }
            // reserved (either): DATA is never allowed -> PROTOCOL_ERROR.
            ReservedLocal | ReservedRemote => {
                return Err(FrameError::FrameOnReservedStream {
                    stream_id: id,
                    kind,
                })
            }
            Open if end_stream => HalfClosedRemote,
            HalfClosedLocal if end_stream => Closed(EndStream),
            state @ (Open | HalfClosedLocal) => state,
            HalfClosedRemote | Closed(_) => return closed_stream(*self, id, kind),
        };
        Ok(Received::Process)
    }

    /// A RST_STREAM arrived.
    pub fn recv_rst(&mut self, id: StreamId) -> Result<Received, FrameError> {
        match *self {
            // §6.4: "If a RST_STREAM frame identifying an idle stream is
            // received, the recipient MUST treat this as a connection error
            // of type PROTOCOL_ERROR."
            Idle => Err(FrameError::FrameOnIdleStream {
                stream_id: id,
                kind: Kind::RstStream,
            }),
            // §5.4.2: "an endpoint MUST NOT send a RST_STREAM in response to
            // a RST_STREAM frame"; late resets on closed streams are dropped.
            Closed(_) => Ok(Received::Ignore),
            _ => {
                *self = Closed(RecvReset);
                Ok(Received::Process)
            }
        }
    }

    /// A WINDOW_UPDATE for this stream arrived.
    pub fn recv_window_update(&mut self, id: StreamId) -> Result<Received, FrameError> {
        let kind = Kind::WindowUpdate;
        match *self {
            // idle: anything but HEADERS/PRIORITY -> connection PROTOCOL_ERROR.
            Idle => Err(FrameError::FrameOnIdleStream {
                stream_id: id,
                kind,
            }),
            // reserved (remote): only HEADERS, RST_STREAM, PRIORITY allowed.
            ReservedRemote => Err(FrameError::FrameOnReservedStream {
                stream_id: id,
                kind,
            }),
            ReservedLocal | Open | HalfClosedLocal | HalfClosedRemote => Ok(Received::Process),
            // closed: "WINDOW_UPDATE or RST_STREAM frames can be received in
            // this state for a short period after a DATA or HEADERS frame
            // containing an END_STREAM flag is sent"; and after our reset,
            // "An endpoint MUST ignore frames that it receives on closed
            // streams after it has sent a RST_STREAM frame."
            Closed(EndStream | SentReset) => Ok(Received::Ignore),
            // closed by the peer's reset: "any frame other than PRIORITY
            // after receiving a RST_STREAM" is a stream error STREAM_CLOSED.
            Closed(RecvReset) => Err(FrameError::StreamClosed {
                stream_id: id,
                kind,
            }),
        }
    }

    /// The peer promised this (idle) stream in a PUSH_PROMISE. A server
    /// rejects every PUSH_PROMISE before getting here (§8.4).
    pub fn recv_push_promise(&mut self, id: StreamId) -> Result<Received, FrameError> {
        match *self {
            Idle => {
                *self = ReservedRemote;
                Ok(Received::Process)
            }
            // §5.1.1/§6.6: the promised stream must be a new, idle stream.
            _ => Err(FrameError::FrameOnReservedStream {
                stream_id: id,
                kind: Kind::PushPromise,
            }),
        }
    }

    /// We are about to send a HEADERS block.
    pub fn send_headers(&mut self, id: StreamId, end_stream: bool) -> Result<(), SendStateError> {
        *self = match *self {
            Idle if end_stream => HalfClosedLocal,
            Idle => Open,
            // reserved (local): "sending a HEADERS frame ... causes the
            // stream to become half-closed (remote)".
            ReservedLocal if end_stream => Closed(EndStream),
            ReservedLocal => HalfClosedRemote,
            Open if end_stream => HalfClosedLocal,
            HalfClosedRemote if end_stream => Closed(EndStream),
            state @ (Open | HalfClosedRemote) => state,
            ReservedRemote | HalfClosedLocal | Closed(_) => {
                return Err(self.send_error(id, Kind::Headers))
            }
        };
        Ok(())
    }

    /// We are about to send a DATA frame.
    pub fn send_data(&mut self, id: StreamId, end_stream: bool) -> Result<(), SendStateError> {
        *self = match *self {
            Open if end_stream => HalfClosedLocal,
            HalfClosedRemote if end_stream => Closed(EndStream),
            state @ (Open | HalfClosedRemote) => state,
            Idle | ReservedLocal | ReservedRemote | HalfClosedLocal | Closed(_) => {
                return Err(self.send_error(id, Kind::Data))
            }
        };
        Ok(())
    }

    /// We are about to send RST_STREAM.
    pub fn send_rst(&mut self, id: StreamId) -> Result<(), SendStateError> {
        // §5.1 idle: RST_STREAM frames MUST NOT be sent for an idle stream.
        // Closed streams may be reset in answer to late frames (§5.4.2).
        if *self == Idle {
            return Err(self.send_error(id, Kind::RstStream));
        }
        *self = Closed(SentReset);
        Ok(())
    }

    /// We are about to promise this (idle) stream.
    pub fn send_push_promise(&mut self, id: StreamId) -> Result<(), SendStateError> {
        if *self != Idle {
            return Err(self.send_error(id, Kind::PushPromise));
        }
        *self = ReservedLocal;
        Ok(())
    }

    fn send_error(self, stream_id: StreamId, kind: Kind) -> SendStateError {
        SendStateError {
            stream_id,
            kind,
            state: self,
        }
    }
}

/// DATA/HEADERS on a stream the peer may no longer send on (§5.1).
fn closed_stream(state: StreamState, id: StreamId, kind: Kind) -> Result<Received, FrameError> {
    match state {
        // After our reset: "MUST ignore frames that it receives on closed
        // streams after it has sent a RST_STREAM frame."
        Closed(SentReset) => Ok(Received::Ignore),
        // "an endpoint that receives any frames after receiving a frame with
        // the END_STREAM flag set MUST treat that as a connection error of
        // type STREAM_CLOSED"
        Closed(EndStream) => Err(FrameError::FrameAfterEndStream {
            stream_id: id,
            kind,
        }),
        // half-closed (remote): "it MUST respond with a stream error of type
        // STREAM_CLOSED"; closed after the peer's RST_STREAM: stream error
        // STREAM_CLOSED too.
        _ => Err(FrameError::StreamClosed {
            stream_id: id,
            kind,
        }),
    }
}

#[cfg(test)]
mod tests;
