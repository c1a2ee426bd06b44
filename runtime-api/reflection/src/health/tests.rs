use super::*;
use layotto_grpc::Code;

fn req(service: &str) -> HealthCheckRequest {
    HealthCheckRequest {
        service: service.into(),
    }
}

const RUNTIME: &str = "spec.proto.runtime.v1.Runtime";

#[test]
fn check_known_and_unknown() {
    let h = HealthService::new();
    assert_eq!(h.check(&req("")), Ok(response(ServingStatus::Serving)));
    h.set_serving_status(RUNTIME, ServingStatus::NotServing);
    assert_eq!(h.check(&req(RUNTIME)).map(|r| r.status), Ok(2));
    let err = h.check(&req("no.Such")).unwrap_err();
    assert_eq!(err.code, Code::NotFound);
    h.clear_status(RUNTIME);
    assert_eq!(h.check(&req(RUNTIME)).unwrap_err().code, Code::NotFound);
}

#[test]
fn list_reports_everything() {
    let h = HealthService::new();
    h.set_serving_status(RUNTIME, ServingStatus::Serving);
    let list = h.list(&HealthListRequest {}).unwrap();
    assert_eq!(list.statuses.len(), 2);
    assert_eq!(list.statuses[RUNTIME].status, ServingStatus::Serving as i32);
    for i in 0..MAX_LIST_SERVICES {
        h.set_serving_status(&format!("s{i}"), ServingStatus::Serving);
    }
    assert_eq!(
        h.list(&HealthListRequest {}).unwrap_err().code,
        Code::ResourceExhausted
    );
}

#[test]
fn watch_sends_first_status_then_only_changes() {
    let h = HealthService::new();
    let mut w = h.watch(&req(RUNTIME));
    assert_eq!(w.service(), RUNTIME);
    // Unknown services are reported, not refused.
    assert_eq!(w.poll(&h), Some(response(ServingStatus::ServiceUnknown)));
    assert_eq!(w.poll(&h), None);
    // A change to another service moves the version but sends nothing.
    h.set_serving_status("other", ServingStatus::Serving);
    assert!(w.may_have_changed(&h));
    assert_eq!(w.poll(&h), None);
    assert!(!w.may_have_changed(&h));
    h.set_serving_status(RUNTIME, ServingStatus::Serving);
    assert_eq!(w.poll(&h), Some(response(ServingStatus::Serving)));
    // Flips between polls collapse into the latest status.
    h.set_serving_status(RUNTIME, ServingStatus::NotServing);
    h.set_serving_status(RUNTIME, ServingStatus::Serving);
    assert_eq!(w.poll(&h), None);
    h.shutdown();
    assert_eq!(w.poll(&h), Some(response(ServingStatus::NotServing)));
    assert_eq!(h.check(&req("")).map(|r| r.status), Ok(2));
}

#[test]
fn version_moves_only_on_change() {
    let h = HealthService::new();
    let v = h.version();
    h.set_serving_status("", ServingStatus::Serving);
    h.clear_status("never-set");
    assert_eq!(h.version(), v);
    h.set_serving_status("", ServingStatus::NotServing);
    assert_eq!(h.version(), v + 1);
}

#[test]
fn shared_across_threads() {
    let h = std::sync::Arc::new(HealthService::new());
    let writer = {
        let h = h.clone();
        std::thread::spawn(move || {
            for i in 0..100 {
                let s = if i % 2 == 0 {
                    ServingStatus::NotServing
                } else {
                    ServingStatus::Serving
                };
                h.set_serving_status(RUNTIME, s);
            }
        })
    };
    writer.join().unwrap();
    assert_eq!(h.status_of(RUNTIME), Some(ServingStatus::Serving));
    assert_eq!(h.version(), 101);
}
