//! Shared helpers for the integration tests: fixed SIDs, the spec's example bodies, the exact
//! header values a request must carry, and a mock that records every request it answers.
//!
//! Each test file uses a different subset, so unused items are expected.
#![allow(dead_code)]

mod seen;
mod sid_shape;
#[allow(unused_imports)]
pub use seen::{Log, Seen, catch_all, only};
#[allow(unused_imports)]
pub use sid_shape::sid_shape;

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer, When};
use twilio_verify::{
    AccessToken, ApiError, DecodeError, Error, FactorType, RetryPolicy, TransportError,
    VerifyClient, VerifyClientBuilder,
};

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
/// The one-line excerpt an `ApiError` makes of [`ERROR_500_HTML`].
pub const ERROR_500_EXCERPT: &str = "<!DOCTYPE html> <html> <head><title>500 Internal Server Error</title></head> \
                                     <body> <center><h1>500 Internal Server Error</h1></center> \
                                     <hr><center>nginx</center> </body> </html>";

/// Every field of the spec's `verify.v2.service.access_token` schema, sorted.
pub const ACCESS_TOKEN_FIELDS: [&str; 10] = [
    "account_sid",
    "date_created",
    "entity_identity",
    "factor_friendly_name",
    "factor_type",
    "service_sid",
    "sid",
    "token",
    "ttl",
    "url",
];

/// The identity every spec example carries.
pub const EXAMPLE_IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";

/// The JWT every spec example carries; it must never be printed.
pub fn example_jwt() -> String {
    let value: serde_json::Value = serde_json::from_str(FETCH_200).unwrap();
    value["token"].as_str().unwrap().to_owned()
}

/// The `date_created` of every spec example, `2015-07-30T20:00:00Z`.
pub fn example_date_created() -> std::time::SystemTime {
    std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_438_286_400)
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
            seen.lock().unwrap().push(Seen::of(req));
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

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

/// A client aimed at a closed port on 127.0.0.1 with `policy`: every attempt fails to connect.
pub fn unreachable_client(policy: RetryPolicy) -> VerifyClient {
    VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(policy)
        .build()
        .unwrap()
}

/// Starts a mock that records and answers every request as [`recorder`] does, runs `call`
/// against it, asserts the mock saw exactly `calls` requests and returns what `call` returned.
pub fn against<T>(
    status: u16,
    body: &str,
    headers: &[(&str, &str)],
    calls: usize,
    call: impl FnOnce(&MockServer) -> T,
) -> T {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, status, body, headers);
    let result = call(&server);
    mock.assert_calls(calls);
    result
}

/// A mock that answers every request 500 with [`ERROR_500_HTML`] as `text/html`.
pub fn html_500(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(500)
            .header("content-type", "text/html")
            .body(ERROR_500_HTML);
    })
}

/// Two mocks: one at `/elsewhere` answering `status` with `body`, and one that redirects the
/// requests `from` matches there with a 302. Returns `(redirect, elsewhere)`.
pub fn redirect_elsewhere<'a>(
    server: &'a MockServer,
    from: impl FnOnce(When) -> When,
    status: u16,
    body: &str,
) -> (Mock<'a>, Mock<'a>) {
    let elsewhere = server.mock(|when, then| {
        when.path("/elsewhere");
        then.status(status).body(body);
    });
    let redirect = server.mock(|when, then| {
        from(when);
        then.status(302)
            .header("location", server.url("/elsewhere"))
            .body("");
    });
    (redirect, elsewhere)
}

/// Unwraps an `Error::InvalidInput`, checks that the error's Display is the refusal's behind
/// `invalid input: `, and returns the refusal's parameter and the error's Display.
#[track_caller]
pub fn invalid_input<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    let err = result.expect_err("expected InvalidInput");
    let Error::InvalidInput(invalid) = &err else {
        panic!("expected InvalidInput, got {err:?}")
    };
    let display = err.to_string();
    assert_eq!(display, format!("invalid input: {invalid}"));
    (invalid.parameter().to_owned(), display)
}

/// What [`invalid_input`] returns, from string slices.
pub fn pair(parameter: &str, display: &str) -> (String, String) {
    (parameter.to_owned(), display.to_owned())
}

/// The `TransportError` inside `err`.
#[track_caller]
pub fn transport_error(err: &Error) -> &TransportError {
    let Error::Transport(transport) = err else {
        panic!("expected Transport, got {err:?}")
    };
    transport
}

/// The `DecodeError` inside `err`.
#[track_caller]
pub fn decode_error(err: &Error) -> &DecodeError {
    let Error::Decode(decode) = err else {
        panic!("expected Decode, got {err:?}")
    };
    decode
}

/// Asserts an `ApiError`'s status, code and message.
#[track_caller]
pub fn assert_api_error(e: &ApiError, status: u16, code: Option<u32>, message: &str) {
    assert_eq!(e.status(), status);
    assert_eq!(e.code(), code);
    assert_eq!(e.message(), message);
}

/// Twilio's page for error `code`.
pub fn more_info(code: u32) -> String {
    format!("https://www.twilio.com/docs/errors/{code}")
}

/// Asserts a Twilio JSON error as [`recorder`] serves it: status, code and message, the code's
/// `more_info` page, and [`REQUEST_ID`].
#[track_caller]
pub fn assert_twilio_error(e: &ApiError, status: u16, code: u32, message: &str) {
    assert_api_error(e, status, Some(code), message);
    assert_eq!(e.more_info(), Some(more_info(code).as_str()));
    assert_eq!(e.request_id(), Some(REQUEST_ID));
}

/// The Display of an `Error::Api` for a Twilio JSON error as [`recorder`] serves it, after one
/// attempt.
pub fn twilio_error_display(status: u16, code: u32, message: &str) -> String {
    format!(
        "Twilio answered HTTP {status} with error {code}: {message} (see {}) [request {REQUEST_ID}]",
        more_info(code)
    )
}

/// A strict mock of one call: it answers `status` with `body` as JSON only to a `method` request
/// for `path` carrying the auth-token `Authorization`, `Accept: application/json` and the
/// crate's `User-Agent`, and matching whatever else `more` asks for.
pub fn strict_mock<'a>(
    server: &'a MockServer,
    method: &str,
    path: &str,
    more: impl FnOnce(When) -> When,
    status: u16,
    body: &str,
) -> Mock<'a> {
    server.mock(|when, then| {
        more(
            when.method(method)
                .path(path)
                .header("authorization", basic(AC, AUTH_TOKEN))
                .header("accept", "application/json")
                .header("user-agent", user_agent()),
        );
        then.status(status)
            .header("content-type", "application/json")
            .body(body);
    })
}

/// Asserts every field of the spec's example access token (for [`EXAMPLE_IDENTITY`] on John Doe's
/// iPhone), whose `ttl` differs between the examples.
#[track_caller]
pub fn assert_spec_example(token: &AccessToken, ttl: u32) {
    assert_eq!(token.sid.as_str(), YK);
    assert_eq!(token.account_sid.as_str(), AC);
    assert_eq!(token.service_sid.as_str(), VA);
    assert_eq!(token.entity_identity, EXAMPLE_IDENTITY);
    assert_eq!(token.factor_type, FactorType::Push);
    assert_eq!(
        token.factor_friendly_name.as_deref(),
        Some("John Doe iPhone")
    );
    assert_eq!(token.token.expose_secret(), example_jwt());
    assert_eq!(
        token.url,
        format!("https://verify.twilio.com/v2/Services/{VA}/AccessTokens/{YK}")
    );
    assert_eq!(token.ttl, ttl);
    assert_eq!(token.date_created, example_date_created());
}

/// Asserts `seen` is a `method` request for `path` with `query`, carrying the auth-token
/// `Authorization` alone.
#[track_caller]
pub fn assert_request(seen: &Seen, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(seen.method, method);
    assert_eq!(seen.path, path);
    assert_eq!(seen.query.as_deref(), query);
    assert_eq!(seen.header("authorization"), [basic(AC, AUTH_TOKEN)]);
}

/// Asserts `seen` is a form `POST` for `path` with no query, carrying the auth-token
/// `Authorization` alone.
#[track_caller]
pub fn assert_form_post(seen: &Seen, path: &str) {
    assert_request(seen, "POST", path, None);
    assert_eq!(
        seen.header("content-type"),
        ["application/x-www-form-urlencoded"]
    );
}
