//! What the emulator remembers: its services and tokens, the requests it received, the faults
//! still to inject and the connections it accepted.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::Serialize;

use super::faults::{Fault, FaultQueue};
use crate::sid::{AccessTokenSid, ServiceSid};

/// One request as the emulator received it: method, path and form fields.
///
/// The `Authorization` header is reduced to its user name; the password is never kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method (`POST`, `GET`…).
    pub method: String,
    /// The path, as sent (percent-encoding kept), without the query.
    pub path: String,
    /// The `application/x-www-form-urlencoded` fields of the body, decoded, in order; empty for
    /// a request without a form body.
    pub form: Vec<(String, String)>,
    /// The Basic user name (the account or API key SID) the request carried, if any.
    pub username: Option<String>,
}

impl RecordedRequest {
    /// The value of the first form field named `name` (`Identity`, `Ttl`…), if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// An access token as the emulator stores and serves it, in the spec's field order.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TokenRecord {
    pub(crate) sid: String,
    pub(crate) account_sid: String,
    pub(crate) service_sid: String,
    pub(crate) entity_identity: String,
    pub(crate) factor_type: String,
    pub(crate) factor_friendly_name: Option<String>,
    pub(crate) ttl: u32,
    pub(crate) date_created: String,
    pub(crate) token: String,
    pub(crate) url: String,
}

/// Everything that changes while the emulator runs, shared by every connection.
///
/// Not `Debug`: it holds the auth token.
pub(crate) struct State {
    pub(crate) base_url: String,
    pub(crate) account_sid: String,
    pub(crate) auth_token: String,
    connections: AtomicUsize,
    data: Mutex<Data>,
}

#[derive(Debug, Default)]
struct Data {
    services: HashMap<ServiceSid, HashMap<AccessTokenSid, TokenRecord>>,
    requests: Vec<RecordedRequest>,
    faults: FaultQueue,
}

impl State {
    pub(crate) fn new(base_url: String, account_sid: String, auth_token: String) -> State {
        State {
            base_url,
            account_sid,
            auth_token,
            connections: AtomicUsize::new(0),
            data: Mutex::new(Data::default()),
        }
    }

    /// The data, even if a thread panicked while holding the lock (every update is one step).
    fn data(&self) -> MutexGuard<'_, Data> {
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn connection_accepted(&self) {
        self.connections.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn connection_count(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    pub(crate) fn add_service(&self, sid: ServiceSid) {
        self.data().services.entry(sid).or_default();
    }

    pub(crate) fn has_service(&self, sid: &ServiceSid) -> bool {
        self.data().services.contains_key(sid)
    }

    /// Stores a token under its service; the service must exist.
    pub(crate) fn store_token(
        &self,
        service: &ServiceSid,
        sid: AccessTokenSid,
        record: TokenRecord,
    ) {
        if let Some(tokens) = self.data().services.get_mut(service) {
            tokens.insert(sid, record);
        }
    }

    pub(crate) fn token(&self, service: &ServiceSid, sid: &AccessTokenSid) -> Option<TokenRecord> {
        self.data().services.get(service)?.get(sid).cloned()
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        self.data().requests.push(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.data().requests.clone()
    }

    pub(crate) fn request_count(&self) -> usize {
        self.data().requests.len()
    }

    pub(crate) fn clear_requests(&self) {
        self.data().requests.clear();
    }

    pub(crate) fn inject(&self, fault: Fault, times: usize) {
        self.data().faults.push(fault, times);
    }

    pub(crate) fn next_fault(&self) -> Option<Fault> {
        self.data().faults.next()
    }

    pub(crate) fn pending_faults(&self) -> usize {
        self.data().faults.len()
    }

    pub(crate) fn clear_faults(&self) {
        self.data().faults.clear();
    }
}
