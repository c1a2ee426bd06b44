use super::*;

fn parse(s: &[u8]) -> Option<(usize, Reply)> {
    parse_reply(s).expect("valid RESP")
}

#[test]
fn each_type() {
    assert_eq!(parse(b"+OK\r\n"), Some((5, Reply::Simple)));
    assert_eq!(
        parse(b"-WRONGTYPE Operation\r\n"),
        Some((22, Reply::Error("WRONGTYPE".into())))
    );
    assert_eq!(parse(b"-\r\n"), Some((3, Reply::Error("unknown".into()))));
    assert_eq!(parse(b":-42\r\n"), Some((6, Reply::Integer(-42))));
    assert_eq!(parse(b"$3\r\nabc\r\n"), Some((9, Reply::Bulk(3))));
    assert_eq!(parse(b"$0\r\n\r\n"), Some((6, Reply::Bulk(0))));
    assert_eq!(parse(b"$-1\r\n"), Some((5, Reply::Null)));
    assert_eq!(parse(b"*-1\r\n"), Some((5, Reply::Null)));
    assert_eq!(parse(b"*0\r\n"), Some((4, Reply::Array(0))));
    // A bulk string may hold CRLF; only its length frames it.
    assert_eq!(parse(b"$4\r\na\r\nb\r\n+"), Some((10, Reply::Bulk(4))));
}

#[test]
fn nested_arrays_frame_exactly() {
    let msg = b"*3\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n*1\r\n+in\r\n+next\r\n";
    assert_eq!(parse(msg), Some((msg.len() - 7, Reply::Array(3))));
    // Every strict prefix needs more bytes.
    for cut in 0..msg.len() - 7 {
        assert_eq!(parse(&msg[..cut]), None, "cut at {cut}");
    }
}

#[test]
fn malformed_is_an_error() {
    for bad in [
        &b"?x\r\n"[..],
        b"+OK\n",
        b":1x\r\n",
        b"$-2\r\n",
        b"$3\r\nabcd\r\n",
        b"*99999999999\r\n",
        b"\r\n",
    ] {
        assert!(
            parse_reply(bad).is_err(),
            "{:?}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn encodes_commands() {
    let mut out = BytesMut::new();
    encode_command(&[b"SET", b"k", b"vv"], &mut out);
    assert_eq!(&out[..], b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\nvv\r\n");
    let resp = Resp::new(Command::Get, "key", 1, 3);
    let mut codec = resp.codec();
    let mut out = BytesMut::new();
    codec.encode(1, &mut out);
    assert_eq!(&out[..], b"*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n");
    let mut codec = Resp::new(Command::Set, "k:", 10, 2).codec();
    let mut out = BytesMut::new();
    codec.encode(1, &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    assert!(text.starts_with("*3\r\n$3\r\nSET\r\n$3\r\nk:") && text.ends_with("$2\r\nxx\r\n"));
}

#[test]
fn codec_counts_errors_in_order() {
    let mut codec = Resp::new(Command::Ping, "", 1, 0).codec();
    let mut out = BytesMut::new();
    for t in 0..3 {
        codec.encode(t, &mut out);
    }
    let (mut ctrl, mut done) = (BytesMut::new(), Vec::new());
    let mut src = BytesMut::from(&b"+PONG\r\n-ERR no\r\n$1\r"[..]);
    codec
        .decode(&mut src, &mut ctrl, &mut done)
        .expect("decode");
    assert_eq!(
        done,
        vec![
            (0, Outcome::Ok),
            (1, Outcome::Failed(ErrorKind::Reply("ERR".into())))
        ]
    );
    src.extend_from_slice(b"\nx\r\n:5\r\n");
    assert!(
        codec.decode(&mut src, &mut ctrl, &mut done).is_err(),
        "a reply beyond the commands sent"
    );
    assert_eq!(done.len(), 3);
}
