//! Test peer: drives a server `Connection` with raw frames (frame-layer
//! encoders + an HPACK encoder) and decodes what it writes back.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use layotto_hpack::{Decoder, Encoder, Header};
use layotto_http2::codec::{FrameDecoder, HeaderBlockAssembler, PREFACE};
use layotto_http2::connection::{Connection, ConnectionError, Event, Role};
use layotto_http2::frame::{
    Data, Frame, GoAway, Headers, Ping, Reason, RstStream, Settings, StreamId, WindowUpdate,
    MAX_FRAME_LEN,
};
use layotto_http2::limits::Limits;

pub fn sid(n: u32) -> StreamId {
    StreamId::new(n)
}

/// A decoded head the server wrote: (stream, fields, end_stream).
pub type Head = (StreamId, Vec<(String, String)>, bool);

/// A raw client talking to a server `Connection`.
pub struct Peer {
    pub conn: Connection,
    pub enc: Encoder,
    pub dec: Decoder,
    pub now: Instant,
    pub last: Result<(), ConnectionError>,
    fdec: FrameDecoder,
    asm: HeaderBlockAssembler,
    inbox: BytesMut,
    /// Decoded response heads, in order: (stream, fields, end_stream).
    pub heads: Vec<Head>,
}

impl Peer {
    /// Server connection with the preface not yet sent.
    pub fn raw(limits: Limits) -> Peer {
        Peer {
            conn: Connection::new(Role::Server, limits),
            enc: Encoder::new(4096),
            dec: Decoder::new(4096),
            now: Instant::now(),
            last: Ok(()),
            fdec: FrameDecoder::new(MAX_FRAME_LEN),
            asm: HeaderBlockAssembler::new(usize::MAX, usize::MAX),
            inbox: BytesMut::new(),
            heads: Vec::new(),
        }
    }

    /// Preface + empty SETTINGS + ACK of the server's SETTINGS, and the
    /// server's opening frames checked and drained.
    pub fn handshake_with(limits: Limits) -> Peer {
        let mut p = Peer::raw(limits);
        let mut b = BytesMut::from(&PREFACE[..]);
        Settings::default().encode(&mut b);
        Settings::ack().encode(&mut b);
        p.send_bytes(&b).unwrap();
        let f = p.frames();
        assert!(matches!(&f[0], Frame::Settings(s) if !s.ack), "{f:?}");
        assert!(
            matches!(&f[1], Frame::WindowUpdate(w) if w.stream_id.is_zero()),
            "{f:?}"
        );
        assert!(matches!(&f[2], Frame::Settings(s) if s.ack), "{f:?}");
        assert_eq!(f.len(), 3);
        p
    }

    pub fn handshake() -> Peer {
        Peer::handshake_with(Limits::default())
    }

    pub fn send_bytes(&mut self, b: &[u8]) -> Result<(), ConnectionError> {
        let mut buf = BytesMut::from(b);
        self.last = self.conn.recv(&mut buf, self.now);
        self.last.clone()
    }

    pub fn send(&mut self, f: impl Into<Frame>) -> Result<(), ConnectionError> {
        let mut b = BytesMut::new();
        f.into().encode(&mut b);
        self.send_bytes(&b)
    }

    pub fn send_all(&mut self, frames: Vec<Frame>) -> Result<(), ConnectionError> {
        let mut b = BytesMut::new();
        for f in frames {
            f.encode(&mut b);
        }
        self.send_bytes(&b)
    }

    pub fn block(&mut self, fields: &[(&str, &str)]) -> Bytes {
        let hs: Vec<Header> = fields
            .iter()
            .map(|(n, v)| Header::new(n.to_string(), v.to_string()))
            .collect();
        let mut b = BytesMut::new();
        self.enc.encode(&hs, &mut b);
        b.freeze()
    }

    pub fn req_fields() -> Vec<(&'static str, &'static str)> {
        vec![
            (":method", "GET"),
            (":scheme", "https"),
            (":authority", "example.com"),
            (":path", "/"),
        ]
    }

    pub fn headers(&mut self, id: u32, fields: &[(&str, &str)], end_stream: bool) -> Headers {
        let block = self.block(fields);
        Headers::new(sid(id), block, end_stream)
    }

    /// A valid GET (or a POST-like request when `end_stream` is false).
    pub fn get(&mut self, id: u32, end_stream: bool) -> Headers {
        self.headers(id, &Self::req_fields(), end_stream)
    }

    /// Request plus extra regular fields.
    pub fn req_with(&mut self, id: u32, extra: &[(&str, &str)], end_stream: bool) -> Headers {
        let mut f = Self::req_fields();
        f.extend_from_slice(extra);
        self.headers(id, &f, end_stream)
    }

    pub fn data(id: u32, body: &'static [u8], end_stream: bool) -> Data {
        Data::new(sid(id), Bytes::from_static(body), end_stream)
    }

    /// Everything the server wrote, decoded (field blocks joined and
    /// HPACK-decoded into `heads`).
    pub fn frames(&mut self) -> Vec<Frame> {
        self.conn.poll_output(&mut self.inbox, usize::MAX);
        let mut out = Vec::new();
        while let Some(f) = self.fdec.decode(&mut self.inbox).unwrap() {
            if let Some(f) = self.asm.push(f).unwrap() {
                if let Frame::Headers(h) = &f {
                    let mut fields = Vec::new();
                    self.dec
                        .decode(&h.header_block, usize::MAX, |x| {
                            fields.push((
                                String::from_utf8_lossy(&x.name).into_owned(),
                                String::from_utf8_lossy(&x.value).into_owned(),
                            ))
                        })
                        .unwrap();
                    self.heads.push((h.stream_id, fields, h.end_stream));
                }
                out.push(f);
            }
        }
        out
    }

    pub fn events(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.conn.poll_event()).collect()
    }

    /// The last call failed with `reason` and the server's last frame is
    /// GOAWAY(reason).
    pub fn expect_goaway(&mut self, reason: Reason) -> GoAway {
        let err = self.last.clone().expect_err("expected a connection error");
        assert_eq!(err.reason, reason, "{err:?}");
        let frames = self.frames();
        match frames.last() {
            Some(Frame::GoAway(g)) => {
                assert_eq!(g.error_code, reason, "{frames:?}");
                g.clone()
            }
            other => panic!("expected GOAWAY({reason:?}), got {other:?} in {frames:?}"),
        }
    }

    /// The connection is alive and the server sent RST_STREAM(id, reason).
    pub fn expect_rst(&mut self, id: u32, reason: Reason) {
        assert!(self.last.is_ok(), "unexpected {:?}", self.last);
        let frames = self.frames();
        assert!(
            frames
                .iter()
                .any(|f| *f == Frame::RstStream(RstStream::new(sid(id), reason))),
            "expected RST_STREAM({id}, {reason:?}) in {frames:?}"
        );
        assert!(
            !frames.iter().any(|f| matches!(f, Frame::GoAway(_))),
            "{frames:?}"
        );
        self.expect_alive();
    }

    /// A PING still gets its ACK: the connection works.
    pub fn expect_alive(&mut self) {
        self.send(Ping::new(*b"alive!!!")).unwrap();
        let frames = self.frames();
        assert!(
            frames.contains(&Frame::Ping(Ping::pong(*b"alive!!!"))),
            "connection not alive: {frames:?}"
        );
    }

    /// Nothing but the PING ACK comes back: the frame was ignored.
    pub fn expect_ignored(&mut self) {
        assert!(self.last.is_ok(), "unexpected {:?}", self.last);
        let frames = self.frames();
        assert!(
            frames.iter().all(|f| matches!(f, Frame::WindowUpdate(_))),
            "expected nothing, got {frames:?}"
        );
        self.expect_alive();
    }

    pub fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    /// Responds 200 to `id` via the application API.
    pub fn respond(&mut self, id: u32, end_stream: bool) {
        self.conn
            .send_response(sid(id), 200, vec![], end_stream)
            .unwrap();
    }

    pub fn window_update(id: u32, inc: u32) -> WindowUpdate {
        WindowUpdate::new(sid(id), inc)
    }
}

/// A frame from raw parts (for invalid frames the encoders refuse to build).
pub fn raw_frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = (payload.len() as u32).to_be_bytes();
    let mut v = vec![len[1], len[2], len[3], kind, flags];
    v.extend_from_slice(&stream.to_be_bytes());
    v.extend_from_slice(payload);
    v
}

pub const DATA: u8 = 0x0;
pub const HEADERS: u8 = 0x1;
pub const PRIORITY: u8 = 0x2;
pub const RST_STREAM: u8 = 0x3;
pub const SETTINGS: u8 = 0x4;
pub const PUSH_PROMISE: u8 = 0x5;
pub const PING: u8 = 0x6;
pub const GOAWAY: u8 = 0x7;
pub const WINDOW_UPDATE: u8 = 0x8;
pub const CONTINUATION: u8 = 0x9;

pub const END_STREAM: u8 = 0x1;
pub const ACK: u8 = 0x1;
pub const END_HEADERS: u8 = 0x4;
pub const PADDED: u8 = 0x8;
pub const PRIORITY_FLAG: u8 = 0x20;
