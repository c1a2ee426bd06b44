//! Field names, numbers and types of the Runtime service's messages, as in Layotto's files.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

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
