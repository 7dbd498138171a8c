//! A small routing mock for the entity, list and webhook tests: every request is recorded
//! (method, path, query, headers, body) and answered by the route matching its method and
//! exact path-and-query, or `599 no route` — so a test can assert the whole sequence sent.
//!
//! Each test file uses a different subset, so unused items are expected.
#![allow(dead_code)]

#[path = "../support/seen.rs"]
mod seen;
#[path = "../support/sid_shape.rs"]
mod sid_shape;
#[allow(unused_imports)]
pub use seen::{Log, Seen, catch_all, only};
#[allow(unused_imports)]
pub use sid_shape::sid_shape;

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use twilio_verify::{RetryPolicy, VerifyClient};

pub const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const AUTH_TOKEN: &str = "auth-token-0123456789abcdef";
pub const REQUEST_ID: &str = "RQ0123456789abcdef0123456789abcdef";
/// `2015-07-30T20:00:00Z`, the date of every spec example, in Unix seconds.
pub const EXAMPLE_DATE_SECS: u64 = 1_438_286_400;

/// `Basic base64(AC:AUTH_TOKEN)`, computed independently of the crate.
pub fn basic() -> String {
    format!("Basic {}", STANDARD.encode(format!("{AC}:{AUTH_TOKEN}")))
}

/// A client aimed at the mock that makes exactly one attempt per call.
pub fn client(server: &MockServer) -> VerifyClient {
    client_with(server, RetryPolicy::none())
}

pub fn client_with(server: &MockServer, policy: RetryPolicy) -> VerifyClient {
    VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// One answer: status, body, extra headers.
#[derive(Clone)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

pub fn answer(status: u16, body: impl Into<String>) -> Answer {
    Answer {
        status,
        body: body.into(),
        headers: Vec::new(),
    }
}

impl Answer {
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A route: requests with this method and exact `path?query` get `answers` in turn (the
/// last one again once they run out).
pub struct Route {
    method: &'static str,
    target: String,
    answers: Vec<Answer>,
    used: usize,
}

pub fn route(method: &'static str, target: impl Into<String>, answers: Vec<Answer>) -> Route {
    assert!(!answers.is_empty());
    Route {
        method,
        target: target.into(),
        answers,
        used: 0,
    }
}

/// Serves `routes` on `server`, recording every request in order.
pub fn serve(server: &MockServer, routes: Vec<Route>) -> (Mock<'_>, Log) {
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let routes = Arc::new(Mutex::new(routes));
    let mock = server.mock(move |when, then| {
        when.any_request();
        then.respond_with(move |req: &HttpMockRequest| {
            let request = Seen::of(req);
            let target = request.target();
            let method = request.method.clone();
            seen.lock().unwrap().push(request);
            let mut routes = routes.lock().unwrap();
            let found = routes
                .iter_mut()
                .find(|r| r.method == method && r.target == target);
            let Some(found) = found else {
                return HttpMockResponse::builder()
                    .status(599)
                    .body("no route")
                    .build();
            };
            let answer = found.answers[found.used.min(found.answers.len() - 1)].clone();
            found.used += 1;
            let mut response = HttpMockResponse::builder()
                .status(answer.status)
                .header("twilio-request-id", REQUEST_ID);
            if !answer.body.is_empty() {
                response = response.header("content-type", "application/json");
            }
            for (name, value) in &answer.headers {
                response = response.header(name.clone(), value.clone());
            }
            response.body(answer.body).build()
        });
    });
    (mock, log)
}

/// Every request seen so far.
pub fn seen(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

/// The `METHOD path?query` of every request seen, in order.
pub fn sent(log: &Log) -> Vec<String> {
    seen(log)
        .iter()
        .map(|s| format!("{} {}", s.method, s.target()))
        .collect()
}
