//! Reflection against `layotto_proto::FILE_DESCRIPTOR_SET`, through both
//! wire versions.

#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use layotto_grpc::Code;
use layotto_grpc_services::{
    ReflectionAnswer, ReflectionError, ReflectionRequest, ReflectionService,
};
use layotto_proto::grpc::reflection::{v1, v1alpha};
use layotto_proto::{FILE_DESCRIPTOR_SET, HEALTH_SERVICE, REFLECTION_V1_SERVICE, RUNTIME_SERVICE};
use prost::Message;
use prost_types::FileDescriptorProto;

const RUNTIME_FILE: &str = "spec/proto/runtime/v1/runtime.proto";
/// runtime.proto, then its imports depth-first in declaration order, each
/// once (appcallback.proto's own import of empty.proto is not repeated).
const RUNTIME_CLOSURE: [&str; 4] = [
    RUNTIME_FILE,
    "google/protobuf/empty.proto",
    "google/protobuf/any.proto",
    "spec/proto/runtime/v1/appcallback.proto",
];

fn service() -> ReflectionService {
    ReflectionService::new(
        FILE_DESCRIPTOR_SET,
        [RUNTIME_SERVICE, HEALTH_SERVICE, REFLECTION_V1_SERVICE],
    )
    .unwrap()
}

fn names(files: &[Bytes]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            FileDescriptorProto::decode(&f[..])
                .unwrap()
                .name()
                .to_owned()
        })
        .collect()
}

fn files_of(answer: ReflectionAnswer) -> Vec<String> {
    match answer {
        ReflectionAnswer::Files(files) => names(&files),
        other => panic!("expected files, got {other:?}"),
    }
}

#[test]
fn list_services_returns_the_served_ones() {
    let answer = service().answer(ReflectionRequest::ListServices);
    assert_eq!(
        answer,
        ReflectionAnswer::Services(vec![
            RUNTIME_SERVICE.into(),
            HEALTH_SERVICE.into(),
            REFLECTION_V1_SERVICE.into()
        ])
    );
}

#[test]
fn symbols_resolve_to_runtime_proto_and_its_dependencies() {
    let svc = service();
    for symbol in [
        "spec.proto.runtime.v1.Runtime",
        "spec.proto.runtime.v1.GetStateRequest",
        "spec.proto.runtime.v1.Runtime.SayHello",
        ".spec.proto.runtime.v1.Runtime",
        // A field, a nested enum and a nested enum's value (scoped to the
        // enum's parent, as protobuf scopes enum values).
        "spec.proto.runtime.v1.GetStateRequest.store_name",
        "spec.proto.runtime.v1.StateOptions.StateConcurrency",
        "spec.proto.runtime.v1.HTTPExtension.NONE",
    ] {
        assert_eq!(
            files_of(svc.answer(ReflectionRequest::FileContainingSymbol(symbol))),
            RUNTIME_CLOSURE,
            "{symbol}"
        );
    }
    assert_eq!(
        files_of(svc.answer(ReflectionRequest::FileByFilename(RUNTIME_FILE))),
        RUNTIME_CLOSURE
    );
    assert_eq!(
        files_of(svc.answer(ReflectionRequest::FileContainingSymbol(
            "google.protobuf.Any"
        ))),
        ["google/protobuf/any.proto"]
    );
    assert_eq!(
        files_of(svc.answer(ReflectionRequest::FileContainingSymbol(
            "grpc.health.v1.HealthCheckResponse.SERVING"
        ))),
        ["grpc/health/v1/health.proto"]
    );
}

#[test]
fn every_declared_method_and_type_resolves() {
    let svc = service();
    for m in layotto_proto::methods() {
        for symbol in [
            m.service.to_owned(),
            format!("{}.{}", m.service, m.name),
            m.input_type.to_owned(),
            m.output_type.to_owned(),
        ] {
            assert!(
                matches!(
                    svc.answer(ReflectionRequest::FileContainingSymbol(&symbol)),
                    ReflectionAnswer::Files(_)
                ),
                "{symbol}"
            );
        }
    }
}

#[test]
fn the_first_file_is_byte_identical_to_the_set() {
    let set = prost_types::FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap();
    let want = set.file.iter().find(|f| f.name() == RUNTIME_FILE).unwrap();
    let ReflectionAnswer::Files(files) =
        service().answer(ReflectionRequest::FileByFilename(RUNTIME_FILE))
    else {
        panic!()
    };
    assert_eq!(&FileDescriptorProto::decode(&files[0][..]).unwrap(), want);
}

#[test]
fn unknown_things_are_not_found() {
    let svc = service();
    for request in [
        ReflectionRequest::FileContainingSymbol("spec.proto.runtime.v1.Nope"),
        ReflectionRequest::FileByFilename("nope.proto"),
        ReflectionRequest::FileContainingExtension {
            containing_type: "spec.proto.runtime.v1.GetStateRequest",
            number: 1000,
        },
        ReflectionRequest::AllExtensionNumbersOfType("no.Such"),
    ] {
        match svc.answer(request) {
            ReflectionAnswer::Error { code, message } => {
                assert_eq!(code, Code::NotFound, "{request:?}");
                assert!(!message.is_empty());
            }
            other => panic!("{request:?}: {other:?}"),
        }
    }
    assert_eq!(
        svc.answer(ReflectionRequest::AllExtensionNumbersOfType(
            "spec.proto.runtime.v1.GetStateRequest"
        )),
        ReflectionAnswer::ExtensionNumbers {
            base_type_name: "spec.proto.runtime.v1.GetStateRequest".into(),
            numbers: vec![]
        }
    );
    assert!(matches!(
        svc.answer(ReflectionRequest::Empty),
        ReflectionAnswer::Error {
            code: Code::InvalidArgument,
            ..
        }
    ));
}

#[test]
fn v1_wire_types() {
    use v1::server_reflection_request::MessageRequest as Q;
    use v1::server_reflection_response::MessageResponse as R;
    let svc = service();
    let req = v1::ServerReflectionRequest {
        host: "localhost:34904".into(),
        message_request: Some(Q::FileContainingSymbol(
            "spec.proto.runtime.v1.Runtime.SayHello".into(),
        )),
    };
    let resp = svc.respond_v1(&req);
    assert_eq!(resp.valid_host, "localhost:34904");
    assert_eq!(resp.original_request.as_ref(), Some(&req));
    let Some(R::FileDescriptorResponse(fd)) = resp.message_response else {
        panic!()
    };
    assert_eq!(names(&fd.file_descriptor_proto), RUNTIME_CLOSURE);

    let req = v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(Q::FileContainingSymbol("missing.Symbol".into())),
    };
    let Some(R::ErrorResponse(err)) = svc.respond_v1(&req).message_response else {
        panic!()
    };
    assert_eq!(err.error_code, 5);
    assert!(err.error_message.contains("missing.Symbol"));

    let req = v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(Q::ListServices(String::new())),
    };
    let Some(R::ListServicesResponse(list)) = svc.respond_v1(&req).message_response else {
        panic!()
    };
    let listed: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        listed,
        [RUNTIME_SERVICE, HEALTH_SERVICE, REFLECTION_V1_SERVICE]
    );
}

/// v1alpha is the same answer in the other package: compare encodings.
#[test]
fn v1alpha_gives_the_same_answers() {
    use v1::server_reflection_request::MessageRequest as Q1;
    use v1alpha::server_reflection_request::MessageRequest as Qa;
    let svc = service();
    let cases: Vec<(Q1, Qa)> = vec![
        (Q1::ListServices("*".into()), Qa::ListServices("*".into())),
        (
            Q1::FileByFilename(RUNTIME_FILE.into()),
            Qa::FileByFilename(RUNTIME_FILE.into()),
        ),
        (
            Q1::FileContainingSymbol("spec.proto.runtime.v1.GetStateRequest".into()),
            Qa::FileContainingSymbol("spec.proto.runtime.v1.GetStateRequest".into()),
        ),
        (
            Q1::FileContainingSymbol("x.Y".into()),
            Qa::FileContainingSymbol("x.Y".into()),
        ),
        (
            Q1::AllExtensionNumbersOfType("google.protobuf.Any".into()),
            Qa::AllExtensionNumbersOfType("google.protobuf.Any".into()),
        ),
        (
            Q1::FileContainingExtension(v1::ExtensionRequest {
                containing_type: "a.B".into(),
                extension_number: 7,
            }),
            Qa::FileContainingExtension(v1alpha::ExtensionRequest {
                containing_type: "a.B".into(),
                extension_number: 7,
            }),
        ),
    ];
    for (q1, qa) in cases {
        let r1 = svc.respond_v1(&v1::ServerReflectionRequest {
            host: "h".into(),
            message_request: Some(q1),
        });
        let ra = svc.respond_v1alpha(&v1alpha::ServerReflectionRequest {
            host: "h".into(),
            message_request: Some(qa),
        });
        assert_eq!(r1.encode_to_vec(), ra.encode_to_vec());
    }
}

#[test]
fn construction_checks_the_set() {
    assert!(matches!(
        ReflectionService::new(FILE_DESCRIPTOR_SET, ["no.such.Service"]),
        Err(ReflectionError::UnknownService(_))
    ));
    assert!(matches!(
        ReflectionService::new(b"\xff\xff", [RUNTIME_SERVICE]),
        Err(ReflectionError::Decode(_))
    ));
    // runtime.proto alone: its imports are missing.
    let set = prost_types::FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap();
    let only = prost_types::FileDescriptorSet {
        file: set
            .file
            .into_iter()
            .filter(|f| f.name() == RUNTIME_FILE)
            .collect(),
    };
    assert!(matches!(
        ReflectionService::new(&only.encode_to_vec(), [RUNTIME_SERVICE]),
        Err(ReflectionError::MissingDependency { .. })
    ));
    // Duplicate service names are listed once.
    let svc =
        ReflectionService::new(FILE_DESCRIPTOR_SET, [HEALTH_SERVICE, HEALTH_SERVICE]).unwrap();
    assert_eq!(svc.services(), [HEALTH_SERVICE]);
}
