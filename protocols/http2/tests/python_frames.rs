//! Cross-check against an independent implementation: Python's hyperframe
//! (installed with `pip install h2`). Every frame type, several flag and
//! padding combinations, both directions.

// Test helpers outside #[test] fns unwrap their own fixtures too.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use bytes::{Bytes, BytesMut};
use layotto_http2::codec::FrameDecoder;
use layotto_http2::frame::*;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/frames.py");

/// Fails loudly (never skips) when the peer implementation is missing.
fn require_hyperframe() {
    let out = Command::new("python3")
        .args(["-c", "import hyperframe"])
        .output();
    match out {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "python3 cannot import hyperframe ({}); install it with `pip install h2`",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => panic!("python3 not runnable ({e}); install Python 3 and run `pip install h2`"),
    }
}

fn run_script(mode: &str, stdin: &str) -> String {
    let mut child = Command::new("python3")
        .args([SCRIPT, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn python3 (install Python 3 and `pip install h2`)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{SCRIPT} {mode} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn flags(pairs: &[(&'static str, bool)]) -> String {
    let mut on: Vec<&str> = pairs.iter().filter(|(_, b)| *b).map(|(n, _)| *n).collect();
    on.sort_unstable();
    if on.is_empty() {
        "-".into()
    } else {
        on.join(",")
    }
}

fn pad(p: Option<u8>) -> String {
    p.map_or("-".into(), |n| n.to_string())
}

fn prio(d: &StreamDependency) -> String {
    format!("{}:{}:{}", u8::from(d.exclusive), d.dependency, d.weight)
}

/// Same format as `describe` in frames.py.
fn describe(f: &Frame) -> String {
    match f {
        Frame::Data(d) => format!(
            "DATA stream={} flags={} pad={} data={}",
            d.stream_id,
            flags(&[
                ("END_STREAM", d.end_stream),
                ("PADDED", d.pad_len.is_some())
            ]),
            pad(d.pad_len),
            hex(&d.data)
        ),
        Frame::Headers(h) => format!(
            "HEADERS stream={} flags={} pad={} prio={} block={}",
            h.stream_id,
            flags(&[
                ("END_STREAM", h.end_stream),
                ("END_HEADERS", h.end_headers),
                ("PADDED", h.pad_len.is_some()),
                ("PRIORITY", h.priority.is_some())
            ]),
            pad(h.pad_len),
            h.priority.as_ref().map_or("-".into(), prio),
            hex(&h.header_block)
        ),
        Frame::Priority(p) => format!(
            "PRIORITY stream={} prio={}",
            p.stream_id,
            prio(&p.dependency)
        ),
        Frame::RstStream(r) => {
            format!("RST_STREAM stream={} code={}", r.stream_id, r.reason.code())
        }
        Frame::Settings(s) => {
            let entries: Vec<String> = s
                .entries()
                .map(|(id, v)| format!("{}:{v}", id as u16))
                .collect();
            let entries = if entries.is_empty() {
                "-".into()
            } else {
                entries.join(",")
            };
            format!(
                "SETTINGS flags={} settings={entries}",
                flags(&[("ACK", s.ack)])
            )
        }
        Frame::PushPromise(p) => format!(
            "PUSH_PROMISE stream={} flags={} pad={} promised={} block={}",
            p.stream_id,
            flags(&[
                ("END_HEADERS", p.end_headers),
                ("PADDED", p.pad_len.is_some())
            ]),
            pad(p.pad_len),
            p.promised_id,
            hex(&p.header_block)
        ),
        Frame::Ping(p) => format!(
            "PING flags={} data={}",
            flags(&[("ACK", p.ack)]),
            hex(&p.payload)
        ),
        Frame::GoAway(g) => format!(
            "GOAWAY last={} code={} debug={}",
            g.last_stream_id,
            g.error_code.code(),
            hex(&g.debug_data)
        ),
        Frame::WindowUpdate(w) => {
            format!("WINDOW_UPDATE stream={} inc={}", w.stream_id, w.increment)
        }
        Frame::Continuation(c) => format!(
            "CONTINUATION stream={} flags={} block={}",
            c.stream_id,
            flags(&[("END_HEADERS", c.end_headers)]),
            hex(&c.header_block)
        ),
        Frame::Unknown(u) => format!(
            "UNKNOWN type={} stream={} flags={} payload={}",
            u.kind,
            u.stream_id,
            u.flags.0,
            hex(&u.payload)
        ),
    }
}

fn decode_one(wire: &[u8]) -> Frame {
    let mut buf = BytesMut::from(wire);
    let frame = FrameDecoder::new(MAX_FRAME_LEN)
        .decode(&mut buf)
        .unwrap()
        .expect("complete frame");
    assert!(buf.is_empty(), "trailing octets after {frame:?}");
    frame
}

#[test]
fn hyperframe_to_us() {
    require_hyperframe();
    let out = run_script("emit", "");
    let mut kinds = std::collections::HashSet::new();
    for line in out.lines() {
        let (wire, expected) = line.split_once('\t').unwrap();
        let frame = decode_one(&unhex(wire));
        kinds.insert(frame.kind());
        assert_eq!(describe(&frame), expected, "decoding {wire}");
        // Our re-encoding is byte-identical to hyperframe's, except that
        // ignored (unknown) SETTINGS parameters are not carried over.
        let mut again = BytesMut::new();
        frame.encode(&mut again);
        if matches!(frame, Frame::Settings(_)) {
            assert_eq!(
                describe(&decode_one(&again)),
                expected,
                "re-encoding {expected}"
            );
        } else {
            assert_eq!(hex(&again), wire, "re-encoding {expected}");
        }
    }
    assert_eq!(
        kinds.len(),
        11,
        "every frame type plus an unknown one: {kinds:?}"
    );
}

fn our_frames() -> Vec<Frame> {
    let s = StreamId::new;
    let b = Bytes::from_static;
    vec![
        Data::new(s(1), b(b"hello"), false).into(),
        Data {
            stream_id: s(3),
            data: b(b"pad"),
            end_stream: true,
            pad_len: Some(5),
        }
        .into(),
        Data {
            stream_id: s(5),
            data: Bytes::new(),
            end_stream: false,
            pad_len: Some(0),
        }
        .into(),
        Headers::new(s(1), b(b"\x82\x86"), true).into(),
        Headers {
            stream_id: s(3),
            header_block: b(b"\x82"),
            end_stream: false,
            end_headers: false,
            pad_len: Some(3),
            priority: Some(StreamDependency {
                dependency: s(1),
                weight: 42,
                exclusive: true,
            }),
        }
        .into(),
        Priority {
            stream_id: s(7),
            dependency: StreamDependency {
                dependency: s(5),
                weight: 0,
                exclusive: false,
            },
        }
        .into(),
        RstStream::new(s(1), Reason::REFUSED_STREAM).into(),
        layotto_http2::limits::Limits::default()
            .local_settings()
            .into(),
        Settings {
            initial_window_size: Some(MAX_INITIAL_WINDOW_SIZE),
            ..Settings::default()
        }
        .into(),
        Settings::ack().into(),
        PushPromise {
            stream_id: s(1),
            promised_id: s(2),
            header_block: b(b"\x82\x84"),
            end_headers: true,
            pad_len: Some(1),
        }
        .into(),
        Ping::new(*b"abcdefgh").into(),
        Ping::pong([0xff; 8]).into(),
        GoAway {
            last_stream_id: s(9),
            error_code: Reason::ENHANCE_YOUR_CALM,
            debug_data: b(b"flood"),
        }
        .into(),
        WindowUpdate::new(StreamId::ZERO, 1).into(),
        WindowUpdate::new(s(3), MAX_INITIAL_WINDOW_SIZE).into(),
        Continuation {
            stream_id: s(3),
            header_block: b(b"\x84"),
            end_headers: true,
        }
        .into(),
        Continuation {
            stream_id: s(3),
            header_block: Bytes::new(),
            end_headers: false,
        }
        .into(),
        Unknown {
            kind: 0xf0,
            flags: Flags(0x81),
            stream_id: s(11),
            payload: b(b"ext"),
        }
        .into(),
    ]
}

#[test]
fn us_to_hyperframe() {
    require_hyperframe();
    let frames = our_frames();
    let input: String = frames
        .iter()
        .map(|f| {
            let mut buf = BytesMut::new();
            f.encode(&mut buf);
            hex(&buf) + "\n"
        })
        .collect();
    let out = run_script("parse", &input);
    let parsed: Vec<&str> = out.lines().collect();
    assert_eq!(parsed.len(), frames.len());
    for (frame, theirs) in frames.iter().zip(parsed) {
        assert_eq!(describe(frame), theirs);
    }
}
