//! Dapr's `http` output binding: each invoke is one HTTP/1.1 request to the configured `url`.
//!
//! The blueprint parses `url` once on the main thread (refusing `https://` for now, with that
//! reason); each worker's instance sends its requests on that worker's own monoio runtime
//! (`layotto-http1` for the codec, `monoio::net::TcpStream` for I/O), so a call never leaves
//! its core. Request and response rules are in [`request`]; connecting and timeouts in
//! [`client`].
//!
//! Status handling: a final status ≥ 400 is an error carrying the status and the start of the
//! body. Redirects are not followed (Go's client would), so a 3xx comes back as an answer with
//! its `Location` in the metadata rather than as whatever the redirect led to.
#![forbid(unsafe_code)]

mod client;
mod request;
mod url;

use std::rc::Rc;
use std::sync::Arc;

use layotto_component_api::binding::{InvokeRequest, InvokeResponse};
use layotto_component_api::{
    indicator_name, Api, Call, Component, ComponentError, ComponentSpec, Health, HealthIndicator,
    Instance, OutputBinding, Registry, WorkerInfo,
};

pub use client::MAX_BODY;
pub use request::OPERATIONS;

use client::Timeouts;
use url::Target;

/// The type name Layotto uses.
pub const TYPE: &str = "http";
/// How much of an error response's body goes into the error.
const ERROR_BODY: usize = 1024;

/// Registers `http` under `bindings`.
pub fn register(registry: &mut Registry) {
    registry.register(Api::Binding, TYPE, build);
}

fn build(spec: &ComponentSpec) -> Result<Arc<dyn Component>, ComponentError> {
    let url = spec
        .metadata_str("url")
        .ok_or_else(|| ComponentError::Metadata {
            key: "url".into(),
            message: "required: the http:// address requests go to".into(),
        })?;
    Ok(Arc::new(HttpBinding::new(
        indicator_name(spec),
        &url,
        Timeouts::default(),
    )?))
}

/// The blueprint: where requests go and how long they may take.
pub struct HttpBinding {
    indicator: String,
    target: Arc<Target>,
    timeouts: Timeouts,
}

impl HttpBinding {
    fn new(indicator: String, url: &str, timeouts: Timeouts) -> Result<Self, ComponentError> {
        Ok(HttpBinding {
            indicator,
            target: Arc::new(Target::parse(url)?),
            timeouts,
        })
    }
}

impl HealthIndicator for HttpBinding {
    fn name(&self) -> &str {
        &self.indicator
    }
    /// No probe of the remote: a binding is as healthy as its last call, which the caller
    /// sees; pinging an arbitrary URL on every readiness probe would be a side effect.
    fn health(&self) -> Health {
        Health::Up
    }
}

impl Component for HttpBinding {
    fn api(&self) -> Api {
        Api::Binding
    }
    fn type_name(&self) -> &str {
        TYPE
    }
    fn instance(&self, _: &WorkerInfo) -> Result<Instance, ComponentError> {
        Ok(Instance::Binding(Rc::new(HttpClient {
            target: Arc::clone(&self.target),
            timeouts: self.timeouts,
        })))
    }
}

/// One worker's client.
struct HttpClient {
    target: Arc<Target>,
    timeouts: Timeouts,
}

impl HttpClient {
    async fn call(&self, req: InvokeRequest) -> Result<InvokeResponse, ComponentError> {
        let method = request::method(&req.operation)?;
        let bytes = request::encode(&self.target, &method, &req.data, &req.metadata)?;
        let addrs = self.target.addrs()?;
        let (head, body) = client::exchange(&addrs, bytes, &method, &self.timeouts).await?;
        if head.status >= 400 {
            let shown = &body[..body.len().min(ERROR_BODY)];
            return Err(ComponentError::Status {
                status: head.status,
                body: String::from_utf8_lossy(shown).into_owned(),
            });
        }
        Ok(InvokeResponse {
            metadata: request::response_metadata(&head),
            data: body,
        })
    }
}

impl OutputBinding for HttpClient {
    fn operations(&self) -> &[&'static str] {
        &OPERATIONS
    }

    fn invoke(&self, req: InvokeRequest) -> Call<'_, InvokeResponse> {
        Box::pin(self.call(req))
    }
}

#[cfg(test)]
mod tests;
