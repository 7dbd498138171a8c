//! What the emulator remembers: its credentials, clock and resources (the [`Store`]), the
//! requests it received, the faults still to inject and the connections it accepted.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::clock::Clock;
use super::delivery::Deliveries;
use super::faults::{Fault, FaultQueue};
use super::store::Store;
use crate::sid::ServiceSid;

/// One request as the emulator received it: method, path and form fields.
///
/// The `Authorization` header is reduced to its user name; the password is never kept. A body
/// over 1 MiB is not kept either: such a request is recorded with an empty `form` and
/// `body_too_large` set (and answered `413`).
/// `Debug` shows every form field but the secret ones (`AuthPayload`, `Binding.Secret`,
/// `Config.NotificationToken`, the phone API's `Token`), which print as `[redacted]`;
/// [`field`](RecordedRequest::field) still reads them, for a test's assertions.
#[derive(Clone, PartialEq, Eq)]
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
    /// Whether the body was over the emulator's 1 MiB limit; then `form` is empty, the request
    /// was answered `413` (code 20413) before authentication and used up no fault.
    pub body_too_large: bool,
}

/// The form fields whose values are secrets.
const SECRET_FIELDS: [&str; 4] = [
    "AuthPayload",
    "Binding.Secret",
    "Config.NotificationToken",
    "Token",
];

impl std::fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let form: Vec<(&str, &str)> = self
            .form
            .iter()
            .map(|(name, value)| {
                let shown = if SECRET_FIELDS.contains(&name.as_str()) {
                    "[redacted]"
                } else {
                    value.as_str()
                };
                (name.as_str(), shown)
            })
            .collect();
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("form", &form)
            .field("username", &self.username)
            .field("body_too_large", &self.body_too_large)
            .finish()
    }
}

impl RecordedRequest {
    /// Roughly what keeping it costs, in bytes.
    fn size(&self) -> usize {
        self.method.len()
            + self.path.len()
            + self
                .form
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
            + 64
    }

    /// The value of the first form field named `name` (`Identity`, `Ttl`…), if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Everything that changes while the emulator runs, shared by every connection.
///
/// Not `Debug`: it holds the auth token.
pub(crate) struct State {
    pub(crate) base_url: String,
    pub(crate) account_sid: String,
    pub(crate) auth_token: String,
    /// The API key (`SK…` SID and secret) accepted besides the account's auth token.
    pub(crate) api_key: Option<(String, String)>,
    pub(crate) clock: Clock,
    /// The webhook deliveries made so far, and the queue to the worker that makes them.
    pub(crate) deliveries: Deliveries,
    store: Mutex<Store>,
    connections: AtomicUsize,
    /// How long a connection may take to send a request, in nanoseconds (see
    /// [`State::read_timeout`]).
    read_timeout_nanos: AtomicU64,
    data: Mutex<Data>,
}

/// The default of [`State::read_timeout`].
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The shortest read timeout that can be set.
const MIN_READ_TIMEOUT: Duration = Duration::from_millis(1);
/// The longest read timeout that can be set.
const MAX_READ_TIMEOUT: Duration = Duration::from_secs(3600);

/// `duration` in nanoseconds, saturating (the read timeouts are far below the limit).
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// The most form data the request record keeps; the oldest requests are forgotten first, so
/// a long-running emulator (or a client sending 1 MiB bodies) cannot grow it without bound.
const MAX_RECORDED_BYTES: usize = 64 * 1024 * 1024;
/// The most requests the record keeps.
const MAX_RECORDED_REQUESTS: usize = 100_000;

#[derive(Debug, Default)]
struct Data {
    requests: std::collections::VecDeque<RecordedRequest>,
    recorded_bytes: usize,
    /// Every request since the last clear, the forgotten ones included.
    received: usize,
    faults: FaultQueue,
}

impl State {
    pub(crate) fn new(base_url: String, account_sid: String, auth_token: String) -> State {
        State {
            base_url,
            account_sid,
            auth_token,
            api_key: None,
            clock: Clock::default(),
            deliveries: Deliveries::default(),
            store: Mutex::new(Store::default()),
            connections: AtomicUsize::new(0),
            read_timeout_nanos: AtomicU64::new(nanos(DEFAULT_READ_TIMEOUT)),
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

    /// How long a newly accepted connection may take to send a complete request head (and
    /// then its body) before it is closed.
    pub(crate) fn read_timeout(&self) -> Duration {
        Duration::from_nanos(self.read_timeout_nanos.load(Ordering::Relaxed))
    }

    /// Sets [`State::read_timeout`], clamped to `MIN_READ_TIMEOUT..=MAX_READ_TIMEOUT`.
    pub(crate) fn set_read_timeout(&self, timeout: Duration) {
        let timeout = timeout.clamp(MIN_READ_TIMEOUT, MAX_READ_TIMEOUT);
        self.read_timeout_nanos
            .store(nanos(timeout), Ordering::Relaxed);
    }

    /// The resources, even if a thread panicked while holding the lock.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn add_service(&self, sid: ServiceSid) {
        self.store().services.entry(sid).or_default();
    }

    /// Whether `user:password` is the account's SID and auth token or the API key.
    pub(crate) fn accepts(&self, user: &str, password: &str) -> bool {
        let account = user == self.account_sid && password == self.auth_token;
        let key = self
            .api_key
            .as_ref()
            .is_some_and(|(sid, secret)| user == sid && password == secret);
        account || key
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut data = self.data();
        data.received = data.received.saturating_add(1);
        data.recorded_bytes += request.size();
        data.requests.push_back(request);
        while data.requests.len() > 1
            && (data.recorded_bytes > MAX_RECORDED_BYTES
                || data.requests.len() > MAX_RECORDED_REQUESTS)
        {
            if let Some(old) = data.requests.pop_front() {
                data.recorded_bytes -= old.size();
            }
        }
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.data().requests.iter().cloned().collect()
    }

    pub(crate) fn request_count(&self) -> usize {
        self.data().received
    }

    pub(crate) fn clear_requests(&self) {
        let mut data = self.data();
        data.requests.clear();
        data.recorded_bytes = 0;
        data.received = 0;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_timeout_defaults_to_ten_seconds_and_is_clamped_to_one_ms_through_one_hour() {
        let state = State::new(String::new(), String::new(), String::new());
        assert_eq!(state.read_timeout(), Duration::from_secs(10));
        state.set_read_timeout(Duration::ZERO);
        assert_eq!(state.read_timeout(), Duration::from_millis(1));
        state.set_read_timeout(Duration::MAX);
        assert_eq!(state.read_timeout(), Duration::from_secs(3600));
        state.set_read_timeout(Duration::from_millis(250));
        assert_eq!(state.read_timeout(), Duration::from_millis(250));
    }
}
