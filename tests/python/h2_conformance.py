"""HTTP/2 conformance checks against a live server, over a real TCP socket.

Our own h2spec: a raw-frame client built on hyperframe (framing) and hpack (field
compression), independent of the server's Rust implementation, and a table of cases
organised by section. Each case asserts the reaction RFC 9113 (HTTP/2) or RFC 7541 (HPACK)
requires, accepting only the alternatives the RFC allows (stated in the case).

Section labels follow h2spec's numbering, which is RFC 7540's; where RFC 9113 moved the
text, the group comment names the RFC 9113 section.

Usage: h2_conformance.py HOST:PORT [-k SUBSTRING]
Prints one line per case and a final "N passed, M failed"; exits 1 if any case failed.
A case marked as a known server bug prints "xfail" while it fails, and fails ("XPASS")
once the server is fixed, so the marker is removed with the fix.
"""
import os
import socket
import struct
import sys
import time

import hpack
from hpack import huffman_constants
from hyperframe.frame import (
    ContinuationFrame,
    DataFrame,
    ExtensionFrame,
    Frame,
    GoAwayFrame,
    HeadersFrame,
    PingFrame,
    PriorityFrame,
    RstStreamFrame,
    SettingsFrame,
    WindowUpdateFrame,
)

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
WAIT = 1.0  # seconds per expectation

# Frame types (RFC 9113 §6) and error codes (§7).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY = range(8)
WINDOW_UPDATE, CONTINUATION = 8, 9
TYPE_NAMES = {
    0: "DATA", 1: "HEADERS", 2: "PRIORITY", 3: "RST_STREAM", 4: "SETTINGS",
    5: "PUSH_PROMISE", 6: "PING", 7: "GOAWAY", 8: "WINDOW_UPDATE", 9: "CONTINUATION",
}
CODES = [
    "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT",
    "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
    "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
]
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0, 1, 2, 3
STREAM_CLOSED, FRAME_SIZE_ERROR, REFUSED_STREAM, CANCEL_CODE, COMPRESSION_ERROR = 5, 6, 7, 8, 9
# Flags.
END_STREAM, ACK, END_HEADERS, PADDED, PRIO = 0x1, 0x1, 0x4, 0x8, 0x20
# SETTINGS identifiers (§6.5.2).
HEADER_TABLE_SIZE, ENABLE_PUSH, MAX_CONCURRENT_STREAMS = 1, 2, 3
INITIAL_WINDOW_SIZE, MAX_FRAME_SIZE, MAX_HEADER_LIST_SIZE = 4, 5, 6

HEALTH_PATH = "/grpc.health.v1.Health/Check"
GRPC_EMPTY_MESSAGE = b"\x00\x00\x00\x00\x00"


def code_name(code):
    return CODES[code] if 0 <= code < len(CODES) else f"0x{code:x}"


class Fail(Exception):
    """The server's reaction was not the one the case requires."""


class Closed(Exception):
    """The server closed the connection (FIN or reset)."""


class ClosedFail(Fail):
    """Expected a frame, but the server closed the connection first."""


# ---- building frames by hand (for what hyperframe refuses to serialise) ----


def raw(ftype, flags, stream, payload, length=None):
    """One frame as bytes; `length` overrides the header's length field."""
    n = len(payload) if length is None else length
    return struct.pack(">I", n)[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


def settings_payload(pairs):
    return b"".join(struct.pack(">HI", k, v) for k, v in pairs)


def ser(frame):
    return frame if isinstance(frame, (bytes, bytearray)) else frame.serialize()


# ---- HPACK by hand (RFC 7541 §5.1, §5.2, §6) for deliberately odd blocks ----


def hint(value, prefix_bits, first=0):
    """An HPACK integer with an N-bit prefix (§5.1); `first` holds the pattern bits."""
    top = (1 << prefix_bits) - 1
    if value < top:
        return bytes([first | value])
    out = [first | top]
    value -= top
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hstr(s, huffman=False):
    """A string literal (§5.2): plain, or already Huffman-coded bytes with the H bit."""
    if isinstance(s, str):
        s = s.encode()
    return hint(len(s), 7, 0x80 if huffman else 0) + s


def lit(name, value):
    """Literal field without indexing, new name (§6.2.2): no dynamic table involved."""
    return b"\x00" + hstr(name) + hstr(value)


def block(fields):
    return b"".join(lit(n, v) for n, v in fields)


def huffman(text):
    """Huffman-codes `text` with the table of RFC 7541 Appendix B, padded with EOS bits."""
    bits, nbits = 0, 0
    for b in text.encode():
        bits = (bits << huffman_constants.REQUEST_CODES_LENGTH[b]) | huffman_constants.REQUEST_CODES[b]
        nbits += huffman_constants.REQUEST_CODES_LENGTH[b]
    pad = (8 - nbits % 8) % 8
    bits = (bits << pad) | ((1 << pad) - 1)
    nbits += pad
    return bits.to_bytes(nbits // 8, "big")


# ---- a received frame ----


class Rx:
    def __init__(self, ftype, flags, stream, payload, parsed):
        self.type, self.flags, self.stream, self.payload = ftype, flags, stream, payload
        self.f = parsed  # the hyperframe object
        self.headers = None  # set on the frame that completes a field block
        self.end_stream = bool(flags & END_STREAM) and ftype in (DATA, HEADERS)

    def __str__(self):
        name = TYPE_NAMES.get(self.type, f"type 0x{self.type:x}")
        if self.type == GOAWAY:
            debug = self.f.additional_data[:60].decode("latin-1")
            return f"GOAWAY(last={self.f.last_stream_id}, {code_name(self.f.error_code)}, {debug!r})"
        if self.type == RST_STREAM:
            return f"RST_STREAM(stream={self.stream}, {code_name(self.f.error_code)})"
        if self.type == PING:
            return f"PING({'ACK, ' if self.flags & ACK else ''}{self.payload.hex()})"
        if self.type == SETTINGS:
            return "SETTINGS(ACK)" if self.flags & ACK else f"SETTINGS({dict(self.f.settings)})"
        if self.type == WINDOW_UPDATE:
            return f"WINDOW_UPDATE(stream={self.stream}, +{self.f.window_increment})"
        if self.type == DATA:
            return f"DATA(stream={self.stream}, {len(self.f.data)} octets{', END_STREAM' if self.end_stream else ''})"
        if self.headers is not None:
            return f"{name}(stream={self.stream}, {self.headers}{', END_STREAM' if self.end_stream else ''})"
        return f"{name}(stream={self.stream}, flags=0x{self.flags:x}, {len(self.payload)} octets)"


# ---- the client ----


class Conn:
    def __init__(self, addr):
        self.addr = addr
        self.authority = f"{addr[0]}:{addr[1]}"
        self.sock = socket.create_connection(addr, timeout=WAIT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.closed = False
        self.seen = []  # summaries of every frame read, for failure messages
        self.server_settings = {}
        self.enc = hpack.Encoder()
        self.dec = hpack.Decoder()
        self.open_block = None  # (stream, end_stream, fragments) while CONTINUATION is due
        self.next_id = 1
        self.held = []  # frames read while looking for something else, not yet consumed

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # -- writing --

    def send(self, *frames):
        data = b"".join(ser(f) for f in frames)
        try:
            self.sock.sendall(data)
        except OSError:
            # The server may already have closed; the expectation that follows tells.
            pass

    def _our_settings(self, settings):
        # The server's encoder may use the table size we allow (RFC 7541 §4.2).
        if HEADER_TABLE_SIZE in settings:
            self.dec.max_allowed_table_size = settings[HEADER_TABLE_SIZE]

    def send_settings(self, settings):
        self.send(SettingsFrame(0, settings=settings))
        self._our_settings(settings)

    def stream(self):
        sid = self.next_id
        self.next_id += 2
        return sid

    def handshake(self, settings=None):
        """Preface + our SETTINGS; reads the server's SETTINGS (which must come first, §3.4),
        ACKs it, and waits for the ACK of ours."""
        self.send(PREFACE, SettingsFrame(0, settings=settings or {}))
        self._our_settings(settings or {})
        first = self.read(WAIT)
        if first is None or first.type != SETTINGS or first.flags & ACK:
            raise Fail(f"expected the server's SETTINGS as its first frame, got {first}")
        self.server_settings = dict(first.f.settings)
        self.send(SettingsFrame(0, flags=["ACK"]))
        self.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK")

    def request(self, sid=None, headers=None, end_stream=True, method="GET", path="/"):
        """HEADERS for a request, HPACK-encoded by the hpack library (dynamic table, Huffman)."""
        sid = sid or self.stream()
        fields = headers or self.req_fields(method, path)
        flags = ["END_HEADERS"] + (["END_STREAM"] if end_stream else [])
        self.send(HeadersFrame(sid, data=self.enc.encode(fields), flags=flags))
        return sid

    def req_fields(self, method="GET", path="/", extra=()):
        return [(":method", method), (":scheme", "http"), (":path", path),
                (":authority", self.authority), *extra]

    def grpc_fields(self, extra=()):
        return self.req_fields("POST", HEALTH_PATH, [
            ("content-type", "application/grpc"), ("te", "trailers"), *extra])

    def health(self, sid=None, end_stream=True):
        """The health check: HEADERS then the empty gRPC message."""
        sid = sid or self.stream()
        self.send(HeadersFrame(sid, data=self.enc.encode(self.grpc_fields()), flags=["END_HEADERS"]),
                  DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"] if end_stream else []))
        return sid

    # -- reading --

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            self.closed = True
            raise Closed("connection reset")
        if not chunk:
            self.closed = True
            raise Closed("connection closed")
        self.buf += chunk
        return True

    def read(self, timeout=WAIT):
        """The next frame, or None after `timeout`; raises Closed at end of stream."""
        if self.held:
            return self.held.pop(0)
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 9:
                length = int.from_bytes(self.buf[:3], "big")
                if len(self.buf) >= 9 + length:
                    head, body = self.buf[:9], self.buf[9:9 + length]
                    self.buf = self.buf[9 + length:]
                    return self._parse(head, body)
            if self.closed:
                raise Closed("connection closed")
            if not self._fill(deadline):
                return None

    def _parse(self, head, body):
        try:
            parsed, _ = Frame.parse_frame_header(memoryview(head))
            parsed.parse_body(memoryview(body))
        except Exception as e:  # the server sent a frame hyperframe rejects
            raise Fail(f"server sent an invalid frame {head.hex()} {body[:32].hex()}: {e}")
        ftype, flags = head[3], head[4]
        stream = int.from_bytes(head[5:9], "big") & 0x7FFFFFFF
        rx = Rx(ftype, flags, stream, bytes(body), parsed)
        if isinstance(parsed, ExtensionFrame):
            pass
        elif ftype == HEADERS:
            self.open_block = (stream, bool(flags & END_STREAM), [parsed.data])
        elif ftype == CONTINUATION and self.open_block:
            self.open_block[2].append(parsed.data)
        if ftype in (HEADERS, CONTINUATION) and flags & END_HEADERS and self.open_block:
            sid, end, frags = self.open_block
            self.open_block = None
            try:
                rx.headers = self.dec.decode(b"".join(frags))
            except Exception as e:
                raise Fail(f"server's field block does not decode ({e})")
            rx.end_stream = end
            if ftype == CONTINUATION:
                rx.stream = sid
        self.seen.append(str(rx))
        return rx

    def history(self):
        tail = self.seen[-6:]
        return "[" + ", ".join(tail) + "]" if tail else "nothing"

    # -- expectations --

    def expect(self, match, what, timeout=WAIT, refuse=None):
        """Reads until a frame satisfies `match`; `refuse(frame)` returning a string fails
        the case at once. Other frames are skipped (recorded in the history)."""
        deadline = time.monotonic() + timeout
        skipped = []
        while True:
            try:
                f = self.read(max(0.0, deadline - time.monotonic()))
            except Closed as c:
                raise ClosedFail(f"expected {what} got {c} after {self.history()}")
            if f is None:
                raise Fail(f"expected {what} got nothing within {timeout:.1f}s after {self.history()}")
            if match(f):
                # Frames of other streams stay readable for a later expectation.
                self.held = [s for s in skipped if s.stream != 0] + self.held
                return f
            if refuse:
                why = refuse(f)
                if why:
                    raise Fail(f"expected {what} got {why}")
            skipped.append(f)

    def expect_frame(self, ftype, stream=None, timeout=WAIT):
        return self.expect(lambda f: f.type == ftype and (stream is None or f.stream == stream),
                           TYPE_NAMES.get(ftype, str(ftype)), timeout, refuse=_refuse_errors)

    def expect_connection_closed(self, timeout=WAIT):
        deadline = time.monotonic() + timeout
        while True:
            try:
                f = self.read(max(0.0, deadline - time.monotonic()))
            except Closed:
                return
            if f is None:
                raise Fail(f"expected the connection closed got it still open after {self.history()}")

    def expect_goaway(self, codes, allow_close=False, note=None):
        """Connection error (§5.4.1): GOAWAY with one of `codes`, then the TCP connection
        closed. With `allow_close`, a close without GOAWAY is accepted too."""
        codes = _codes(codes)
        what = "GOAWAY(" + "|".join(code_name(c) for c in codes) + ")"
        try:
            g = self.expect(lambda f: f.type == GOAWAY, what, refuse=_refuse_rst_any)
        except ClosedFail:
            if allow_close:
                return note or "closed without GOAWAY"
            raise
        if g.f.error_code not in codes:
            raise Fail(f"expected {what} got {g}")
        try:
            self.expect_connection_closed()
        except Fail:
            raise Fail(f"{g} was not followed by closing the connection (§5.4.1 MUST)")
        return None

    def expect_rst(self, stream, codes, conn_ok=True):
        """Stream error (§5.4.2): RST_STREAM(stream, code). With `conn_ok`, a connection
        error with the same code is accepted (§5.4: an endpoint MAY treat a stream error as
        a connection error)."""
        codes = _codes(codes)
        names = "|".join(code_name(c) for c in codes)
        what = f"RST_STREAM(stream={stream}, {names})"

        def refuse(f):
            if f.type == RST_STREAM and f.stream == stream and f.f.error_code not in codes:
                return str(f)
            if f.type == GOAWAY and not (conn_ok and f.f.error_code in codes):
                return str(f)
            return None

        f = self.expect(lambda f: (f.type == RST_STREAM and f.stream == stream
                                   and f.f.error_code in codes)
                        or (conn_ok and f.type == GOAWAY and f.f.error_code in codes),
                        what, refuse=refuse)
        if f.type == GOAWAY:
            self.expect_connection_closed()
            return "connection error instead of a stream error (§5.4 allows it)"
        return None

    def expect_ping_ack(self, payload):
        def refuse(f):
            if f.type == PING and f.flags & ACK and f.payload != payload:
                return f"{f} (payload differs)"
            return _refuse_errors(f)
        self.expect(lambda f: f.type == PING and f.flags & ACK and f.payload == payload,
                    f"PING(ACK, {payload.hex()})", refuse=refuse)

    def expect_alive(self):
        """The connection still works: a PING is answered, with no error frame before it."""
        payload = os.urandom(8)
        self.send(PingFrame(0, opaque_data=payload))
        self.expect_ping_ack(payload)

    def expect_response(self, stream, full=True):
        """A normal response on `stream`: a head with a valid :status (§8.3.2) and only
        lowercase names, pseudo-header fields first; with `full`, read to END_STREAM.
        Returns (status, headers, body, trailers)."""
        def refuse(f):
            if f.type == RST_STREAM and f.stream == stream:
                return str(f)
            if f.type == GOAWAY:
                return str(f)
            return None

        head = self.expect(lambda f: f.headers is not None and f.stream == stream,
                           f"a response on stream {stream}", refuse=refuse)
        _check_response_head(head.headers)
        status = int(head.headers[0][1])
        body, trailers, end = b"", None, head.end_stream
        while full and not end:
            f = self.expect(lambda f: f.stream == stream and (f.type == DATA or f.headers is not None),
                            f"the rest of the response on stream {stream}", refuse=refuse)
            if f.type == DATA:
                body += f.f.data
            else:
                trailers = f.headers
                if any(n.startswith(":") for n, _ in trailers):
                    raise Fail(f"trailers carry a pseudo-header field: {trailers}")
            end = f.end_stream
        return status, head.headers, body, trailers


def _codes(codes):
    return (codes,) if isinstance(codes, int) else tuple(codes)


def _refuse_errors(f):
    if f.type in (GOAWAY, RST_STREAM):
        return str(f)
    return None


def _refuse_rst_any(f):
    return None  # a RST_STREAM before the GOAWAY is tolerated


def _check_response_head(fields):
    if not fields or fields[0][0] != ":status":
        raise Fail(f"response head does not start with :status: {fields}")
    if not (len(fields[0][1]) == 3 and fields[0][1].isdigit()):
        raise Fail(f"bad :status {fields[0][1]!r}")
    for n, _ in fields[1:]:
        if n.startswith(":"):
            raise Fail(f"pseudo-header after :status in a response: {fields}")
        if n != n.lower():
            raise Fail(f"uppercase field name in a response: {n}")
        if n in ("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"):
            raise Fail(f"connection-specific field in a response: {n}")


# ---- the cases ----

CASES = []


def case(section, description, handshake=True, settings=None, known=None):
    def register(fn):
        CASES.append((section, description, fn, handshake, settings, known))
        return fn
    return register


def raw_get_prefix(c):
    """:method GET, :scheme http, :path / from the static table, :authority as a literal
    without indexing (indexed name 1): a valid request head without the dynamic table."""
    return b"\x82\x86\x84" + b"\x01" + hstr(c.authority)


def headers_raw(c, sid, blk, flags=END_HEADERS | END_STREAM):
    return raw(HEADERS, flags, sid, blk)


def get_block(c):
    return raw_get_prefix(c)


# §3.5 Connection preface (RFC 9113 §3.4)


@case("§3.5", "answers the client preface with SETTINGS as its first frame, and ACKs ours")
def _(c):
    # Conn.handshake already required both; this also checks the preface SETTINGS values.
    for k, v in c.server_settings.items():
        if k == ENABLE_PUSH and v not in (0, 1):
            raise Fail(f"server SETTINGS_ENABLE_PUSH = {v}")
        if k == ENABLE_PUSH and v == 1:
            raise Fail("a server MUST NOT send SETTINGS_ENABLE_PUSH = 1 (§6.5.2)")
        if k == MAX_FRAME_SIZE and not 16384 <= v <= 16777215:
            raise Fail(f"server SETTINGS_MAX_FRAME_SIZE = {v}")
        if k == INITIAL_WINDOW_SIZE and v > 2**31 - 1:
            raise Fail(f"server SETTINGS_INITIAL_WINDOW_SIZE = {v}")


@case("§3.5", "invalid preface: connection error PROTOCOL_ERROR (GOAWAY MAY be omitted)",
      handshake=False)
def _(c):
    c.send(b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", SettingsFrame(0))
    return c.expect_goaway(PROTOCOL_ERROR, allow_close=True,
                           note="closed without GOAWAY (§3.4 allows omitting it)")


@case("§3.5", "an HTTP/1.1 request instead of the preface: the connection is closed",
      handshake=False)
def _(c):
    c.sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    # A server MAY write its SETTINGS and a GOAWAY(PROTOCOL_ERROR) first; raw bytes only.
    deadline = time.monotonic() + WAIT
    while True:
        try:
            if not c._fill(deadline):
                raise Fail(f"expected the connection closed got it open after {c.buf[:60]!r}")
        except Closed:
            break
    if c.buf.startswith(b"HTTP/1.1"):
        return "answered in HTTP/1.1, then closed"
    return None


@case("§3.5", "preface followed by PING instead of SETTINGS: connection error PROTOCOL_ERROR",
      handshake=False)
def _(c):
    c.send(PREFACE, PingFrame(0, opaque_data=b"12345678"))
    return c.expect_goaway(PROTOCOL_ERROR, allow_close=True,
                           note="closed without GOAWAY (§3.4 allows omitting it)")


@case("§3.5", "preface followed by a SETTINGS ACK: connection error PROTOCOL_ERROR",
      handshake=False)
def _(c):
    c.send(PREFACE, SettingsFrame(0, flags=["ACK"]))
    return c.expect_goaway(PROTOCOL_ERROR, allow_close=True,
                           note="closed without GOAWAY (§3.4 allows omitting it)")


# §4.1 Frame format


@case("§4.1", "a frame of unknown type is ignored")
def _(c):
    c.send(raw(0x20, 0, 0, b"extension"), raw(0xFF, 0xFF, 1, b"x" * 10))
    c.expect_alive()


@case("§4.1", "undefined flags on PING are ignored")
def _(c):
    c.send(raw(PING, 0x16 | 0xE0, 0, b"flagsflg"))
    c.expect_ping_ack(b"flagsflg")


@case("§4.1", "the reserved bit of the stream identifier is ignored")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_HEADERS | END_STREAM, 0x80000001, blk))
    c.expect_response(1)


@case("§4.1", "undefined flags on HEADERS and DATA are ignored")
def _(c):
    blk = c.enc.encode(c.grpc_fields())
    c.send(raw(HEADERS, END_HEADERS | 0x02 | 0x10 | 0xC0, 1, blk),
           raw(DATA, END_STREAM | 0x02 | 0x04 | 0xF0, 1, GRPC_EMPTY_MESSAGE))
    status, _, _, _ = c.expect_response(1)
    if status != 200:
        raise Fail(f"expected status 200 got {status}")


# §4.2 Frame size


@case("§4.2", "DATA of exactly SETTINGS_MAX_FRAME_SIZE octets is accepted")
def _(c):
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    sid = c.request(end_stream=False)
    c.send(DataFrame(sid, data=b"a" * size, flags=["END_STREAM"]))
    c.expect_response(sid)


@case("§4.2", "DATA above SETTINGS_MAX_FRAME_SIZE: FRAME_SIZE_ERROR (stream or connection)")
def _(c):
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    sid = c.request(method="POST", path=HEALTH_PATH, end_stream=False)
    c.send(raw(DATA, 0, sid, b"a" * (size + 1)))
    return c.expect_rst(sid, FRAME_SIZE_ERROR)


@case("§4.2", "HEADERS above SETTINGS_MAX_FRAME_SIZE: connection error FRAME_SIZE_ERROR")
def _(c):
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    blk = get_block(c)
    filler = lit("x-filler", "a" * (size + 16 - len(blk)))
    c.send(raw(HEADERS, END_HEADERS | END_STREAM, 1, blk + filler))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§4.2", "a frame too small for its fixed fields (GOAWAY of 4 octets): FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(GOAWAY, 0, 0, b"\x00\x00\x00\x00"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§4.2", "CONTINUATION above SETTINGS_MAX_FRAME_SIZE: connection error FRAME_SIZE_ERROR")
def _(c):
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk),
           raw(CONTINUATION, END_HEADERS, 1, lit("x-filler", "a" * (size + 16))))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§4.2", "SETTINGS above SETTINGS_MAX_FRAME_SIZE: connection error FRAME_SIZE_ERROR")
def _(c):
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    n = size // 6 + 1
    c.send(raw(SETTINGS, 0, 0, settings_payload([(0x7A7A, 0)] * n)))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§4.2", "PADDED DATA too short for its Pad Length field: FRAME_SIZE_ERROR or PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(DATA, PADDED, sid, b""))
    # §4.2 (too small for mandatory data) says FRAME_SIZE_ERROR; §6.1's padding rule says
    # PROTOCOL_ERROR. Either, as a stream or a connection error.
    return c.expect_rst(sid, (FRAME_SIZE_ERROR, PROTOCOL_ERROR))


@case("§4.2", "HEADERS with PRIORITY but under 5 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(HEADERS, END_HEADERS | END_STREAM | PRIO, 1, b"\x00\x00\x00"))
    # A field-block frame: connection error (§4.2). PROTOCOL_ERROR is tolerated too.
    return c.expect_goaway((FRAME_SIZE_ERROR, PROTOCOL_ERROR))


# §4.3 Field compression and decompression


@case("§4.3", "an undecodable field block: connection error COMPRESSION_ERROR")
def _(c):
    # A literal whose name length claims more octets than the block holds.
    c.send(headers_raw(c, 1, get_block(c) + b"\x00\x7f\x0a" + b"x" * 4))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("§4.3", "PRIORITY between HEADERS and CONTINUATION: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]),
           PriorityFrame(1, depends_on=0, stream_weight=16),
           raw(CONTINUATION, END_HEADERS, 1, blk[3:]))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§4.3", "HEADERS on another stream inside a field block: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), raw(HEADERS, END_STREAM | END_HEADERS, 3, blk))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§4.3", "the dynamic table carries across blocks: three requests reuse indexed fields")
def _(c):
    for _ in range(3):
        sid = c.request(headers=c.req_fields(extra=[("x-repeat", "same value every time")]))
        c.expect_response(sid)


# §5.1 Stream states


@case("§5.1 idle", "DATA on an idle stream: connection error PROTOCOL_ERROR")
def _(c):
    c.send(DataFrame(1, data=b"x", flags=["END_STREAM"]))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1 idle", "RST_STREAM on an idle stream: connection error PROTOCOL_ERROR")
def _(c):
    c.send(RstStreamFrame(1, error_code=CANCEL_CODE))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1 idle", "WINDOW_UPDATE on an idle stream: connection error PROTOCOL_ERROR")
def _(c):
    c.send(WindowUpdateFrame(1, window_increment=100))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1 idle", "CONTINUATION on an idle stream: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(CONTINUATION, END_HEADERS, 1, get_block(c)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1 idle", "PRIORITY on an idle stream is allowed, and the stream can open later")
def _(c):
    c.send(PriorityFrame(5, depends_on=0, stream_weight=200), PriorityFrame(3, depends_on=5))
    c.expect_alive()
    sid = c.request(sid=3)
    c.expect_response(sid)


# After HEADERS+END_STREAM and the DATA in one write, the server holds the stream
# half-closed (remote): its own response has not been written yet.


@case("§5.1 half-closed(remote)", "DATA: STREAM_CLOSED (stream or connection error)")
def _(c):
    sid = 1
    c.send(HeadersFrame(sid, data=c.enc.encode(c.grpc_fields()), flags=["END_HEADERS", "END_STREAM"]),
           DataFrame(sid, data=b"x"))
    return c.expect_rst(sid, STREAM_CLOSED)


@case("§5.1 half-closed(remote)", "HEADERS: STREAM_CLOSED (stream or connection error)")
def _(c):
    sid = 1
    c.send(HeadersFrame(sid, data=c.enc.encode(c.grpc_fields()), flags=["END_HEADERS", "END_STREAM"]),
           HeadersFrame(sid, data=c.enc.encode([("x-trailer", "1")]), flags=["END_HEADERS", "END_STREAM"]))
    return c.expect_rst(sid, STREAM_CLOSED)


@case("§5.1 half-closed(remote)",
      "CONTINUATION without an open block: PROTOCOL_ERROR (§6.10), or STREAM_CLOSED")
def _(c):
    sid = 1
    c.send(HeadersFrame(sid, data=c.enc.encode(c.grpc_fields()), flags=["END_HEADERS", "END_STREAM"]),
           raw(CONTINUATION, END_HEADERS, sid, lit("x-late", "1")))
    return c.expect_rst(sid, (PROTOCOL_ERROR, STREAM_CLOSED))


@case("§5.1 half-closed(remote)", "WINDOW_UPDATE, PRIORITY and RST_STREAM are allowed")
def _(c):
    sid = c.health()
    c.send(WindowUpdateFrame(sid, window_increment=1000), PriorityFrame(sid, depends_on=0))
    c.expect_alive()
    c.send(RstStreamFrame(sid, error_code=CANCEL_CODE))
    c.expect_alive()


@case("§5.1 closed", "DATA after RST_STREAM: STREAM_CLOSED (stream or connection error)")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(RstStreamFrame(sid, error_code=CANCEL_CODE), DataFrame(sid, data=b"x"))
    return c.expect_rst(sid, STREAM_CLOSED)


@case("§5.1 closed", "HEADERS after RST_STREAM: STREAM_CLOSED, or PROTOCOL_ERROR (id reuse, §5.1.1)")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(RstStreamFrame(sid, error_code=CANCEL_CODE),
           HeadersFrame(sid, data=c.enc.encode([("x-trailer", "1")]), flags=["END_HEADERS", "END_STREAM"]))
    return c.expect_rst(sid, (STREAM_CLOSED, PROTOCOL_ERROR))


@case("§5.1 closed", "CONTINUATION after RST_STREAM: PROTOCOL_ERROR (§6.10), or STREAM_CLOSED")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(RstStreamFrame(sid, error_code=CANCEL_CODE), raw(CONTINUATION, END_HEADERS, sid, lit("x", "1")))
    return c.expect_rst(sid, (PROTOCOL_ERROR, STREAM_CLOSED))


@case("§5.1 closed", "DATA on a stream both sides ended: STREAM_CLOSED (stream or connection error)")
def _(c):
    sid = c.health()
    c.expect_response(sid)
    c.send(DataFrame(sid, data=b"x"))
    return c.expect_rst(sid, STREAM_CLOSED)


@case("§5.1 closed",
      "HEADERS on a stream both sides ended: STREAM_CLOSED, or PROTOCOL_ERROR (id reuse, §5.1.1)")
def _(c):
    sid = c.health()
    c.expect_response(sid)
    c.request(sid=sid)
    return c.expect_rst(sid, (STREAM_CLOSED, PROTOCOL_ERROR))


@case("§5.1 closed", "WINDOW_UPDATE and PRIORITY right after the stream closed are ignored")
def _(c):
    sid = c.health()
    c.expect_response(sid)
    c.send(WindowUpdateFrame(sid, window_increment=10), PriorityFrame(sid, depends_on=0),
           RstStreamFrame(sid, error_code=NO_ERROR))
    c.expect_alive()


# §5.1.1 Stream identifiers


@case("§5.1.1", "a client opening an even-numbered stream: connection error PROTOCOL_ERROR")
def _(c):
    c.request(sid=2)
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1.1", "a stream id lower than one already opened: connection error PROTOCOL_ERROR")
def _(c):
    c.request(sid=5)
    c.expect_response(5)
    c.request(sid=3)
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.1.1", "skipping stream ids is allowed; the skipped ones are closed")
def _(c):
    c.request(sid=7)
    c.expect_response(7)
    c.send(DataFrame(3, data=b"x"))
    # Stream 3 is closed (implicitly, §5.1.1): DATA on it is STREAM_CLOSED.
    return c.expect_rst(3, STREAM_CLOSED)


# §5.1.2 Stream concurrency


@case("§5.1.2", "a stream above SETTINGS_MAX_CONCURRENT_STREAMS: PROTOCOL_ERROR or REFUSED_STREAM")
def _(c):
    limit = c.server_settings.get(MAX_CONCURRENT_STREAMS)
    if limit is None or limit > 1000:
        return "server sets no practical limit; not applicable"
    frames = []
    for _ in range(limit + 1):
        sid = c.stream()
        frames.append(HeadersFrame(sid, data=c.enc.encode(c.grpc_fields()), flags=["END_HEADERS"]))
    c.send(*frames)
    return c.expect_rst(sid, (PROTOCOL_ERROR, REFUSED_STREAM))


# §5.3.1 Stream dependencies (RFC 7540; RFC 9113 §5.3.1 keeps the self-dependency rule)


@case("§5.3.1", "HEADERS depending on its own stream: stream error PROTOCOL_ERROR")
def _(c):
    c.send(HeadersFrame(1, data=c.enc.encode(c.req_fields()), flags=["END_HEADERS", "END_STREAM", "PRIORITY"],
                        depends_on=1, stream_weight=16))
    return c.expect_rst(1, PROTOCOL_ERROR)


@case("§5.3.1", "PRIORITY depending on its own stream: stream error PROTOCOL_ERROR")
def _(c):
    c.send(PriorityFrame(1, depends_on=1, stream_weight=16))
    return c.expect_rst(1, PROTOCOL_ERROR)


# §5.4.1 Connection error handling


@case("§5.4.1", "a connection error sends GOAWAY and then closes the TCP connection")
def _(c):
    c.send(raw(PING, 0, 1, b"12345678"))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§5.4.1", "GOAWAY's last stream id is the last stream the server processed")
def _(c):
    sid = c.request(sid=3)
    c.expect_response(sid)
    c.send(raw(PING, 0, 1, b"12345678"))
    g = c.expect(lambda f: f.type == GOAWAY, "GOAWAY")
    if g.f.last_stream_id != 3:
        raise Fail(f"expected GOAWAY(last=3) got {g}")


# §5.5 Extending HTTP/2


@case("§5.5", "an unknown SETTINGS identifier is ignored (and ACKed)")
def _(c):
    c.send(raw(SETTINGS, 0, 0, settings_payload([(0xFF, 1), (0x7A7A, 0xFFFFFFFF)])))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
    c.expect_alive()


@case("§5.5", "an unknown frame type is ignored, on stream 0 and on an open stream")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(0x42, 0xFF, 0, b"ext"), raw(0x43, 0, sid, b"ext"),
           DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]))
    c.expect_response(sid)


@case("§5.5", "an unknown frame type inside a field block: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), raw(0x42, 0, 1, b"ext"),
           raw(CONTINUATION, END_HEADERS, 1, blk[3:]))
    return c.expect_goaway(PROTOCOL_ERROR)


# §6.1 DATA


@case("§6.1", "DATA on stream 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(DATA, 0, 0, b"data"))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.1", "DATA on a half-closed(remote) stream: STREAM_CLOSED (stream or connection error)")
def _(c):
    sid = 1
    c.send(HeadersFrame(sid, data=c.enc.encode(c.req_fields()), flags=["END_HEADERS", "END_STREAM"]),
           DataFrame(sid, data=b"late", flags=["END_STREAM"]))
    return c.expect_rst(sid, STREAM_CLOSED)


@case("§6.1", "DATA whose Pad Length reaches the payload length: connection error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    # Pad Length 5 with 4 octets after it: padding cannot fit.
    c.send(raw(DATA, PADDED | END_STREAM, sid, b"\x05" + b"\x00" * 4))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.1", "padded DATA with the maximal valid padding is accepted")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(DATA, PADDED | END_STREAM, sid, bytes([255]) + GRPC_EMPTY_MESSAGE + b"\x00" * 255))
    status, _, _, _ = c.expect_response(sid)
    if status != 200:
        raise Fail(f"expected 200 got {status}")


# §6.2 HEADERS


@case("§6.2", "HEADERS without END_HEADERS followed by DATA: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, 0, 1, blk), raw(DATA, END_STREAM, 1, b"x"))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.2", "HEADERS without END_HEADERS, then CONTINUATION on another stream: PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), raw(CONTINUATION, END_HEADERS, 3, blk[3:]))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.2", "HEADERS on stream 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(HEADERS, END_HEADERS | END_STREAM, 0, get_block(c)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.2", "HEADERS whose Pad Length exceeds the payload: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_HEADERS | END_STREAM | PADDED, 1, bytes([len(blk) + 1]) + blk))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.2", "padded HEADERS with a priority block is accepted")
def _(c):
    blk = get_block(c)
    prio = struct.pack(">IB", 0x80000000, 100)  # exclusive on stream 0, weight 101
    c.send(raw(HEADERS, END_HEADERS | END_STREAM | PADDED | PRIO, 1, b"\x03" + prio + blk + b"\x00" * 3))
    c.expect_response(1)


# §6.3 PRIORITY


@case("§6.3", "PRIORITY on stream 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(PRIORITY, 0, 0, struct.pack(">IB", 1, 16)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.3", "PRIORITY of 4 octets: stream error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(PRIORITY, 0, 1, struct.pack(">I", 0)))
    return c.expect_rst(1, FRAME_SIZE_ERROR)


@case("§6.3", "PRIORITY of 6 octets on an open stream: stream error FRAME_SIZE_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(PRIORITY, 0, sid, struct.pack(">IBB", 0, 16, 0)))
    return c.expect_rst(sid, FRAME_SIZE_ERROR)


@case("§6.3", "PRIORITY on an open stream is accepted")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(PriorityFrame(sid, depends_on=0, stream_weight=1, exclusive=True),
           DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]))
    c.expect_response(sid)


# §6.4 RST_STREAM


@case("§6.4", "RST_STREAM on stream 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(RST_STREAM, 0, 0, struct.pack(">I", 8)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.4", "RST_STREAM on an idle stream: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(RST_STREAM, 0, 3, struct.pack(">I", 8)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.4", "RST_STREAM of 3 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(RST_STREAM, 0, sid, b"\x00\x00\x08"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.4", "RST_STREAM of 5 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(RST_STREAM, 0, sid, b"\x00\x00\x00\x08\x00"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.4", "RST_STREAM on an open stream cancels it; the connection carries on")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(RstStreamFrame(sid, error_code=CANCEL_CODE))
    c.expect_alive()
    c.expect_response(c.health())


# §6.5 SETTINGS


@case("§6.5", "SETTINGS ACK with a payload: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(SETTINGS, ACK, 0, settings_payload([(INITIAL_WINDOW_SIZE, 100)])))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.5", "SETTINGS on a stream other than 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(SETTINGS, 0, 1, settings_payload([(INITIAL_WINDOW_SIZE, 100)])))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.5", "SETTINGS whose length is not a multiple of 6: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(SETTINGS, 0, 0, settings_payload([(INITIAL_WINDOW_SIZE, 100)])[:5]))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.5", "an empty SETTINGS is ACKed")
def _(c):
    c.send(SettingsFrame(0))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)


# §6.5.2 Defined settings: each one's bounds


def settings_case(pairs, code=None):
    def run(c):
        c.send(raw(SETTINGS, 0, 0, settings_payload(pairs)))
        c._our_settings(dict(pairs))
        if code is not None:
            return c.expect_goaway(code)
        c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
        c.expect_alive()
        c.expect_response(c.request())
        return None
    return run


for _value in (0, 1):
    case("§6.5.2", f"SETTINGS_ENABLE_PUSH = {_value} is accepted")(
        settings_case([(ENABLE_PUSH, _value)]))
case("§6.5.2", "SETTINGS_ENABLE_PUSH = 2: connection error PROTOCOL_ERROR")(
    settings_case([(ENABLE_PUSH, 2)], PROTOCOL_ERROR))
case("§6.5.2", "SETTINGS_ENABLE_PUSH = 0xFFFFFFFF: connection error PROTOCOL_ERROR")(
    settings_case([(ENABLE_PUSH, 0xFFFFFFFF)], PROTOCOL_ERROR))
case("§6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE = 2^31-1 is accepted")(
    settings_case([(INITIAL_WINDOW_SIZE, 2**31 - 1)]))
case("§6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE = 2^31: connection error FLOW_CONTROL_ERROR")(
    settings_case([(INITIAL_WINDOW_SIZE, 2**31)], FLOW_CONTROL_ERROR))
case("§6.5.2", "SETTINGS_INITIAL_WINDOW_SIZE = 0xFFFFFFFF: connection error FLOW_CONTROL_ERROR")(
    settings_case([(INITIAL_WINDOW_SIZE, 0xFFFFFFFF)], FLOW_CONTROL_ERROR))
case("§6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^14 (the minimum) is accepted")(
    settings_case([(MAX_FRAME_SIZE, 2**14)]))
case("§6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^24-1 (the maximum) is accepted")(
    settings_case([(MAX_FRAME_SIZE, 2**24 - 1)]))
case("§6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^14-1: connection error PROTOCOL_ERROR")(
    settings_case([(MAX_FRAME_SIZE, 2**14 - 1)], PROTOCOL_ERROR))
case("§6.5.2", "SETTINGS_MAX_FRAME_SIZE = 2^24: connection error PROTOCOL_ERROR")(
    settings_case([(MAX_FRAME_SIZE, 2**24)], PROTOCOL_ERROR))
case("§6.5.2", "SETTINGS_MAX_FRAME_SIZE = 0: connection error PROTOCOL_ERROR")(
    settings_case([(MAX_FRAME_SIZE, 0)], PROTOCOL_ERROR))
for _value in (0, 2**32 - 1):
    case("§6.5.2", f"SETTINGS_HEADER_TABLE_SIZE = {_value} is accepted")(
        settings_case([(HEADER_TABLE_SIZE, _value)]))
    case("§6.5.2", f"SETTINGS_MAX_CONCURRENT_STREAMS = {_value} is accepted")(
        settings_case([(MAX_CONCURRENT_STREAMS, _value)]))
    case("§6.5.2", f"SETTINGS_MAX_HEADER_LIST_SIZE = {_value} is accepted (advisory)")(
        settings_case([(MAX_HEADER_LIST_SIZE, _value)]))


# §6.5.3 Settings synchronization


@case("§6.5.3", "sends SETTINGS ACK for a SETTINGS with values")
def _(c):
    c.send(SettingsFrame(0, settings={HEADER_TABLE_SIZE: 4096, INITIAL_WINDOW_SIZE: 65535}))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)


@case("§6.5.3", "a repeated setting takes the last value: INITIAL_WINDOW_SIZE 100 then 1")
def _(c):
    c.send(raw(SETTINGS, 0, 0, settings_payload([(INITIAL_WINDOW_SIZE, 100), (INITIAL_WINDOW_SIZE, 1)])))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
    sid = c.health()
    d = c.expect_frame(DATA, sid)
    if len(d.f.data) != 1:
        raise Fail(f"expected DATA of 1 octet (window 1) got {d}")
    _expect_no_data(c, sid)


@case("§6.5.3", "an unsolicited SETTINGS ACK is ignored")
def _(c):
    c.send(SettingsFrame(0, flags=["ACK"]))
    c.expect_alive()


def _expect_no_data(c, sid, wait=0.3):
    """No more DATA on `sid` for `wait` seconds (its window is spent)."""
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        f = c.read(left)
        if f is None:
            return
        if f.type == DATA and f.stream == sid and f.f.data:
            raise Fail(f"expected no DATA beyond the flow-control window got {f}")
        if f.type in (GOAWAY, RST_STREAM):
            raise Fail(f"expected the stream to wait for window got {f}")


# §6.6 PUSH_PROMISE


@case("§6.6", "PUSH_PROMISE from a client: connection error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(PUSH_PROMISE, END_HEADERS, sid, struct.pack(">I", 2) + get_block(c)))
    return c.expect_goaway(PROTOCOL_ERROR)


# §6.7 PING


@case("§6.7", "PING is answered with a PING ACK carrying the same payload")
def _(c):
    c.send(PingFrame(0, opaque_data=b"\x00\xffh2spec"))
    c.expect_ping_ack(b"\x00\xffh2spec")


@case("§6.7", "a PING ACK from the client is not answered")
def _(c):
    c.send(PingFrame(0, opaque_data=b"unsolic.", flags=["ACK"]), PingFrame(0, opaque_data=b"real one"))
    c.expect_ping_ack(b"real one")


@case("§6.7", "PING on a stream other than 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(PING, 0, 1, b"12345678"))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.7", "PING of 6 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(PING, 0, 0, b"123456"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.7", "PING of 9 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(PING, 0, 0, b"123456789"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


# §6.8 GOAWAY


@case("§6.8", "GOAWAY on a stream other than 0: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(GOAWAY, 0, 1, struct.pack(">II", 0, 0)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.8", "after the client's GOAWAY the server answers or closes, but reports no error")
def _(c):
    c.send(GoAwayFrame(0, last_stream_id=0, error_code=NO_ERROR), PingFrame(0, opaque_data=b"after go"))
    try:
        c.expect_ping_ack(b"after go")
    except ClosedFail:
        if not any(s.startswith("GOAWAY(") and "NO_ERROR" not in s for s in c.seen):
            return "closed the connection"
        raise
    return None


@case("§6.8", "a stream opened before the client's GOAWAY is still answered")
def _(c):
    # One write: the server reads the GOAWAY before its handler has answered. GOAWAY's last
    # stream id (0) is about streams the server would initiate; the client's own stream 1
    # is unaffected and must complete.
    sid = 1
    c.send(HeadersFrame(sid, data=c.enc.encode(c.grpc_fields()), flags=["END_HEADERS"]),
           DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]),
           GoAwayFrame(0, last_stream_id=0, error_code=NO_ERROR))
    status, _, _, trailers = c.expect_response(sid)
    if status != 200 or not trailers:
        raise Fail(f"expected 200 with trailers got {status} {trailers}")


# §6.9 WINDOW_UPDATE


@case("§6.9", "WINDOW_UPDATE of 0 on the connection: connection error PROTOCOL_ERROR")
def _(c):
    c.send(raw(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0)))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.9", "WINDOW_UPDATE of 0 on a stream: stream error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(WINDOW_UPDATE, 0, sid, struct.pack(">I", 0)))
    return c.expect_rst(sid, PROTOCOL_ERROR)


@case("§6.9", "WINDOW_UPDATE of 3 octets: connection error FRAME_SIZE_ERROR")
def _(c):
    c.send(raw(WINDOW_UPDATE, 0, 0, b"\x00\x00\x01"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.9", "WINDOW_UPDATE of 5 octets on a stream: connection error FRAME_SIZE_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(WINDOW_UPDATE, 0, sid, b"\x00\x00\x00\x01\x00"))
    return c.expect_goaway(FRAME_SIZE_ERROR)


@case("§6.9", "the reserved bit of the increment is ignored")
def _(c):
    c.send(raw(WINDOW_UPDATE, 0, 0, struct.pack(">I", 0x80000000 | 1000)))
    c.expect_alive()


# §6.9.1 The flow-control window


@case("§6.9.1", "connection window above 2^31-1: connection error FLOW_CONTROL_ERROR")
def _(c):
    c.send(WindowUpdateFrame(0, window_increment=2**31 - 1), WindowUpdateFrame(0, window_increment=2**31 - 1))
    return c.expect_goaway(FLOW_CONTROL_ERROR)


@case("§6.9.1", "stream window above 2^31-1: stream error FLOW_CONTROL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(WindowUpdateFrame(sid, window_increment=2**31 - 1), WindowUpdateFrame(sid, window_increment=2**31 - 1))
    return c.expect_rst(sid, FLOW_CONTROL_ERROR)


@case("§6.9.1", "the server sends no more DATA than the stream window (1 octet)",
      settings={INITIAL_WINDOW_SIZE: 1})
def _(c):
    sid = c.health()
    d = c.expect_frame(DATA, sid)
    if len(d.f.data) != 1:
        raise Fail(f"expected DATA of 1 octet got {d}")
    _expect_no_data(c, sid)
    c.send(WindowUpdateFrame(sid, window_increment=1000))
    _, _, body, trailers = _rest_of_response(c, sid, d.f.data)
    if len(body) != 7 or not trailers:
        raise Fail(f"expected the 7-octet message and trailers got {body.hex()} {trailers}")


def _rest_of_response(c, sid, body=b""):
    trailers, end = None, False
    while not end:
        f = c.expect(lambda f: f.stream == sid and (f.type == DATA or f.headers is not None),
                     f"the rest of stream {sid}", refuse=_refuse_errors)
        if f.type == DATA:
            body += f.f.data
        else:
            trailers = f.headers
        end = f.end_stream
    return None, None, body, trailers


@case("§6.9.1", "with a zero stream window the server still sends the response head",
      settings={INITIAL_WINDOW_SIZE: 0})
def _(c):
    sid = c.health()
    c.expect(lambda f: f.headers is not None and f.stream == sid, "the response head", refuse=_refuse_errors)
    _expect_no_data(c, sid)


# §6.9.2 Initial flow-control window size


@case("§6.9.2", "raising INITIAL_WINDOW_SIZE from 0 to 1 releases one octet of DATA",
      settings={INITIAL_WINDOW_SIZE: 0})
def _(c):
    sid = c.health()
    c.expect(lambda f: f.headers is not None and f.stream == sid, "the response head", refuse=_refuse_errors)
    _expect_no_data(c, sid, 0.2)
    c.send(SettingsFrame(0, settings={INITIAL_WINDOW_SIZE: 1}))
    d = c.expect_frame(DATA, sid)
    if len(d.f.data) != 1:
        raise Fail(f"expected DATA of 1 octet got {d}")


@case("§6.9.2", "lowering INITIAL_WINDOW_SIZE can make a window negative; updates count from there",
      settings={INITIAL_WINDOW_SIZE: 3})
def _(c):
    sid = c.health()
    got = b""
    while len(got) < 3:
        got += c.expect_frame(DATA, sid).f.data
    if len(got) != 3:
        raise Fail(f"expected 3 octets within a window of 3 got {len(got)}")
    # Window 0 -> -1 with the new initial size 2; +2 brings it to 1.
    c.send(SettingsFrame(0, settings={INITIAL_WINDOW_SIZE: 2}))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
    c.send(WindowUpdateFrame(sid, window_increment=2))
    d = c.expect_frame(DATA, sid)
    if len(d.f.data) != 1:
        raise Fail(f"expected DATA of 1 octet (window -1 + 2) got {d}")
    _expect_no_data(c, sid)


@case("§6.9.2", "INITIAL_WINDOW_SIZE pushing a stream window above 2^31-1: FLOW_CONTROL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(WindowUpdateFrame(sid, window_increment=2**31 - 1 - 65535),
           SettingsFrame(0, settings={INITIAL_WINDOW_SIZE: 2**31 - 1}))
    return c.expect_goaway(FLOW_CONTROL_ERROR)


@case("§6.9.2", "INITIAL_WINDOW_SIZE does not change the connection window")
def _(c):
    c.send(SettingsFrame(0, settings={INITIAL_WINDOW_SIZE: 2**31 - 1}))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
    # Connection window 65535 + (2^31-1 - 65535) = 2^31-1: legal only if SETTINGS left it alone.
    c.send(WindowUpdateFrame(0, window_increment=2**31 - 1 - 65535))
    c.expect_alive()
    c.expect_response(c.health())


# §6.10 CONTINUATION


@case("§6.10", "HEADERS followed by two CONTINUATION frames is one request")
def _(c):
    blk = get_block(c) + lit("x-a", "1") + lit("x-b", "2")
    c.send(raw(HEADERS, END_STREAM, 1, blk[:4]), raw(CONTINUATION, 0, 1, blk[4:9]),
           raw(CONTINUATION, END_HEADERS, 1, blk[9:]))
    c.expect_response(1)


@case("§6.10", "CONTINUATION after HEADERS with END_HEADERS: connection error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(raw(CONTINUATION, END_HEADERS, sid, lit("x-a", "1")))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.10", "CONTINUATION after a CONTINUATION with END_HEADERS: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), raw(CONTINUATION, END_HEADERS, 1, blk[3:]),
           raw(CONTINUATION, END_HEADERS, 1, lit("x-a", "1")))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.10", "CONTINUATION after DATA: connection error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(DataFrame(sid, data=b"\x00"), raw(CONTINUATION, END_HEADERS, sid, lit("x-a", "1")))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.10", "CONTINUATION on stream 0: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), raw(CONTINUATION, END_HEADERS, 0, blk[3:]))
    return c.expect_goaway(PROTOCOL_ERROR)


@case("§6.10", "HEADERS without END_HEADERS then PING: connection error PROTOCOL_ERROR")
def _(c):
    blk = get_block(c)
    c.send(raw(HEADERS, END_STREAM, 1, blk[:3]), PingFrame(0, opaque_data=b"12345678"))
    return c.expect_goaway(PROTOCOL_ERROR)


# §8.1 HTTP message framing (RFC 9113 §8.1)


@case("§8.1", "a second HEADERS without END_STREAM (trailers must end the stream): PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE),
           HeadersFrame(sid, data=c.enc.encode([("x-trailer", "1")]), flags=["END_HEADERS"]))
    return c.expect_rst(sid, PROTOCOL_ERROR)


@case("§8.1", "a request with trailers is answered")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE),
           HeadersFrame(sid, data=c.enc.encode([("x-trailer", "1")]), flags=["END_HEADERS", "END_STREAM"]))
    status, _, _, _ = c.expect_response(sid)
    if status != 200:
        raise Fail(f"expected 200 got {status}")


# Malformed requests (§8.1.1 in RFC 9113): stream error PROTOCOL_ERROR; the server MAY
# answer (e.g. 400) before the reset, which expect_rst tolerates.


def malformed(section, description, fields_fn, trailers_fn=None):
    def run(c):
        fields = fields_fn(c)
        end = trailers_fn is None
        c.send(raw(HEADERS, END_HEADERS | (END_STREAM if end else 0), 1, block(fields)))
        if not end:
            c.send(DataFrame(1, data=GRPC_EMPTY_MESSAGE),
                   raw(HEADERS, END_HEADERS | END_STREAM, 1, block(trailers_fn(c))))
        return c.expect_rst(1, PROTOCOL_ERROR)
    case(section, description)(run)


def base(c, method="GET", path="/"):
    return [(":method", method), (":scheme", "http"), (":path", path), (":authority", c.authority)]


def grpc_base(c):
    return base(c, "POST", HEALTH_PATH) + [("content-type", "application/grpc"), ("te", "trailers")]


# §8.1.2 Field validity (RFC 9113 §8.2.1)
malformed("§8.1.2", "an uppercase field name: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("X-Upper", "1")])
malformed("§8.1.2", "a field name with a space: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("x bad", "1")])
malformed("§8.1.2", "a field value with CR LF: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("x-split", "a\r\nx-injected: 1")])
malformed("§8.1.2", "a field value with NUL: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("x-nul", "a\x00b")])
malformed("§8.1.2", "an uppercase name in trailers: stream error PROTOCOL_ERROR",
          grpc_base, lambda c: [("X-Trailer", "1")])

# §8.1.2.1 Pseudo-header fields (RFC 9113 §8.3)
malformed("§8.1.2.1", "an unknown pseudo-header: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [(":unknown", "1")])
malformed("§8.1.2.1", "a response pseudo-header (:status) in a request: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [(":status", "200")])
malformed("§8.1.2.1", "a pseudo-header in trailers: stream error PROTOCOL_ERROR",
          grpc_base, lambda c: [(":method", "POST")])
malformed("§8.1.2.1", "a pseudo-header after a regular field: stream error PROTOCOL_ERROR",
          lambda c: base(c)[:3] + [("x-first", "1"), (":authority", c.authority)])

# §8.1.2.2 Connection-specific fields (RFC 9113 §8.2.2)
malformed("§8.1.2.2", "a connection field: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("connection", "keep-alive")])
malformed("§8.1.2.2", "a transfer-encoding field: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("transfer-encoding", "chunked")])
malformed("§8.1.2.2", "an upgrade field: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("upgrade", "h2c")])
malformed("§8.1.2.2", "te with a value other than trailers: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [("te", "trailers, deflate")])


@case("§8.1.2.2", "te: trailers is accepted")
def _(c):
    c.send(headers_raw(c, 1, block(base(c) + [("te", "trailers")])))
    c.expect_response(1)


# §8.1.2.3 Request pseudo-header fields (RFC 9113 §8.3.1)
malformed("§8.1.2.3", "an empty :path: stream error PROTOCOL_ERROR",
          lambda c: base(c, path=""))
malformed("§8.1.2.3", "no :method: stream error PROTOCOL_ERROR",
          lambda c: base(c)[1:])
malformed("§8.1.2.3", "no :scheme: stream error PROTOCOL_ERROR",
          lambda c: [f for f in base(c) if f[0] != ":scheme"])
malformed("§8.1.2.3", "no :path: stream error PROTOCOL_ERROR",
          lambda c: [f for f in base(c) if f[0] != ":path"])
malformed("§8.1.2.3", "two :method fields: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [(":method", "GET")])
malformed("§8.1.2.3", "two :scheme fields: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [(":scheme", "http")])
malformed("§8.1.2.3", "two :path fields: stream error PROTOCOL_ERROR",
          lambda c: base(c) + [(":path", "/")])


# §8.1.2.6 Malformed requests: content-length (RFC 9113 §8.1.1)


@case("§8.1.2.6", "content-length above the DATA received (one frame): stream error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields([("content-length", "6")]), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]))
    return c.expect_rst(sid, PROTOCOL_ERROR)


@case("§8.1.2.6", "content-length below the DATA received (two frames): stream error PROTOCOL_ERROR")
def _(c):
    sid = c.request(headers=c.grpc_fields([("content-length", "4")]), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE[:3]), DataFrame(sid, data=GRPC_EMPTY_MESSAGE[3:], flags=["END_STREAM"]))
    return c.expect_rst(sid, PROTOCOL_ERROR)


@case("§8.1.2.6", "content-length with END_STREAM on HEADERS and no DATA: stream error PROTOCOL_ERROR")
def _(c):
    c.send(headers_raw(c, 1, block(base(c) + [("content-length", "3")])))
    return c.expect_rst(1, PROTOCOL_ERROR)


@case("§8.1.2.6", "a matching content-length is accepted")
def _(c):
    sid = c.request(headers=c.grpc_fields([("content-length", "5")]), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]))
    status, _, _, _ = c.expect_response(sid)
    if status != 200:
        raise Fail(f"expected 200 got {status}")


@case("§8.1.2.6", "a field section above SETTINGS_MAX_HEADER_LIST_SIZE: 431, or a stream error")
def _(c):
    limit = c.server_settings.get(MAX_HEADER_LIST_SIZE)
    if limit is None or limit > 100_000:
        return "server advertises no small limit; not applicable"
    blk = get_block(c) + b"".join(lit(f"x-big-{i}", "v" * 12000) for i in range(limit // 12000 + 1))
    size = c.server_settings.get(MAX_FRAME_SIZE, 16384)
    parts = [blk[i:i + size] for i in range(0, len(blk), size)]
    frames = [raw(HEADERS, END_STREAM | (END_HEADERS if len(parts) == 1 else 0), 1, parts[0])]
    frames += [raw(CONTINUATION, END_HEADERS if i == len(parts) - 1 else 0, 1, p)
               for i, p in enumerate(parts[1:], 1)]
    c.send(*frames)
    # §10.5.1: a server MAY answer 431 or reset the stream; the connection survives.
    f = c.expect(lambda f: (f.headers is not None and f.stream == 1) or
                 (f.type == RST_STREAM and f.stream == 1), "431 or RST_STREAM on stream 1",
                 refuse=lambda f: str(f) if f.type == GOAWAY else None)
    if f.type == HEADERS and f.headers[0] != (":status", "431"):
        raise Fail(f"expected 431 got {f}")
    c.expect_alive()
    return None if f.type == HEADERS else f"reset: {f}"


# RFC 7541 (HPACK). All decoding errors are connection errors COMPRESSION_ERROR (RFC 9113 §4.3).


@case("RFC 7541 §2.3.3", "an indexed field beyond both tables: COMPRESSION_ERROR")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + hint(70, 7, 0x80)))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §2.3.3", "a literal whose name index is beyond both tables: COMPRESSION_ERROR")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + hint(100, 6, 0x40) + hstr("v")))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §4.2", "a dynamic table size update after a field: COMPRESSION_ERROR")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + hint(0, 5, 0x20)))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §4.2", "two size updates at the start of a block are accepted")
def _(c):
    c.send(headers_raw(c, 1, hint(0, 5, 0x20) + hint(4096, 5, 0x20) + get_block(c)))
    c.expect_response(1)


@case("RFC 7541 §4.2", "after SETTINGS_HEADER_TABLE_SIZE = 0 the server's blocks shrink its table to 0",
      settings={HEADER_TABLE_SIZE: 0})
def _(c):
    for _ in range(2):
        sid = c.health()
        c.expect_response(sid)
    if c.dec.header_table_size != 0:
        raise Fail(f"server's table is {c.dec.header_table_size} octets, above our limit 0")
    if c.dec.header_table._current_size != 0:
        raise Fail("server's encoder added entries to a table limited to 0")


@case("RFC 7541 §5.2", "Huffman padding longer than 7 bits: COMPRESSION_ERROR")
def _(c):
    bad = bytes([0x1F, 0xFF])  # 'a' (00011) then 11 one-bits
    c.send(headers_raw(c, 1, get_block(c) + b"\x00" + hstr("x-h") + hstr(bad, huffman=True)))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §5.2", "Huffman padding that is not the EOS prefix (zero bits): COMPRESSION_ERROR")
def _(c):
    bad = bytes([0x18])  # 'a' (00011) then 000
    c.send(headers_raw(c, 1, get_block(c) + b"\x00" + hstr("x-h") + hstr(bad, huffman=True)))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §5.2", "a Huffman string containing EOS: COMPRESSION_ERROR")
def _(c):
    bad = bytes([0xFF, 0xFF, 0xFF, 0xFF])  # EOS (30 one-bits) decoded as a symbol
    c.send(headers_raw(c, 1, get_block(c) + b"\x00" + hstr("x-h") + hstr(bad, huffman=True)))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §5.2", "a correctly Huffman-coded name and value are accepted")
def _(c):
    fld = b"\x00" + hstr(huffman("x-huffman"), True) + hstr(huffman("Value with CAPS & 123"), True)
    c.send(headers_raw(c, 1, get_block(c) + fld))
    c.expect_response(1)


@case("RFC 7541 §6.1", "an indexed field with index 0: COMPRESSION_ERROR")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + b"\x80"))
    return c.expect_goaway(COMPRESSION_ERROR)


@case("RFC 7541 §6.3", "a size update above SETTINGS_HEADER_TABLE_SIZE: COMPRESSION_ERROR")
def _(c):
    limit = c.server_settings.get(HEADER_TABLE_SIZE, 4096)
    c.send(headers_raw(c, 1, hint(limit + 1, 5, 0x20) + get_block(c)))
    return c.expect_goaway(COMPRESSION_ERROR)


# Generic: each frame type used correctly gets the normal handling.


@case("generic", "GET / is answered (405 from a gRPC-only server)")
def _(c):
    status, _, _, _ = c.expect_response(c.request())
    if not 200 <= status < 600:
        raise Fail(f"bad status {status}")


@case("generic", "HEAD / is answered without a body")
def _(c):
    status, _, body, _ = c.expect_response(c.request(method="HEAD"))
    if body:
        raise Fail(f"HEAD response with a body of {len(body)} octets")


@case("generic", "the health check: 200, one gRPC message, trailers with grpc-status 0")
def _(c):
    status, head, body, trailers = c.expect_response(c.health())
    if status != 200 or ("content-type", "application/grpc") not in head:
        raise Fail(f"expected 200 application/grpc got {head}")
    if body[:1] != b"\x00" or int.from_bytes(body[1:5], "big") != len(body) - 5:
        raise Fail(f"not one gRPC message: {body.hex()}")
    if not trailers or ("grpc-status", "0") not in trailers:
        raise Fail(f"expected grpc-status 0 in trailers got {trailers}")


@case("generic", "a request body split over several DATA frames")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(*(DataFrame(sid, data=GRPC_EMPTY_MESSAGE[i:i + 1]) for i in range(5)), DataFrame(sid, flags=["END_STREAM"]))
    status, _, _, _ = c.expect_response(sid)
    if status != 200:
        raise Fail(f"expected 200 got {status}")


@case("generic", "padded DATA (hyperframe's padding)")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM", "PADDED"], pad_length=10))
    c.expect_response(sid)


@case("generic", "padded HEADERS")
def _(c):
    c.send(HeadersFrame(1, data=c.enc.encode(c.req_fields()), flags=["END_HEADERS", "END_STREAM", "PADDED"],
                        pad_length=32))
    c.expect_response(1)


@case("generic", "HEADERS with a priority block")
def _(c):
    c.send(HeadersFrame(1, data=c.enc.encode(c.req_fields()), flags=["END_HEADERS", "END_STREAM", "PRIORITY"],
                        depends_on=0, stream_weight=255, exclusive=True))
    c.expect_response(1)


@case("generic", "three streams in one write are all answered")
def _(c):
    sids = [c.health() for _ in range(3)]
    for sid in sids:
        status, _, _, _ = c.expect_response(sid)
        if status != 200:
            raise Fail(f"stream {sid}: expected 200 got {status}")


@case("generic", "WINDOW_UPDATE on the connection and on an open stream")
def _(c):
    sid = c.request(headers=c.grpc_fields(), end_stream=False)
    c.send(WindowUpdateFrame(0, window_increment=1), WindowUpdateFrame(sid, window_increment=1),
           DataFrame(sid, data=GRPC_EMPTY_MESSAGE, flags=["END_STREAM"]))
    c.expect_response(sid)


@case("generic", "SETTINGS with every defined setting (valid values) is ACKed")
def _(c):
    c.send_settings(dict({HEADER_TABLE_SIZE: 8192, ENABLE_PUSH: 0, MAX_CONCURRENT_STREAMS: 50,
                                      INITIAL_WINDOW_SIZE: 1 << 20, MAX_FRAME_SIZE: 1 << 15,
                          MAX_HEADER_LIST_SIZE: 1 << 16}))
    c.expect(lambda f: f.type == SETTINGS and f.flags & ACK, "SETTINGS ACK", refuse=_refuse_errors)
    c.expect_response(c.health())


@case("generic", "HPACK: literal with incremental indexing, then the indexed entry (dynamic table)")
def _(c):
    entry = b"\x40" + hstr("x-dyn") + hstr("v1")  # §6.2.1, new name: becomes index 62
    c.send(headers_raw(c, 1, get_block(c) + entry))
    c.expect_response(1)
    c.send(headers_raw(c, 3, get_block(c) + hint(62, 7, 0x80)))
    c.expect_response(3)


@case("generic", "HPACK: literal never indexed, with an indexed name")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + hint(32, 4, 0x10) + hstr("secret=1")))  # cookie
    c.expect_response(1)


@case("generic", "HPACK: literal without indexing, with an indexed name")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + hint(58, 4, 0x00) + hstr("conformance")))  # user-agent
    c.expect_response(1)


@case("generic", "HPACK: size update to 0 evicts the table; later entries still work")
def _(c):
    c.send(headers_raw(c, 1, get_block(c) + b"\x40" + hstr("x-dyn") + hstr("v1")))
    c.expect_response(1)
    c.send(headers_raw(c, 3, hint(0, 5, 0x20) + hint(4096, 5, 0x20) + get_block(c)
                       + b"\x40" + hstr("x-new") + hstr("v2")))
    c.expect_response(3)
    c.send(headers_raw(c, 5, get_block(c) + hint(62, 7, 0x80)))  # x-new, the only entry
    c.expect_response(5)



# ---- runner ----


def run_case(addr, fn, handshake, settings):
    c = Conn(addr)
    try:
        if handshake:
            c.handshake(settings)
        note = fn(c)
        return True, note
    except Fail as e:
        return False, str(e)
    except Exception as e:  # a bug in the case or an unexpected socket error
        return False, f"{type(e).__name__}: {e}"
    finally:
        c.close()


def main():
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    host, port = args[0].rsplit(":", 1)
    addr = (host, int(port))
    only = args[args.index("-k") + 1] if "-k" in args else None
    passed = failed = xfailed = 0
    for section, description, fn, handshake, settings, known in CASES:
        name = f"{section} {description}"
        if only and only not in name:
            continue
        ok, note = run_case(addr, fn, handshake, settings)
        if ok and known:
            failed += 1
            print(f"FAIL {name}: XPASS, the known bug is fixed; remove its marker ({known})", flush=True)
        elif ok:
            passed += 1
            print(f"ok {name}" + (f" [{note}]" if note else ""), flush=True)
        elif known:
            xfailed += 1
            print(f"xfail {name}: {note} [known bug: {known}]", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}: {note}", flush=True)
    print(f"{passed} passed, {failed} failed" + (f", {xfailed} known failures" if xfailed else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
