//! The blueprint of the gRPC listener and the per-worker service built from it.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use layotto_grpc_services::{HealthService, ReflectionService};
use layotto_grpc_transport::{GrpcServer, Routes};
use layotto_http2_transport::{tls, Handler, Limits, Request};
use layotto_worker::{Connection, Service, ServiceFactory, WorkerCtx};
use rustls::ServerConfig;

use crate::{health, reflection};

/// The TLS handshake must finish in this time (slowloris on the handshake).
const TLS_HANDSHAKE: Duration = Duration::from_secs(10);

/// Adds methods to a worker's routing table; the Runtime API is one such source. Called on
/// each worker's thread, so the handlers it registers may hold that worker's `Rc` state.
pub trait RouteSource: Send + Sync {
    fn add_routes(&self, worker: &Rc<WorkerCtx>, routes: &mut Routes);
    /// Fully-qualified services the source serves, for reflection.
    fn services(&self) -> Vec<String>;
}

/// Shared by all workers.
pub struct GrpcListener {
    health: Arc<HealthService>,
    reflection: Arc<ReflectionService>,
    sources: Vec<Arc<dyn RouteSource>>,
    tls: Option<Arc<ServerConfig>>,
    limits: Limits,
}

impl GrpcListener {
    /// `tls`: a rustls config from `layotto_http2_transport::tls::server_config`.
    pub fn new(
        health: Arc<HealthService>,
        sources: Vec<Arc<dyn RouteSource>>,
        tls: Option<Arc<ServerConfig>>,
    ) -> Result<GrpcListener, String> {
        let mut services = vec![
            layotto_proto::HEALTH_SERVICE.to_owned(),
            layotto_proto::REFLECTION_V1_SERVICE.to_owned(),
            layotto_proto::REFLECTION_V1ALPHA_SERVICE.to_owned(),
        ];
        for s in &sources {
            services.extend(s.services());
        }
        let reflection = ReflectionService::new(layotto_proto::FILE_DESCRIPTOR_SET, &services)
            .map_err(|e| format!("reflection: {e}"))?;
        Ok(GrpcListener {
            health,
            reflection: Arc::new(reflection),
            sources,
            tls,
            limits: Limits::default(),
        })
    }

    pub fn health(&self) -> &Arc<HealthService> {
        &self.health
    }
}

impl ServiceFactory for GrpcListener {
    fn build(&self, worker: &Rc<WorkerCtx>) -> Rc<dyn Service> {
        let mut routes = Routes::new();
        health::register(&mut routes, &self.health);
        reflection::register(&mut routes, &self.reflection);
        for s in &self.sources {
            s.add_routes(worker, &mut routes);
        }
        Rc::new(GrpcConnections {
            handler: Rc::new(Counting {
                inner: Rc::new(GrpcServer::new(routes)),
                worker: Rc::clone(worker),
            }),
            tls: self.tls.clone(),
            limits: self.limits,
        })
    }
}

/// Counts each call on the worker's own counters.
struct Counting {
    inner: Rc<GrpcServer>,
    worker: Rc<WorkerCtx>,
}

impl Handler for Counting {
    fn call(self: Rc<Self>, request: Request) -> Pin<Box<dyn Future<Output = ()>>> {
        self.worker.counters().request();
        Rc::clone(&self.inner).call(request)
    }
}

struct GrpcConnections {
    handler: Rc<dyn Handler>,
    tls: Option<Arc<ServerConfig>>,
    limits: Limits,
}

impl Service for GrpcConnections {
    fn serve(self: Rc<Self>, conn: Connection) -> Pin<Box<dyn Future<Output = ()>>> {
        Box::pin(async move {
            let shutdown = Some(conn.worker.shutdown.clone());
            let handler = Rc::clone(&self.handler);
            match &self.tls {
                None => {
                    layotto_http2_transport::serve(conn.stream, handler, self.limits, shutdown)
                        .await
                }
                Some(config) => {
                    match monoio::time::timeout(TLS_HANDSHAKE, tls::accept(config, conn.stream))
                        .await
                    {
                        Ok(Ok(stream)) => {
                            layotto_http2_transport::serve(stream, handler, self.limits, shutdown)
                                .await
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(peer = %conn.peer, error = %e, "TLS handshake failed")
                        }
                        Err(_) => tracing::debug!(peer = %conn.peer, "TLS handshake timed out"),
                    }
                }
            }
        })
    }
}
