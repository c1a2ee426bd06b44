//! SayHello (Layotto §3.1): `service_name` picks a `hellos` entry; the greeting gets
//! `", <name>"` appended when a name is given; `data` is echoed.
//!
//! Layotto answers an unknown service with the plain error "no instance found" (UNKNOWN); we
//! answer INVALID_ARGUMENT listing the configured services, as for every other unknown name.

use std::rc::Rc;

use layotto_component_api::hello::{HelloRequest, Opaque};
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{SayHelloRequest, SayHelloResponse};

use super::{errors, unary, Ctx};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "SayHello", say_hello);
}

async fn say_hello(
    ctx: Rc<Ctx>,
    _: Call,
    req: SayHelloRequest,
) -> Result<SayHelloResponse, Status> {
    let store = ctx.stores.hello.get(&req.service_name)?;
    let reply = store
        .handle
        .say_hello(HelloRequest {
            name: req.name,
            data: req.data.map(|a| Opaque {
                type_url: a.type_url,
                value: a.value.into(),
            }),
        })
        .await
        .map_err(errors::with("hello"))?;
    Ok(SayHelloResponse {
        hello: reply.hello,
        data: reply.data.map(|o| prost_types::Any {
            type_url: o.type_url,
            value: o.value.to_vec(),
        }),
    })
}
