"""Independent peer for protocols/http2/tests/python_frames.rs.

Uses hyperframe (installed with `pip install h2`) to
  emit:  serialise one frame of every type (various flags/padding) and print
         "<hex>\t<description>" per line;
  parse: read hex frames from stdin, one per line, and print the
         description of what hyperframe parsed.
The description format is mirrored by `describe` in python_frames.rs.
"""
import sys

from hyperframe.frame import (ContinuationFrame, DataFrame, ExtensionFrame, Frame, GoAwayFrame,
                              HeadersFrame, PingFrame, PriorityFrame, PushPromiseFrame,
                              RstStreamFrame, SettingsFrame, WindowUpdateFrame)

KNOWN_FLAGS = {"END_STREAM", "ACK", "END_HEADERS", "PADDED", "PRIORITY"}


def flags(f):
    return ",".join(sorted(x for x in f.flags if x in KNOWN_FLAGS)) or "-"


def pad(f):
    return str(f.pad_length) if "PADDED" in f.flags else "-"


def describe(f):
    if isinstance(f, DataFrame):
        return f"DATA stream={f.stream_id} flags={flags(f)} pad={pad(f)} data={bytes(f.data).hex()}"
    if isinstance(f, HeadersFrame):
        prio = (f"{int(f.exclusive)}:{f.depends_on}:{f.stream_weight}"
                if "PRIORITY" in f.flags else "-")
        return (f"HEADERS stream={f.stream_id} flags={flags(f)} pad={pad(f)} prio={prio} "
                f"block={bytes(f.data).hex()}")
    if isinstance(f, PriorityFrame):
        return f"PRIORITY stream={f.stream_id} prio={int(f.exclusive)}:{f.depends_on}:{f.stream_weight}"
    if isinstance(f, RstStreamFrame):
        return f"RST_STREAM stream={f.stream_id} code={f.error_code}"
    if isinstance(f, SettingsFrame):
        known = sorted((k, v) for k, v in f.settings.items() if 1 <= k <= 6)
        entries = ",".join(f"{k}:{v}" for k, v in known) or "-"
        return f"SETTINGS flags={flags(f)} settings={entries}"
    if isinstance(f, PushPromiseFrame):
        return (f"PUSH_PROMISE stream={f.stream_id} flags={flags(f)} pad={pad(f)} "
                f"promised={f.promised_stream_id} block={bytes(f.data).hex()}")
    if isinstance(f, PingFrame):
        return f"PING flags={flags(f)} data={bytes(f.opaque_data).hex()}"
    if isinstance(f, GoAwayFrame):
        return f"GOAWAY last={f.last_stream_id} code={f.error_code} debug={bytes(f.additional_data).hex()}"
    if isinstance(f, WindowUpdateFrame):
        return f"WINDOW_UPDATE stream={f.stream_id} inc={f.window_increment}"
    if isinstance(f, ContinuationFrame):
        return f"CONTINUATION stream={f.stream_id} flags={flags(f)} block={bytes(f.data).hex()}"
    if isinstance(f, ExtensionFrame):
        return f"UNKNOWN type={f.type} stream={f.stream_id} flags={f.flag_byte} payload={bytes(f.body).hex()}"
    raise ValueError(f"unexpected frame {f!r}")


def frames():
    yield DataFrame(1, b"hello")
    yield DataFrame(1, b"hello", flags=["END_STREAM"])
    yield DataFrame(3, b"padded", pad_length=7, flags=["PADDED"])
    yield DataFrame(5, b"", pad_length=0, flags=["PADDED", "END_STREAM"])
    yield HeadersFrame(1, b"\x82\x86\x84", flags=["END_HEADERS"])
    yield HeadersFrame(3, b"\x82", flags=["END_HEADERS", "END_STREAM", "PADDED"], pad_length=4)
    yield HeadersFrame(5, b"\x82\x84", flags=["PRIORITY", "END_HEADERS"], depends_on=3,
                       stream_weight=200, exclusive=True)
    yield HeadersFrame(7, b"\x82", flags=["PRIORITY", "PADDED"], depends_on=1, stream_weight=15,
                       exclusive=False, pad_length=2)
    yield PriorityFrame(3, depends_on=1, stream_weight=15, exclusive=True)
    yield PriorityFrame(9, depends_on=0, stream_weight=0, exclusive=False)
    yield RstStreamFrame(1, error_code=8)
    yield RstStreamFrame(3, error_code=0xdead)
    yield SettingsFrame(0, settings={1: 4096, 2: 0, 3: 100, 4: 1 << 20, 5: 16384, 6: 65536})
    yield SettingsFrame(0, settings={4: 2147483647, 0x99: 5})
    yield SettingsFrame(0, flags=["ACK"])
    yield PushPromiseFrame(1, promised_stream_id=2, data=b"\x82", flags=["END_HEADERS"])
    yield PushPromiseFrame(3, promised_stream_id=4, data=b"\x82\x84", flags=["PADDED"], pad_length=3)
    yield PingFrame(0, opaque_data=b"12345678")
    yield PingFrame(0, opaque_data=b"\x00\x01\x02\x03\x04\x05\x06\x07", flags=["ACK"])
    yield GoAwayFrame(0, last_stream_id=7, error_code=11, additional_data=b"bye")
    yield GoAwayFrame(0, last_stream_id=0, error_code=0)
    yield WindowUpdateFrame(0, window_increment=65536)
    yield WindowUpdateFrame(3, window_increment=2147483647)
    yield ContinuationFrame(1, b"\x86", flags=[])
    yield ContinuationFrame(1, b"\x84", flags=["END_HEADERS"])
    ext = ExtensionFrame(type=0xfa, stream_id=7, flag_byte=0x3, body=b"ignore me")
    # hyperframe only sets body_len when parsing; serialize() needs it.
    ext.body_len = len(ext.body)
    yield ext


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "emit"
    if mode == "emit":
        for f in frames():
            print(f"{f.serialize().hex()}\t{describe(f)}")
    elif mode == "parse":
        for line in sys.stdin:
            raw = bytes.fromhex(line.strip())
            f, length = Frame.parse_frame_header(memoryview(raw[:9]))
            if len(raw) != 9 + length:
                raise ValueError(f"length {length} does not match {len(raw) - 9} payload octets")
            f.parse_body(memoryview(raw[9:]))
            print(describe(f))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
