//! Received DATA (RFC 9113 §6.1): flow control on both windows (§6.9),
//! padding credited back at once, `content-length` checked as DATA arrives
//! (§8.1.1), delivered as [`Event::Data`] until the application releases it.

use std::time::Instant;

use super::Target;
use crate::connection::{Connection, Event, Fail};
use crate::frame::{Data, Frame, Kind, Reason, WindowUpdate};
use crate::stream_state::{Received, StreamState};
use crate::FrameError;

impl Connection {
    pub(in crate::connection) fn recv_data(&mut self, d: Data, _now: Instant) -> Result<(), Fail> {
        let id = d.stream_id;
        let flow = d.flow_controlled_len();
        let len = u32::try_from(d.data.len()).unwrap_or(u32::MAX);
        self.budget.data_frame(d.data.is_empty(), d.end_stream)?;
        // §6.9.1: every DATA frame counts against the connection window,
        // whatever the stream's state; exceeding it is a connection error.
        self.recv_window.recv_data(flow)?;
        let verdict = match self.target(id) {
            Target::Live => match self.streams.get_mut(id) {
                Some(s) => s.state.recv_data(id, d.end_stream),
                None => Ok(Received::Ignore),
            },
            Target::Idle => StreamState::Idle.recv_data(id, d.end_stream),
            Target::Closed(Some(cause)) => StreamState::Closed(cause).recv_data(id, d.end_stream),
            // Closed long ago (or skipped over): §5.1 "closed".
            Target::Closed(None) => Err(FrameError::FrameAfterEndStream {
                stream_id: id,
                kind: Kind::Data,
            }),
        };
        match verdict {
            Ok(Received::Process) => {}
            Ok(Received::Ignore) => {
                self.credit_connection(flow);
                return Ok(());
            }
            Err(e) => {
                self.credit_connection(flow);
                return self.frame_error(e);
            }
        }
        let Some(s) = self.streams.get_mut(id) else {
            self.credit_connection(flow);
            return Ok(());
        };
        // §6.9.1: exceeding the stream window is a stream error.
        if let Err(e) = s.recv_window.recv_data(flow) {
            self.credit_connection(flow);
            return self.frame_error(e);
        }
        if s.discard {
            // After our 431: nobody reads this; give it all back.
            self.credit_connection(flow);
            self.streams.reap(id);
            return Ok(());
        }
        s.received = s.received.saturating_add(u64::from(len));
        let length_ok = match s.content_length {
            Some(n) => s.received <= n && (!d.end_stream || s.received == n),
            None => true,
        };
        if !length_ok {
            // §8.1.1: DATA disagreeing with content-length is malformed.
            self.credit_connection(flow);
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        // Padding is never delivered, so it is released at once.
        let pad = flow - len;
        let mut stream_update = None;
        if pad > 0 && !d.end_stream {
            s.recv_window.release(pad);
            stream_update = s.recv_window.window_update();
        }
        s.unreleased = s.unreleased.saturating_add(len);
        let visible = s.app_visible;
        if let Some(inc) = stream_update {
            self.control
                .push_back(Frame::WindowUpdate(WindowUpdate::new(id, inc)));
        }
        self.credit_connection(pad);
        if visible && (len > 0 || d.end_stream) {
            self.events.push_back(Event::Data {
                stream: id,
                data: d.data,
                end_stream: d.end_stream,
            });
        } else if !visible {
            // Nobody will release it.
            if let Some(s) = self.streams.get_mut(id) {
                s.unreleased = s.unreleased.saturating_sub(len);
            }
            self.credit_connection(len);
        }
        if d.end_stream {
            self.streams.reap(id);
        }
        Ok(())
    }
}
