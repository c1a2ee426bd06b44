//! The request and response of gRPC's `PROTOCOL-HTTP2.md` ("Example"),
//! field for field, through this crate's parsers; and byte vectors derived
//! by hand from its grammar.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use layotto_grpc::message::encode_raw;
use layotto_grpc::{
    parse_timeout, validate_request, Code, Encoding, MessageDecoder, Metadata, Status,
};

const REQUEST: [(&[u8], &[u8]); 8] = [
    (b":method", b"POST"),
    (b":scheme", b"http"),
    (b":path", b"/google.pubsub.v2.PublisherService/CreateTopic"),
    (b":authority", b"pubsub.googleapis.com"),
    (b"grpc-timeout", b"1S"),
    (b"content-type", b"application/grpc+proto"),
    (b"grpc-encoding", b"gzip"),
    (b"authorization", b"Bearer y235.wef315yfh138vh31hv93hv8h3v"),
];

fn field(name: &[u8]) -> Option<&'static [u8]> {
    REQUEST.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

#[test]
fn spec_request_head() {
    let req = validate_request(
        field(b":method").unwrap(),
        field(b":path").unwrap(),
        field(b"content-type"),
        field(b"te"),
    )
    .unwrap();
    assert_eq!(req.service, "google.pubsub.v2.PublisherService");
    assert_eq!(req.method, "CreateTopic");
    assert_eq!(req.subtype, Some(&b"proto"[..]));
    // The example omits `te: trailers`; it is accepted anyway.
    assert!(!req.te_trailers);
    assert_eq!(
        parse_timeout(field(b"grpc-timeout").unwrap()),
        Ok(Duration::from_secs(1))
    );
    assert_eq!(
        Encoding::from_header(field(b"grpc-encoding").unwrap()),
        Ok(Encoding::Gzip)
    );
    let md = Metadata::from_headers(REQUEST).unwrap();
    let keys: Vec<&[u8]> = md.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, [&b"authorization"[..]]);
}

#[test]
fn spec_response_trailers() {
    let trailers: [(&[u8], &[u8]); 2] = [
        (b"grpc-status", b"0"),
        (b"trace-proto-bin", b"jher831yy13JHy3hc"),
    ];
    assert_eq!(Status::from_headers(trailers), Some(Status::ok()));
    // The example's `-bin` value is 17 base64 symbols, which no byte string
    // encodes to; like grpc-go ("malformed binary metadata") we refuse it.
    assert!(Metadata::from_headers(trailers).is_err());
}

/// `Length-Prefixed-Message → Compressed-Flag Message-Length Message`,
/// flag one byte, length four bytes big-endian.
#[test]
fn hand_derived_frames() {
    let cases: [(&[u8], &[u8]); 3] = [
        (b"", b"\x00\x00\x00\x00\x00"),
        (b"\x08\x96\x01", b"\x00\x00\x00\x00\x03\x08\x96\x01"),
        (&[0xab; 300], b"\x00\x00\x00\x01\x2c"),
    ];
    for (payload, head) in cases {
        let mut wire = BytesMut::new();
        encode_raw(payload, &mut wire).unwrap();
        assert_eq!(&wire[..head.len()], head);
        assert_eq!(wire.len(), 5 + payload.len());
        let got = MessageDecoder::default().decode(&mut wire).unwrap();
        assert_eq!(got, Some(Bytes::copy_from_slice(payload)));
    }
}

/// Trailers-Only for an unimplemented method, as a server sends it.
#[test]
fn unimplemented_trailers_only() {
    let status = Status::unimplemented("unknown method Foo for service a.B");
    let h = status.to_headers();
    assert_eq!(&h[0].1[..], b"12");
    assert_eq!(&h[1].1[..], b"unknown method Foo for service a.B");
    assert_eq!(Code::from_bytes(&h[0].1), Some(Code::Unimplemented));
}
