//! `poll_output`: the write scheduler. Order: the client preface, control
//! frames (SETTINGS, ACKs, WINDOW_UPDATE, RST_STREAM, GOAWAY), heads in the
//! order queued (HPACK-encoded now, so the encoder's table follows the wire,
//! RFC 7541 §2.3.2), then DATA/trailers round-robin, one frame per stream
//! per turn, within both send windows (RFC 9113 §5.2, §6.9).

use bytes::BytesMut;
use layotto_hpack::Header;

use super::Connection;
use crate::codec::PREFACE;
use crate::frame::{Flags, Frame, Head, Headers, Kind, RstStream, StreamId};
use crate::stream_state::StreamState;

/// A HEADERS block waiting to be written.
#[derive(Debug)]
pub(super) struct PendingHead {
    pub stream: StreamId,
    pub fields: Vec<Header>,
    pub end_stream: bool,
}

impl Connection {
    /// Encodes queued frames into `dst`: control frames first, then
    /// HEADERS/DATA/trailers, DATA round-robin across streams within the
    /// flow-control windows, until `dst.len() >= max_bytes` or nothing is
    /// sendable.
    pub fn poll_output(&mut self, dst: &mut BytesMut, max_bytes: usize) {
        if self.preface_pending {
            dst.extend_from_slice(PREFACE);
            self.preface_pending = false;
        }
        while dst.len() < max_bytes {
            if let Some(frame) = self.control.pop_front() {
                frame.encode(dst);
                continue;
            }
            if self.error.is_some() {
                return;
            }
            if let Some(head) = self.heads.pop_front() {
                self.write_head(head, dst);
                continue;
            }
            if !self.write_stream_frame(dst) {
                return;
            }
        }
    }

    /// Something is sendable right now.
    pub fn has_output(&self) -> bool {
        if self.preface_pending || !self.control.is_empty() {
            return true;
        }
        if self.error.is_some() {
            return false;
        }
        if !self.heads.is_empty() {
            return true;
        }
        let conn_open = self.send_window.available() > 0;
        self.ready.iter().any(|id| {
            self.streams.get(*id).is_some_and(|s| {
                if s.state.is_closed() || s.heads_pending > 0 {
                    return false;
                }
                if s.send_buf.is_empty() {
                    s.trailers.is_some() || s.end_pending
                } else {
                    conn_open && s.send_window.available() > 0
                }
            })
        })
    }

    fn write_head(&mut self, head: PendingHead, dst: &mut BytesMut) {
        let id = head.stream;
        let Some(s) = self.streams.get_mut(id) else {
            return;
        };
        s.heads_pending = s.heads_pending.saturating_sub(1);
        // Reset before it was written: drop it unencoded.
        if s.state.send_headers(id, head.end_stream).is_err() {
            return;
        }
        let more = s.has_send_work() && s.heads_pending == 0;
        self.encode_headers(id, &head.fields, head.end_stream, dst);
        if head.end_stream {
            self.after_local_end(id);
        } else if more {
            self.schedule(id);
        }
    }

    fn encode_headers(
        &mut self,
        id: StreamId,
        fields: &[Header],
        end_stream: bool,
        dst: &mut BytesMut,
    ) {
        let mut block = BytesMut::new();
        self.hpack_out.encode(fields, &mut block);
        let frame = Headers::new(id, block.freeze(), end_stream);
        self.frames_out.headers(&frame, dst);
    }

    /// Writes one frame for the next ready stream; false if none can go.
    fn write_stream_frame(&mut self, dst: &mut BytesMut) -> bool {
        for _ in 0..self.ready.len() {
            let Some(id) = self.ready.pop_front() else {
                return false;
            };
            let conn_avail = self.send_window.available();
            let max_frame = self.frames_out.max_frame_size();
            let Some(s) = self.streams.get_mut(id) else {
                continue;
            };
            s.in_ready = false;
            if s.state.is_closed() || s.heads_pending > 0 {
                // Re-queued when its head is written.
                continue;
            }
            if let Some(front) = s.send_buf.front_mut() {
                if s.send_window.available() == 0 {
                    // Resumes on WINDOW_UPDATE or a larger initial window.
                    s.blocked = true;
                    continue;
                }
                if conn_avail == 0 {
                    // The connection window is shut: wait at the back, so
                    // streams with only trailers or END_STREAM left (which
                    // need no window) still go out.
                    s.in_ready = true;
                    self.ready.push_back(id);
                    continue;
                }
                let room = s.send_window.available().min(conn_avail).min(max_frame) as usize;
                let n = front.len().min(room);
                let chunk = front.split_to(n);
                if front.is_empty() {
                    s.send_buf.pop_front();
                }
                s.queued -= n;
                let n32 = n as u32; // n <= max_frame < 2^24
                s.send_window.take(n32);
                let end = s.send_buf.is_empty() && s.end_pending && s.trailers.is_none();
                if end {
                    s.end_pending = false;
                }
                let _ = s.state.send_data(id, end);
                let more = s.has_send_work();
                self.send_window.take(n32);
                self.budget.data_frame_sent();
                let flags = Flags::from_pairs(&[(Flags::END_STREAM, end)]);
                Head::encode(Kind::Data, flags, id, n, dst);
                dst.extend_from_slice(&chunk);
                if end {
                    self.after_local_end(id);
                } else if more {
                    self.schedule(id);
                }
                return true;
            }
            if let Some(trailers) = s.trailers.take() {
                s.end_pending = false;
                let _ = s.state.send_headers(id, true);
                self.encode_headers(id, &trailers, true, dst);
                self.after_local_end(id);
                return true;
            }
            if s.end_pending {
                s.end_pending = false;
                let _ = s.state.send_data(id, true);
                Head::encode(Kind::Data, Flags(Flags::END_STREAM), id, 0, dst);
                self.budget.data_frame_sent();
                self.after_local_end(id);
                return true;
            }
        }
        false
    }

    /// Our END_STREAM was written: reset if we promised to (431), and reap
    /// the stream if both sides are done.
    fn after_local_end(&mut self, id: StreamId) {
        let Some(s) = self.streams.get_mut(id) else {
            return;
        };
        if let Some(reason) = s.reset_after_end.take() {
            if !s.state.is_closed() {
                let _ = s.state.send_rst(id);
                self.control
                    .push_back(Frame::RstStream(RstStream::new(id, reason)));
            }
        }
        if matches!(s.state, StreamState::Closed(_)) {
            self.streams.reap(id);
        }
    }
}
