//! [`Router`]: full method path → handler, for any handler type.
//!
//! The server decides what a handler is (a function pointer, a boxed
//! trait object, an enum of proxy targets); the router only maps paths and
//! remembers each method's call shape. Lookups hash the borrowed `&str`
//! against `Box<str>` keys, so finding a route allocates nothing.

use std::collections::{BTreeMap, HashMap};

use thiserror::Error;

use crate::request::parse_path;

/// The four call shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodKind {
    /// One request, one response.
    Unary,
    /// One request, a stream of responses.
    ServerStreaming,
    /// A stream of requests, one response.
    ClientStreaming,
    /// Streams both ways.
    Bidi,
}

impl MethodKind {
    /// The kind from the descriptor's two streaming flags.
    pub const fn from_streaming(client_streaming: bool, server_streaming: bool) -> MethodKind {
        match (client_streaming, server_streaming) {
            (false, false) => MethodKind::Unary,
            (false, true) => MethodKind::ServerStreaming,
            (true, false) => MethodKind::ClientStreaming,
            (true, true) => MethodKind::Bidi,
        }
    }

    /// Whether the client may send more than one message.
    pub const fn client_streaming(self) -> bool {
        matches!(self, MethodKind::ClientStreaming | MethodKind::Bidi)
    }

    /// Whether the server may send more than one message.
    pub const fn server_streaming(self) -> bool {
        matches!(self, MethodKind::ServerStreaming | MethodKind::Bidi)
    }
}

/// Why a route could not be added.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RouteError {
    /// The path is already routed.
    #[error("duplicate route {0}")]
    Duplicate(String),
    /// The path is not `/service/method`.
    #[error("invalid method path {0:?}")]
    InvalidPath(String),
}

/// One routed method.
#[derive(Debug, Clone)]
pub struct Route<H> {
    path: Box<str>,
    /// Byte offset of the `/` between service and method.
    split: usize,
    kind: MethodKind,
    handler: H,
}

impl<H> Route<H> {
    /// `/package.Service/Method`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `package.Service`.
    pub fn service(&self) -> &str {
        self.path.get(1..self.split).unwrap_or_default()
    }

    /// `Method`.
    pub fn method(&self) -> &str {
        self.path.get(self.split + 1..).unwrap_or_default()
    }

    /// The call shape.
    pub fn kind(&self) -> MethodKind {
        self.kind
    }

    /// The handler.
    pub fn handler(&self) -> &H {
        &self.handler
    }
}

/// Method routes, plus the set of services they cover.
#[derive(Debug, Clone)]
pub struct Router<H> {
    routes: HashMap<Box<str>, Route<H>>,
    /// Service → number of methods; a BTreeMap so `services()` is sorted
    /// and unique without collecting.
    services: BTreeMap<Box<str>, usize>,
}

impl<H> Default for Router<H> {
    fn default() -> Router<H> {
        Router {
            routes: HashMap::new(),
            services: BTreeMap::new(),
        }
    }
}

impl<H> Router<H> {
    /// No routes.
    pub fn new() -> Router<H> {
        Router::default()
    }

    /// Routes `path` (`/package.Service/Method`) to `handler`.
    pub fn insert(&mut self, path: &str, kind: MethodKind, handler: H) -> Result<(), RouteError> {
        let (service, _) = parse_path(path).ok_or_else(|| RouteError::InvalidPath(path.into()))?;
        if self.routes.contains_key(path) {
            return Err(RouteError::Duplicate(path.into()));
        }
        let route = Route {
            path: path.into(),
            split: 1 + service.len(),
            kind,
            handler,
        };
        *self.services.entry(service.into()).or_insert(0) += 1;
        self.routes.insert(path.into(), route);
        Ok(())
    }

    /// The route for a `:path`, without allocating.
    pub fn get(&self, path: &str) -> Option<&Route<H>> {
        self.routes.get(path)
    }

    /// Like [`get`](Self::get) for a raw `:path` value.
    pub fn get_bytes(&self, path: &[u8]) -> Option<&Route<H>> {
        std::str::from_utf8(path).ok().and_then(|p| self.get(p))
    }

    /// Fully-qualified names of the routed services, sorted and unique
    /// (what server reflection lists).
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(|s| &**s)
    }

    /// Whether any method of `service` is routed.
    pub fn has_service(&self, service: &str) -> bool {
        self.services.contains_key(service)
    }

    /// Every route, in no particular order.
    pub fn routes(&self) -> impl Iterator<Item = &Route<H>> {
        self.routes.values()
    }

    /// Number of routed methods.
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    /// Whether nothing is routed.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_services() {
        let mut r: Router<u32> = Router::new();
        r.insert(
            "/spec.proto.runtime.v1.Runtime/SayHello",
            MethodKind::Unary,
            1,
        )
        .unwrap();
        r.insert(
            "/grpc.health.v1.Health/Watch",
            MethodKind::ServerStreaming,
            2,
        )
        .unwrap();
        r.insert(
            "/spec.proto.runtime.v1.Runtime/GetState",
            MethodKind::Unary,
            3,
        )
        .unwrap();
        let route = r.get("/spec.proto.runtime.v1.Runtime/SayHello").unwrap();
        assert_eq!(*route.handler(), 1);
        assert_eq!(route.service(), "spec.proto.runtime.v1.Runtime");
        assert_eq!(route.method(), "SayHello");
        assert_eq!(route.kind(), MethodKind::Unary);
        assert_eq!(
            r.get_bytes(b"/grpc.health.v1.Health/Watch")
                .map(|r| *r.handler()),
            Some(2)
        );
        assert!(r.get("/grpc.health.v1.Health/Check").is_none());
        assert!(r.get_bytes(b"/\xff/x").is_none());
        let services: Vec<&str> = r.services().collect();
        assert_eq!(
            services,
            ["grpc.health.v1.Health", "spec.proto.runtime.v1.Runtime"]
        );
        assert!(r.has_service("grpc.health.v1.Health"));
        assert_eq!(r.len(), 3);
    }

    #[test]
    fn duplicates_and_bad_paths_are_refused() {
        let mut r: Router<()> = Router::new();
        r.insert("/a.S/M", MethodKind::Bidi, ()).unwrap();
        assert_eq!(
            r.insert("/a.S/M", MethodKind::Unary, ()),
            Err(RouteError::Duplicate("/a.S/M".into()))
        );
        assert_eq!(r.get("/a.S/M").map(Route::kind), Some(MethodKind::Bidi));
        assert!(matches!(
            r.insert("a.S/M", MethodKind::Unary, ()),
            Err(RouteError::InvalidPath(_))
        ));
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn kinds() {
        assert_eq!(MethodKind::from_streaming(true, true), MethodKind::Bidi);
        assert_eq!(
            MethodKind::from_streaming(false, true),
            MethodKind::ServerStreaming
        );
        assert!(MethodKind::ClientStreaming.client_streaming());
        assert!(!MethodKind::ClientStreaming.server_streaming());
    }
}
