//! A client and a server `Connection` wired to each other in memory.
#![allow(dead_code)]

use std::time::Instant;

use bytes::{Bytes, BytesMut};
use layotto_http2::connection::{Connection, Event, RequestHead, Role};
use layotto_http2::limits::Limits;

pub struct Pair {
    pub client: Connection,
    pub server: Connection,
    pub now: Instant,
    /// Bytes written per flush (small values interleave more).
    pub chunk: usize,
}

pub fn get(path: &str) -> RequestHead {
    RequestHead {
        method: Bytes::from_static(b"POST"),
        scheme: Bytes::from_static(b"https"),
        authority: Bytes::from_static(b"svc.local"),
        path: Bytes::from(path.to_string()),
        headers: vec![],
    }
}

impl Pair {
    pub fn new() -> Pair {
        Pair::with_limits(Limits::default(), Limits::default())
    }

    pub fn with_limits(client: Limits, server: Limits) -> Pair {
        Pair {
            client: Connection::new(Role::Client, client),
            server: Connection::new(Role::Server, server),
            now: Instant::now(),
            chunk: 64 << 10,
        }
    }

    /// Moves bytes both ways and hands events to the handlers until nothing
    /// moves. Panics on any connection error.
    pub fn pump(
        &mut self,
        mut on_client: impl FnMut(&mut Connection, Event),
        mut on_server: impl FnMut(&mut Connection, Event),
    ) {
        for _ in 0..1_000_000 {
            let mut moved = false;
            let mut buf = BytesMut::new();
            self.client.poll_output(&mut buf, self.chunk);
            if !buf.is_empty() {
                moved = true;
                self.server.recv(&mut buf, self.now).unwrap();
                assert!(buf.is_empty());
            }
            while let Some(e) = self.server.poll_event() {
                moved = true;
                on_server(&mut self.server, e);
            }
            let mut buf = BytesMut::new();
            self.server.poll_output(&mut buf, self.chunk);
            if !buf.is_empty() {
                moved = true;
                self.client.recv(&mut buf, self.now).unwrap();
                assert!(buf.is_empty());
            }
            while let Some(e) = self.client.poll_event() {
                moved = true;
                on_client(&mut self.client, e);
            }
            if !moved {
                return;
            }
        }
        panic!("pump never settled");
    }

    /// Handshake only.
    pub fn settle(&mut self) {
        self.pump(
            |_, e| panic!("client event {e:?}"),
            |_, e| panic!("server event {e:?}"),
        );
    }
}
