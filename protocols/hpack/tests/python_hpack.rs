//! Differential test against Python's independent `hpack` package.
//!
//! (a) Python encodes a fixed set of header lists (Huffman on and off, with
//! table size changes) and our Decoder must decode every block to the same
//! list; (b) our Encoder encodes the same lists under the same size changes
//! and Python's decoder must get them back. Needs `python3` with
//! `pip install hpack`; fails (never skips) when either is missing.

// A test crate: unwrapping fixtures and results is how it fails.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use bytes::Bytes;
use common::{decode, encode, hex, to_hex};
use layotto_hpack::{Decoder, Encoder, Header};

const INSTALL_HINT: &str =
    "the differential test needs python3 with the `hpack` module: run `pip install hpack`";

enum Step {
    Size(usize),
    Block { block: Vec<u8>, fields: Vec<Header> },
}

struct Case {
    name: String,
    steps: Vec<Step>,
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/python/hpack_diff.py")
}

fn python(mode: &str, stdin: &str) -> String {
    let mut child = Command::new("python3")
        .arg(script())
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}); {INSTALL_HINT}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "python3 hpack_diff.py {mode} failed: {stderr}\n{INSTALL_HINT}"
    );
    String::from_utf8(out.stdout).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    if s == "-" {
        Vec::new()
    } else {
        hex(s)
    }
}

fn field_line(h: &Header) -> String {
    let hx = |b: &[u8]| {
        if b.is_empty() {
            "-".to_string()
        } else {
            to_hex(b)
        }
    };
    format!(
        "H {} {} {}",
        hx(&h.name),
        hx(&h.value),
        u8::from(h.sensitive)
    )
}

/// Parses `CASE` / `SIZE` / `BLOCK` / `H` / `END` lines.
fn parse(text: &str) -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    let mut fields = Vec::new();
    let mut block = None;
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["CASE", name] => cases.push(Case {
                name: name.to_string(),
                steps: Vec::new(),
            }),
            ["SIZE", n] => cases
                .last_mut()
                .unwrap()
                .steps
                .push(Step::Size(n.parse().unwrap())),
            ["BLOCK", b] => block = Some(unhex(b)),
            ["H", n, v, s] => fields.push(Header {
                name: Bytes::from(unhex(n)),
                value: Bytes::from(unhex(v)),
                sensitive: *s == "1",
            }),
            ["END"] => cases.last_mut().unwrap().steps.push(Step::Block {
                block: block.take().unwrap_or_default(),
                fields: std::mem::take(&mut fields),
            }),
            _ => panic!("unexpected line from python: {line}"),
        }
    }
    cases
}

#[test]
fn python_hpack_differential() {
    let cases = parse(&python("encode", ""));
    assert_eq!(cases.len(), 4, "expected four cases from the script");

    // (a) Python encodes, we decode.
    let mut blocks = 0;
    for case in &cases {
        let mut d = Decoder::new(4096);
        for (i, step) in case.steps.iter().enumerate() {
            match step {
                Step::Size(n) => d.set_max_table_size(*n),
                Step::Block { block, fields } => {
                    let got = decode(&mut d, block).unwrap_or_else(|e| {
                        panic!("{} step {i}: {e} on {}", case.name, to_hex(block))
                    });
                    assert_eq!(&got, fields, "{} step {i}", case.name);
                    blocks += 1;
                }
            }
        }
    }
    assert!(blocks >= 40, "only {blocks} blocks");

    // (b) We encode the same lists, Python decodes.
    let mut input = String::new();
    let mut expected = String::new();
    for case in &cases {
        let mut e = Encoder::new(4096);
        e.set_huffman(case.name.ends_with("huffman"));
        input.push_str(&format!("CASE {}\n", case.name));
        expected.push_str(&format!("CASE {}\n", case.name));
        for step in &case.steps {
            match step {
                Step::Size(n) => {
                    e.update_max_table_size(*n);
                    input.push_str(&format!("SIZE {n}\n"));
                }
                Step::Block { fields, .. } => {
                    let block = encode(&mut e, fields);
                    let hx = if block.is_empty() {
                        "-".to_string()
                    } else {
                        to_hex(&block)
                    };
                    input.push_str(&format!("BLOCK {hx}\n"));
                    for f in fields {
                        expected.push_str(&field_line(f));
                        expected.push('\n');
                    }
                    expected.push_str("END\n");
                }
            }
        }
    }
    let got = python("decode", &input);
    for (i, (g, w)) in got.lines().zip(expected.lines()).enumerate() {
        assert_eq!(g, w, "python decode output line {i}");
    }
    assert_eq!(got.lines().count(), expected.lines().count());
}
