//! `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}`: the exact request on the wire, decoding
//! of the spec's example and of everything a 2xx body may get wrong, refusals before sending, and
//! the error answers.

mod support;

use std::time::Duration;

use httpmock::MockServer;
use support::*;
use twilio_verify::{AccessToken, AccessTokenSid, Error, FactorType, RetryPolicy, VerifyClient};

/// The headers every fetch must carry: no `Content-Type`, no body.
fn assert_fetch_request(seen: &Seen, sid: &str, authorization: &str) {
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, fetch_path(sid));
    assert_eq!(seen.query, None);
    assert_eq!(seen.header("authorization"), [authorization]);
    assert_eq!(seen.header("accept"), ["application/json"]);
    assert_eq!(seen.header("user-agent"), [user_agent().as_str()]);
    assert!(seen.header("content-type").is_empty(), "{seen:?}");
    assert!(seen.body.is_empty(), "{seen:?}");
    assert_eq!(
        seen.header_names(),
        ["accept", "authorization", "host", "user-agent"],
        "unexpected headers: {:?}",
        seen.headers
    );
}

fn fetch_body(status: u16, body: &str) -> Result<AccessToken, Error> {
    against(status, body, &[], 1, |server| {
        client(server).access_tokens(VA).unwrap().fetch(YK)
    })
}

// ---------------------------------------------------------------------------------------------
// The wire
// ---------------------------------------------------------------------------------------------

/// Fetches `sid` against a mock answering with the spec's example; asserts it saw exactly one
/// request and returns it.
fn sent_by_fetch(sid: &str) -> Seen {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 200, FETCH_200, &[]);
    client(&server)
        .access_tokens(VA)
        .unwrap()
        .fetch(sid)
        .unwrap();
    mock.assert_calls(1);
    only(&log)
}

#[test]
fn fetch_sends_get_with_exact_path_and_headers_and_no_body_or_content_type() {
    assert_fetch_request(&sent_by_fetch(YK), YK, &basic(AC, AUTH_TOKEN));
}

#[test]
fn fetch_with_an_api_key_sends_basic_auth_of_key_sid_and_secret() {
    let server = MockServer::start();
    let (_mock, log) = recorder(&server, 200, FETCH_200, &[]);
    let client = VerifyClient::builder()
        .api_key(SK, API_SECRET)
        .account_sid(AC)
        .base_url(server.base_url())
        .build()
        .unwrap();

    client.access_tokens(VA).unwrap().fetch(YK).unwrap();

    assert_fetch_request(&only(&log), YK, &basic(SK, API_SECRET));
}

#[test]
fn fetch_matches_a_strict_mock_without_content_type() {
    let server = MockServer::start();
    let mock = strict_mock(
        &server,
        "GET",
        &fetch_path(YK),
        |when| {
            when.header_missing("content-type")
                .header_missing("content-length")
        },
        200,
        FETCH_200,
    );

    client(&server)
        .access_tokens(VA)
        .unwrap()
        .fetch(YK)
        .unwrap();

    mock.assert_calls(1);
}

#[test]
fn fetch_accepts_an_access_token_sid_a_str_and_a_string() {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 200, FETCH_200, &[]);
    let tokens = client(&server).access_tokens(VA).unwrap();
    let sid: AccessTokenSid = YK.parse().unwrap();

    let by_sid = tokens.fetch(&sid).unwrap();
    let by_str = tokens.fetch(YK).unwrap();
    let by_string = tokens.fetch(String::from(YK)).unwrap();
    let by_returned = tokens.fetch(&by_sid.sid).unwrap();

    mock.assert_calls(4);
    for token in [&by_sid, &by_str, &by_string, &by_returned] {
        assert_eq!(token.sid, sid);
    }
    for seen in log.lock().unwrap().iter() {
        assert_eq!(seen.path, fetch_path(YK));
    }
}

#[test]
fn fetch_accepts_upper_case_hex_in_the_sid() {
    let sid = "YK0123456789ABCDEFabcdef0123456789";
    assert_eq!(sent_by_fetch(sid).path, fetch_path(sid));
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

#[test]
fn fetch_decodes_the_specs_fetch_example() {
    assert_spec_example(&fetch_body(200, FETCH_200).unwrap(), 60);
}

fn example_with(change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut body: serde_json::Value = serde_json::from_str(FETCH_200).unwrap();
    change(body.as_object_mut().unwrap());
    body.to_string()
}

#[test]
fn fetch_ignores_unknown_fields() {
    let body = example_with(|o| {
        o.insert("links".into(), serde_json::json!({"factors": "https://x"}));
        o.insert("date_updated".into(), serde_json::json!(null));
        o.insert("some_future_field".into(), serde_json::json!([1, 2, 3]));
    });
    let token = fetch_body(200, &body).unwrap();
    assert_eq!(token.sid.as_str(), YK);
}

#[test]
fn fetch_decodes_an_unknown_factor_type_as_other() {
    let body = example_with(|o| {
        o.insert("factor_type".into(), "passkey".into());
    });
    let token = fetch_body(200, &body).unwrap();
    assert_eq!(token.factor_type, FactorType::Other("passkey".into()));
    assert_eq!(token.factor_type.as_str(), "passkey");
}

#[test]
fn fetch_allows_factor_friendly_name_to_be_missing_or_null() {
    let missing = example_with(|o| {
        o.remove("factor_friendly_name");
    });
    assert_eq!(
        fetch_body(200, &missing).unwrap().factor_friendly_name,
        None
    );
    let null = example_with(|o| {
        o.insert("factor_friendly_name".into(), serde_json::Value::Null);
    });
    assert_eq!(fetch_body(200, &null).unwrap().factor_friendly_name, None);
}

const REQUIRED: [&str; 9] = [
    "sid",
    "account_sid",
    "service_sid",
    "entity_identity",
    "factor_type",
    "token",
    "url",
    "ttl",
    "date_created",
];

fn assert_missing(result: Result<AccessToken, Error>, field: &str) {
    let err = result.unwrap_err();
    let decode = decode_error(&err);
    assert_eq!(decode.missing(), Some(field), "{err:?}");
    assert_eq!(decode.status(), 200);
    assert_eq!(decode.request_id(), Some(REQUEST_ID));
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode Twilio's HTTP 200 answer: required field `{field}` is missing or null \
             [request {REQUEST_ID}]"
        )
    );
}

#[test]
fn fetch_with_each_required_field_missing_is_a_decode_error_naming_it() {
    for field in REQUIRED {
        let body = example_with(|o| {
            o.remove(field).unwrap();
        });
        assert_missing(fetch_body(200, &body), field);
    }
}

#[test]
fn fetch_with_each_required_field_null_is_a_decode_error_naming_it() {
    for field in REQUIRED {
        let body = example_with(|o| {
            o.insert(field.into(), serde_json::Value::Null);
        });
        assert_missing(fetch_body(200, &body), field);
    }
}

/// Asserts `body` on a 200 is a decode error for `reason`, naming the field at `path` (the one
/// being read when decoding failed) when there is one.
fn assert_undecodable(body: &str, reason: &str, path: Option<&str>) {
    let err = fetch_body(200, body).unwrap_err();
    let decode = decode_error(&err);
    assert_eq!(decode.missing(), None, "{body:?}");
    assert_eq!(decode.path(), path, "{body:?}");
    let at = path.map(|path| format!(" (`{path}`)")).unwrap_or_default();
    assert_eq!(
        err.to_string(),
        format!("could not decode Twilio's HTTP 200 answer: {reason}{at} [request {REQUEST_ID}]")
    );
}

#[test]
fn fetch_with_malformed_json_on_200_is_a_decode_error() {
    assert_undecodable("{\"sid\": \"YK", "the JSON ends early", Some("sid"));
    assert_undecodable("not json at all", "the body is not JSON", None);
    assert_undecodable("[]", "a field has an unexpected value", None);
}

#[test]
fn fetch_with_an_empty_200_body_is_a_decode_error() {
    assert_undecodable("", "the JSON ends early", None);
}

#[test]
fn fetch_with_a_wrongly_typed_or_shaped_field_is_a_decode_error_naming_it() {
    let ttl = example_with(|o| {
        o.insert("ttl".into(), "sixty".into());
    });
    assert_undecodable(&ttl, "a field has an unexpected value", Some("ttl"));
    let sid = example_with(|o| {
        o.insert("sid".into(), "YKnot-a-sid".into());
    });
    assert_undecodable(&sid, "a field has an unexpected value", Some("sid"));
    let date = example_with(|o| {
        o.insert("date_created".into(), "yesterday".into());
    });
    assert_undecodable(
        &date,
        "a field has an unexpected value",
        Some("date_created"),
    );
}

#[test]
fn fetch_decode_errors_never_show_the_jwt() {
    let body = example_with(|o| {
        o.remove("url");
    });
    let err = fetch_body(200, &body).unwrap_err();
    let jwt = example_jwt();
    assert!(!err.to_string().contains(&jwt));
    assert!(!format!("{err:?}").contains(&jwt));
}

// ---------------------------------------------------------------------------------------------
// Refused before sending
// ---------------------------------------------------------------------------------------------

#[test]
fn fetch_refuses_a_malformed_access_token_sid_without_sending() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let tokens = client(&server).access_tokens(VA).unwrap();
    for bad in [
        "YKbad",
        "",
        VA,
        "ykaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaz",
        "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/..",
    ] {
        assert_eq!(
            invalid_input(tokens.fetch(bad)),
            pair(
                "access_token_sid",
                &format!(
                    "invalid input: access_token_sid is malformed ({}): \
                     must be \"YK\" followed by 32 hex digits",
                    sid_shape(bad)
                )
            ),
            "{bad:?}"
        );
    }
    mock.assert_calls(0);
}

#[test]
fn fetch_refusal_shows_only_the_length_and_prefix_of_a_long_sid() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let long = format!("YK{}", "a".repeat(100));
    let err = client(&server)
        .access_tokens(VA)
        .unwrap()
        .fetch(&long)
        .unwrap_err();
    mock.assert_calls(0);
    assert_eq!(
        err.to_string(),
        "invalid input: access_token_sid is malformed (102 characters starting \"YK\"): \
         must be \"YK\" followed by 32 hex digits"
    );
}

// ---------------------------------------------------------------------------------------------
// Twilio says no
// ---------------------------------------------------------------------------------------------

fn fetch_error(client: &VerifyClient) -> Box<twilio_verify::ApiError> {
    match client
        .access_tokens(VA)
        .unwrap()
        .fetch("YKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    {
        Err(Error::Api(e)) => e,
        other => panic!("expected Api, got {other:?}"),
    }
}

#[test]
fn fetch_404_code_20404_is_an_api_error_with_every_detail() {
    // The default policy: a 404 is final.
    let e = against(404, ERROR_404_20404, &[], 1, |s| {
        fetch_error(&builder(s).build().unwrap())
    });
    let message = format!(
        "The requested resource /Services/{VA}/AccessTokens/YKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb \
         was not found"
    );
    assert_twilio_error(&e, 404, 20404, &message);
    assert_eq!(e.attempts(), 1);
    let err = Error::Api(e);
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.to_string(), twilio_error_display(404, 20404, &message));
    assert!(std::error::Error::source(&err).is_none());
}

#[test]
fn fetch_401_code_20003_is_an_api_error() {
    let e = against(401, ERROR_401_20003, &[], 1, |s| fetch_error(&client(s)));
    assert_api_error(&e, 401, Some(20003), "Authenticate");
}

#[test]
fn fetch_error_details_are_exposed() {
    let server = MockServer::start();
    let body = r#"{"code":60200,"message":"Invalid parameter","more_info":"https://www.twilio.com/docs/errors/60200","status":400,"details":{"field":"Sid"}}"#;
    let (_mock, _log) = recorder(&server, 400, body, &[]);
    let e = fetch_error(&client(&server));
    assert_eq!(e.details(), Some(&serde_json::json!({"field": "Sid"})));
}

#[test]
fn fetch_rfc_9457_problem_body_is_understood() {
    let server = MockServer::start();
    let body = r#"{"type":"https://example.com/probs/gone","title":"Gone","status":410,"detail":"the token expired"}"#;
    let (_mock, _log) = recorder(&server, 410, body, &[]);
    let e = fetch_error(&client(&server));
    assert_api_error(&e, 410, None, "the token expired");
    assert_eq!(e.more_info(), Some("https://example.com/probs/gone"));
}

#[test]
fn fetch_429_without_retries_is_an_api_error_after_one_call() {
    let e = against(429, ERROR_429_20429, &[("retry-after", "0")], 1, |s| {
        fetch_error(&client(s))
    });
    assert_eq!(e.status(), 429);
    assert_eq!(e.attempts(), 1);
}

#[test]
fn fetch_429_is_retried_by_the_default_policy_three_attempts_in_all() {
    let e = against(429, ERROR_429_20429, &[("retry-after", "0")], 3, |s| {
        fetch_error(&builder(s).build().unwrap())
    });
    assert_eq!(e.status(), 429);
    assert_eq!(e.attempts(), 3);
}

#[test]
fn fetch_503_is_retried_by_the_default_policy_since_a_get_is_idempotent() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(503)
            .header("retry-after", "0")
            .body("<html><body>Service Unavailable</body></html>");
    });
    let e = fetch_error(&builder(&server).build().unwrap());
    mock.assert_calls(3);
    assert_eq!(e.status(), 503);
    assert_eq!(e.attempts(), 3);
    assert_eq!(e.message(), "<html><body>Service Unavailable</body></html>");
    assert_eq!(
        Error::Api(e).to_string(),
        "Twilio answered HTTP 503: <html><body>Service Unavailable</body></html> after 3 attempts"
    );
}

#[test]
fn fetch_500_with_an_html_body_is_an_api_error_with_a_one_line_excerpt() {
    let server = MockServer::start();
    let mock = html_500(&server);
    let e = fetch_error(&client(&server));
    mock.assert_calls(1);
    assert_api_error(&e, 500, None, ERROR_500_EXCERPT);
}

#[test]
fn fetch_redirect_is_not_followed_and_is_an_api_error_with_status_302() {
    let server = MockServer::start();
    let (redirect, elsewhere) = redirect_elsewhere(
        &server,
        |when| when.path_prefix(format!("/v2/Services/{VA}/AccessTokens/")),
        200,
        FETCH_200,
    );

    let e = fetch_error(&builder(&server).build().unwrap());

    redirect.assert_calls(1);
    elsewhere.assert_calls(0);
    assert_eq!(e.status(), 302);
    assert_eq!(e.attempts(), 1);
    assert_eq!(Error::Api(e).to_string(), "Twilio answered HTTP 302");
}

#[test]
fn fetch_connection_refused_is_a_transport_connect_error() {
    let err = unreachable_client(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .access_tokens(VA)
        .unwrap()
        .fetch(YK)
        .unwrap_err();
    let transport = transport_error(&err);
    assert!(transport.is_connect(), "{transport:?}");
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_eq!(transport.attempts(), 3);
    assert_eq!(
        err.to_string(),
        "could not connect to Twilio after 3 attempts"
    );
}

#[test]
fn fetch_error_display_is_one_line_and_bounded_even_when_the_json_message_is_not() {
    let server = MockServer::start();
    let body = serde_json::json!({
        "code": 20500,
        "message": format!("Internal\nServer\r\nError:\t{}", "x".repeat(5000)),
        "more_info": "https://www.twilio.com/docs/errors/20500",
        "status": 500,
    })
    .to_string();
    let (_mock, _log) = recorder(&server, 500, &body, &[]);
    let e = fetch_error(&client(&server));
    assert_eq!(e.code(), Some(20500));
    assert!(
        e.message().starts_with("Internal Server Error: xxx"),
        "{}",
        e.message()
    );
    assert!(e.message().chars().count() <= 201, "{}", e.message());
    let display = Error::Api(e).to_string();
    assert!(!display.contains(['\n', '\r', '\t']), "{display}");
}
