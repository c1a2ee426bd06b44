//! Every service and method name, streaming kind and message type, as in Layotto's files.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

#[test]
fn runtime_service_methods() {
    check_service(
        RUNTIME,
        "spec.proto.runtime.v1",
        "Runtime",
        &[
            (
                "SayHello",
                "SayHelloRequest",
                "SayHelloResponse",
                false,
                false,
            ),
            (
                "InvokeService",
                "InvokeServiceRequest",
                "InvokeResponse",
                false,
                false,
            ),
            (
                "GetConfiguration",
                "GetConfigurationRequest",
                "GetConfigurationResponse",
                false,
                false,
            ),
            (
                "SaveConfiguration",
                "SaveConfigurationRequest",
                EMPTY,
                false,
                false,
            ),
            (
                "DeleteConfiguration",
                "DeleteConfigurationRequest",
                EMPTY,
                false,
                false,
            ),
            (
                "SubscribeConfiguration",
                "SubscribeConfigurationRequest",
                "SubscribeConfigurationResponse",
                true,
                true,
            ),
            ("TryLock", "TryLockRequest", "TryLockResponse", false, false),
            ("Unlock", "UnlockRequest", "UnlockResponse", false, false),
            (
                "LockKeepAlive",
                "LockKeepAliveRequest",
                "LockKeepAliveResponse",
                false,
                false,
            ),
            (
                "GetNextId",
                "GetNextIdRequest",
                "GetNextIdResponse",
                false,
                false,
            ),
            (
                "GetState",
                "GetStateRequest",
                "GetStateResponse",
                false,
                false,
            ),
            (
                "GetBulkState",
                "GetBulkStateRequest",
                "GetBulkStateResponse",
                false,
                false,
            ),
            ("SaveState", "SaveStateRequest", EMPTY, false, false),
            ("DeleteState", "DeleteStateRequest", EMPTY, false, false),
            (
                "DeleteBulkState",
                "DeleteBulkStateRequest",
                EMPTY,
                false,
                false,
            ),
            (
                "ExecuteStateTransaction",
                "ExecuteStateTransactionRequest",
                EMPTY,
                false,
                false,
            ),
            ("PublishEvent", "PublishEventRequest", EMPTY, false, false),
            (
                "SubscribeTopicEvents",
                "SubscribeTopicEventsRequest",
                "SubscribeTopicEventsResponse",
                true,
                true,
            ),
            ("GetFile", "GetFileRequest", "GetFileResponse", false, true),
            ("PutFile", "PutFileRequest", EMPTY, true, false),
            ("ListFile", "ListFileRequest", "ListFileResp", false, false),
            ("DelFile", "DelFileRequest", EMPTY, false, false),
            (
                "GetFileMeta",
                "GetFileMetaRequest",
                "GetFileMetaResponse",
                false,
                false,
            ),
            (
                "InvokeBinding",
                "InvokeBindingRequest",
                "InvokeBindingResponse",
                false,
                false,
            ),
            (
                "GetSecret",
                "GetSecretRequest",
                "GetSecretResponse",
                false,
                false,
            ),
            (
                "GetBulkSecret",
                "GetBulkSecretRequest",
                "GetBulkSecretResponse",
                false,
                false,
            ),
        ],
    );
}

#[test]
fn app_callback_and_lifecycle_methods() {
    check_service(
        APPCB,
        "spec.proto.runtime.v1",
        "AppCallback",
        &[
            (
                "ListTopicSubscriptions",
                EMPTY,
                "ListTopicSubscriptionsResponse",
                false,
                false,
            ),
            (
                "OnTopicEvent",
                "TopicEventRequest",
                "TopicEventResponse",
                false,
                false,
            ),
        ],
    );
    check_service(
        LIFECYCLE,
        "spec.proto.runtime.v1",
        "Lifecycle",
        &[(
            "ApplyConfiguration",
            "DynamicConfiguration",
            "ApplyConfigurationResponse",
            false,
            false,
        )],
    );
}

#[test]
fn standard_service_methods() {
    check_service(
        "grpc/health/v1/health.proto",
        "grpc.health.v1",
        "Health",
        &[
            (
                "Check",
                "HealthCheckRequest",
                "HealthCheckResponse",
                false,
                false,
            ),
            (
                "List",
                "HealthListRequest",
                "HealthListResponse",
                false,
                false,
            ),
            (
                "Watch",
                "HealthCheckRequest",
                "HealthCheckResponse",
                false,
                true,
            ),
        ],
    );
    for v in ["v1", "v1alpha"] {
        check_service(
            &format!("grpc/reflection/{v}/reflection.proto"),
            &format!("grpc.reflection.{v}"),
            "ServerReflection",
            &[(
                "ServerReflectionInfo",
                "ServerReflectionRequest",
                "ServerReflectionResponse",
                true,
                true,
            )],
        );
    }
}

#[test]
fn descriptor_set_is_self_contained() {
    let set = fds();
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
    for f in &set.file {
        for dep in &f.dependency {
            assert!(
                names.contains(&dep.as_str()),
                "{} imports {dep}, not in the set",
                f.name()
            );
        }
        assert!(
            f.source_code_info.is_none(),
            "source info should be stripped"
        );
    }
    for want in [
        "google/protobuf/any.proto",
        "google/protobuf/empty.proto",
        RUNTIME,
        APPCB,
        LIFECYCLE,
        "grpc/health/v1/health.proto",
        "grpc/reflection/v1/reflection.proto",
        "grpc/reflection/v1alpha/reflection.proto",
    ] {
        assert!(names.contains(&want), "{want} missing");
    }
    let rt = file(&set, RUNTIME);
    assert_eq!(
        rt.options
            .as_ref()
            .map(|o| (o.java_package(), o.java_outer_classname())),
        Some(("spec.proto.runtime.v1", "RuntimeProto"))
    );
}

#[test]
fn service_table() {
    assert_eq!(
        layotto_proto::services(),
        vec![
            layotto_proto::APP_CALLBACK_SERVICE,
            layotto_proto::RUNTIME_SERVICE,
            layotto_proto::LIFECYCLE_SERVICE,
            layotto_proto::HEALTH_SERVICE,
            layotto_proto::REFLECTION_V1ALPHA_SERVICE,
            layotto_proto::REFLECTION_V1_SERVICE,
        ]
    );
    assert_eq!(layotto_proto::methods().len(), 26 + 2 + 1 + 3 + 1 + 1);
    let m = layotto_proto::method("/spec.proto.runtime.v1.Runtime/PutFile").unwrap();
    assert_eq!(m.kind(), layotto_proto::StreamingKind::ClientStreaming);
    let m = layotto_proto::method("/spec.proto.runtime.v1.Runtime/GetFile").unwrap();
    assert_eq!(m.kind(), layotto_proto::StreamingKind::ServerStreaming);
    let m = layotto_proto::method("/spec.proto.runtime.v1.Runtime/SubscribeTopicEvents").unwrap();
    assert_eq!(m.kind(), layotto_proto::StreamingKind::Bidi);
    let m = layotto_proto::method("/spec.proto.runtime.v1.Runtime/SayHello").unwrap();
    assert_eq!(m.kind(), layotto_proto::StreamingKind::Unary);
    assert!(layotto_proto::method("/spec.proto.runtime.v1.Runtime/Nope").is_none());
    assert!(layotto_proto::method("spec.proto.runtime.v1.Runtime/SayHello").is_none());
}
