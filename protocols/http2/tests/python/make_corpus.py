"""Writes the seed corpus for the http2_frame fuzz target.

Each file is one seed octet (frame size limit / chunking choice of
`fuzz_logic::frames`) followed by frames, valid and invalid.
Run from anywhere: python3 make_corpus.py
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "..", "..", "..", "tests", "fuzz", "corpus", "http2_frame")


def frame(kind, flags, stream, payload=b"", length=None):
    n = len(payload) if length is None else length
    return struct.pack(">I", n)[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def setting(ident, value):
    return struct.pack(">HI", ident, value)


DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WU, CONT = range(10)
ES, ACK, EH, PADDED, PRIO = 0x1, 0x1, 0x4, 0x8, 0x20

ALL_SETTINGS = b"".join(setting(i, v) for i, v in
                        [(1, 4096), (2, 0), (3, 100), (4, 1 << 20), (5, 16384), (6, 65536)])

CASES = {
    "settings_all": frame(SETTINGS, 0, 0, ALL_SETTINGS),
    "settings_ack": frame(SETTINGS, ACK, 0),
    "settings_unknown_id": frame(SETTINGS, 0, 0, setting(0x99, 7) + setting(8, 1)),
    "settings_ack_payload": frame(SETTINGS, ACK, 0, setting(3, 1)),
    "settings_bad_len": frame(SETTINGS, 0, 0, b"\x00\x03\x00\x00\x00"),
    "settings_stream": frame(SETTINGS, 0, 1),
    "settings_too_many": frame(SETTINGS, 0, 0, setting(3, 1) * 33),
    "settings_bad_push": frame(SETTINGS, 0, 0, setting(2, 2)),
    "settings_bad_window": frame(SETTINGS, 0, 0, setting(4, 1 << 31)),
    "settings_bad_max_frame": frame(SETTINGS, 0, 0, setting(5, 16383)),
    "data": frame(DATA, ES, 1, b"hello"),
    "data_padded": frame(DATA, PADDED | ES, 1, b"\x03hello\x00\x00\x00"),
    "data_pad_too_long": frame(DATA, PADDED, 1, b"\x05abc"),
    "data_padded_empty": frame(DATA, PADDED, 1),
    "data_stream0": frame(DATA, 0, 0, b"x"),
    "headers": frame(HEADERS, EH | ES, 1, b"\x82\x86\x84"),
    "headers_padded_priority": frame(HEADERS, EH | PADDED | PRIO, 3,
                                     b"\x02" + b"\x80\x00\x00\x01\xff" + b"\x82" + b"\x00\x00"),
    "headers_self_dependency": frame(HEADERS, EH | PRIO, 5, b"\x00\x00\x00\x05\x10\x82"),
    "headers_short_priority": frame(HEADERS, EH | PRIO, 1, b"\x00\x00"),
    "headers_continuations": frame(HEADERS, 0, 1, b"\x82") + frame(CONT, 0, 1, b"\x86")
    + frame(CONT, EH, 1, b"\x84"),
    "continuation_flood": frame(HEADERS, 0, 1, b"\x82") + frame(CONT, 0, 1) * 10,
    "continuation_interleaved": frame(HEADERS, 0, 1, b"\x82") + frame(PING, 0, 0, b"12345678"),
    "continuation_unknown_between": frame(HEADERS, 0, 1, b"\x82") + frame(0xfa, 0, 1, b"zz"),
    "continuation_other_stream": frame(HEADERS, 0, 1, b"\x82") + frame(CONT, EH, 3, b"\x84"),
    "continuation_unexpected": frame(CONT, EH, 1, b"\x84"),
    "continuation_stream0": frame(CONT, EH, 0),
    "priority": frame(PRIORITY, 0, 3, b"\x80\x00\x00\x01\x0f"),
    "priority_bad_len": frame(PRIORITY, 0, 3, b"\x00\x00\x00\x01") + frame(PING, 0, 0, b"abcdefgh"),
    "priority_self_dependency": frame(PRIORITY, 0, 3, b"\x00\x00\x00\x03\x0f"),
    "rst_stream": frame(RST, 0, 1, b"\x00\x00\x00\x08"),
    "rst_stream_bad_len": frame(RST, 0, 1, b"\x00\x00\x08"),
    "push_promise": frame(PUSH, EH | PADDED, 1, b"\x02\x00\x00\x00\x02\x82\x00\x00"),
    "push_promise_continued": frame(PUSH, 0, 1, b"\x00\x00\x00\x02\x82") + frame(CONT, EH, 1, b"\x84"),
    "push_promise_short": frame(PUSH, EH, 1, b"\x00\x00"),
    "ping": frame(PING, 0, 0, b"12345678"),
    "ping_ack": frame(PING, ACK, 0, b"12345678"),
    "ping_bad_len": frame(PING, 0, 0, b"1234567"),
    "ping_stream": frame(PING, 0, 1, b"12345678"),
    "goaway": frame(GOAWAY, 0, 0, b"\x00\x00\x00\x07\x00\x00\x00\x0bbye"),
    "goaway_short": frame(GOAWAY, 0, 0, b"\x00\x00\x00\x07"),
    "window_update_connection": frame(WU, 0, 0, b"\x00\x01\x00\x00"),
    "window_update_stream": frame(WU, 0, 3, b"\x80\x00\x00\x01"),
    "window_update_zero_stream": frame(WU, 0, 3, b"\x00\x00\x00\x00") + frame(PING, 0, 0, b"abcdefgh"),
    "window_update_zero_connection": frame(WU, 0, 0, b"\x00\x00\x00\x00"),
    "window_update_bad_len": frame(WU, 0, 0, b"\x00\x00\x01"),
    "unknown_type": frame(0xfa, 0xff, 7, b"ignore me"),
    "too_large": frame(DATA, 0, 1, length=16385),
    "reserved_bit_stream": frame(DATA, 0, 0x80000001, b"r"),
    "preface_as_frames": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "truncated": frame(PING, 0, 0, b"1234"),
}

MIXED = b"".join(CASES[k] for k in ["settings_all", "settings_ack", "headers", "data", "priority",
                                    "window_update_stream", "ping", "unknown_type",
                                    "headers_continuations", "rst_stream", "goaway"])


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, body in CASES.items():
        for seed in (0x00, 0x3f):  # chunk 1 / whole-ish chunks of 4
            with open(os.path.join(OUT, f"{name}_{seed:02x}"), "wb") as f:
                f.write(bytes([seed]) + body)
    with open(os.path.join(OUT, "mixed_stream_f0"), "wb") as f:
        f.write(b"\xf0" + MIXED)


if __name__ == "__main__":
    main()
