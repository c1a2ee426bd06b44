"""Writes the seed corpus for the http2_connection fuzz target.

Each file is one seed octet (chunk size / clock step of
`fuzz_logic::connection`) followed by the frames a client sends after its
preface and SETTINGS. Run from anywhere: python3 make_conn_corpus.py
"""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "..", "..", "..", "tests", "fuzz", "corpus", "http2_connection")

DATA, HEADERS, PRIORITY, RST, SETTINGS, PUSH, PING, GOAWAY, WU, CONT = range(10)
ES, ACK, EH, PADDED, PRIO = 0x1, 0x1, 0x4, 0x8, 0x20


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


def lit(name, value):
    """Literal without indexing, new name (RFC 7541 6.2.2), short strings."""
    return bytes([0x00, len(name)]) + name + bytes([len(value)]) + value


def lit_indexed(name, value):
    return bytes([0x40, len(name)]) + name + bytes([len(value)]) + value


# :method GET, :scheme https, :path /, :authority a
GET = bytes([0x82, 0x87, 0x84, 0x01, 0x01]) + b"a"
POST = bytes([0x83, 0x87, 0x84, 0x01, 0x01]) + b"a"


def get(stream, end=True, extra=b""):
    return frame(HEADERS, EH | (ES if end else 0), stream, GET + extra)


CASES = {
    "get": get(1),
    "get_many": b"".join(get(i) for i in range(1, 40, 2)),
    "post_body": frame(HEADERS, EH, 1, POST + lit(b"content-length", b"5"))
    + frame(DATA, ES, 1, b"hello"),
    "post_padded": frame(HEADERS, EH, 1, POST) + frame(DATA, PADDED | ES, 1, b"\x03abc\0\0\0"),
    "trailers": frame(HEADERS, EH, 1, POST + lit(b"te", b"trailers")) + frame(DATA, 0, 1, b"x" * 100)
    + frame(HEADERS, EH | ES, 1, lit(b"grpc-status", b"0")),
    "rapid_reset": b"".join(get(i) + frame(RST, 0, i, struct.pack(">I", 8)) for i in range(1, 200, 2)),
    "ping_flood": frame(PING, 0, 0, b"12345678") * 300,
    "settings_flood": frame(SETTINGS, 0, 0, struct.pack(">HI", 4, 100)) * 300,
    "window_updates": get(1, end=False) + frame(WU, 0, 1, struct.pack(">I", 1000))
    + frame(WU, 0, 0, struct.pack(">I", 1000)) + frame(SETTINGS, 0, 0, struct.pack(">HI", 4, 0)),
    "continuation": frame(HEADERS, ES, 1, GET[:3]) + frame(CONT, 0, 1, GET[3:5]) + frame(CONT, EH, 1, GET[5:]),
    "continuation_flood": frame(HEADERS, ES, 1, GET) + frame(CONT, 0, 1, b"") * 10,
    "priority": frame(PRIORITY, 0, 3, b"\0\0\0\1\x10") + frame(PRIORITY, 0, 1, b"\0\0\0\1\x10")
    + frame(HEADERS, EH | ES | PRIO, 5, b"\0\0\0\5\x10" + GET),
    "goaway": get(1, end=False) + frame(GOAWAY, 0, 0, b"\0\0\0\1\0\0\0\0bye"),
    "empty_data": get(1, end=False) + frame(DATA, 0, 1) * 12,
    "dynamic_table": get(1, extra=lit_indexed(b"x-k", b"v")) + get(3, extra=bytes([0x80 | 62])),
    "malformed": get(1, extra=lit(b"connection", b"close")) + get(3, extra=lit(b"X-Up", b"1"))
    + frame(HEADERS, EH | ES, 5, bytes([0x82, 0x84])),
    "idle_data": frame(DATA, 0, 7, b"x"),
    "big_data": get(1, end=False) + frame(DATA, 0, 1, b"z" * 16384) * 4 + frame(DATA, ES, 1, b""),
    "hpack_errors": frame(HEADERS, EH | ES, 1, b"\x80"),
    "unknown_frames": frame(0x20, 0xff, 1, b"???") + get(1),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, body in CASES.items():
        for seed in (0x00, 0x07, 0x3f):
            with open(os.path.join(OUT, f"{name}_{seed:02x}"), "wb") as f:
                f.write(bytes([seed]) + body)


if __name__ == "__main__":
    main()
