//! The application's ends of a stream: what it receives and what it sends.

use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;

use bytes::Bytes;
use layotto_hpack::Header;
use layotto_http2::{Reason, StreamId};

use crate::shared::{Incoming, Shared, SEND_HIGH_WATER};
use crate::StreamError;

/// The body (and trailers) the peer sends on a stream.
pub struct RecvStream {
    pub(crate) shared: Rc<Shared>,
    pub(crate) id: StreamId,
    pub(crate) trailers: Option<Vec<Header>>,
    pub(crate) ended: bool,
}

impl RecvStream {
    pub(crate) fn new(shared: Rc<Shared>, id: StreamId) -> RecvStream {
        RecvStream {
            shared,
            id,
            trailers: None,
            ended: false,
        }
    }

    pub fn id(&self) -> StreamId {
        self.id
    }

    /// The next chunk of body, `None` at the end. Taking a chunk credits its bytes back to the
    /// peer's flow-control windows: consuming is what lets the peer send more.
    pub async fn data(&mut self) -> Option<Result<Bytes, StreamError>> {
        if self.ended {
            return None;
        }
        let item = poll_fn(|cx| {
            let mut streams = self.shared.streams.borrow_mut();
            let Some(slot) = streams.get_mut(&self.id) else {
                return Poll::Ready(Err(StreamError::ConnectionClosed));
            };
            match slot.incoming.pop_front() {
                Some(item) => Poll::Ready(Ok(item)),
                None => match &slot.failed {
                    Some(e) => Poll::Ready(Err(e.clone())),
                    None => {
                        slot.recv_waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                },
            }
        })
        .await;
        match item {
            Ok(Incoming::Data(d)) => {
                self.shared
                    .conn
                    .borrow_mut()
                    .release_capacity(self.id, d.len());
                self.shared.writable.notify();
                Some(Ok(d))
            }
            Ok(Incoming::Trailers(t)) => {
                self.trailers = Some(t);
                self.ended = true;
                None
            }
            Ok(Incoming::End) => {
                self.ended = true;
                None
            }
            Err(e) => {
                self.ended = true;
                Some(Err(e))
            }
        }
    }

    /// Trailers, once [`RecvStream::data`] has returned `None`.
    pub fn trailers(&self) -> Option<&[Header]> {
        self.trailers.as_deref()
    }

    pub fn is_end(&self) -> bool {
        self.ended
    }
}

impl Drop for RecvStream {
    fn drop(&mut self) {
        self.shared.release_handle(self.id, false);
    }
}

/// What we send on a stream. Dropped before the stream ended, it resets the stream (CANCEL)
/// so the peer is never left waiting for an end that will not come.
pub struct SendStream {
    pub(crate) shared: Rc<Shared>,
    pub(crate) id: StreamId,
    pub(crate) ended: bool,
    pub(crate) role_server: bool,
}

impl SendStream {
    pub(crate) fn new(shared: Rc<Shared>, id: StreamId, role_server: bool) -> SendStream {
        SendStream {
            shared,
            id,
            ended: false,
            role_server,
        }
    }

    pub fn id(&self) -> StreamId {
        self.id
    }

    fn check(&self) -> Result<(), StreamError> {
        if self.ended {
            return Err(StreamError::Closed);
        }
        if let Some(e) = self
            .shared
            .streams
            .borrow()
            .get(&self.id)
            .and_then(|s| s.failed.clone())
        {
            return Err(e);
        }
        if self.shared.closed.get() {
            return Err(StreamError::ConnectionClosed);
        }
        Ok(())
    }

    /// Server only: the response head.
    pub fn send_response(
        &mut self,
        status: u16,
        headers: Vec<Header>,
        end_stream: bool,
    ) -> Result<(), StreamError> {
        self.check()?;
        debug_assert!(self.role_server, "send_response on a client stream");
        self.shared
            .conn
            .borrow_mut()
            .send_response(self.id, status, headers, end_stream)
            .map_err(|_| StreamError::Closed)?;
        self.ended |= end_stream;
        self.shared.writable.notify();
        Ok(())
    }

    /// Queues body bytes (never copied). Waits first while too much is queued on this stream,
    /// which is how a fast producer is held to the pace of the peer's windows.
    pub async fn send_data(&mut self, data: Bytes, end_stream: bool) -> Result<(), StreamError> {
        self.check()?;
        self.wait_capacity().await?;
        self.shared
            .conn
            .borrow_mut()
            .send_data(self.id, data, end_stream)
            .map_err(|_| StreamError::Closed)?;
        self.ended |= end_stream;
        self.shared.writable.notify();
        Ok(())
    }

    async fn wait_capacity(&self) -> Result<(), StreamError> {
        poll_fn(|cx| {
            if self.shared.closed.get() {
                return Poll::Ready(Err(StreamError::ConnectionClosed));
            }
            if self.shared.conn.borrow().queued_bytes(self.id) < SEND_HIGH_WATER {
                return Poll::Ready(Ok(()));
            }
            let mut streams = self.shared.streams.borrow_mut();
            match streams.get_mut(&self.id) {
                Some(slot) => match &slot.failed {
                    Some(e) => Poll::Ready(Err(e.clone())),
                    None => {
                        slot.send_waker = Some(cx.waker().clone());
                        Poll::Pending
                    }
                },
                None => Poll::Ready(Err(StreamError::ConnectionClosed)),
            }
        })
        .await
    }

    /// Ends the stream with trailers (after everything queued).
    pub fn send_trailers(&mut self, headers: Vec<Header>) -> Result<(), StreamError> {
        self.check()?;
        self.shared
            .conn
            .borrow_mut()
            .send_trailers(self.id, headers)
            .map_err(|_| StreamError::Closed)?;
        self.ended = true;
        self.shared.writable.notify();
        Ok(())
    }

    /// Resets the stream.
    pub fn reset(&mut self, reason: Reason) {
        if !self.ended && !self.shared.closed.get() {
            self.shared.conn.borrow_mut().send_reset(self.id, reason);
            self.shared.writable.notify();
        }
        self.ended = true;
    }

    pub fn is_ended(&self) -> bool {
        self.ended
    }
}

impl Drop for SendStream {
    fn drop(&mut self) {
        if !self.ended && !self.shared.closed.get() {
            self.shared
                .conn
                .borrow_mut()
                .send_reset(self.id, Reason::CANCEL);
            self.shared.writable.notify();
        }
        self.shared.release_handle(self.id, false);
    }
}
