//! Fuzzing harness logic, shared by the libFuzzer target
//! (`tests/fuzz/fuzz_targets/http2_frame.rs`) and stable tests replaying
//! the corpus. Panics on any broken invariant.

use bytes::BytesMut;

use crate::codec::{FrameDecoder, FrameEncoder, HeaderBlockAssembler};
use crate::frame::{Frame, FRAME_HEADER_LEN, MAX_FRAME_LEN};
use crate::FrameError;

/// Runs decoder and CONTINUATION assembler over `data` (first byte picks
/// the frame size limit and a chunk size) and checks, for every frame, that
/// encode -> decode gives it back, and that chunked input decodes the same.
pub fn frames(data: &[u8]) {
    let Some((&seed, input)) = data.split_first() else {
        return;
    };
    let max = 16_384 + u32::from(seed & 0x0f) * 1024;
    let whole = decode_events(input, max, input.len().max(1));
    let chunked = decode_events(input, max, usize::from(seed >> 4) + 1);
    assert_eq!(whole, chunked, "chunking changed the result");

    let mut assembler = HeaderBlockAssembler::new(5, 1 << 16);
    for event in whole {
        let Ok(frame) = event else { continue };
        assert_round_trip(&frame);
        match assembler.push(frame) {
            Ok(Some(complete)) => assert_split_round_trip(&complete),
            Ok(None) => {}
            Err(e) => {
                assert!(
                    e.is_connection_error(),
                    "assembler errors end the connection"
                );
                break;
            }
        }
    }
}

/// Decodes `input` fed `chunk` octets at a time, recording frames and errors
/// until the input runs out or a connection error occurs.
fn decode_events(input: &[u8], max: u32, chunk: usize) -> Vec<Result<Frame, FrameError>> {
    let mut decoder = FrameDecoder::new(max);
    let mut buf = BytesMut::new();
    let mut events = Vec::new();
    let mut rest = input;
    loop {
        match decoder.decode(&mut buf) {
            Ok(Some(frame)) => events.push(Ok(frame)),
            Ok(None) => {
                assert!(
                    buf.len() < max as usize + FRAME_HEADER_LEN,
                    "decoder wants too much buffered"
                );
                if rest.is_empty() {
                    return events;
                }
                let (now, later) = rest.split_at(chunk.min(rest.len()));
                buf.extend_from_slice(now);
                rest = later;
            }
            Err(e) => {
                events.push(Err(e));
                if e.is_connection_error() {
                    return events;
                }
            }
        }
    }
}

/// `Frame::encode` then decode must reproduce the frame exactly.
fn assert_round_trip(frame: &Frame) {
    let mut buf = BytesMut::new();
    frame.encode(&mut buf);
    let mut decoder = FrameDecoder::new(MAX_FRAME_LEN);
    let again = decoder.decode(&mut buf);
    assert_eq!(
        again.as_ref(),
        Ok(&Some(frame.clone())),
        "re-decode differs"
    );
    assert!(buf.is_empty(), "re-encode wrote more than one frame");
}

/// A complete field block split by the encoder at 16 KiB and reassembled
/// must give the same frame.
fn assert_split_round_trip(frame: &Frame) {
    if !matches!(frame, Frame::Headers(_) | Frame::PushPromise(_)) {
        return;
    }
    let mut buf = BytesMut::new();
    FrameEncoder::default().frame(frame, &mut buf);
    let mut decoder = FrameDecoder::default();
    let mut assembler = HeaderBlockAssembler::new(usize::MAX, usize::MAX);
    let mut out = None;
    while let Ok(Some(f)) = decoder.decode(&mut buf) {
        if let Ok(Some(done)) = assembler.push(f) {
            out = Some(done);
        }
    }
    assert!(buf.is_empty(), "split output not fully decodable");
    assert_eq!(out.as_ref(), Some(frame), "split round trip differs");
}

/// Feeds `data` (after a valid preface and SETTINGS) into a server
/// [`Connection`](crate::connection::Connection), `seed`-sized chunks at a
/// time, answering requests, echoing and releasing DATA, and draining output
/// with a byte cap. Panics if a broken invariant shows: output or queues
/// growing past their bounds, or the connection accepting input after an
/// error.
pub fn connection(data: &[u8]) {
    use std::time::{Duration, Instant};

    use crate::connection::{Connection, Event, Role};
    use crate::frame::Settings;
    use crate::limits::{self, Limits};

    let Some((&seed, input)) = data.split_first() else {
        return;
    };
    let chunk = usize::from(seed % 64) * 37 + 1;
    let mut conn = Connection::new(Role::Server, Limits::default());
    let mut now = Instant::now();
    let mut buf = BytesMut::from(&crate::codec::PREFACE[..]);
    Settings::default().encode(&mut buf);
    assert!(conn.recv(&mut buf, now).is_ok(), "valid preface refused");
    const MAX_OUT: usize = 1 << 16;
    let mut out = BytesMut::new();
    let mut failed = false;
    for piece in input.chunks(chunk) {
        buf.extend_from_slice(piece);
        let res = conn.recv(&mut buf, now);
        if failed {
            // After a connection error nothing is read any more (the driver
            // closes); the error must stick.
            assert!(res.is_err(), "input accepted after a connection error");
            break;
        }
        failed |= res.is_err();
        assert!(
            failed || buf.len() <= limits::MAX_FRAME_SIZE as usize + FRAME_HEADER_LEN + chunk,
            "receive buffer not consumed"
        );
        let (_, control, events) = conn.memory_gauges();
        assert!(
            control <= limits::MAX_PENDING_CONTROL_FRAMES + 1,
            "control queue unbounded"
        );
        assert!(
            events <= piece.len() + buf.len() + 16,
            "events not bounded by input"
        );
        while let Some(event) = conn.poll_event() {
            match event {
                Event::Request {
                    stream, end_stream, ..
                } => {
                    let _ = conn.send_response(stream, 200, Vec::new(), end_stream);
                }
                Event::Data {
                    stream,
                    data,
                    end_stream,
                } => {
                    conn.release_capacity(stream, data.len());
                    let _ = conn.send_data(stream, data, end_stream);
                }
                Event::Trailers { stream, headers } => {
                    let _ = conn.send_trailers(stream, headers);
                }
                _ => {}
            }
        }
        out.clear();
        conn.poll_output(&mut out, MAX_OUT);
        // One frame may cross the cap: a DATA frame, or a head split into
        // HEADERS + CONTINUATION of at most the peer's largest frame size.
        assert!(
            out.len() <= MAX_OUT + 2 * (MAX_FRAME_LEN as usize + FRAME_HEADER_LEN),
            "output cap ignored"
        );
        now += Duration::from_millis(u64::from(seed));
        let _ = conn.on_timeout(now);
    }
    let _ = conn.is_finished();
}

#[cfg(test)]
mod tests {
    #[test]
    fn connection_short_inputs() {
        super::connection(b"");
        super::connection(b"\x00");
        super::connection(b"\x05\x00\x00\x00\x04\x01\x00\x00\x00\x00");
    }

    #[test]
    fn empty_and_short_inputs() {
        super::frames(b"");
        super::frames(b"\x00");
        super::frames(b"\x00\x00\x00\x08\x06\x00\x00\x00\x00\x0012345678");
    }
}
