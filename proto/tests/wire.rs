//! Wire-contract tests. The expected tables below were transcribed from
//! mosn/layotto spec/proto/runtime/v1/{runtime,appcallback,lifecycle}.proto
//! at commit f9681450 and grpc/grpc-proto (health, reflection), not from this
//! crate's .proto files, so a renumbered or retyped field fails here.

use bytes::Bytes;
use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FileDescriptorProto, FileDescriptorSet};

use layotto_proto::spec::proto::runtime::v1 as rt;

const PKG: &str = ".spec.proto.runtime.v1.";

fn fds() -> FileDescriptorSet {
    FileDescriptorSet::decode(layotto_proto::FILE_DESCRIPTOR_SET).expect("descriptor set decodes")
}

fn file<'a>(set: &'a FileDescriptorSet, name: &str) -> &'a FileDescriptorProto {
    set.file
        .iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("file {name} missing from FILE_DESCRIPTOR_SET"))
}

/// Finds a (possibly nested, dot-separated) message in a file.
fn message<'a>(f: &'a FileDescriptorProto, path: &str) -> &'a DescriptorProto {
    let mut parts = path.split('.');
    let first = parts.next().expect("non-empty path");
    let mut m = f
        .message_type
        .iter()
        .find(|m| m.name() == first)
        .unwrap_or_else(|| panic!("message {path} missing in {}", f.name()));
    for p in parts {
        m = m
            .nested_type
            .iter()
            .find(|n| n.name() == p)
            .unwrap_or_else(|| panic!("nested {path} missing"));
    }
    m
}

fn scalar(t: Type) -> &'static str {
    match t {
        Type::Double => "double",
        Type::Float => "float",
        Type::Int64 => "int64",
        Type::Uint64 => "uint64",
        Type::Int32 => "int32",
        Type::Fixed64 => "fixed64",
        Type::Fixed32 => "fixed32",
        Type::Bool => "bool",
        Type::String => "string",
        Type::Bytes => "bytes",
        Type::Uint32 => "uint32",
        Type::Sfixed32 => "sfixed32",
        Type::Sfixed64 => "sfixed64",
        Type::Sint32 => "sint32",
        Type::Sint64 => "sint64",
        Type::Group | Type::Message | Type::Enum => unreachable!(),
    }
}

/// Renders a field's type like .proto source: `string`, `repeated string`,
/// `map<string,string>`, `optional string`, `Etag`, `enum StateOptions.StateConsistency`,
/// `.google.protobuf.Any`; names in our package are shown without it.
fn render_type(owner: &DescriptorProto, f: &prost_types::FieldDescriptorProto) -> String {
    let short = |n: &str| n.strip_prefix(PKG).unwrap_or(n).to_string();
    let base = match f.r#type() {
        Type::Message => {
            let tn = f.type_name();
            // A map field is a repeated message whose nested entry type has map_entry set.
            let entry_name = tn.rsplit('.').next().expect("type name");
            if let Some(entry) = owner.nested_type.iter().find(|n| {
                n.name() == entry_name && n.options.as_ref().is_some_and(|o| o.map_entry())
            }) {
                if tn.ends_with(&format!("{}.{}", owner.name(), entry_name)) {
                    let k = &entry.field[0];
                    let v = &entry.field[1];
                    assert_eq!((k.name(), k.number()), ("key", 1));
                    assert_eq!((v.name(), v.number()), ("value", 2));
                    return format!("map<{},{}>", render_type(entry, k), render_type(entry, v));
                }
            }
            short(tn)
        }
        Type::Enum => format!("enum {}", short(f.type_name())),
        t => scalar(t).to_string(),
    };
    match f.label() {
        Label::Repeated => format!("repeated {base}"),
        _ if f.proto3_optional() => format!("optional {base}"),
        _ => base,
    }
}

/// `(name, number, type)` for every field, in number order, with `oneof:<name>`
/// appended for real oneof members.
fn fields_of(m: &DescriptorProto) -> Vec<(String, i32, String)> {
    let mut v: Vec<_> = m
        .field
        .iter()
        .map(|f| {
            let mut t = render_type(m, f);
            if f.oneof_index.is_some() && !f.proto3_optional() {
                let o = &m.oneof_decl[f.oneof_index() as usize];
                t = format!("{t} oneof:{}", o.name());
            }
            (f.name().to_string(), f.number(), t)
        })
        .collect();
    v.sort_by_key(|x| x.1);
    v
}

/// `(field name, number, rendered type)`.
type FieldRow<'a> = (&'a str, i32, &'a str);
/// `(message path, its fields)`.
type MessageRow<'a> = (&'a str, &'a [FieldRow<'a>]);

fn check_messages(file_name: &str, table: &[MessageRow<'_>]) {
    let set = fds();
    let f = file(&set, file_name);
    for (msg, expected) in table {
        let got = fields_of(message(f, msg));
        let mut want: Vec<(String, i32, String)> = expected
            .iter()
            .map(|(n, num, t)| ((*n).to_string(), *num, (*t).to_string()))
            .collect();
        want.sort_by_key(|x| x.1);
        assert_eq!(got, want, "fields of {msg} in {file_name}");
    }
}

/// Enum (dot path to the enum) -> `(value name, number)`.
fn check_enum(file_name: &str, path: &str, expected: &[(&str, i32)]) {
    let set = fds();
    let f = file(&set, file_name);
    let (parent, name) = match path.rsplit_once('.') {
        Some((p, n)) => (Some(p), n),
        None => (None, path),
    };
    let enums = match parent {
        Some(p) => &message(f, p).enum_type,
        None => &f.enum_type,
    };
    let e = enums
        .iter()
        .find(|e| e.name() == name)
        .unwrap_or_else(|| panic!("enum {path} missing"));
    let got: Vec<(String, i32)> = e
        .value
        .iter()
        .map(|v| (v.name().to_string(), v.number()))
        .collect();
    let want: Vec<(String, i32)> = expected
        .iter()
        .map(|(n, v)| ((*n).to_string(), *v))
        .collect();
    assert_eq!(got, want, "values of enum {path}");
}

/// `(method, input, output, client_streaming, server_streaming)`; message
/// names without a leading dot are in spec.proto.runtime.v1.
type MethodRow = (&'static str, &'static str, &'static str, bool, bool);

fn check_service(file_name: &str, package: &str, service: &str, table: &[MethodRow]) {
    let set = fds();
    let f = file(&set, file_name);
    assert_eq!(f.package(), package);
    let s = f
        .service
        .iter()
        .find(|s| s.name() == service)
        .unwrap_or_else(|| panic!("service {service} missing"));
    let qualify = |n: &str| {
        if n.starts_with('.') {
            n.to_string()
        } else {
            format!(".{package}.{n}")
        }
    };
    let got: Vec<_> = s
        .method
        .iter()
        .map(|m| {
            (
                m.name().to_string(),
                m.input_type().to_string(),
                m.output_type().to_string(),
                m.client_streaming(),
                m.server_streaming(),
            )
        })
        .collect();
    let want: Vec<_> = table
        .iter()
        .map(|(n, i, o, cs, ss)| ((*n).to_string(), qualify(i), qualify(o), *cs, *ss))
        .collect();
    assert_eq!(got, want, "methods of {package}.{service}");

    // The router's table must agree with the descriptor.
    let full = format!("{package}.{service}");
    let routed: Vec<_> = layotto_proto::service_methods(&full).collect();
    assert_eq!(routed.len(), table.len(), "METHODS entries for {full}");
    for (r, (n, i, o, cs, ss)) in routed.iter().zip(table) {
        assert_eq!(r.name, *n);
        assert_eq!(r.path, format!("/{full}/{n}"));
        assert_eq!(format!(".{}", r.input_type), qualify(i));
        assert_eq!(format!(".{}", r.output_type), qualify(o));
        assert_eq!((r.client_streaming, r.server_streaming), (*cs, *ss));
        assert_eq!(layotto_proto::method(r.path), Some(*r));
    }
}

const RUNTIME: &str = "spec/proto/runtime/v1/runtime.proto";
const APPCB: &str = "spec/proto/runtime/v1/appcallback.proto";
const LIFECYCLE: &str = "spec/proto/runtime/v1/lifecycle.proto";
const EMPTY: &str = ".google.protobuf.Empty";
const SS: &str = "map<string,string>";

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
fn runtime_messages_hello_rpc_configuration() {
    check_messages(
        RUNTIME,
        &[
            (
                "SayHelloRequest",
                &[
                    ("service_name", 1, "string"),
                    ("name", 2, "string"),
                    ("data", 3, ".google.protobuf.Any"),
                ],
            ),
            (
                "SayHelloResponse",
                &[("hello", 1, "string"), ("data", 2, ".google.protobuf.Any")],
            ),
            (
                "InvokeServiceRequest",
                &[("id", 1, "string"), ("message", 3, "CommonInvokeRequest")],
            ),
            (
                "CommonInvokeRequest",
                &[
                    ("method", 1, "string"),
                    ("data", 2, ".google.protobuf.Any"),
                    ("content_type", 3, "string"),
                    ("http_extension", 4, "HTTPExtension"),
                ],
            ),
            (
                "HTTPExtension",
                &[
                    ("verb", 1, "enum HTTPExtension.Verb"),
                    ("querystring", 2, "string"),
                ],
            ),
            (
                "InvokeResponse",
                &[
                    ("data", 1, ".google.protobuf.Any"),
                    ("content_type", 2, "string"),
                ],
            ),
            (
                "ConfigurationItem",
                &[
                    ("key", 1, "string"),
                    ("content", 2, "string"),
                    ("group", 3, "string"),
                    ("label", 4, "string"),
                    ("tags", 5, SS),
                    ("metadata", 6, SS),
                ],
            ),
            (
                "GetConfigurationRequest",
                &[
                    ("store_name", 1, "string"),
                    ("app_id", 2, "string"),
                    ("group", 3, "string"),
                    ("label", 4, "string"),
                    ("keys", 5, "repeated string"),
                    ("metadata", 6, SS),
                    ("subscribe_update", 7, "bool"),
                ],
            ),
            (
                "GetConfigurationResponse",
                &[("items", 1, "repeated ConfigurationItem")],
            ),
            (
                "SubscribeConfigurationRequest",
                &[
                    ("store_name", 1, "string"),
                    ("app_id", 2, "string"),
                    ("group", 3, "string"),
                    ("label", 4, "string"),
                    ("keys", 5, "repeated string"),
                    ("metadata", 6, SS),
                ],
            ),
            (
                "SubscribeConfigurationResponse",
                &[
                    ("store_name", 1, "string"),
                    ("app_id", 2, "string"),
                    ("items", 3, "repeated ConfigurationItem"),
                ],
            ),
            (
                "SaveConfigurationRequest",
                &[
                    ("store_name", 1, "string"),
                    ("app_id", 2, "string"),
                    ("items", 3, "repeated ConfigurationItem"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "DeleteConfigurationRequest",
                &[
                    ("store_name", 1, "string"),
                    ("app_id", 2, "string"),
                    ("group", 3, "string"),
                    ("label", 4, "string"),
                    ("keys", 5, "repeated string"),
                    ("metadata", 6, SS),
                ],
            ),
        ],
    );
}

#[test]
fn runtime_messages_lock_sequencer() {
    check_messages(
        RUNTIME,
        &[
            (
                "TryLockRequest",
                &[
                    ("store_name", 1, "string"),
                    ("resource_id", 2, "string"),
                    ("lock_owner", 3, "string"),
                    ("expire", 4, "int32"),
                ],
            ),
            ("TryLockResponse", &[("success", 1, "bool")]),
            (
                "UnlockRequest",
                &[
                    ("store_name", 1, "string"),
                    ("resource_id", 2, "string"),
                    ("lock_owner", 3, "string"),
                ],
            ),
            (
                "UnlockResponse",
                &[("status", 1, "enum UnlockResponse.Status")],
            ),
            (
                "LockKeepAliveRequest",
                &[
                    ("store_name", 1, "string"),
                    ("resource_id", 2, "string"),
                    ("lock_owner", 3, "string"),
                    ("expire", 4, "int32"),
                ],
            ),
            (
                "LockKeepAliveResponse",
                &[("status", 1, "enum LockKeepAliveResponse.Status")],
            ),
            (
                "GetNextIdRequest",
                &[
                    ("store_name", 1, "string"),
                    ("key", 2, "string"),
                    ("options", 3, "SequencerOptions"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "SequencerOptions",
                &[("increment", 1, "enum SequencerOptions.AutoIncrement")],
            ),
            ("GetNextIdResponse", &[("next_id", 1, "int64")]),
        ],
    );
    let lock_status = [
        ("SUCCESS", 0),
        ("LOCK_UNEXIST", 1),
        ("LOCK_BELONG_TO_OTHERS", 2),
        ("INTERNAL_ERROR", 3),
    ];
    check_enum(RUNTIME, "UnlockResponse.Status", &lock_status);
    check_enum(RUNTIME, "LockKeepAliveResponse.Status", &lock_status);
    check_enum(
        RUNTIME,
        "SequencerOptions.AutoIncrement",
        &[("WEAK", 0), ("STRONG", 1)],
    );

    // next_id carries jstype = JS_STRING upstream.
    let set = fds();
    let m = message(file(&set, RUNTIME), "GetNextIdResponse");
    let opts = m.field[0].options.as_ref().expect("next_id has options");
    assert_eq!(
        opts.jstype(),
        prost_types::field_options::JsType::JsString,
        "next_id jstype"
    );
}

#[test]
fn runtime_messages_state() {
    check_messages(
        RUNTIME,
        &[
            (
                "GetStateRequest",
                &[
                    ("store_name", 1, "string"),
                    ("key", 2, "string"),
                    ("consistency", 3, "enum StateOptions.StateConsistency"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "GetStateResponse",
                &[
                    ("data", 1, "bytes"),
                    ("etag", 2, "string"),
                    ("metadata", 3, SS),
                ],
            ),
            (
                "GetBulkStateRequest",
                &[
                    ("store_name", 1, "string"),
                    ("keys", 2, "repeated string"),
                    ("parallelism", 3, "int32"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "GetBulkStateResponse",
                &[("items", 1, "repeated BulkStateItem")],
            ),
            (
                "BulkStateItem",
                &[
                    ("key", 1, "string"),
                    ("data", 2, "bytes"),
                    ("etag", 3, "string"),
                    ("error", 4, "string"),
                    ("metadata", 5, SS),
                ],
            ),
            (
                "SaveStateRequest",
                &[
                    ("store_name", 1, "string"),
                    ("states", 2, "repeated StateItem"),
                ],
            ),
            (
                "DeleteStateRequest",
                &[
                    ("store_name", 1, "string"),
                    ("key", 2, "string"),
                    ("etag", 3, "Etag"),
                    ("options", 4, "StateOptions"),
                    ("metadata", 5, SS),
                ],
            ),
            (
                "DeleteBulkStateRequest",
                &[
                    ("store_name", 1, "string"),
                    ("states", 2, "repeated StateItem"),
                ],
            ),
            (
                "StateItem",
                &[
                    ("key", 1, "string"),
                    ("value", 2, "bytes"),
                    ("etag", 3, "Etag"),
                    ("metadata", 4, SS),
                    ("options", 5, "StateOptions"),
                ],
            ),
            ("Etag", &[("value", 1, "string")]),
            (
                "StateOptions",
                &[
                    ("concurrency", 1, "enum StateOptions.StateConcurrency"),
                    ("consistency", 2, "enum StateOptions.StateConsistency"),
                ],
            ),
            (
                "TransactionalStateOperation",
                &[("operationType", 1, "string"), ("request", 2, "StateItem")],
            ),
            (
                "ExecuteStateTransactionRequest",
                &[
                    ("storeName", 1, "string"),
                    ("operations", 2, "repeated TransactionalStateOperation"),
                    ("metadata", 3, SS),
                ],
            ),
        ],
    );
    check_enum(
        RUNTIME,
        "StateOptions.StateConcurrency",
        &[
            ("CONCURRENCY_UNSPECIFIED", 0),
            ("CONCURRENCY_FIRST_WRITE", 1),
            ("CONCURRENCY_LAST_WRITE", 2),
        ],
    );
    check_enum(
        RUNTIME,
        "StateOptions.StateConsistency",
        &[
            ("CONSISTENCY_UNSPECIFIED", 0),
            ("CONSISTENCY_EVENTUAL", 1),
            ("CONSISTENCY_STRONG", 2),
        ],
    );
    check_enum(
        RUNTIME,
        "HTTPExtension.Verb",
        &[
            ("NONE", 0),
            ("GET", 1),
            ("HEAD", 2),
            ("POST", 3),
            ("PUT", 4),
            ("DELETE", 5),
            ("CONNECT", 6),
            ("OPTIONS", 7),
            ("TRACE", 8),
            ("PATCH", 9),
        ],
    );
}

#[test]
fn runtime_messages_pubsub_binding_secret() {
    check_messages(
        RUNTIME,
        &[
            (
                "PublishEventRequest",
                &[
                    ("pubsub_name", 1, "string"),
                    ("topic", 2, "string"),
                    ("data", 3, "bytes"),
                    ("data_content_type", 4, "string"),
                    ("metadata", 5, SS),
                ],
            ),
            (
                "SubscribeTopicEventsRequest",
                &[
                    (
                        "initial_request",
                        1,
                        "SubscribeTopicEventsRequestInitial oneof:subscribe_topic_events_request_type",
                    ),
                    (
                        "event_processed",
                        2,
                        "SubscribeTopicEventsRequestProcessed oneof:subscribe_topic_events_request_type",
                    ),
                ],
            ),
            (
                "SubscribeTopicEventsRequestInitial",
                &[
                    ("pubsub_name", 1, "string"),
                    ("topic", 2, "string"),
                    ("metadata", 3, SS),
                    ("dead_letter_topic", 4, "optional string"),
                ],
            ),
            (
                "SubscribeTopicEventsRequestProcessed",
                &[("id", 1, "string"), ("status", 2, "TopicEventResponse")],
            ),
            (
                "SubscribeTopicEventsResponse",
                &[
                    (
                        "initial_response",
                        1,
                        "SubscribeTopicEventsResponseInitial oneof:subscribe_topic_events_response_type",
                    ),
                    (
                        "event_message",
                        2,
                        "TopicEventRequest oneof:subscribe_topic_events_response_type",
                    ),
                ],
            ),
            ("SubscribeTopicEventsResponseInitial", &[]),
            (
                "InvokeBindingRequest",
                &[
                    ("name", 1, "string"),
                    ("data", 2, "bytes"),
                    ("metadata", 3, SS),
                    ("operation", 4, "string"),
                ],
            ),
            (
                "InvokeBindingResponse",
                &[("data", 1, "bytes"), ("metadata", 2, SS)],
            ),
            (
                "GetSecretRequest",
                &[("store_name", 1, "string"), ("key", 2, "string"), ("metadata", 3, SS)],
            ),
            ("GetSecretResponse", &[("data", 1, SS)]),
            (
                "GetBulkSecretRequest",
                &[("store_name", 1, "string"), ("metadata", 2, SS)],
            ),
            (
                "GetBulkSecretResponse",
                &[("data", 1, "map<string,SecretResponse>")],
            ),
            ("SecretResponse", &[("secrets", 1, SS)]),
        ],
    );
}

#[test]
fn runtime_messages_file() {
    check_messages(
        RUNTIME,
        &[
            (
                "GetFileRequest",
                &[
                    ("store_name", 1, "string"),
                    ("name", 2, "string"),
                    ("metadata", 3, SS),
                ],
            ),
            ("GetFileResponse", &[("data", 1, "bytes")]),
            (
                "PutFileRequest",
                &[
                    ("store_name", 1, "string"),
                    ("name", 2, "string"),
                    ("data", 3, "bytes"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "FileRequest",
                &[
                    ("store_name", 1, "string"),
                    ("name", 2, "string"),
                    ("metadata", 3, SS),
                ],
            ),
            (
                "ListFileRequest",
                &[
                    ("request", 1, "FileRequest"),
                    ("page_size", 2, "int32"),
                    ("marker", 3, "string"),
                ],
            ),
            (
                "FileInfo",
                &[
                    ("file_name", 1, "string"),
                    ("size", 2, "int64"),
                    ("last_modified", 3, "string"),
                    ("metadata", 4, SS),
                ],
            ),
            (
                "ListFileResp",
                &[
                    ("files", 1, "repeated FileInfo"),
                    ("marker", 2, "string"),
                    ("is_truncated", 3, "bool"),
                ],
            ),
            ("DelFileRequest", &[("request", 1, "FileRequest")]),
            ("GetFileMetaRequest", &[("request", 1, "FileRequest")]),
            (
                "GetFileMetaResponse",
                &[
                    ("size", 1, "int64"),
                    ("last_modified", 2, "string"),
                    ("response", 3, "FileMeta"),
                ],
            ),
            ("FileMeta", &[("metadata", 1, "map<string,FileMetaValue>")]),
            ("FileMetaValue", &[("value", 1, "repeated string")]),
        ],
    );
}

#[test]
fn app_callback_and_lifecycle_messages() {
    check_messages(
        APPCB,
        &[
            (
                "TopicEventRequest",
                &[
                    ("id", 1, "string"),
                    ("source", 2, "string"),
                    ("type", 3, "string"),
                    ("spec_version", 4, "string"),
                    ("data_content_type", 5, "string"),
                    ("topic", 6, "string"),
                    ("data", 7, "bytes"),
                    ("pubsub_name", 8, "string"),
                    ("metadata", 10, SS),
                ],
            ),
            (
                "TopicEventResponse",
                &[(
                    "status",
                    1,
                    "enum TopicEventResponse.TopicEventResponseStatus",
                )],
            ),
            (
                "ListTopicSubscriptionsResponse",
                &[("subscriptions", 1, "repeated TopicSubscription")],
            ),
            (
                "TopicSubscription",
                &[
                    ("pubsub_name", 1, "string"),
                    ("topic", 2, "string"),
                    ("metadata", 3, SS),
                ],
            ),
        ],
    );
    check_enum(
        APPCB,
        "TopicEventResponse.TopicEventResponseStatus",
        &[("SUCCESS", 0), ("RETRY", 1), ("DROP", 2)],
    );
    check_messages(
        LIFECYCLE,
        &[
            (
                "DynamicConfiguration",
                &[("component_config", 1, "ComponentConfig")],
            ),
            ("ApplyConfigurationResponse", &[]),
            (
                "ComponentConfig",
                &[
                    ("kind", 1, "string"),
                    ("name", 2, "string"),
                    ("metadata", 3, SS),
                ],
            ),
        ],
    );
}

/// Like [`MessageRow`], with owned rendered types.
type OwnedMessageRow<'a> = (&'a str, Vec<(&'a str, i32, String)>);

#[test]
fn health_and_reflection_messages() {
    check_messages(
        "grpc/health/v1/health.proto",
        &[
            ("HealthCheckRequest", &[("service", 1, "string")]),
            (
                "HealthCheckResponse",
                &[(
                    "status",
                    1,
                    "enum .grpc.health.v1.HealthCheckResponse.ServingStatus",
                )],
            ),
            ("HealthListRequest", &[]),
            (
                "HealthListResponse",
                &[(
                    "statuses",
                    1,
                    "map<string,.grpc.health.v1.HealthCheckResponse>",
                )],
            ),
        ],
    );
    check_enum(
        "grpc/health/v1/health.proto",
        "HealthCheckResponse.ServingStatus",
        &[
            ("UNKNOWN", 0),
            ("SERVING", 1),
            ("NOT_SERVING", 2),
            ("SERVICE_UNKNOWN", 3),
        ],
    );
    for v in ["v1", "v1alpha"] {
        let p = format!(".grpc.reflection.{v}.");
        let t = |n: &str| format!("{p}{n}");
        let req_oneof = "oneof:message_request";
        let resp_oneof = "oneof:message_response";
        let owned: Vec<OwnedMessageRow<'_>> = vec![
            (
                "ServerReflectionRequest",
                vec![
                    ("host", 1, "string".into()),
                    ("file_by_filename", 3, format!("string {req_oneof}")),
                    ("file_containing_symbol", 4, format!("string {req_oneof}")),
                    (
                        "file_containing_extension",
                        5,
                        format!("{} {req_oneof}", t("ExtensionRequest")),
                    ),
                    (
                        "all_extension_numbers_of_type",
                        6,
                        format!("string {req_oneof}"),
                    ),
                    ("list_services", 7, format!("string {req_oneof}")),
                ],
            ),
            (
                "ExtensionRequest",
                vec![
                    ("containing_type", 1, "string".into()),
                    ("extension_number", 2, "int32".into()),
                ],
            ),
            (
                "ServerReflectionResponse",
                vec![
                    ("valid_host", 1, "string".into()),
                    ("original_request", 2, t("ServerReflectionRequest")),
                    (
                        "file_descriptor_response",
                        4,
                        format!("{} {resp_oneof}", t("FileDescriptorResponse")),
                    ),
                    (
                        "all_extension_numbers_response",
                        5,
                        format!("{} {resp_oneof}", t("ExtensionNumberResponse")),
                    ),
                    (
                        "list_services_response",
                        6,
                        format!("{} {resp_oneof}", t("ListServiceResponse")),
                    ),
                    (
                        "error_response",
                        7,
                        format!("{} {resp_oneof}", t("ErrorResponse")),
                    ),
                ],
            ),
            (
                "FileDescriptorResponse",
                vec![("file_descriptor_proto", 1, "repeated bytes".into())],
            ),
            (
                "ExtensionNumberResponse",
                vec![
                    ("base_type_name", 1, "string".into()),
                    ("extension_number", 2, "repeated int32".into()),
                ],
            ),
            (
                "ListServiceResponse",
                vec![("service", 1, format!("repeated {}", t("ServiceResponse")))],
            ),
            ("ServiceResponse", vec![("name", 1, "string".into())]),
            (
                "ErrorResponse",
                vec![
                    ("error_code", 1, "int32".into()),
                    ("error_message", 2, "string".into()),
                ],
            ),
        ];
        let borrowed: Vec<Vec<FieldRow<'_>>> = owned
            .iter()
            .map(|(_, fs)| fs.iter().map(|(n, i, t)| (*n, *i, t.as_str())).collect())
            .collect();
        let table: Vec<MessageRow<'_>> = owned
            .iter()
            .zip(&borrowed)
            .map(|((m, _), fs)| (*m, fs.as_slice()))
            .collect();
        check_messages(&format!("grpc/reflection/{v}/reflection.proto"), &table);
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

// ------------------------------------------------------------ byte-level wire checks

#[test]
fn save_state_request_exact_bytes() {
    let req = rt::SaveStateRequest {
        store_name: "s".into(),
        states: vec![rt::StateItem {
            key: "k".into(),
            value: Bytes::from_static(b"v"),
            etag: Some(rt::Etag { value: "1".into() }),
            metadata: [("a".to_string(), "b".to_string())].into_iter().collect(),
            options: Some(rt::StateOptions {
                concurrency: rt::state_options::StateConcurrency::ConcurrencyFirstWrite as i32,
                consistency: 0,
            }),
        }],
    };
    #[rustfmt::skip]
    let expected: &[u8] = &[
        0x0a, 0x01, b's',                    // 1 store_name
        0x12, 0x17,                          // 2 states[0], 23 bytes
          0x0a, 0x01, b'k',                  //   1 key
          0x12, 0x01, b'v',                  //   2 value
          0x1a, 0x03, 0x0a, 0x01, b'1',      //   3 etag { 1 value }
          0x22, 0x06,                        //   4 metadata entry
            0x0a, 0x01, b'a', 0x12, 0x01, b'b',
          0x2a, 0x02, 0x08, 0x01,            //   5 options { 1 concurrency = FIRST_WRITE }
    ];
    let encoded = req.encode_to_vec();
    assert_eq!(encoded, expected);
    assert_eq!(rt::SaveStateRequest::decode(expected).unwrap(), req);
}

#[test]
fn out_of_order_and_sparse_field_numbers_on_the_wire() {
    // TopicEventRequest: topic = 6 precedes data = 7; metadata jumps to 10.
    let ev = rt::TopicEventRequest {
        topic: "t".into(),
        data: Bytes::from_static(b"d"),
        metadata: [("x".to_string(), "y".to_string())].into_iter().collect(),
        ..Default::default()
    };
    #[rustfmt::skip]
    let expected: &[u8] = &[
        0x32, 0x01, b't',                                   // 6 topic
        0x3a, 0x01, b'd',                                   // 7 data
        0x52, 0x06, 0x0a, 0x01, b'x', 0x12, 0x01, b'y',     // 10 metadata
    ];
    assert_eq!(ev.encode_to_vec(), expected);

    // InvokeServiceRequest: message is field 3 (2 is unused).
    let inv = rt::InvokeServiceRequest {
        id: "i".into(),
        message: Some(rt::CommonInvokeRequest {
            method: "m".into(),
            http_extension: Some(rt::HttpExtension {
                verb: rt::http_extension::Verb::Post as i32,
                querystring: String::new(),
            }),
            ..Default::default()
        }),
    };
    #[rustfmt::skip]
    let expected: &[u8] = &[
        0x0a, 0x01, b'i',                  // 1 id
        0x1a, 0x07,                        // 3 message
          0x0a, 0x01, b'm',                //   1 method
          0x22, 0x02, 0x08, 0x03,          //   4 http_extension { 1 verb = POST }
    ];
    assert_eq!(inv.encode_to_vec(), expected);

    // Enum and int64 values.
    let un = rt::UnlockResponse {
        status: rt::unlock_response::Status::LockBelongToOthers as i32,
    };
    assert_eq!(un.encode_to_vec(), [0x08, 0x02]);
    let id = rt::GetNextIdResponse { next_id: 300 };
    assert_eq!(id.encode_to_vec(), [0x08, 0xac, 0x02]);
    let st = rt::TopicEventResponse {
        status: rt::topic_event_response::TopicEventResponseStatus::Drop as i32,
    };
    assert_eq!(st.encode_to_vec(), [0x08, 0x02]);
}

#[test]
fn oneof_on_the_wire() {
    use rt::subscribe_topic_events_request::SubscribeTopicEventsRequestType as T;
    let req = rt::SubscribeTopicEventsRequest {
        subscribe_topic_events_request_type: Some(T::InitialRequest(
            rt::SubscribeTopicEventsRequestInitial {
                pubsub_name: "p".into(),
                topic: "t".into(),
                metadata: Default::default(),
                dead_letter_topic: Some(String::new()),
            },
        )),
    };
    #[rustfmt::skip]
    let expected: &[u8] = &[
        0x0a, 0x08,                        // 1 initial_request
          0x0a, 0x01, b'p',                //   1 pubsub_name
          0x12, 0x01, b't',                //   2 topic
          0x22, 0x00,                      //   4 dead_letter_topic: present though empty
    ];
    assert_eq!(req.encode_to_vec(), expected);
    assert_eq!(
        rt::SubscribeTopicEventsRequest::decode(expected).unwrap(),
        req
    );

    // Health and reflection types are usable too.
    use layotto_proto::grpc::reflection::v1::server_reflection_request::MessageRequest;
    let r = layotto_proto::grpc::reflection::v1::ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    assert_eq!(r.encode_to_vec(), [0x3a, 0x00]);
    let h = layotto_proto::grpc::health::v1::HealthCheckResponse {
        status: layotto_proto::grpc::health::v1::health_check_response::ServingStatus::Serving
            as i32,
    };
    assert_eq!(h.encode_to_vec(), [0x08, 0x01]);
}
