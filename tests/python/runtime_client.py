"""grpcio against the sidecar's Runtime API: one call (or more) of every API, with assertions.

Usage: runtime_client.py HOST:PORT
Expects the config of tests/runtime_support (stores kv, mutex, ids, cfg, bus, mem, vault,
binding web, InvokeService app id echo-app). Stubs are generated at run time from proto/
with grpc_tools, so the client shares no code with the server.
"""
import os
import queue
import sys
import tempfile
import threading

import grpc
import grpc_tools
from grpc_tools import protoc

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "proto")
WELL_KNOWN = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")


def stubs():
    out = tempfile.mkdtemp(prefix="runtime-stubs-")
    files = ["spec/proto/runtime/v1/runtime.proto", "spec/proto/runtime/v1/appcallback.proto"]
    args = ["protoc", f"-I{ROOT}", f"-I{WELL_KNOWN}", f"--python_out={out}", f"--grpc_python_out={out}", *files]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    # `spec` does not clash with an installed package, so plain imports work from here.
    sys.path.insert(0, out)
    from spec.proto.runtime.v1 import runtime_pb2, runtime_pb2_grpc

    return runtime_pb2, runtime_pb2_grpc


def expect_code(fn, code, what):
    try:
        fn()
    except grpc.RpcError as e:
        assert e.code() == code, f"{what}: {e.code()} {e.details()}"
        return e
    raise SystemExit(f"FAIL {what}: no error")


def main():
    pb, rpc = stubs()
    from google.protobuf import any_pb2

    with grpc.insecure_channel(sys.argv[1]) as ch:
        rt = rpc.RuntimeStub(ch)
        t = 10

        r = rt.SayHello(pb.SayHelloRequest(service_name="hi", name="py"), timeout=t)
        assert r.hello == "greeting, py", r
        print("ok hello")

        rt.SaveState(pb.SaveStateRequest(store_name="kv", states=[pb.StateItem(key="k", value=b"v")]), timeout=t)
        got = rt.GetState(pb.GetStateRequest(store_name="kv", key="k"), timeout=t)
        assert got.data == b"v" and got.etag, got
        first = pb.StateOptions(concurrency=pb.StateOptions.CONCURRENCY_FIRST_WRITE)
        rt.SaveState(pb.SaveStateRequest(store_name="kv", states=[
            pb.StateItem(key="k", value=b"v2", etag=pb.Etag(value=got.etag), options=first)]), timeout=t)
        expect_code(lambda: rt.SaveState(pb.SaveStateRequest(store_name="kv", states=[
            pb.StateItem(key="k", value=b"v3", etag=pb.Etag(value=got.etag), options=first)]), timeout=t),
            grpc.StatusCode.ABORTED, "stale etag")
        bulk = rt.GetBulkState(pb.GetBulkStateRequest(store_name="kv", keys=["k", "none"]), timeout=t)
        assert sorted((i.key, i.data) for i in bulk.items) == [("k", b"v2"), ("none", b"")], bulk
        rt.ExecuteStateTransaction(pb.ExecuteStateTransactionRequest(storeName="kv", operations=[
            pb.TransactionalStateOperation(operationType="upsert", request=pb.StateItem(key="t", value=b"1")),
            pb.TransactionalStateOperation(operationType="delete", request=pb.StateItem(key="k")),
        ]), timeout=t)
        assert rt.GetState(pb.GetStateRequest(store_name="kv", key="k"), timeout=t).data == b""
        rt.DeleteState(pb.DeleteStateRequest(store_name="kv", key="t"), timeout=t)
        rt.DeleteBulkState(pb.DeleteBulkStateRequest(store_name="kv", states=[pb.StateItem(key="t")]), timeout=t)
        e = expect_code(lambda: rt.GetState(pb.GetStateRequest(store_name="nope", key="k"), timeout=t),
                        grpc.StatusCode.INVALID_ARGUMENT, "unknown store")
        assert "configured: kv, kv_app" in e.details(), e.details()
        print("ok state")

        assert rt.TryLock(pb.TryLockRequest(store_name="mutex", resource_id="r", lock_owner="a", expire=5), timeout=t).success
        assert not rt.TryLock(pb.TryLockRequest(store_name="mutex", resource_id="r", lock_owner="b", expire=5), timeout=t).success
        u = rt.Unlock(pb.UnlockRequest(store_name="mutex", resource_id="r", lock_owner="b"), timeout=t)
        assert u.status == pb.UnlockResponse.LOCK_BELONG_TO_OTHERS, u
        u = rt.Unlock(pb.UnlockRequest(store_name="mutex", resource_id="r", lock_owner="a"), timeout=t)
        assert u.status == pb.UnlockResponse.SUCCESS, u
        expect_code(lambda: rt.LockKeepAlive(pb.LockKeepAliveRequest(store_name="mutex", resource_id="r"), timeout=t),
                    grpc.StatusCode.UNIMPLEMENTED, "keepalive")
        print("ok lock")

        strong = pb.SequencerOptions(increment=pb.SequencerOptions.STRONG)
        ids = [rt.GetNextId(pb.GetNextIdRequest(store_name="ids", key="o", options=strong), timeout=t).next_id for _ in range(5)]
        assert ids == sorted(ids) and len(set(ids)) == 5, ids
        weak = [rt.GetNextId(pb.GetNextIdRequest(store_name="ids", key="w"), timeout=t).next_id for _ in range(5)]
        assert len(set(weak)) == 5, weak
        print("ok sequencer")

        rt.SaveConfiguration(pb.SaveConfigurationRequest(store_name="cfg", items=[
            pb.ConfigurationItem(key="c", content="1")]), timeout=t)
        g = rt.GetConfiguration(pb.GetConfigurationRequest(store_name="cfg", keys=["c"]), timeout=t)
        assert [(i.key, i.content, i.group) for i in g.items] == [("c", "1", "default")], g
        reqs = queue.Queue()
        reqs.put(pb.SubscribeConfigurationRequest(store_name="cfg", keys=["c"]))
        stream = rt.SubscribeConfiguration(iter(reqs.get, None), timeout=t)
        assert next(stream).items[0].content == "1"
        rt.SaveConfiguration(pb.SaveConfigurationRequest(store_name="cfg", items=[
            pb.ConfigurationItem(key="c", content="2")]), timeout=t)
        assert next(stream).items[0].content == "2"
        reqs.put(None)
        assert list(stream) == []
        rt.DeleteConfiguration(pb.DeleteConfigurationRequest(store_name="cfg", keys=["c"]), timeout=t)
        print("ok configuration")

        subs = queue.Queue()
        subs.put(pb.SubscribeTopicEventsRequest(initial_request=pb.SubscribeTopicEventsRequestInitial(
            pubsub_name="bus", topic="py")))
        events = rt.SubscribeTopicEvents(iter(subs.get, None), timeout=t)
        assert next(events).HasField("initial_response")
        rt.PublishEvent(pb.PublishEventRequest(pubsub_name="bus", topic="py", data=b'{"a":1}',
                                               data_content_type="application/json"), timeout=t)
        ev = next(events).event_message
        assert ev.topic == "py" and ev.data == b'{"a":1}' and ev.source == "runtime", ev
        from spec.proto.runtime.v1 import appcallback_pb2
        subs.put(pb.SubscribeTopicEventsRequest(event_processed=pb.SubscribeTopicEventsRequestProcessed(
            id=ev.id, status=appcallback_pb2.TopicEventResponse(status=appcallback_pb2.TopicEventResponse.SUCCESS))))
        subs.put(None)
        assert list(events) == []
        print("ok pubsub")

        chunks = [pb.PutFileRequest(store_name="mem", name="f.txt", data=b"hello ", metadata={"FileMode": "420"}),
                  pb.PutFileRequest(data=b"world")]
        rt.PutFile(iter(chunks), timeout=t)
        data = b"".join(m.data for m in rt.GetFile(pb.GetFileRequest(store_name="mem", name="f.txt"), timeout=t))
        assert data == b"hello world", data
        fr = pb.FileRequest(store_name="mem", name="f.txt")
        meta = rt.GetFileMeta(pb.GetFileMetaRequest(request=fr), timeout=t)
        assert meta.size == 11, meta
        listed = rt.ListFile(pb.ListFileRequest(request=pb.FileRequest(store_name="mem", name="")), timeout=t)
        assert "f.txt" in [f.file_name for f in listed.files], listed
        rt.DelFile(pb.DelFileRequest(request=fr), timeout=t)
        expect_code(lambda: rt.GetFileMeta(pb.GetFileMetaRequest(request=fr), timeout=t),
                    grpc.StatusCode.NOT_FOUND, "deleted file")
        expect_code(lambda: rt.PutFile(iter([pb.PutFileRequest(store_name="disk", name="../x", data=b"x")]), timeout=t),
                    grpc.StatusCode.INVALID_ARGUMENT, "path traversal")
        print("ok file")

        b = rt.InvokeBinding(pb.InvokeBindingRequest(name="web", operation="get", metadata={"path": "/py"}), timeout=t)
        assert b.data.startswith(b"GET /py\n") and b.metadata["statusCode"] == "200", b
        print("ok binding")

        s = rt.GetSecret(pb.GetSecretRequest(store_name="vault", key="token"), timeout=t)
        assert dict(s.data) == {"token": "abc"}, s
        bs = rt.GetBulkSecret(pb.GetBulkSecretRequest(store_name="vault"), timeout=t)
        assert "db:user" in bs.data, bs
        print("ok secret")

        inv = rt.InvokeService(pb.InvokeServiceRequest(id="echo-app", message=pb.CommonInvokeRequest(
            method="py", data=any_pb2.Any(value=b"body"), content_type="text/plain")), timeout=t)
        assert inv.data.value.startswith(b"POST /py\nid=echo-app\n") and inv.data.value.endswith(b"body"), inv
        print("ok invoke")
    print("all ok")


if __name__ == "__main__":
    main()
