//! The configuration API (Layotto §3.5): Get/Save/Delete, and SubscribeConfiguration.
//!
//! SubscribeConfiguration is a bidi stream: each inbound request adds a subscription (one
//! store, its keys, group and label), and every change the store reports on any of them is
//! pushed as a `SubscribeConfigurationResponse` naming that store and the request's app id.
//! When the client half-closes (or the call is cancelled), the handler returns, dropping every
//! subscription, which unsubscribes them: Layotto's StopSubscribe. A subscription that fails
//! (e.g. the store dropped a subscriber that fell too far behind) ends the call with its
//! error; the client may subscribe again.
//!
//! Layotto answers an unknown store with a plain error (UNKNOWN); we use the common
//! INVALID_ARGUMENT naming the configured stores.

mod watches;

use std::rc::Rc;

use layotto_component_api::configuration::{ConfigQuery, ConfigurationItem as Item};
use layotto_component_api::ComponentError;
use layotto_grpc_transport::{bidi, Call, Routes, Status};
use layotto_proto::spec::proto::runtime::v1::{
    ConfigurationItem, DeleteConfigurationRequest, GetConfigurationRequest,
    GetConfigurationResponse, SaveConfigurationRequest, SubscribeConfigurationRequest,
    SubscribeConfigurationResponse,
};

use super::{add, errors, meta, proto_meta, unary, Ctx};
use watches::{WatchInfo, Watches};

pub(crate) fn register(routes: &mut Routes, ctx: &Rc<Ctx>) {
    unary(routes, ctx, "GetConfiguration", get);
    unary(routes, ctx, "SaveConfiguration", save);
    unary(routes, ctx, "DeleteConfiguration", delete);
    let ctx = Rc::clone(ctx);
    add(
        routes,
        "SubscribeConfiguration",
        bidi(move |_call, mut messages, sink| {
            let ctx = Rc::clone(&ctx);
            async move {
                let mut watches = Watches::default();
                loop {
                    let event = monoio::select! {
                        m = messages.next_message::<SubscribeConfigurationRequest>() => Event::Inbound(m),
                        c = watches.next_change() => Event::Change(c),
                    };
                    match event {
                        Event::Inbound(None) => return Ok(()),
                        Event::Inbound(Some(m)) => subscribe(&ctx, &mut watches, m?).await?,
                        Event::Change((watch, change)) => {
                            let items = change
                                .map_err(errors::with(&doing(&watch.store_name, "subscription")))?;
                            sink.send(&SubscribeConfigurationResponse {
                                store_name: watch.store_name,
                                app_id: watch.app_id,
                                items: items.into_iter().map(to_proto).collect(),
                            })
                            .await?;
                        }
                    }
                }
            }
        }),
    );
}

enum Event {
    Inbound(Option<Result<SubscribeConfigurationRequest, Status>>),
    Change((WatchInfo, Result<Vec<Item>, ComponentError>)),
}

fn to_proto(i: Item) -> ConfigurationItem {
    ConfigurationItem {
        key: i.key,
        content: i.content,
        group: i.group,
        label: i.label,
        tags: proto_meta(i.tags),
        metadata: proto_meta(i.metadata),
    }
}

fn from_proto(i: ConfigurationItem) -> Item {
    Item {
        key: i.key,
        content: i.content,
        group: i.group,
        label: i.label,
        tags: meta(i.tags),
        metadata: meta(i.metadata),
    }
}

fn doing(store: &str, op: &str) -> String {
    format!("configuration store {store:?}: {op}")
}

async fn get(
    ctx: Rc<Ctx>,
    _: Call,
    req: GetConfigurationRequest,
) -> Result<GetConfigurationResponse, Status> {
    let store = ctx.stores.config.get(&req.store_name)?;
    // `subscribe_update` has no effect, as in Layotto: subscribe with SubscribeConfiguration.
    let items = store
        .handle
        .get(ConfigQuery {
            app_id: req.app_id,
            group: req.group,
            label: req.label,
            keys: req.keys,
            metadata: meta(req.metadata),
        })
        .await
        .map_err(errors::with(&doing(&store.name, "get")))?;
    Ok(GetConfigurationResponse {
        items: items.into_iter().map(to_proto).collect(),
    })
}

async fn save(ctx: Rc<Ctx>, _: Call, req: SaveConfigurationRequest) -> Result<(), Status> {
    let store = ctx.stores.config.get(&req.store_name)?;
    store
        .handle
        .save(
            req.app_id,
            req.items.into_iter().map(from_proto).collect(),
            meta(req.metadata),
        )
        .await
        .map_err(errors::with(&doing(&store.name, "save")))
}

async fn delete(ctx: Rc<Ctx>, _: Call, req: DeleteConfigurationRequest) -> Result<(), Status> {
    let store = ctx.stores.config.get(&req.store_name)?;
    store
        .handle
        .delete(ConfigQuery {
            app_id: req.app_id,
            group: req.group,
            label: req.label,
            keys: req.keys,
            metadata: meta(req.metadata),
        })
        .await
        .map_err(errors::with(&doing(&store.name, "delete")))
}

async fn subscribe(
    ctx: &Ctx,
    watches: &mut Watches,
    req: SubscribeConfigurationRequest,
) -> Result<(), Status> {
    let store = ctx.stores.config.get(&req.store_name)?;
    let sub = store
        .handle
        .subscribe(ConfigQuery {
            app_id: req.app_id.clone(),
            group: req.group,
            label: req.label,
            keys: req.keys,
            metadata: meta(req.metadata),
        })
        .await
        .map_err(errors::with(&doing(&store.name, "subscribe")))?;
    watches.add(store.name.clone(), req.app_id, sub);
    Ok(())
}
