//! InvokeBinding (Layotto §3.8): an operation sent to an output binding.
//!
//! The operation must be one the binding lists, checked before any I/O; an empty or unknown
//! one is INVALID_ARGUMENT naming the supported set. Failures keep the message Layotto gives
//! ("error when invoke output binding <name>: ...") but get the code of their cause (Layotto
//! sends INTERNAL for all): a refused connection is UNAVAILABLE, a slow backend
//! DEADLINE_EXCEEDED, an error status from an HTTP backend INTERNAL.

use std::rc::Rc;

use layotto_component_api::binding::InvokeRequest;
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{InvokeBindingRequest, InvokeBindingResponse};

use super::{errors, meta, proto_meta, unary, Ctx};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "InvokeBinding", invoke_binding);
}

async fn invoke_binding(
    ctx: Rc<Ctx>,
    _: Call,
    req: InvokeBindingRequest,
) -> Result<InvokeBindingResponse, Status> {
    let binding = ctx.stores.binding.get(&req.name)?;
    let supported = binding.handle.operations();
    if !supported.contains(&req.operation.as_str()) {
        let what = if req.operation.is_empty() {
            "operation is empty".to_owned()
        } else {
            format!("operation {:?} is not supported", req.operation)
        };
        return Err(Status::invalid_argument(format!(
            "output binding {:?}: {what}; supported: {}",
            binding.name,
            supported.join(", ")
        )));
    }
    let reply = binding
        .handle
        .invoke(InvokeRequest {
            operation: req.operation,
            data: req.data,
            metadata: meta(req.metadata),
        })
        .await
        .map_err(errors::with(&format!(
            "error when invoke output binding {}",
            binding.name
        )))?;
    Ok(InvokeBindingResponse {
        data: reply.data,
        metadata: proto_meta(reply.metadata),
    })
}
