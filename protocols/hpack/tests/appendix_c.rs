//! RFC 7541 Appendix C examples, decoded and re-encoded.

// A test crate: unwrapping fixtures and results is how it fails.
#![allow(clippy::unwrap_used)]

mod common;

use common::{decode, encode, headers, hex};
use layotto_hpack::{Decoder, DynamicTable, Encoder, Header};

/// Asserts the table holds exactly `entries` (newest first) and `size`.
fn assert_table(t: &DynamicTable, entries: &[(&str, &str)], size: usize) {
    let got: Vec<(String, String)> = t
        .iter()
        .map(|(n, v)| {
            (
                String::from_utf8(n.to_vec()).unwrap(),
                String::from_utf8(v.to_vec()).unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = entries
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(t.size(), size);
}

struct Step {
    block: &'static str,
    headers: &'static [(&'static str, &'static str)],
    table: &'static [(&'static str, &'static str)],
    size: usize,
}

/// Decodes each step, checking fields and table; then checks that our
/// encoder (with `huffman`) reproduces `expected_encoding` (defaults to the
/// RFC's block) and that the result decodes to the same fields.
fn run(table_size: usize, huffman: bool, steps: &[Step], expected_encoding: &[Option<&str>]) {
    let mut d = Decoder::new(table_size);
    for s in steps {
        let got = decode(&mut d, &hex(s.block)).unwrap();
        assert_eq!(got, headers(s.headers), "block {}", s.block);
        assert_table(d.dynamic_table(), s.table, s.size);
    }

    let mut e = Encoder::new(table_size);
    e.set_huffman(huffman);
    let mut d = Decoder::new(table_size);
    for (i, s) in steps.iter().enumerate() {
        let want = headers(s.headers);
        let block = encode(&mut e, &want);
        let expected = expected_encoding
            .get(i)
            .copied()
            .flatten()
            .unwrap_or(s.block);
        assert_eq!(block, hex(expected), "encoding of step {i}");
        assert_eq!(decode(&mut d, &block).unwrap(), want);
        assert_table(e.dynamic_table(), s.table, s.size);
        assert_eq!(d.dynamic_table(), e.dynamic_table());
    }
}

#[test]
fn c2_1_literal_with_indexing() {
    let mut d = Decoder::new(4096);
    let block = hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
    let got = decode(&mut d, &block).unwrap();
    assert_eq!(got, headers(&[("custom-key", "custom-header")]));
    assert_table(d.dynamic_table(), &[("custom-key", "custom-header")], 55);
}

#[test]
fn c2_2_literal_without_indexing() {
    let mut d = Decoder::new(4096);
    let block = hex("040c 2f73 616d 706c 652f 7061 7468");
    let got = decode(&mut d, &block).unwrap();
    assert_eq!(got, headers(&[(":path", "/sample/path")]));
    assert!(!got[0].sensitive);
    assert_table(d.dynamic_table(), &[], 0);
}

#[test]
fn c2_3_literal_never_indexed() {
    let mut d = Decoder::new(4096);
    let block = hex("1008 7061 7373 776f 7264 0673 6563 7265 74");
    let got = decode(&mut d, &block).unwrap();
    assert_eq!(got, vec![Header::sensitive("password", "secret")]);
    assert_table(d.dynamic_table(), &[], 0);
    // Our encoder sends a sensitive field exactly this way.
    let mut e = Encoder::new(4096);
    e.set_huffman(false);
    assert_eq!(encode(&mut e, &got), block);
}

#[test]
fn c2_4_indexed() {
    let mut d = Decoder::new(4096);
    let got = decode(&mut d, &hex("82")).unwrap();
    assert_eq!(got, headers(&[(":method", "GET")]));
    assert_table(d.dynamic_table(), &[], 0);
}

const REQ1: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
];
const REQ2: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
    ("cache-control", "no-cache"),
];
const REQ3: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "https"),
    (":path", "/index.html"),
    (":authority", "www.example.com"),
    ("custom-key", "custom-value"),
];
const REQ_T1: &[(&str, &str)] = &[(":authority", "www.example.com")];
const REQ_T2: &[(&str, &str)] = &[
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];
const REQ_T3: &[(&str, &str)] = &[
    ("custom-key", "custom-value"),
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];

#[test]
fn c3_requests_without_huffman() {
    let steps = [
        Step {
            block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            headers: REQ1,
            table: REQ_T1,
            size: 57,
        },
        Step {
            block: "8286 84be 5808 6e6f 2d63 6163 6865",
            headers: REQ2,
            table: REQ_T2,
            size: 110,
        },
        Step {
            block: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
            headers: REQ3,
            table: REQ_T3,
            size: 164,
        },
    ];
    run(4096, false, &steps, &[]);
}

#[test]
fn c4_requests_with_huffman() {
    let steps = [
        Step {
            block: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            headers: REQ1,
            table: REQ_T1,
            size: 57,
        },
        Step {
            block: "8286 84be 5886 a8eb 1064 9cbf",
            headers: REQ2,
            table: REQ_T2,
            size: 110,
        },
        Step {
            block: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
            headers: REQ3,
            table: REQ_T3,
            size: 164,
        },
    ];
    run(4096, true, &steps, &[]);
}

const DATE1: &str = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE2: &str = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOC: &str = "https://www.example.com";
const COOKIE: &str = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const RESP1: &[(&str, &str)] = &[
    (":status", "302"),
    ("cache-control", "private"),
    ("date", DATE1),
    ("location", LOC),
];
const RESP2: &[(&str, &str)] = &[
    (":status", "307"),
    ("cache-control", "private"),
    ("date", DATE1),
    ("location", LOC),
];
const RESP3: &[(&str, &str)] = &[
    (":status", "200"),
    ("cache-control", "private"),
    ("date", DATE2),
    ("location", LOC),
    ("content-encoding", "gzip"),
    ("set-cookie", COOKIE),
];
const RESP_T1: &[(&str, &str)] = &[
    ("location", LOC),
    ("date", DATE1),
    ("cache-control", "private"),
    (":status", "302"),
];
const RESP_T2: &[(&str, &str)] = &[
    (":status", "307"),
    ("location", LOC),
    ("date", DATE1),
    ("cache-control", "private"),
];
const RESP_T3: &[(&str, &str)] = &[
    ("set-cookie", COOKIE),
    ("content-encoding", "gzip"),
    ("date", DATE2),
];

const C5_2: &str = "4803 3330 37c1 c0bf";

#[test]
fn c5_responses_without_huffman_evicting() {
    let steps = [
        Step {
            block: "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 \
                    2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 \
                    6c65 2e63 6f6d",
            headers: RESP1,
            table: RESP_T1,
            size: 222,
        },
        Step {
            block: C5_2,
            headers: RESP2,
            table: RESP_T2,
            size: 222,
        },
        Step {
            block: "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d \
                    54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 \
                    5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e \
                    3d31",
            headers: RESP3,
            table: RESP_T3,
            size: 215,
        },
    ];
    run(256, false, &steps, &[]);
}

#[test]
fn c6_responses_with_huffman_evicting() {
    let steps = [
        Step {
            block: "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 \
                    2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            headers: RESP1,
            table: RESP_T1,
            size: 222,
        },
        Step {
            block: "4883 640e ffc1 c0bf",
            headers: RESP2,
            table: RESP_T2,
            size: 222,
        },
        Step {
            block: "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab \
                    77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f \
                    9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            headers: RESP3,
            table: RESP_T3,
            size: 215,
        },
    ];
    // "307" Huffman-codes to 3 bytes, no shorter than the raw string, so our
    // encoder sends it raw: C.6.2 then comes out exactly as C.5.2.
    run(256, true, &steps, &[None, Some(C5_2)]);
}
