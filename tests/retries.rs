//! Retries by method, for every resource: `GET` and `DELETE` are idempotent, every `POST`
//! (creates and updates) is retried only when it provably never reached Twilio, and a
//! `DELETE` whose retry finds the resource gone has succeeded.

mod mock_router;

use std::time::Duration;

use httpmock::MockServer;
use mock_router::*;
use twilio_verify::{Error, RetryPolicy, UpdateFactor};

const IDENTITY: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
const YF: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YW: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const GONE: &str = r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#;
const UNAVAILABLE: &str = r#"{"code":20503,"message":"Service Unavailable","status":503}"#;
const TOO_MANY: &str = r#"{"code":20429,"message":"Too Many Requests","status":429}"#;

fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn factor_path() -> String {
    format!("/v2/Services/{VA}/Entities/{IDENTITY}/Factors/{YF}")
}

fn api_status(result: Result<(), Error>) -> (u16, u32) {
    match result {
        Err(Error::Api(e)) => (e.status(), e.attempts()),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[test]
fn a_delete_whose_retry_after_a_503_finds_the_factor_gone_has_succeeded() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(
            "DELETE",
            factor_path(),
            vec![answer(503, UNAVAILABLE), answer(404, GONE)],
        )],
    );
    let factors = client_with(&server, quick()).factors(VA, IDENTITY).unwrap();
    factors.delete(YF).unwrap();
    assert_eq!(
        sent(&log),
        vec![format!("DELETE {}", factor_path()); 2],
        "the 503 may have deleted it; the retry's 404 says it did"
    );
}

#[test]
fn a_delete_answered_404_at_once_is_an_error_after_one_request() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route("DELETE", factor_path(), vec![answer(404, GONE)])],
    );
    let factors = client_with(&server, quick()).factors(VA, IDENTITY).unwrap();
    assert_eq!(api_status(factors.delete(YF)), (404, 1));
    assert_eq!(sent(&log).len(), 1);
}

#[test]
fn a_404_after_a_429_is_an_error_since_the_429_deleted_nothing() {
    let server = MockServer::start();
    let path = format!("/v2/Services/{VA}/Webhooks/{YW}");
    let (_mock, log) = serve(
        &server,
        vec![route(
            "DELETE",
            path.clone(),
            vec![answer(429, TOO_MANY), answer(404, GONE)],
        )],
    );
    let webhooks = client_with(&server, quick()).webhooks(VA).unwrap();
    assert_eq!(api_status(webhooks.delete(YW)), (404, 2));
    assert_eq!(sent(&log), vec![format!("DELETE {path}"); 2]);
}

#[test]
fn a_delete_is_retried_on_5xx_until_the_attempts_run_out() {
    let server = MockServer::start();
    let path = format!("/v2/Services/{VA}/Entities/{IDENTITY}");
    let (_mock, log) = serve(
        &server,
        vec![route("DELETE", path, vec![answer(503, UNAVAILABLE)])],
    );
    let entities = client_with(&server, quick()).entities(VA).unwrap();
    assert_eq!(api_status(entities.delete(IDENTITY)), (503, 3));
    assert_eq!(sent(&log).len(), 3);
}

#[test]
fn an_update_is_a_post_and_never_retried_after_a_503_a_code_may_be_spent() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route("POST", factor_path(), vec![answer(503, UNAVAILABLE)])],
    );
    let factors = client_with(&server, quick()).factors(VA, IDENTITY).unwrap();
    match factors.update(YF, &UpdateFactor::new().auth_payload("123456")) {
        Err(Error::Api(e)) => assert_eq!((e.status(), e.attempts()), (503, 1)),
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(sent(&log).len(), 1);
}

#[test]
fn an_update_answered_429_is_retried_since_twilio_did_not_process_it() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(
            "POST",
            factor_path(),
            vec![
                answer(429, TOO_MANY),
                answer(200, include_str!("fixtures/factor_verify_totp.json")),
            ],
        )],
    );
    let factors = client_with(&server, quick()).factors(VA, IDENTITY).unwrap();
    factors.verify(YF, "123456").unwrap();
    assert_eq!(sent(&log).len(), 2);
}

#[test]
fn a_list_page_answered_503_is_fetched_again() {
    let server = MockServer::start();
    let path = format!("/v2/Services/{VA}/Webhooks");
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            path.clone(),
            vec![
                answer(503, UNAVAILABLE),
                answer(
                    200,
                    include_str!("fixtures/webhook_resource_read_full.json"),
                ),
            ],
        )],
    );
    let webhooks = client_with(&server, quick()).webhooks(VA).unwrap();
    let read: Vec<_> = webhooks.list().collect::<Result<_, _>>().unwrap();
    assert!(!read.is_empty());
    assert_eq!(sent(&log), vec![format!("GET {path}"); 2]);
}
