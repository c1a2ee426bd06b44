//! The standard health service (`grpc.health.v1.Health`, grpc/grpc
//! `doc/health-checking.md`) as request → response logic.
//!
//! One [`HealthService`] holds service name → serving status, `""` being
//! the server as a whole. It is `Sync` (a mutex around a small map, plus a
//! version counter mirrored in an atomic) so every worker thread can share
//! it and the runtime can flip statuses from anywhere.
//!
//! Watch without a runtime: [`HealthService::watch`] returns a
//! [`HealthWatch`] cursor. The server sends what its first
//! [`HealthWatch::poll`] returns, then polls again whenever it likes (a
//! timer, or after [`HealthService::version`] moved: a lock-free load); a
//! poll returns a response only when that service's status really changed
//! since the last one sent. Intermediate flips between two polls collapse
//! into the latest status, which is what the spec asks ("the server may
//! skip intermediate states").

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use layotto_grpc::Status;
use layotto_proto::grpc::health::v1::{
    HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
};

pub use layotto_proto::grpc::health::v1::health_check_response::ServingStatus;

/// Most services `List` reports; more is `RESOURCE_EXHAUSTED` (the limit
/// the health spec suggests, and grpc-go's).
pub const MAX_LIST_SERVICES: usize = 100;

#[derive(Debug, Default)]
struct State {
    statuses: BTreeMap<String, ServingStatus>,
    version: u64,
}

/// Registry of serving statuses, answering Check, List and Watch.
#[derive(Debug)]
pub struct HealthService {
    state: Mutex<State>,
    /// Copy of `state.version`, readable without the lock.
    version: AtomicU64,
}

impl Default for HealthService {
    fn default() -> HealthService {
        HealthService::new()
    }
}

fn response(status: ServingStatus) -> HealthCheckResponse {
    HealthCheckResponse {
        status: status as i32,
    }
}

impl HealthService {
    /// A registry where the server as a whole (`""`) is `SERVING`.
    pub fn new() -> HealthService {
        let svc = HealthService {
            state: Mutex::new(State::default()),
            version: AtomicU64::new(0),
        };
        svc.set_serving_status("", ServingStatus::Serving);
        svc
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves a consistent map (every
        // write is one insert/remove), so poisoning is ignored.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn bump(&self, state: &mut State) {
        state.version += 1;
        self.version.store(state.version, Ordering::Release);
    }

    /// Sets (or adds) a service's status; watchers see it on their next poll.
    pub fn set_serving_status(&self, service: &str, status: ServingStatus) {
        let mut state = self.lock();
        if state.statuses.get(service) != Some(&status) {
            state.statuses.insert(service.to_owned(), status);
            self.bump(&mut state);
        }
    }

    /// Forgets a service: Check answers `NOT_FOUND` and watchers get
    /// `SERVICE_UNKNOWN`.
    pub fn clear_status(&self, service: &str) {
        let mut state = self.lock();
        if state.statuses.remove(service).is_some() {
            self.bump(&mut state);
        }
    }

    /// Marks every registered service `NOT_SERVING` (graceful shutdown:
    /// load balancers drain before the listener closes). Later
    /// [`set_serving_status`](Self::set_serving_status) calls apply as usual.
    pub fn shutdown(&self) {
        let mut state = self.lock();
        let mut changed = false;
        for status in state.statuses.values_mut() {
            changed |= *status != ServingStatus::NotServing;
            *status = ServingStatus::NotServing;
        }
        if changed {
            self.bump(&mut state);
        }
    }

    /// The registered status of a service.
    pub fn status_of(&self, service: &str) -> Option<ServingStatus> {
        self.lock().statuses.get(service).copied()
    }

    /// Changes so far; any status change increments it. Lock-free.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// `Check`: the status of `request.service`, or `NOT_FOUND` if it is
    /// not registered.
    pub fn check(&self, request: &HealthCheckRequest) -> Result<HealthCheckResponse, Status> {
        self.status_of(&request.service)
            .map(response)
            .ok_or_else(|| Status::not_found(format!("unknown service {:?}", request.service)))
    }

    /// `List`: every registered service and its status.
    pub fn list(&self, _request: &HealthListRequest) -> Result<HealthListResponse, Status> {
        let state = self.lock();
        if state.statuses.len() > MAX_LIST_SERVICES {
            return Err(Status::resource_exhausted(format!(
                "{} services exceed the List limit of {MAX_LIST_SERVICES}",
                state.statuses.len()
            )));
        }
        Ok(HealthListResponse {
            statuses: state
                .statuses
                .iter()
                .map(|(name, status)| (name.clone(), response(*status)))
                .collect(),
        })
    }

    /// `Watch`: a cursor for one service; see the module docs.
    pub fn watch(&self, request: &HealthCheckRequest) -> HealthWatch {
        HealthWatch {
            service: request.service.clone(),
            last_sent: None,
            seen_version: None,
        }
    }

    fn snapshot(&self, service: &str) -> (ServingStatus, u64) {
        let state = self.lock();
        let status = state
            .statuses
            .get(service)
            .copied()
            .unwrap_or(ServingStatus::ServiceUnknown);
        (status, state.version)
    }
}

/// The state of one Watch call: what was last sent.
#[derive(Debug, Clone)]
pub struct HealthWatch {
    service: String,
    last_sent: Option<ServingStatus>,
    seen_version: Option<u64>,
}

impl HealthWatch {
    /// The watched service.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Whether the registry changed since the last poll (for any service;
    /// a cheap hint, not a promise that this service changed).
    pub fn may_have_changed(&self, health: &HealthService) -> bool {
        self.seen_version != Some(health.version())
    }

    /// The next message to stream: always one on the first poll (the
    /// current status, `SERVICE_UNKNOWN` for unregistered names, which the
    /// spec says must not end the call), then one only when the status
    /// differs from the last one sent.
    pub fn poll(&mut self, health: &HealthService) -> Option<HealthCheckResponse> {
        if !self.may_have_changed(health) {
            return None;
        }
        let (status, version) = health.snapshot(&self.service);
        self.seen_version = Some(version);
        if self.last_sent == Some(status) {
            return None;
        }
        self.last_sent = Some(status);
        Some(response(status))
    }
}

#[cfg(test)]
mod tests;
