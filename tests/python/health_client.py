"""grpcio against the sidecar's gRPC listener: health and server reflection.

Usage: health_client.py HOST:PORT [CA_CERT_PEM]
With a CA certificate the channel is TLS (ALPN h2), checked against that CA.
"""
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")


def stubs():
    out = tempfile.mkdtemp(prefix="health-stubs-")
    files = ["grpc/health/v1/health.proto", "grpc/reflection/v1/reflection.proto"]
    if protoc.main(["protoc", f"-I{ROOT}", f"--python_out={out}", f"--grpc_python_out={out}", *files]) != 0:
        raise SystemExit("protoc failed")
    sys.path.insert(0, out)  # reflection_pb2 imports its siblings by package path
    return out


def main():
    target = sys.argv[1]
    out = stubs()
    import importlib.util

    def load(rel):
        path = os.path.join(out, rel)
        spec = importlib.util.spec_from_file_location(rel.replace("/", "_")[:-3], path)
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        return m

    health_pb2 = load("grpc/health/v1/health_pb2.py")
    refl_pb2 = load("grpc/reflection/v1/reflection_pb2.py")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "rb") as f:
            creds = grpc.ssl_channel_credentials(root_certificates=f.read())
        channel = grpc.secure_channel(target, creds, options=[("grpc.ssl_target_name_override", "localhost")])
    else:
        channel = grpc.insecure_channel(target)
    with channel as ch:
        check = ch.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString,
        )
        r = check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        assert r.status == health_pb2.HealthCheckResponse.SERVING, r
        print("ok health check")
        try:
            check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=10)
            raise SystemExit("FAIL unknown service answered")
        except grpc.RpcError as e:
            assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()
        print("ok health unknown service")
        info = ch.stream_stream(
            "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
            request_serializer=refl_pb2.ServerReflectionRequest.SerializeToString,
            response_deserializer=refl_pb2.ServerReflectionResponse.FromString,
        )
        reqs = [
            refl_pb2.ServerReflectionRequest(list_services=""),
            refl_pb2.ServerReflectionRequest(file_containing_symbol="grpc.health.v1.Health"),
            refl_pb2.ServerReflectionRequest(file_containing_symbol="no.Such"),
        ]
        answers = list(info(iter(reqs), timeout=10))
        names = sorted(s.name for s in answers[0].list_services_response.service)
        assert "grpc.health.v1.Health" in names and "grpc.reflection.v1.ServerReflection" in names, names
        assert len(answers[1].file_descriptor_response.file_descriptor_proto) >= 1
        assert answers[2].error_response.error_code == 5, answers[2]
        print("ok reflection", ",".join(names))
    print("all ok")


if __name__ == "__main__":
    main()
