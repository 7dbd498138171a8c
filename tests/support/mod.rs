//! Shared helpers for the integration tests: fixed SIDs, the spec's example bodies, the exact
//! header values a request must carry, and a mock that records every request it answers.
//!
//! Each test file uses a different subset, so unused items are expected.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use twilio_verify::{RetryPolicy, VerifyClient, VerifyClientBuilder};

pub const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const YK: &str = "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
pub const AUTH_TOKEN: &str = "auth-token-0123456789abcdef";
pub const API_SECRET: &str = "api-secret-fedcba9876543210";
pub const REQUEST_ID: &str = "RQ0123456789abcdef0123456789abcdef";

/// The spec's example responses, verbatim.
pub const CREATE_WITH_TTL_201: &str = include_str!("../fixtures/create_with_ttl_201.json");
pub const CREATE_WITHOUT_TTL_201: &str = include_str!("../fixtures/create_without_ttl_201.json");
pub const CREATE_WITH_TTL_200: &str = include_str!("../fixtures/create_with_ttl_200.json");
pub const FETCH_200: &str = include_str!("../fixtures/fetch_200.json");

/// Twilio-shaped error bodies.
pub const ERROR_400_60200: &str = include_str!("../fixtures/error_400_60200.json");
pub const ERROR_401_20003: &str = include_str!("../fixtures/error_401_20003.json");
pub const ERROR_404_20404: &str = include_str!("../fixtures/error_404_20404.json");
pub const ERROR_429_20429: &str = include_str!("../fixtures/error_429_20429.json");
pub const ERROR_500_HTML: &str = include_str!("../fixtures/error_500.html");

/// The JWT every spec example carries; it must never be printed.
pub fn example_jwt() -> String {
    let value: serde_json::Value = serde_json::from_str(FETCH_200).unwrap();
    value["token"].as_str().unwrap().to_owned()
}

pub fn create_path() -> String {
    format!("/v2/Services/{VA}/AccessTokens")
}

pub fn fetch_path(sid: &str) -> String {
    format!("/v2/Services/{VA}/AccessTokens/{sid}")
}

/// `Basic base64(user:password)`, computed independently of the crate.
pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// The user agent the crate must send, without an extension.
pub fn user_agent() -> String {
    format!(
        "twilio-verify-rust/{} ({} {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// A builder with auth-token credentials aimed at the mock.
pub fn builder(server: &MockServer) -> VerifyClientBuilder {
    VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
}

/// A client aimed at the mock that makes exactly one attempt per call.
pub fn client(server: &MockServer) -> VerifyClient {
    builder(server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A request as the mock saw it; header names are lower-cased.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    /// Every value of header `name`, in order.
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The sorted, de-duplicated header names.
    pub fn header_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.headers.iter().map(|(n, _)| n.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

pub type Log = Arc<Mutex<Vec<Seen>>>;

/// A catch-all mock that records every request and answers `status` with `body`, plus
/// `Twilio-Request-Id` and any extra `headers`.
pub fn recorder<'a>(
    server: &'a MockServer,
    status: u16,
    body: &str,
    headers: &[(&str, &str)],
) -> (Mock<'a>, Log) {
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let body = body.to_owned();
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mock = server.mock(move |when, then| {
        when.any_request();
        then.respond_with(move |req: &HttpMockRequest| {
            let uri = req.uri();
            seen.lock().unwrap().push(Seen {
                method: req.method_str().to_owned(),
                path: uri.path().to_owned(),
                query: uri.query().map(str::to_owned),
                headers: req
                    .headers_vec()
                    .iter()
                    .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                    .collect(),
                body: req.body_vec(),
            });
            let mut response = HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .header("twilio-request-id", REQUEST_ID);
            for (name, value) in &headers {
                response = response.header(name.clone(), value.clone());
            }
            response.body(body.clone()).build()
        });
    });
    (mock, log)
}

/// The single request the log holds.
pub fn only(log: &Log) -> Seen {
    let seen = log.lock().unwrap();
    assert_eq!(seen.len(), 1, "expected exactly one request, saw {seen:#?}");
    seen[0].clone()
}

/// A mock that answers anything; tests that must send nothing assert it saw zero calls.
pub fn catch_all(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(599).body("a request reached the mock");
    })
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}
