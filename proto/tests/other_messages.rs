//! Fields of the AppCallback, Lifecycle, health and reflection messages.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

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
