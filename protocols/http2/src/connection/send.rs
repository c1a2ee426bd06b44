//! The application's send calls. They only queue: `poll_output` writes,
//! in order, within flow control (see `output`). Nothing is HPACK-encoded
//! here, so a head dropped before it is written costs nothing.

use bytes::Bytes;
use layotto_hpack::Header;

use super::output::PendingHead;
use super::streams::Stream;
use super::{Connection, RequestHead, Role, SendError};
use crate::frame::{Frame, Reason, RstStream, StreamId, WindowUpdate};
use crate::stream_state::{CloseCause, StreamState};

impl Connection {
    /// Server: response head. `headers` are regular fields (lowercase
    /// names); `:status` is added. A 1xx status is informational: it may
    /// repeat and never ends the stream.
    pub fn send_response(
        &mut self,
        stream: StreamId,
        status: u16,
        headers: Vec<Header>,
        end_stream: bool,
    ) -> Result<(), SendError> {
        if self.role != Role::Server {
            return Err(SendError::WrongRole);
        }
        let informational = (100..200).contains(&status);
        if !(100..=999).contains(&status) || (informational && end_stream) {
            return Err(SendError::InvalidStatus);
        }
        let s = self.sendable(stream)?;
        if s.final_head_queued {
            return Err(SendError::HeadAlreadySent);
        }
        let mut fields = Vec::with_capacity(headers.len() + 1);
        fields.push(Header::new(":status", status.to_string()));
        fields.extend(headers);
        if informational {
            s.heads_pending += 1;
            self.heads.push_back(PendingHead {
                stream,
                fields,
                end_stream: false,
            });
            return Ok(());
        }
        self.queue_head(stream, fields, end_stream);
        Ok(())
    }

    /// Client: opens a stream (next odd id) with this request head,
    /// respecting the peer's MAX_CONCURRENT_STREAMS.
    pub fn send_request(
        &mut self,
        head: RequestHead,
        end_stream: bool,
    ) -> Result<StreamId, SendError> {
        if self.role != Role::Client {
            return Err(SendError::WrongRole);
        }
        if self.error.is_some() {
            return Err(SendError::ConnectionClosed);
        }
        if self.goaway_sent.is_some() || self.goaway_recv.is_some() {
            return Err(SendError::GoingAway);
        }
        // §5.1.2: the peer's limit counts our open and half-closed streams.
        if let Some(max) = self.peer.max_concurrent_streams {
            if self.streams.active(|id| id.is_client_initiated()) >= max as usize {
                return Err(SendError::StreamsExhausted);
            }
        }
        if self.next_local_id > StreamId::MAX.value() {
            return Err(SendError::IdsExhausted);
        }
        let id = StreamId::new(self.next_local_id);
        self.next_local_id += 2;
        let mut stream = Stream::new(
            id,
            self.peer.initial_window_size,
            self.local.initial_window(),
        );
        stream.app_visible = true;
        stream.no_body_expected = &head.method[..] == b"HEAD";
        self.streams.insert(id, stream);
        // §8.3.1: pseudo-headers first; CONNECT omits :scheme and :path.
        let mut fields = Vec::with_capacity(head.headers.len() + 4);
        fields.push(Header::new(":method", head.method));
        if !head.scheme.is_empty() {
            fields.push(Header::new(":scheme", head.scheme));
        }
        if !head.authority.is_empty() {
            fields.push(Header::new(":authority", head.authority));
        }
        if !head.path.is_empty() {
            fields.push(Header::new(":path", head.path));
        }
        fields.extend(head.headers);
        self.queue_head(id, fields, end_stream);
        Ok(id)
    }

    /// Queues DATA, written by `poll_output` as the stream and connection
    /// send windows allow, split by the peer's MAX_FRAME_SIZE. `data` is
    /// never copied until it is written.
    pub fn send_data(
        &mut self,
        stream: StreamId,
        data: Bytes,
        end_stream: bool,
    ) -> Result<(), SendError> {
        let s = self.sendable(stream)?;
        if !s.final_head_queued {
            return Err(SendError::HeadNotSent);
        }
        if !data.is_empty() {
            s.queued += data.len();
            s.send_buf.push_back(data);
        }
        if end_stream {
            s.end_pending = true;
            s.end_queued = true;
        }
        self.schedule(stream);
        Ok(())
    }

    /// Trailers, ending the stream after all queued data.
    pub fn send_trailers(
        &mut self,
        stream: StreamId,
        headers: Vec<Header>,
    ) -> Result<(), SendError> {
        let s = self.sendable(stream)?;
        if !s.final_head_queued {
            return Err(SendError::HeadNotSent);
        }
        s.trailers = Some(headers);
        s.end_queued = true;
        self.schedule(stream);
        Ok(())
    }

    /// Resets a stream (RST_STREAM with `reason`), dropping what is queued
    /// on it. A stream whose HEADERS were not written yet just vanishes (a
    /// RST_STREAM on an idle stream is forbidden, §5.1). Unknown or closed
    /// streams are ignored.
    pub fn send_reset(&mut self, stream: StreamId, reason: Reason) {
        if self.error.is_some() {
            return;
        }
        let Some(s) = self.streams.get_mut(stream) else {
            return;
        };
        match s.state {
            StreamState::Closed(_) => return,
            StreamState::Idle => {
                s.state = StreamState::Closed(CloseCause::SentReset);
            }
            _ => {
                s.state = StreamState::Closed(CloseCause::SentReset);
                self.control
                    .push_back(Frame::RstStream(RstStream::new(stream, reason)));
            }
        }
        if let Some(s) = self.streams.get_mut(stream) {
            // The application asked: no Reset event back.
            s.app_visible = false;
        }
        self.abandon(stream, reason, false);
    }

    /// The application consumed `n` octets of received DATA on `stream`:
    /// credits both windows (WINDOW_UPDATE once half a window is due).
    /// Unreleased data keeps the peer blocked: that is the backpressure.
    pub fn release_capacity(&mut self, stream: StreamId, n: usize) {
        let Some(s) = self.streams.get_mut(stream) else {
            return;
        };
        let n = u32::try_from(n).unwrap_or(u32::MAX).min(s.unreleased);
        if n == 0 {
            return;
        }
        s.unreleased -= n;
        // The stream window matters only while the peer may still send.
        let mut update = None;
        if s.state.can_recv() {
            s.recv_window.release(n);
            update = s.recv_window.window_update();
        }
        if let Some(inc) = update {
            self.control
                .push_back(Frame::WindowUpdate(WindowUpdate::new(stream, inc)));
        }
        self.credit_connection(n);
        self.streams.reap(stream);
    }

    /// Bytes queued on a stream but not yet written (the driver uses it to
    /// pause a producer).
    pub fn queued_bytes(&self, stream: StreamId) -> usize {
        self.streams.get(stream).map_or(0, |s| s.queued)
    }

    /// A stream the application may still send on.
    fn sendable(&mut self, id: StreamId) -> Result<&mut Stream, SendError> {
        if self.error.is_some() {
            return Err(SendError::ConnectionClosed);
        }
        let s = self.streams.get_mut(id).ok_or(SendError::UnknownStream)?;
        if s.state.is_closed() || s.end_queued || s.discard {
            return Err(SendError::StreamClosed);
        }
        Ok(s)
    }

    /// Queues a final head (response or request).
    pub(super) fn queue_head(&mut self, stream: StreamId, fields: Vec<Header>, end_stream: bool) {
        if let Some(s) = self.streams.get_mut(stream) {
            s.heads_pending += 1;
            s.final_head_queued = true;
            s.end_queued |= end_stream;
        }
        self.heads.push_back(PendingHead {
            stream,
            fields,
            end_stream,
        });
    }

    /// Puts a stream with send work in the round-robin queue.
    pub(super) fn schedule(&mut self, id: StreamId) {
        if let Some(s) = self.streams.get_mut(id) {
            s.blocked = false;
            if !s.in_ready && s.has_send_work() {
                s.in_ready = true;
                self.ready.push_back(id);
            }
        }
    }
}
