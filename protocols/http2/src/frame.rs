//! HTTP/2 frames (RFC 9113 §4, §6): one module per frame type.
//!
//! Each frame type has `decode(head, payload)`, which runs the checks of its
//! §6 subsection in the order the RFC lists them, and `encode(&self, dst)`,
//! which writes header and payload. Payloads are zero-copy [`Bytes`] slices
//! of the receive buffer.

pub(crate) mod continuation;
mod data;
mod go_away;
mod head;
mod headers;
mod padding;
mod ping;
mod priority;
mod push_promise;
mod reason;
mod rst_stream;
mod settings;
mod stream_id;
mod window_update;

use bytes::{Bytes, BytesMut};

pub use continuation::Continuation;
pub use data::Data;
pub use go_away::GoAway;
pub use head::{Flags, Head, Kind, FRAME_HEADER_LEN, MAX_FRAME_LEN};
pub use headers::Headers;
pub use ping::Ping;
pub use priority::{Priority, StreamDependency};
pub use push_promise::PushPromise;
pub use reason::Reason;
pub use rst_stream::RstStream;
pub use settings::{
    SettingId, Settings, DEFAULT_INITIAL_WINDOW_SIZE, DEFAULT_MAX_FRAME_SIZE,
    MAX_INITIAL_WINDOW_SIZE,
};
pub use stream_id::StreamId;
pub use window_update::WindowUpdate;

use crate::FrameError;

/// Any decoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// DATA (§6.1).
    Data(Data),
    /// HEADERS (§6.2).
    Headers(Headers),
    /// PRIORITY (§6.3); deprecated, parsed only to be ignored.
    Priority(Priority),
    /// RST_STREAM (§6.4).
    RstStream(RstStream),
    /// SETTINGS (§6.5).
    Settings(Settings),
    /// PUSH_PROMISE (§6.6).
    PushPromise(PushPromise),
    /// PING (§6.7).
    Ping(Ping),
    /// GOAWAY (§6.8).
    GoAway(GoAway),
    /// WINDOW_UPDATE (§6.9).
    WindowUpdate(WindowUpdate),
    /// CONTINUATION (§6.10).
    Continuation(Continuation),
    /// A frame of a type we do not know; the connection MUST ignore it
    /// (§4.1, §5.5) unless it interrupts a field block (§6.10).
    Unknown(Unknown),
}

/// A frame of unknown type, kept only so that it can be ignored (or, while a
/// field block is open, rejected) and re-encoded unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The unknown Type octet.
    pub kind: u8,
    /// Flags, meaning unknown.
    pub flags: Flags,
    /// Stream it was sent on.
    pub stream_id: StreamId,
    /// Opaque payload.
    pub payload: Bytes,
}

impl Frame {
    /// Decodes the payload belonging to `head` (its length already checked
    /// against SETTINGS_MAX_FRAME_SIZE by the caller).
    pub fn decode(head: Head, payload: Bytes) -> Result<Frame, FrameError> {
        Ok(match head.kind {
            Kind::Data => Data::decode(head, payload)?.into(),
            Kind::Headers => Headers::decode(head, payload)?.into(),
            Kind::Priority => Priority::decode(head, payload)?.into(),
            Kind::RstStream => RstStream::decode(head, payload)?.into(),
            Kind::Settings => Settings::decode(head, payload)?.into(),
            Kind::PushPromise => PushPromise::decode(head, payload)?.into(),
            Kind::Ping => Ping::decode(head, payload)?.into(),
            Kind::GoAway => GoAway::decode(head, payload)?.into(),
            Kind::WindowUpdate => WindowUpdate::decode(head, payload)?.into(),
            Kind::Continuation => Continuation::decode(head, payload)?.into(),
            // §4.1: implementations MUST ignore and discard unknown types.
            Kind::Unknown(kind) => Frame::Unknown(Unknown {
                kind,
                flags: head.flags,
                stream_id: head.stream_id,
                payload,
            }),
        })
    }

    /// Writes the frame as a single frame. Field blocks and DATA longer than
    /// the peer's SETTINGS_MAX_FRAME_SIZE must go through
    /// [`crate::codec::encoder`] instead, which splits them.
    pub fn encode(&self, dst: &mut BytesMut) {
        match self {
            Frame::Data(f) => f.encode(dst),
            Frame::Headers(f) => f.encode(dst),
            Frame::Priority(f) => f.encode(dst),
            Frame::RstStream(f) => f.encode(dst),
            Frame::Settings(f) => f.encode(dst),
            Frame::PushPromise(f) => f.encode(dst),
            Frame::Ping(f) => f.encode(dst),
            Frame::GoAway(f) => f.encode(dst),
            Frame::WindowUpdate(f) => f.encode(dst),
            Frame::Continuation(f) => f.encode(dst),
            Frame::Unknown(f) => {
                Head::encode(
                    Kind::Unknown(f.kind),
                    f.flags,
                    f.stream_id,
                    f.payload.len(),
                    dst,
                );
                dst.extend_from_slice(&f.payload);
            }
        }
    }

    /// The frame type.
    pub fn kind(&self) -> Kind {
        match self {
            Frame::Data(_) => Kind::Data,
            Frame::Headers(_) => Kind::Headers,
            Frame::Priority(_) => Kind::Priority,
            Frame::RstStream(_) => Kind::RstStream,
            Frame::Settings(_) => Kind::Settings,
            Frame::PushPromise(_) => Kind::PushPromise,
            Frame::Ping(_) => Kind::Ping,
            Frame::GoAway(_) => Kind::GoAway,
            Frame::WindowUpdate(_) => Kind::WindowUpdate,
            Frame::Continuation(_) => Kind::Continuation,
            Frame::Unknown(f) => Kind::Unknown(f.kind),
        }
    }

    /// The stream the frame was sent on (0 for connection frames).
    pub fn stream_id(&self) -> StreamId {
        match self {
            Frame::Data(f) => f.stream_id,
            Frame::Headers(f) => f.stream_id,
            Frame::Priority(f) => f.stream_id,
            Frame::RstStream(f) => f.stream_id,
            Frame::PushPromise(f) => f.stream_id,
            Frame::WindowUpdate(f) => f.stream_id,
            Frame::Continuation(f) => f.stream_id,
            Frame::Unknown(f) => f.stream_id,
            Frame::Settings(_) | Frame::Ping(_) | Frame::GoAway(_) => StreamId::ZERO,
        }
    }
}

macro_rules! from_frame {
    ($($ty:ident),*) => {$(
        impl From<$ty> for Frame {
            fn from(f: $ty) -> Frame {
                Frame::$ty(f)
            }
        }
    )*};
}

from_frame!(
    Data,
    Headers,
    Priority,
    RstStream,
    Settings,
    PushPromise,
    Ping,
    GoAway,
    WindowUpdate,
    Continuation,
    Unknown
);

/// Shared §6 check: frames that belong to a stream MUST NOT use stream 0.
fn require_stream(head: &Head) -> Result<(), FrameError> {
    if head.stream_id.is_zero() {
        return Err(FrameError::StreamIdRequired { kind: head.kind });
    }
    Ok(())
}

/// Shared §6 check: connection-level frames MUST use stream 0.
fn require_connection(head: &Head) -> Result<(), FrameError> {
    if !head.stream_id.is_zero() {
        return Err(FrameError::StreamIdForbidden { kind: head.kind });
    }
    Ok(())
}

/// The FRAME_SIZE_ERROR for a payload whose length is wrong for its type.
fn bad_size(head: &Head) -> FrameError {
    FrameError::BadFrameSize {
        kind: head.kind,
        length: head.length,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_frame_is_kept_for_ignoring() {
        let head = Head {
            length: 3,
            kind: Kind::Unknown(0xbb),
            flags: Flags(0xff),
            stream_id: StreamId::new(9),
        };
        let frame = Frame::decode(head, Bytes::from_static(b"abc")).unwrap();
        assert_eq!(frame.kind(), Kind::Unknown(0xbb));
        assert_eq!(frame.stream_id(), StreamId::new(9));
        let mut out = BytesMut::new();
        frame.encode(&mut out);
        assert_eq!(&out[..], b"\x00\x00\x03\xbb\xff\x00\x00\x00\x09abc");
    }
}
