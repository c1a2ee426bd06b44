//! Errors found while decoding frames or checking them against stream and
//! flow-control state (RFC 9113 §5.4).
//!
//! Every variant maps to exactly one [`Reaction`]: either a connection error
//! (§5.4.1: send GOAWAY with the code, then close) or a stream error (§5.4.2:
//! send RST_STREAM with the code on that stream, keep the connection).

use thiserror::Error;

use crate::frame::{Kind, Reason, StreamId};

/// What the connection must do about a [`FrameError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// Connection error (§5.4.1): send GOAWAY with this code and close.
    Connection(Reason),
    /// Stream error (§5.4.2): send RST_STREAM with this code on this stream.
    Stream(StreamId, Reason),
}

/// A protocol violation by the peer, detected in the frame layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FrameError {
    /// Length exceeds our advertised SETTINGS_MAX_FRAME_SIZE (§4.2).
    #[error("frame length {length} exceeds SETTINGS_MAX_FRAME_SIZE {max}")]
    FrameTooLarge { length: u32, max: u32 },
    /// Payload length invalid for this frame type (§4.2); connection-wide.
    #[error("invalid payload length {length} for {kind:?} frame")]
    BadFrameSize { kind: Kind, length: u32 },
    /// PRIORITY payload not 5 octets: a stream error (§6.3).
    #[error("PRIORITY frame on stream {stream_id} is not 5 octets")]
    PriorityFrameSize { stream_id: StreamId },
    /// Frame type that needs a stream arrived on stream 0.
    #[error("{kind:?} frame on stream 0")]
    StreamIdRequired { kind: Kind },
    /// Connection-only frame type arrived on a non-zero stream.
    #[error("{kind:?} frame on non-zero stream")]
    StreamIdForbidden { kind: Kind },
    /// Pad Length is not smaller than the payload (§6.1, §6.2, §6.6).
    #[error("padding of {kind:?} frame is as long as the payload")]
    PaddingTooLong { kind: Kind },
    /// A stream depends on itself (§5.3.1).
    #[error("stream {stream_id} depends on itself")]
    SelfDependency { stream_id: StreamId },
    /// SETTINGS with ACK flag carried a payload (§6.5).
    #[error("SETTINGS ACK with a payload")]
    SettingsAckWithPayload,
    /// More SETTINGS entries in one frame than we accept (flood defence).
    #[error("{count} entries in one SETTINGS frame")]
    TooManySettings { count: usize },
    /// SETTINGS_ENABLE_PUSH other than 0 or 1 (§6.5.2).
    #[error("SETTINGS_ENABLE_PUSH = {value}")]
    InvalidEnablePush { value: u32 },
    /// SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1 (§6.5.2).
    #[error("SETTINGS_INITIAL_WINDOW_SIZE = {value}")]
    InvalidInitialWindowSize { value: u32 },
    /// SETTINGS_MAX_FRAME_SIZE outside [2^14, 2^24-1] (§6.5.2).
    #[error("SETTINGS_MAX_FRAME_SIZE = {value}")]
    InvalidMaxFrameSize { value: u32 },
    /// WINDOW_UPDATE with increment 0 on stream 0 (§6.9).
    #[error("WINDOW_UPDATE with increment 0 on the connection")]
    ZeroWindowIncrementConnection,
    /// WINDOW_UPDATE with increment 0 on a stream (§6.9).
    #[error("WINDOW_UPDATE with increment 0 on stream {stream_id}")]
    ZeroWindowIncrement { stream_id: StreamId },
    /// A field block is open and another frame arrived instead of its CONTINUATION (§6.10).
    #[error("expected CONTINUATION on stream {expected}, got {got:?} on stream {got_stream}")]
    ExpectedContinuation {
        expected: StreamId,
        got: Kind,
        got_stream: StreamId,
    },
    /// CONTINUATION with no open field block (§6.10).
    #[error("unexpected CONTINUATION on stream {stream_id}")]
    UnexpectedContinuation { stream_id: StreamId },
    /// More CONTINUATION frames in one field block than allowed (VU#421644).
    #[error("more than {limit} CONTINUATION frames in one field block")]
    TooManyContinuations { limit: usize },
    /// Field block larger than allowed (VU#421644).
    #[error("field block larger than {limit} octets")]
    HeaderBlockTooLarge { limit: usize },
    /// The client connection preface did not match (§3.4).
    #[error("invalid HTTP/2 connection preface")]
    InvalidPreface,
    /// A client sent PUSH_PROMISE; servers must reject it (§8.4).
    #[error("PUSH_PROMISE received by a server")]
    PushPromiseFromClient,
    /// WINDOW_UPDATE took the connection window above 2^31-1 (§6.9.1).
    #[error("connection flow-control window overflow")]
    ConnectionWindowOverflow,
    /// WINDOW_UPDATE took a stream window above 2^31-1 (§6.9.1).
    #[error("flow-control window overflow on stream {stream_id}")]
    StreamWindowOverflow { stream_id: StreamId },
    /// SETTINGS_INITIAL_WINDOW_SIZE change overflowed a stream window (§6.9.2).
    #[error("SETTINGS_INITIAL_WINDOW_SIZE change overflows stream {stream_id}")]
    InitialWindowOverflow { stream_id: StreamId },
    /// Peer sent more DATA than the connection window allows (§6.9.1).
    #[error("connection flow-control window exceeded")]
    ConnectionWindowExceeded,
    /// Peer sent more DATA than the stream window allows (§6.9.1).
    #[error("flow-control window exceeded on stream {stream_id}")]
    StreamWindowExceeded { stream_id: StreamId },
    /// Frame other than HEADERS/PRIORITY on an idle stream (§5.1).
    #[error("{kind:?} frame on idle stream {stream_id}")]
    FrameOnIdleStream { stream_id: StreamId, kind: Kind },
    /// Frame not allowed on a reserved stream (§5.1).
    #[error("{kind:?} frame on reserved stream {stream_id}")]
    FrameOnReservedStream { stream_id: StreamId, kind: Kind },
    /// Frame on a half-closed (remote) or reset stream (§5.1).
    #[error("{kind:?} frame on closed stream {stream_id}")]
    StreamClosed { stream_id: StreamId, kind: Kind },
    /// Frame after the peer already ended the stream and it closed (§5.1).
    #[error("{kind:?} frame after END_STREAM on closed stream {stream_id}")]
    FrameAfterEndStream { stream_id: StreamId, kind: Kind },
}

impl FrameError {
    /// The single reaction the connection must take.
    pub const fn reaction(&self) -> Reaction {
        use FrameError::*;
        use Reaction::{Connection, Stream};
        match *self {
            FrameTooLarge { .. } | BadFrameSize { .. } | SettingsAckWithPayload => {
                Connection(Reason::FRAME_SIZE_ERROR)
            }
            PriorityFrameSize { stream_id } => Stream(stream_id, Reason::FRAME_SIZE_ERROR),
            StreamIdRequired { .. }
            | StreamIdForbidden { .. }
            | PaddingTooLong { .. }
            | InvalidEnablePush { .. }
            | InvalidMaxFrameSize { .. }
            | ZeroWindowIncrementConnection
            | ExpectedContinuation { .. }
            | UnexpectedContinuation { .. }
            | InvalidPreface
            | PushPromiseFromClient
            | FrameOnIdleStream { .. }
            | FrameOnReservedStream { .. } => Connection(Reason::PROTOCOL_ERROR),
            SelfDependency { stream_id } | ZeroWindowIncrement { stream_id } => {
                Stream(stream_id, Reason::PROTOCOL_ERROR)
            }
            TooManySettings { .. } | TooManyContinuations { .. } | HeaderBlockTooLarge { .. } => {
                Connection(Reason::ENHANCE_YOUR_CALM)
            }
            InvalidInitialWindowSize { .. }
            | ConnectionWindowOverflow
            | InitialWindowOverflow { .. }
            | ConnectionWindowExceeded => Connection(Reason::FLOW_CONTROL_ERROR),
            StreamWindowOverflow { stream_id } | StreamWindowExceeded { stream_id } => {
                Stream(stream_id, Reason::FLOW_CONTROL_ERROR)
            }
            StreamClosed { stream_id, .. } => Stream(stream_id, Reason::STREAM_CLOSED),
            FrameAfterEndStream { .. } => Connection(Reason::STREAM_CLOSED),
        }
    }

    /// The error code to put in GOAWAY or RST_STREAM.
    pub const fn reason(&self) -> Reason {
        match self.reaction() {
            Reaction::Connection(r) | Reaction::Stream(_, r) => r,
        }
    }

    /// Whether the whole connection must be torn down.
    pub const fn is_connection_error(&self) -> bool {
        matches!(self.reaction(), Reaction::Connection(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reactions() {
        let s = StreamId::new(3);
        assert_eq!(
            FrameError::ZeroWindowIncrement { stream_id: s }.reaction(),
            Reaction::Stream(s, Reason::PROTOCOL_ERROR)
        );
        assert_eq!(
            FrameError::ZeroWindowIncrementConnection.reaction(),
            Reaction::Connection(Reason::PROTOCOL_ERROR)
        );
        assert_eq!(
            FrameError::TooManyContinuations { limit: 5 }.reason(),
            Reason::ENHANCE_YOUR_CALM
        );
        assert!(FrameError::FrameTooLarge { length: 1, max: 0 }.is_connection_error());
        assert!(!FrameError::PriorityFrameSize { stream_id: s }.is_connection_error());
        let e = FrameError::StreamClosed {
            stream_id: s,
            kind: Kind::Data,
        };
        assert_eq!(e.reaction(), Reaction::Stream(s, Reason::STREAM_CLOSED));
        assert!(FrameError::FrameAfterEndStream {
            stream_id: s,
            kind: Kind::Data
        }
        .is_connection_error());
    }
}
