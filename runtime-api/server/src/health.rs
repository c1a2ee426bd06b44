//! `grpc.health.v1.Health` on our server: Check, List, and Watch as a server stream.

use std::sync::Arc;
use std::time::Duration;

use layotto_grpc_services::HealthService;
use layotto_grpc_transport::{server_streaming, unary, Routes};
use layotto_proto::grpc::health::v1::{HealthCheckRequest, HealthListRequest};

/// How often a Watch stream looks for a change. Status changes are rare (start, drain); a
/// cheap version check per tick is all it costs.
const WATCH_TICK: Duration = Duration::from_millis(200);

pub(crate) fn register(routes: &mut Routes, health: &Arc<HealthService>) {
    let h = Arc::clone(health);
    routes.add(
        "/grpc.health.v1.Health/Check",
        unary(move |_call, req: HealthCheckRequest| {
            let r = h.check(&req);
            async move { r }
        }),
    );
    let h = Arc::clone(health);
    routes.add(
        "/grpc.health.v1.Health/List",
        unary(move |_call, req: HealthListRequest| {
            let r = h.list(&req);
            async move { r }
        }),
    );
    let h = Arc::clone(health);
    routes.add(
        "/grpc.health.v1.Health/Watch",
        server_streaming(move |_call, req: HealthCheckRequest, sink| {
            let h = Arc::clone(&h);
            async move {
                let mut watch = h.watch(&req);
                loop {
                    if let Some(update) = watch.poll(&h) {
                        sink.send(&update).await?;
                    }
                    monoio::time::sleep(WATCH_TICK).await;
                }
            }
        }),
    );
}
