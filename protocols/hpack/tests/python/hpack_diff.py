"""Differential peer for layotto-hpack, driven by tests/python_hpack.rs.

Uses the independent Python `hpack` package (pip install hpack).

  hpack_diff.py encode   Encodes the fixed cases below with Python's encoder
                         and prints, per block, the settings changes, the
                         block and the header list it encodes.
  hpack_diff.py decode   Reads the same line format (SIZE / BLOCK / RESET)
                         on stdin, decodes each block with Python's decoder
                         and prints the header lists it got.

Line format (all strings hex so any byte survives):
  CASE <name>              a new connection: fresh encoder and decoder
  SIZE <n>                 SETTINGS_HEADER_TABLE_SIZE changed to n
  BLOCK <hex>              one header block
  H <name> <value> <0|1>   a field of the preceding block (1 = never indexed)
  END                      end of that block's field list
  ERR <message>            the block failed to decode
"""

import sys

try:
    import hpack
except ImportError:
    sys.stderr.write("python module 'hpack' is missing: run `pip install hpack`\n")
    sys.exit(3)

REQ = [(b":method", b"GET"), (b":scheme", b"https"), (b":path", b"/api/v1/items?id=42"),
       (b":authority", b"service.mesh.local:8443"), (b"user-agent", b"grpc-go/1.60.0"),
       (b"accept", b"*/*"), (b"x-custom", b"one")]
REQ_AGAIN = [(b":method", b"GET"), (b":scheme", b"https"), (b":path", b"/api/v1/items?id=43"),
             (b":authority", b"service.mesh.local:8443"), (b"user-agent", b"grpc-go/1.60.0"),
             (b"accept", b"*/*"), (b"x-custom", b"two")]
GRPC = [(b":method", b"POST"), (b":scheme", b"http"), (b":path", b"/pkg.Service/Method"),
        (b":authority", b"localhost"), (b"content-type", b"application/grpc"),
        (b"te", b"trailers"), (b"grpc-timeout", b"1S")]
RESP = [(b":status", b"200"), (b"content-type", b"application/json"),
        (b"date", b"Mon, 21 Oct 2013 20:13:21 GMT"), (b"server", b"layotto"),
        (b"set-cookie", b"session=abc; Path=/; HttpOnly")]
SENSITIVE = [(b":method", b"GET"), (b"authorization", b"Bearer s3cr3t", True),
             (b"cookie", b"id=1", True), (b"x-plain", b"visible")]
BINARY = [(b"x-bin", bytes(range(256))), (b"x-empty", b""), (b"", b"empty-name"),
          (b"x-high", b"\xff\xfe\x80\x00\x7f")]
BIG = [(b"x-big", b"v" * 3000), (b"x-after", b"a" * 200), (b"x-big", b"w" * 3000)]


def cases():
    """(name, huffman, steps); a step is ('size', n) or ('block', list)."""
    common = [("block", REQ), ("block", REQ_AGAIN), ("block", GRPC), ("block", GRPC),
              ("block", RESP), ("block", SENSITIVE), ("block", BINARY), ("block", BIG),
              ("block", REQ)]
    resized = [("block", REQ), ("block", RESP), ("size", 256), ("block", REQ_AGAIN),
               ("block", RESP), ("size", 0), ("block", GRPC), ("size", 4096),
               ("block", GRPC), ("block", GRPC), ("size", 0), ("size", 1024),
               ("block", REQ), ("block", BIG), ("size", 100), ("size", 50), ("size", 8192),
               ("block", SENSITIVE), ("block", RESP)]
    for huffman in (True, False):
        tag = "huffman" if huffman else "raw"
        yield ("plain-" + tag, huffman, common)
        yield ("resized-" + tag, huffman, resized)


def h(b):
    return b.hex() if b else "-"


def unh(s):
    return b"" if s == "-" else bytes.fromhex(s)


def print_fields(fields):
    for f in fields:
        sensitive = not getattr(f, "indexable", True) if len(f) == 2 else bool(f[2])
        print("H %s %s %d" % (h(f[0]), h(f[1]), 1 if sensitive else 0))
    print("END")


def encode():
    for name, huffman, steps in cases():
        print("CASE " + name)
        enc = hpack.Encoder()
        for kind, arg in steps:
            if kind == "size":
                enc.header_table_size = arg
                print("SIZE %d" % arg)
            else:
                print("BLOCK " + h(enc.encode(arg, huffman=huffman)))
                print_fields(arg)


def decode():
    dec = None
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "CASE":
            dec = hpack.Decoder(max_header_list_size=1 << 20)
            print(line.strip())
        elif parts[0] == "SIZE":
            dec.max_allowed_table_size = int(parts[1])
        elif parts[0] == "BLOCK":
            data = unh(parts[1]) if len(parts) > 1 else b""
            try:
                fields = dec.decode(data, raw=True)
            except Exception as e:  # report, let the Rust side fail with it
                print("ERR %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
                continue
            print_fields(fields)
    sys.stdout.flush()


if __name__ == "__main__":
    {"encode": encode, "decode": decode}[sys.argv[1]]()
