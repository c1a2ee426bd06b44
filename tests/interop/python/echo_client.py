"""grpcio (gRPC C-core) as the client of our echo server.

Usage: echo_client.py HOST:PORT
Generates the stubs from tests/interop/proto/echo.proto into a temporary directory, runs
every case, prints one line per case, exits non-zero on the first failure.
"""
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "proto")


def stubs():
    out = tempfile.mkdtemp(prefix="echo-stubs-")
    rc = protoc.main(["protoc", f"-I{PROTO}", f"--python_out={out}", f"--grpc_python_out={out}", "echo.proto"])
    if rc != 0:
        raise SystemExit(f"protoc failed: {rc}")
    sys.path.insert(0, out)
    import echo_pb2, echo_pb2_grpc  # noqa: E402
    return echo_pb2, echo_pb2_grpc


def check(name, cond, detail=""):
    if not cond:
        print(f"FAIL {name} {detail}")
        raise SystemExit(1)
    print(f"ok {name}")


def main():
    target = sys.argv[1]
    pb, pb_grpc = stubs()
    opts = [("grpc.max_receive_message_length", 8 << 20), ("grpc.max_send_message_length", 8 << 20)]
    with grpc.insecure_channel(target, options=opts) as ch:
        stub = pb_grpc.EchoStub(ch)
        r = stub.Unary(pb.EchoRequest(payload=b"hello"), timeout=10)
        check("unary", r.payload == b"hello")
        big = bytes(i % 251 for i in range(4_000_000))
        r = stub.Unary(pb.EchoRequest(payload=big), timeout=30)
        check("unary 4MB", r.payload == big)
        replies = list(stub.ServerStream(pb.EchoRequest(payload=b"s", count=100), timeout=10))
        check("server streaming", [m.index for m in replies] == list(range(100)))
        big_replies = list(stub.ServerStream(pb.EchoRequest(payload=big, count=2), timeout=30))
        check("server streaming 4MB", len(big_replies) == 2 and big_replies[1].payload == big)
        r = stub.ClientStream(iter([pb.EchoRequest(payload=bytes([i]) * 400_000) for i in range(10)]), timeout=30)
        check("client streaming 4MB", r.index == 10 and len(r.payload) == 4_000_000 and r.payload[400_000] == 1)
        out = [m.payload for m in stub.Bidi(iter([pb.EchoRequest(payload=f"b{i}".encode()) for i in range(50)]), timeout=10)]
        check("bidi", out == [f"b{i}".encode() for i in range(50)])
        try:
            stub.Unary(pb.EchoRequest(fail_code=3), timeout=10)
            check("error status", False, "no error")
        except grpc.RpcError as e:
            check("error status", e.code() == grpc.StatusCode.INVALID_ARGUMENT and "asked to fail" in e.details(), f"{e.code()} {e.details()}")
        try:
            ch.unary_unary("/test.echo.Echo/Nope")(b"", timeout=10)
            check("unimplemented", False, "no error")
        except grpc.RpcError as e:
            check("unimplemented", e.code() == grpc.StatusCode.UNIMPLEMENTED, f"{e.code()}")
        try:
            stub.Unary(pb.EchoRequest(delay_ms=3000), timeout=0.3)
            check("deadline", False, "no error")
        except grpc.RpcError as e:
            check("deadline", e.code() == grpc.StatusCode.DEADLINE_EXCEEDED, f"{e.code()}")
        try:
            stub.Unary(pb.EchoRequest(payload=b"x" * (5 << 20)), timeout=10)
            check("resource exhausted", False, "no error")
        except grpc.RpcError as e:
            check("resource exhausted", e.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, f"{e.code()}")
        # Compressed request (gzip), as a C-core client sends it.
        r = stub.Unary(pb.EchoRequest(payload=b"z" * 100_000), timeout=10, compression=grpc.Compression.Gzip)
        check("gzip request", r.payload == b"z" * 100_000)
        # Concurrency on one channel.
        futures = [stub.Unary.future(pb.EchoRequest(payload=bytes([i])), timeout=10) for i in range(200)]
        check("200 concurrent calls", all(f.result().payload == bytes([i]) for i, f in enumerate(futures)))
    print("all ok")


if __name__ == "__main__":
    main()
