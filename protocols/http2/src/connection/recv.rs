//! The receive path: preface, frame decoding, CONTINUATION assembly and the
//! connection-level frames (SETTINGS, PING, GOAWAY, WINDOW_UPDATE,
//! RST_STREAM, PRIORITY). Stream-carrying HEADERS and DATA are in
//! `recv/headers.rs` and `recv/data.rs`.

mod data;
mod headers;

use std::time::Instant;

use bytes::BytesMut;

use super::{Connection, Event, Fail, Phase, Role};
use crate::codec::Preface;
use crate::frame::{Frame, GoAway, Ping, Reason, RstStream, Settings, StreamId, WindowUpdate};
use crate::stream_state::{CloseCause, Received, StreamState};
use crate::Reaction;

use super::streams::Known;

/// How a received frame's stream id relates to our streams (§5.1, §5.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// In the store.
    Live,
    /// Never opened, and may still be opened by its initiator: idle.
    Idle,
    /// Closed, with the cause when remembered.
    Closed(Option<CloseCause>),
}

impl Connection {
    pub(super) fn recv_frames(&mut self, src: &mut BytesMut, now: Instant) -> Result<(), Fail> {
        if self.phase == Phase::Preface {
            if !Preface::consume(src)? {
                return Ok(());
            }
            self.phase = Phase::FirstSettings;
        }
        loop {
            let frame = match self.frames_in.decode(src) {
                Ok(Some(frame)) => frame,
                Ok(None) => return Ok(()),
                Err(e) => match e.reaction() {
                    Reaction::Connection(_) => return Err(e.into()),
                    // A bad frame inside an open field block still breaks
                    // the block (§6.10).
                    Reaction::Stream(..) if self.blocks.expecting().is_some() => {
                        return Err(Fail::new(
                            Reason::PROTOCOL_ERROR,
                            "frame inside field block",
                        ))
                    }
                    Reaction::Stream(id, code) => {
                        self.first_frame_check(None)?;
                        self.stream_error(id, code)?;
                        continue;
                    }
                },
            };
            self.first_frame_check(Some(&frame))?;
            let Some(frame) = self.blocks.push(frame)? else {
                continue;
            };
            self.recv_frame(frame, now)?;
        }
    }

    /// §3.4: the peer's connection preface ends with its SETTINGS, so the
    /// first frame must be a non-ACK SETTINGS.
    fn first_frame_check(&mut self, frame: Option<&Frame>) -> Result<(), Fail> {
        if self.phase != Phase::FirstSettings {
            return Ok(());
        }
        match frame {
            Some(Frame::Settings(s)) if !s.ack => {
                self.phase = Phase::Open;
                Ok(())
            }
            _ => Err(Fail::new(
                Reason::PROTOCOL_ERROR,
                "first frame is not SETTINGS",
            )),
        }
    }

    fn recv_frame(&mut self, frame: Frame, now: Instant) -> Result<(), Fail> {
        match frame {
            Frame::Data(d) => self.recv_data(d, now),
            Frame::Headers(h) => self.recv_headers(h, now),
            Frame::Priority(p) => {
                // §5.3.2: PRIORITY is deprecated; parsed (self-dependency is
                // caught by the frame layer) and ignored, no state at all.
                let _ = p;
                self.budget.priority_frame()
            }
            Frame::RstStream(r) => self.recv_rst(r, now),
            Frame::Settings(s) => self.recv_settings(&s),
            Frame::PushPromise(_) => Err(match self.role {
                Role::Server => crate::FrameError::PushPromiseFromClient.into(),
                // §8.4: we sent ENABLE_PUSH = 0, so any push is a
                // connection error PROTOCOL_ERROR.
                Role::Client => {
                    Fail::new(Reason::PROTOCOL_ERROR, "PUSH_PROMISE with push disabled")
                }
            }),
            Frame::Ping(p) => self.recv_ping(p),
            Frame::GoAway(g) => {
                self.recv_goaway(g);
                Ok(())
            }
            Frame::WindowUpdate(w) => self.recv_window_update(w),
            // The assembler folds CONTINUATION into its HEADERS and rejects
            // strays; unknown types are ignored (§4.1, §5.5).
            Frame::Continuation(_) | Frame::Unknown(_) => Ok(()),
        }
    }

    /// Classifies a stream id for a received frame.
    pub(super) fn target(&self, id: StreamId) -> Target {
        match self.streams.lookup(id) {
            Known::Live => return Target::Live,
            Known::Closed(cause) => return Target::Closed(Some(cause)),
            Known::Unknown => {}
        }
        let peer_initiated = match self.role {
            Role::Server => id.is_client_initiated(),
            Role::Client => id.is_server_initiated(),
        };
        let idle = if peer_initiated {
            id > self.max_peer_id
        } else {
            id.value() >= self.next_local_id
        };
        if idle {
            Target::Idle
        } else {
            Target::Closed(None)
        }
    }

    fn recv_settings(&mut self, s: &Settings) -> Result<(), Fail> {
        if s.ack {
            if let Some(change) = self.local.acked() {
                if let Some(size) = change.header_table_size {
                    self.hpack_in.set_max_table_size(size as usize);
                }
                if let Some((old, new)) = change.initial_window {
                    for (_, stream) in self.streams.iter_mut() {
                        // Only our own lowering can fail here; the window
                        // then stays as it was.
                        let _ = stream.recv_window.apply_initial_window_change(old, new);
                    }
                }
            }
            return Ok(());
        }
        // §6.5.2: a server MUST NOT enable push towards a client.
        if self.role == Role::Client && s.enable_push == Some(true) {
            return Err(Fail::new(
                Reason::PROTOCOL_ERROR,
                "server sent ENABLE_PUSH = 1",
            ));
        }
        let change = self.peer.apply(s);
        if let Some(size) = change.header_table_size {
            self.hpack_out.update_max_table_size(size as usize);
        }
        if let Some(size) = change.max_frame_size {
            self.frames_out.set_max_frame_size(size);
        }
        if let Some((old, new)) = change.initial_window {
            self.apply_peer_initial_window(old, new)?;
        }
        self.push_control(Frame::Settings(Settings::ack()))
    }

    /// §6.9.2: a new SETTINGS_INITIAL_WINDOW_SIZE shifts every stream's send
    /// window by the difference (possibly below zero); overflow is a
    /// connection error FLOW_CONTROL_ERROR.
    fn apply_peer_initial_window(&mut self, old: u32, new: u32) -> Result<(), Fail> {
        let mut unblocked = Vec::new();
        for (id, stream) in self.streams.iter_mut() {
            stream.send_window.apply_initial_window_change(old, new)?;
            if stream.blocked && stream.send_window.available() > 0 {
                unblocked.push(*id);
            }
        }
        for id in unblocked {
            self.schedule(id);
        }
        Ok(())
    }

    fn recv_ping(&mut self, p: Ping) -> Result<(), Fail> {
        if !p.ack {
            // §6.7: reply with an ACK carrying the same payload.
            return self.push_control(Frame::Ping(Ping::pong(p.payload)));
        }
        // An ACK we did not ask for is ignored.
        if let Some(i) = self.pings.iter().position(|x| *x == p.payload) {
            self.pings.remove(i);
            self.events.push_back(Event::PingAck { payload: p.payload });
        }
        Ok(())
    }

    /// §6.8: record the peer's GOAWAY; our streams above its last id were
    /// not processed and are closed here (retry-safe REFUSED_STREAM).
    fn recv_goaway(&mut self, g: GoAway) {
        let last = match self.goaway_recv {
            Some(prev) => prev.min(g.last_stream_id),
            None => g.last_stream_id,
        };
        self.goaway_recv = Some(last);
        self.events.push_back(Event::GoAway {
            last_stream_id: g.last_stream_id,
            reason: g.error_code,
            debug: g.debug_data,
        });
        let mut unprocessed: Vec<StreamId> = self
            .streams
            .ids()
            .into_iter()
            .filter(|id| id.value() > last.value() && self.is_local(*id))
            .collect();
        unprocessed.sort();
        for id in unprocessed {
            if let Some(s) = self.streams.get_mut(id) {
                if s.state.is_closed() {
                    continue;
                }
                s.state = StreamState::Closed(CloseCause::RecvReset);
            }
            self.abandon(id, Reason::REFUSED_STREAM, true);
        }
    }

    /// Whether we opened (or would open) `id`.
    pub(super) fn is_local(&self, id: StreamId) -> bool {
        match self.role {
            Role::Client => id.is_client_initiated(),
            Role::Server => id.is_server_initiated(),
        }
    }

    fn recv_window_update(&mut self, w: WindowUpdate) -> Result<(), Fail> {
        self.budget.window_update_frame()?;
        let id = w.stream_id;
        if id.is_zero() {
            self.send_window.apply_window_update(w.increment)?;
            return Ok(());
        }
        let verdict = match self.target(id) {
            Target::Live => match self.streams.get_mut(id) {
                Some(s) => s.state.recv_window_update(id),
                None => Ok(Received::Ignore),
            },
            Target::Idle => StreamState::Idle.recv_window_update(id),
            Target::Closed(Some(cause)) => StreamState::Closed(cause).recv_window_update(id),
            // Long closed: a late update is harmless.
            Target::Closed(None) => Ok(Received::Ignore),
        };
        match verdict {
            Ok(Received::Ignore) => Ok(()),
            Ok(Received::Process) => {
                let Some(s) = self.streams.get_mut(id) else {
                    return Ok(());
                };
                if let Err(e) = s.send_window.apply_window_update(w.increment) {
                    return self.frame_error(e);
                }
                if s.blocked && s.send_window.available() > 0 {
                    self.schedule(id);
                }
                Ok(())
            }
            Err(e) => self.frame_error(e),
        }
    }

    fn recv_rst(&mut self, r: RstStream, now: Instant) -> Result<(), Fail> {
        let id = r.stream_id;
        let verdict = match self.target(id) {
            Target::Live => match self.streams.get_mut(id) {
                Some(s) => s.state.recv_rst(id),
                None => Ok(Received::Ignore),
            },
            Target::Idle => StreamState::Idle.recv_rst(id),
            Target::Closed(_) => Ok(Received::Ignore),
        };
        match verdict {
            Ok(Received::Ignore) => Ok(()),
            Err(e) => self.frame_error(e),
            Ok(Received::Process) => {
                let early = self.streams.get(id).is_some_and(|s| !s.final_head_queued);
                self.abandon(id, r.reason, true);
                // Rapid Reset (CVE-2023-44487): a client cancelling streams
                // before we answered costs us work it never pays for.
                if self.role == Role::Server && early {
                    self.budget.early_reset(now)?;
                }
                Ok(())
            }
        }
    }

    /// Acts on a frame-layer error: stream errors reset the stream,
    /// connection errors end the connection.
    pub(super) fn frame_error(&mut self, e: crate::FrameError) -> Result<(), Fail> {
        match e.reaction() {
            Reaction::Connection(_) => Err(e.into()),
            Reaction::Stream(id, code) => self.stream_error(id, code),
        }
    }

    /// A stream error (§5.4.2) caused by the peer: RST_STREAM(code), within
    /// the budget of resets we send (MadeYouReset, CVE-2025-8671).
    pub(super) fn stream_error(&mut self, id: StreamId, code: Reason) -> Result<(), Fail> {
        self.budget.local_stream_error()?;
        self.push_control(Frame::RstStream(RstStream::new(id, code)))?;
        match self.streams.get_mut(id) {
            Some(s) => {
                s.state = StreamState::Closed(CloseCause::SentReset);
                self.abandon(id, code, false);
            }
            // Never opened (refused, malformed or idle): remember it so the
            // peer's late frames on it are ignored (§5.1).
            None => self.streams.remember_closed(id, CloseCause::SentReset),
        }
        Ok(())
    }

    /// Tears down a stream that was reset (its state already set): drops
    /// its output, credits its unreleased DATA back to the connection, tells
    /// the application if it knew the stream, and reaps it.
    pub(super) fn abandon(&mut self, id: StreamId, reason: Reason, remote: bool) {
        let Some(s) = self.streams.get_mut(id) else {
            return;
        };
        s.clear_send();
        let held = std::mem::take(&mut s.unreleased);
        let visible = s.app_visible;
        self.credit_connection(held);
        if visible {
            self.events.push_back(Event::Reset {
                stream: id,
                reason,
                remote,
            });
        }
        self.streams.reap(id);
    }

    /// Returns `n` received octets to the connection window, sending a
    /// WINDOW_UPDATE once half of it is due.
    pub(super) fn credit_connection(&mut self, n: u32) {
        if n == 0 {
            return;
        }
        self.recv_window.release(n);
        if let Some(inc) = self.recv_window.window_update() {
            self.control
                .push_back(Frame::WindowUpdate(WindowUpdate::new(StreamId::ZERO, inc)));
        }
    }
}
