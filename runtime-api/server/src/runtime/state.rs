//! The state API (Layotto §3.2): Get/GetBulk/Save/Delete/DeleteBulk/ExecuteStateTransaction.
//!
//! Keys are prefixed here ([`convert`]), never by stores, and results report the user's key.
//! Etag rules are the store's (the in-memory store follows Dapr's redis: ABORTED on a
//! mismatch, INVALID_ARGUMENT on a malformed etag). SaveState and the bulk calls are the
//! store's bulk operations, which stop at the first failure and are not atomic, as in
//! Layotto; only ExecuteStateTransaction is all-or-nothing.
//!
//! One deliberate difference: Layotto's DeleteState hands the store an empty etag when the
//! request has none, which Dapr's redis script then compares and fails (ABORTED on an
//! existing key). Here no etag means an unconditional delete, as DeleteBulkState already is
//! in Layotto.

mod convert;

use std::rc::Rc;

use layotto_component_api::state::GetRequest;
use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{
    BulkStateItem, DeleteBulkStateRequest, DeleteStateRequest, ExecuteStateTransactionRequest,
    GetBulkStateRequest, GetBulkStateResponse, GetStateRequest, GetStateResponse, SaveStateRequest,
};

use super::stores::Store;
use super::{errors, meta, proto_meta, unary, Ctx};
use convert::Keys;

type StateStore = dyn layotto_component_api::StateStore;

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "GetState", get_state);
    unary(routes, ctx, "GetBulkState", get_bulk_state);
    unary(routes, ctx, "SaveState", save_state);
    unary(routes, ctx, "DeleteState", delete_state);
    unary(routes, ctx, "DeleteBulkState", delete_bulk_state);
    unary(routes, ctx, "ExecuteStateTransaction", execute_transaction);
}

fn keys<'a>(ctx: &'a Ctx, store: &'a Store<StateStore>) -> Keys<'a> {
    Keys {
        prefix: &store.prefix,
        store: &store.name,
        app_id: &ctx.app_id,
    }
}

fn doing(store: &Store<StateStore>, op: &str) -> String {
    format!("state store {:?}: {op}", store.name)
}

async fn get_state(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetStateRequest,
) -> Result<GetStateResponse, Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    let key = keys(&ctx, store).stored(&req.key)?;
    let consistency = convert::consistency(req.consistency());
    let item = store
        .handle
        .get(GetRequest {
            key,
            consistency,
            metadata: meta(req.metadata),
        })
        .await
        .map_err(errors::with(&doing(store, "get")))?;
    Ok(
        item.map_or_else(GetStateResponse::default, |i| GetStateResponse {
            data: i.value,
            etag: i.etag,
            metadata: proto_meta(i.metadata),
        }),
    )
}

async fn get_bulk_state(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetBulkStateRequest,
) -> Result<GetBulkStateResponse, Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    let k = keys(&ctx, store);
    let metadata = meta(req.metadata);
    let gets = req
        .keys
        .iter()
        .map(|key| {
            Ok(GetRequest {
                key: k.stored(key)?,
                consistency: Default::default(),
                metadata: metadata.clone(),
            })
        })
        .collect::<Result<Vec<_>, Status>>()?;
    // `parallelism` is the store's business: its bulk_get decides how to fan out.
    let results = store
        .handle
        .bulk_get(gets)
        .await
        .map_err(errors::with(&doing(store, "bulk get")))?;
    let items = results
        .into_iter()
        .map(|r| {
            let key = convert::user_key(&r.key);
            match r.result {
                Ok(Some(i)) => BulkStateItem {
                    key,
                    data: i.value,
                    etag: i.etag,
                    error: String::new(),
                    metadata: proto_meta(i.metadata),
                },
                Ok(None) => BulkStateItem {
                    key,
                    ..Default::default()
                },
                Err(e) => BulkStateItem {
                    key,
                    error: e.to_string(),
                    ..Default::default()
                },
            }
        })
        .collect();
    Ok(GetBulkStateResponse { items })
}

async fn save_state(ctx: Rc<Ctx>, _: Call, req: SaveStateRequest) -> Result<(), Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    let k = keys(&ctx, store);
    let sets = req
        .states
        .into_iter()
        .map(|item| convert::set_request(&k, item))
        .collect::<Result<Vec<_>, Status>>()?;
    if sets.is_empty() {
        return Ok(());
    }
    store
        .handle
        .bulk_set(sets)
        .await
        .map_err(errors::with(&doing(store, "save")))
}

async fn delete_state(ctx: Rc<Ctx>, _: Call, req: DeleteStateRequest) -> Result<(), Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    let del = convert::delete_request(
        &keys(&ctx, store),
        &req.key,
        req.etag,
        req.options,
        req.metadata,
    )?;
    store
        .handle
        .delete(del)
        .await
        .map_err(errors::with(&doing(store, "delete")))
}

async fn delete_bulk_state(
    ctx: Rc<Ctx>,
    _: Call,
    req: DeleteBulkStateRequest,
) -> Result<(), Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    let k = keys(&ctx, store);
    let dels = req
        .states
        .into_iter()
        .map(|item| convert::delete_request(&k, &item.key, item.etag, item.options, item.metadata))
        .collect::<Result<Vec<_>, Status>>()?;
    if dels.is_empty() {
        return Ok(());
    }
    store
        .handle
        .bulk_delete(dels)
        .await
        .map_err(errors::with(&doing(store, "bulk delete")))
}

async fn execute_transaction(
    ctx: Rc<Ctx>,
    _: Call,
    req: ExecuteStateTransactionRequest,
) -> Result<(), Status> {
    let store = ctx.stores.state.get(&req.store_name)?;
    if !store.handle.features().transactional {
        return Err(Status::unimplemented(format!(
            "state store {:?} does not support transactions",
            store.name
        )));
    }
    let k = keys(&ctx, store);
    let mut ops = Vec::with_capacity(req.operations.len());
    for op in req.operations {
        if let Some(op) = convert::operation(&k, op)? {
            ops.push(op);
        }
    }
    store
        .handle
        .transact(ops, meta(req.metadata))
        .await
        .map_err(errors::with(&doing(store, "transaction")))
}
