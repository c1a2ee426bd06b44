//! Server reflection, v1 and v1alpha, so grpcurl-style tools can list and call our services.

use std::sync::Arc;

use layotto_grpc_services::ReflectionService;
use layotto_grpc_transport::{bidi, Routes};
use layotto_proto::grpc::reflection::{v1, v1alpha};

pub(crate) const V1: &str = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";
pub(crate) const V1ALPHA: &str = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

pub(crate) fn register(routes: &mut Routes, reflection: &Arc<ReflectionService>) {
    let r = Arc::clone(reflection);
    routes.add(
        V1,
        bidi(move |_call, mut requests, sink| {
            let r = Arc::clone(&r);
            async move {
                while let Some(req) = requests.next_message::<v1::ServerReflectionRequest>().await {
                    sink.send(&r.respond_v1(&req?)).await?;
                }
                Ok(())
            }
        }),
    );
    let r = Arc::clone(reflection);
    routes.add(
        V1ALPHA,
        bidi(move |_call, mut requests, sink| {
            let r = Arc::clone(&r);
            async move {
                while let Some(req) = requests
                    .next_message::<v1alpha::ServerReflectionRequest>()
                    .await
                {
                    sink.send(&r.respond_v1alpha(&req?)).await?;
                }
                Ok(())
            }
        }),
    );
}
