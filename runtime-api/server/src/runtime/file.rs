//! The file API (Layotto §3.7): PutFile (client stream), GetFile (server stream), ListFile,
//! DelFile, GetFileMeta.
//!
//! PutFile takes `store_name`, `name` and `metadata` from the first message and only `data`
//! from the rest; each chunk goes to the store's writer as it arrives, and the file appears
//! when the stream ends cleanly (a broken stream leaves nothing). GetFile sends the store's
//! chunks, split to at most [`CHUNK_SIZE`] (100 KiB, as Layotto). Names are the store's
//! business: the `local` store refuses any that leave its root (INVALID_ARGUMENT).
//! `last_modified` is Go's default time text in UTC, as Layotto's local store writes it.

use std::rc::Rc;

use layotto_component_api::file::{FileInfo as Info, ListRequest, CHUNK_SIZE};
use layotto_grpc_transport::{client_streaming, server_streaming, Call, Messages, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{
    DelFileRequest, FileInfo, FileMeta, FileMetaValue, FileRequest, GetFileMetaRequest,
    GetFileMetaResponse, GetFileRequest, GetFileResponse, ListFileRequest, ListFileResp,
    PutFileRequest,
};

use super::{add, errors, meta, proto_meta, required, timefmt, unary, Ctx};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    let c = Rc::clone(ctx);
    add(
        routes,
        "PutFile",
        client_streaming(move |_call, messages| put_file(Rc::clone(&c), messages)),
    );
    let c = Rc::clone(ctx);
    add(
        routes,
        "GetFile",
        server_streaming(move |_call, req: GetFileRequest, sink| {
            let ctx = Rc::clone(&c);
            async move {
                let store = ctx.stores.file.get(&req.store_name)?;
                required(&req.name, "name")?;
                let doing = doing(&store.name, "get", &req.name);
                let mut reader = store
                    .handle
                    .get(req.name, meta(req.metadata))
                    .await
                    .map_err(errors::with(&doing))?;
                while let Some(chunk) = reader.next_chunk().await.map_err(errors::with(&doing))? {
                    for at in (0..chunk.len()).step_by(CHUNK_SIZE) {
                        let data = chunk.slice(at..chunk.len().min(at + CHUNK_SIZE));
                        sink.send(&GetFileResponse { data }).await?;
                    }
                }
                Ok(())
            }
        }),
    );
    unary(routes, ctx, "ListFile", list_file);
    unary(routes, ctx, "DelFile", del_file);
    unary(routes, ctx, "GetFileMeta", get_file_meta);
}

fn doing(store: &str, op: &str, name: &str) -> String {
    format!("file store {store:?}: {op} {name:?}")
}

async fn put_file(ctx: Rc<Ctx>, mut messages: Messages) -> Result<(), Status> {
    let Some(first) = messages.next_message::<PutFileRequest>().await else {
        return Err(Status::invalid_argument("PutFile got no message"));
    };
    let first = first?;
    let store = ctx.stores.file.get(&first.store_name)?;
    required(&first.name, "name")?;
    let doing = doing(&store.name, "put", &first.name);
    let mut writer = store
        .handle
        .put(first.name, meta(first.metadata))
        .await
        .map_err(errors::with(&doing))?;
    if !first.data.is_empty() {
        writer
            .write(first.data)
            .await
            .map_err(errors::with(&doing))?;
    }
    while let Some(m) = messages.next_message::<PutFileRequest>().await {
        let data = m?.data;
        if !data.is_empty() {
            writer.write(data).await.map_err(errors::with(&doing))?;
        }
    }
    writer.finish().await.map_err(errors::with(&doing))
}

/// The `request` every unary file call wraps.
fn request(r: Option<FileRequest>) -> Result<FileRequest, Status> {
    r.ok_or_else(|| Status::invalid_argument("request is missing"))
}

fn to_proto(i: Info) -> FileInfo {
    FileInfo {
        file_name: i.name,
        size: i64::try_from(i.size).unwrap_or(i64::MAX),
        last_modified: timefmt::go_default(i.last_modified),
        metadata: proto_meta(i.metadata),
    }
}

async fn list_file(ctx: Rc<Ctx>, _: Call, req: ListFileRequest) -> Result<ListFileResp, Status> {
    let r = request(req.request)?;
    let store = ctx.stores.file.get(&r.store_name)?;
    let page = store
        .handle
        .list(ListRequest {
            prefix: r.name.clone(),
            marker: req.marker,
            page_size: usize::try_from(req.page_size).unwrap_or(0),
            metadata: meta(r.metadata),
        })
        .await
        .map_err(errors::with(&doing(&store.name, "list", &r.name)))?;
    Ok(ListFileResp {
        files: page.files.into_iter().map(to_proto).collect(),
        marker: page.marker,
        is_truncated: page.truncated,
    })
}

async fn del_file(ctx: Rc<Ctx>, _: Call, req: DelFileRequest) -> Result<(), Status> {
    let r = request(req.request)?;
    let store = ctx.stores.file.get(&r.store_name)?;
    required(&r.name, "name")?;
    let doing = doing(&store.name, "delete", &r.name);
    store
        .handle
        .delete(r.name, meta(r.metadata))
        .await
        .map_err(errors::with(&doing))
}

async fn get_file_meta(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetFileMetaRequest,
) -> Result<GetFileMetaResponse, Status> {
    let r = request(req.request)?;
    let store = ctx.stores.file.get(&r.store_name)?;
    required(&r.name, "name")?;
    let doing = doing(&store.name, "stat", &r.name);
    let info = store
        .handle
        .stat(r.name, meta(r.metadata))
        .await
        .map_err(errors::with(&doing))?;
    let info = to_proto(info);
    Ok(GetFileMetaResponse {
        size: info.size,
        last_modified: info.last_modified,
        response: Some(FileMeta {
            metadata: info
                .metadata
                .into_iter()
                .map(|(k, v)| (k, FileMetaValue { value: vec![v] }))
                .collect(),
        }),
    })
}
