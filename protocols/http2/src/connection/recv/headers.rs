//! Received HEADERS (after CONTINUATION assembly): HPACK decoding (always,
//! so the dynamic table stays in step with the peer's, RFC 9113 §4.3), new
//! streams (§5.1.1 ids, §5.1.2 concurrency), responses, trailers.

use std::time::Instant;

use bytes::Bytes;
use layotto_hpack::{DecoderError, Header};

use super::Target;
use crate::connection::streams::Stream;
use crate::connection::{message, Connection, Event, Fail, Role};
use crate::frame::{Headers, Reason};
use crate::limits;
use crate::stream_state::{CloseCause, Received, StreamState};

/// A decoded field block.
struct Block {
    fields: Vec<Header>,
    /// Above our MAX_HEADER_LIST_SIZE (but within the abuse factor):
    /// `fields` holds only a prefix.
    too_large: bool,
}

impl Connection {
    pub(in crate::connection) fn recv_headers(
        &mut self,
        h: Headers,
        now: Instant,
    ) -> Result<(), Fail> {
        self.budget.headers_frame();
        let id = h.stream_id;
        let target = self.target(id);
        // Errors decided by the id alone end the connection, so the block
        // need not be decoded.
        match (self.role, target) {
            // §5.1.1: a peer may only open streams of its own parity; a
            // client never accepts pushed streams either.
            (Role::Client, Target::Idle) => {
                return Err(Fail::new(
                    Reason::PROTOCOL_ERROR,
                    "HEADERS on an idle stream",
                ))
            }
            (Role::Server, Target::Idle) if self.is_local(id) => {
                return Err(Fail::new(
                    Reason::PROTOCOL_ERROR,
                    "HEADERS on an even stream id",
                ))
            }
            // §5.1.1: new ids must grow; a smaller, unknown id is reuse.
            (Role::Server, Target::Closed(None)) => {
                return Err(Fail::new(
                    Reason::PROTOCOL_ERROR,
                    "stream id not increasing",
                ))
            }
            _ => {}
        }
        let block = self.decode_block(&h.header_block)?;
        match target {
            Target::Idle => self.open_stream(h, block, now),
            Target::Live => self.headers_on_stream(h, block),
            Target::Closed(Some(cause)) => {
                match StreamState::Closed(cause).recv_headers(id, h.end_stream) {
                    Ok(_) => Ok(()),
                    Err(e) => self.frame_error(e),
                }
            }
            // Client: a late head for a stream long forgotten.
            Target::Closed(None) => Ok(()),
        }
    }

    /// HPACK-decodes a block, keeping at most MAX_HEADER_LIST_SIZE of it
    /// (B4: account name + value + 32 while decoding; past the abuse factor
    /// the whole connection is refused).
    fn decode_block(&mut self, block: &Bytes) -> Result<Block, Fail> {
        let limit = self.local.max_header_list_size as usize;
        let hard = limit.saturating_mul(limits::HEADER_LIST_ABUSE_FACTOR);
        let mut size = 0usize;
        let mut fields = Vec::new();
        let mut too_large = false;
        let res = self.hpack_in.decode(block, hard, |h| {
            size = size.saturating_add(h.size());
            if size > limit {
                too_large = true;
            } else {
                fields.push(h);
            }
        });
        match res {
            Ok(()) => Ok(Block { fields, too_large }),
            Err(DecoderError::HeaderListTooLarge) => {
                Err(Fail::calm("header list far above MAX_HEADER_LIST_SIZE"))
            }
            // §4.3: any decoding error is a connection error COMPRESSION_ERROR.
            Err(e) => Err(Fail::new(Reason::COMPRESSION_ERROR, e.to_string())),
        }
    }

    /// Server: HEADERS on an idle client stream opens it.
    fn open_stream(&mut self, h: Headers, block: Block, now: Instant) -> Result<(), Fail> {
        let id = h.stream_id;
        self.max_peer_id = id;
        if self.goaway_sent.is_some() {
            // §6.8: streams above our GOAWAY's last id are ignored; late
            // frames on them too.
            self.streams.remember_closed(id, CloseCause::SentReset);
            return Ok(());
        }
        self.budget.stream_opened(now);
        // §5.3.1 (RFC 7540): a stream depending on itself; decoded first.
        if h.priority_error().is_some() {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        // §5.1.2: beyond our MAX_CONCURRENT_STREAMS -> REFUSED_STREAM, which
        // tells the client the request was not processed and may be retried.
        let open = self.streams.active(|i| !self.is_local(i));
        if open >= self.local.max_concurrent_streams as usize {
            return self.stream_error(id, Reason::REFUSED_STREAM);
        }
        let mut stream = Stream::new(
            id,
            self.peer.initial_window_size,
            self.local.initial_window(),
        );
        let _ = stream.state.recv_headers(id, h.end_stream);
        stream.head_received = true;
        if block.too_large {
            // B4 / §10.5.1: answer 431 and end our side; the rest of the
            // request is dropped (credited back as it arrives), then reset
            // with NO_ERROR if the client is still sending (§8.1).
            self.budget.local_stream_error()?;
            stream.discard = true;
            if !h.end_stream {
                stream.reset_after_end = Some(Reason::NO_ERROR);
            }
            self.streams.insert(id, stream);
            self.last_processed = id;
            self.queue_head(id, vec![Header::new(":status", "431")], true);
            return Ok(());
        }
        let (head, content_length) = match message::request(block.fields) {
            Ok(v) => v,
            Err(_) => return self.stream_error(id, Reason::PROTOCOL_ERROR),
        };
        // §8.1.1: a declared length must match the DATA that follows (none).
        if h.end_stream && content_length.is_some_and(|n| n != 0) {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        stream.content_length = content_length;
        stream.app_visible = true;
        self.streams.insert(id, stream);
        self.last_processed = id;
        self.events.push_back(Event::Request {
            stream: id,
            head,
            end_stream: h.end_stream,
        });
        Ok(())
    }

    /// HEADERS on a stream in the store: a response head (client), or
    /// trailers.
    fn headers_on_stream(&mut self, h: Headers, block: Block) -> Result<(), Fail> {
        let id = h.stream_id;
        let end = h.end_stream;
        let role = self.role;
        let Some(s) = self.streams.get_mut(id) else {
            return Ok(());
        };
        match s.state.recv_headers(id, end) {
            Ok(Received::Ignore) => return Ok(()),
            Err(e) => return self.frame_error(e),
            Ok(Received::Process) => {}
        }
        if h.priority_error().is_some() {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        if s.discard {
            self.streams.reap(id);
            return Ok(());
        }
        if block.too_large {
            // Our limit, not a protocol violation: we will not process it.
            return self.stream_error(id, Reason::CANCEL);
        }
        if role == Role::Client && !s.head_received {
            return self.recv_response(h, block.fields);
        }
        // §8.1: a second HEADERS is trailers and must end the stream.
        if !end {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        let Ok(headers) = message::trailers(block.fields) else {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        };
        // §8.1.1: the body is complete now; its length must match.
        if s.content_length.is_some_and(|n| n != s.received) {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        }
        if s.app_visible {
            self.events.push_back(Event::Trailers {
                stream: id,
                headers,
            });
        }
        self.streams.reap(id);
        Ok(())
    }

    /// Client: a response head, informational or final (§8.1).
    fn recv_response(&mut self, h: Headers, fields: Vec<Header>) -> Result<(), Fail> {
        let id = h.stream_id;
        let end = h.end_stream;
        let Ok((status, headers, content_length)) = message::response(fields) else {
            return self.stream_error(id, Reason::PROTOCOL_ERROR);
        };
        if status < 200 {
            // §8.1: 1xx heads never end the stream; 101 does not exist in
            // HTTP/2 (§8.6). Others are skipped.
            if end || status == 101 {
                return self.stream_error(id, Reason::PROTOCOL_ERROR);
            }
            return Ok(());
        }
        let Some(s) = self.streams.get_mut(id) else {
            return Ok(());
        };
        s.head_received = true;
        // §8.1.1: HEAD responses, 204 and 304 carry no body whatever
        // content-length says.
        let bodyless = s.no_body_expected || status == 204 || status == 304;
        if !bodyless {
            if end && content_length.is_some_and(|n| n != 0) {
                return self.stream_error(id, Reason::PROTOCOL_ERROR);
            }
            s.content_length = content_length;
        }
        self.events.push_back(Event::Response {
            stream: id,
            status,
            headers,
            end_stream: end,
        });
        self.streams.reap(id);
        Ok(())
    }
}
