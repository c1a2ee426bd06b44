//! GetSecret and GetBulkSecret (Layotto §3.9). No access policy: every configured store and
//! key may be read, as in Layotto. A missing secret keeps the store's NOT_FOUND (Layotto
//! reports every store failure as INTERNAL).

use std::rc::Rc;

use layotto_grpc_transport::{Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{
    GetBulkSecretRequest, GetBulkSecretResponse, GetSecretRequest, GetSecretResponse,
    SecretResponse,
};

use super::{errors, meta, proto_meta, required, unary, Ctx};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "GetSecret", get_secret);
    unary(routes, ctx, "GetBulkSecret", get_bulk_secret);
}

async fn get_secret(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetSecretRequest,
) -> Result<GetSecretResponse, Status> {
    let store = ctx.stores.secret.get(&req.store_name)?;
    required(&req.key, "key")?;
    let data = store
        .handle
        .get(req.key, meta(req.metadata))
        .await
        .map_err(errors::with(&format!("secret store {:?}: get", store.name)))?;
    Ok(GetSecretResponse {
        data: proto_meta(data),
    })
}

async fn get_bulk_secret(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetBulkSecretRequest,
) -> Result<GetBulkSecretResponse, Status> {
    let store = ctx.stores.secret.get(&req.store_name)?;
    let all = store
        .handle
        .bulk_get(meta(req.metadata))
        .await
        .map_err(errors::with(&format!(
            "secret store {:?}: bulk get",
            store.name
        )))?;
    Ok(GetBulkSecretResponse {
        data: all
            .into_iter()
            .map(|(k, secrets)| {
                (
                    k,
                    SecretResponse {
                        secrets: proto_meta(secrets),
                    },
                )
            })
            .collect(),
    })
}
