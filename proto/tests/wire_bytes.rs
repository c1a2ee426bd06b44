//! Exact bytes on the wire for hand-computed messages: field numbers as the peer sees them.
#![allow(clippy::unwrap_used)]

mod support;

use support::*;

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
