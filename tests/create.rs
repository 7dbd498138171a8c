//! `POST /v2/Services/{ServiceSid}/AccessTokens`: the exact request on the wire, decoding of the
//! spec's examples, refusals before sending, and every way the answer can go wrong.

mod support;

use std::time::Duration;

use httpmock::MockServer;
use support::*;
use twilio_verify::{CreateAccessToken, Error, FactorType, RetryPolicy, VerifyClient};

const IDENTITY: &str = EXAMPLE_IDENTITY;

fn push(identity: &str) -> CreateAccessToken {
    CreateAccessToken::new(identity, FactorType::Push)
}

/// The headers every create must carry, and nothing unexpected beside them.
fn assert_create_headers(seen: &Seen, authorization: &str, user_agent: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, create_path());
    assert_eq!(seen.query, None);
    assert_eq!(seen.header("authorization"), [authorization]);
    assert_eq!(seen.header("accept"), ["application/json"]);
    assert_eq!(
        seen.header("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(seen.header("user-agent"), [user_agent]);
    assert_eq!(
        seen.header("content-length"),
        [seen.body.len().to_string().as_str()]
    );
    assert_eq!(
        seen.header_names(),
        [
            "accept",
            "authorization",
            "content-length",
            "content-type",
            "host",
            "user-agent"
        ],
        "unexpected headers: {:?}",
        seen.headers
    );
}

// ---------------------------------------------------------------------------------------------
// The wire
// ---------------------------------------------------------------------------------------------

/// Creates with `params` against a mock answering 201 with `body`; asserts it saw exactly one
/// request and returns it.
fn sent_by_create(body: &str, params: &CreateAccessToken) -> Seen {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 201, body, &[]);
    client(&server)
        .access_tokens(VA)
        .unwrap()
        .create(params)
        .unwrap();
    mock.assert_calls(1);
    only(&log)
}

#[test]
fn create_with_only_required_fields_sends_exact_method_path_headers_and_body() {
    let seen = sent_by_create(CREATE_WITHOUT_TTL_201, &push(IDENTITY));
    assert_create_headers(&seen, &basic(AC, AUTH_TOKEN), &user_agent());
    assert_eq!(
        seen.body_str(),
        "Identity=ff483d1ff591898a9942916050d2ca3f&FactorType=push"
    );
}

#[test]
fn create_with_all_fields_sends_the_specs_create_with_ttl_body() {
    let seen = sent_by_create(
        CREATE_WITH_TTL_201,
        &push(IDENTITY)
            .factor_friendly_name("John Doe iPhone")
            .ttl(300),
    );
    assert_create_headers(&seen, &basic(AC, AUTH_TOKEN), &user_agent());
    assert_eq!(
        seen.body_str(),
        "Identity=ff483d1ff591898a9942916050d2ca3f&FactorType=push\
         &FactorFriendlyName=John+Doe+iPhone&Ttl=300"
    );
}

#[test]
fn create_omits_each_unset_optional_field() {
    let server = MockServer::start();
    let (_mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let tokens = client(&server).access_tokens(VA).unwrap();

    tokens.create(&push(IDENTITY).ttl(120)).unwrap();
    tokens
        .create(&push(IDENTITY).factor_friendly_name("Phone"))
        .unwrap();

    let seen = log.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0].body_str(),
        "Identity=ff483d1ff591898a9942916050d2ca3f&FactorType=push&Ttl=120"
    );
    assert_eq!(
        seen[1].body_str(),
        "Identity=ff483d1ff591898a9942916050d2ca3f&FactorType=push&FactorFriendlyName=Phone"
    );
}

#[test]
fn create_percent_encodes_awkward_characters_in_friendly_name_and_refuses_them_in_identity() {
    // Awkward characters are refused in an identity before anything is sent...
    let awkward = "user 1&admin=true+x\nline2/é😀";
    assert_eq!(
        refused(push(awkward)),
        pair(
            "identity",
            "invalid input: identity is malformed (28 characters): must be 8 to 64 ASCII \
             letters and digits, in groups separated by single dashes (like a UUID), and not \
             personal data"
        )
    );
    // ...and sent, percent-encoded, in the friendly name.
    let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
    let name = "Alice's iPhone & \"📱\" = 100% +x\nline2/é😀";

    let seen = sent_by_create(
        CREATE_WITH_TTL_201,
        &push(identity).factor_friendly_name(name).ttl(60),
    );
    assert_create_headers(&seen, &basic(AC, AUTH_TOKEN), &user_agent());
    assert_eq!(
        seen.body_str(),
        "Identity=ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f\
         &FactorType=push\
         &FactorFriendlyName=Alice%27s+iPhone+%26+%22%F0%9F%93%B1%22+%3D+100%25\
         +%2Bx%0Aline2%2F%C3%A9%F0%9F%98%80\
         &Ttl=60"
    );
    // And a form parser reads back exactly what was given.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&seen.body).unwrap();
    assert_eq!(
        pairs,
        [
            ("Identity".to_owned(), identity.to_owned()),
            ("FactorType".to_owned(), "push".to_owned()),
            ("FactorFriendlyName".to_owned(), name.to_owned()),
            ("Ttl".to_owned(), "60".to_owned()),
        ]
    );
}

#[test]
fn create_with_an_api_key_sends_basic_auth_of_key_sid_and_secret() {
    let server = MockServer::start();
    let (_mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let client = VerifyClient::builder()
        .api_key(SK, API_SECRET)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    client
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap();

    let seen = only(&log);
    assert_create_headers(&seen, &basic(SK, API_SECRET), &user_agent());
}

#[test]
fn create_user_agent_carries_the_extension_after_a_space() {
    let server = MockServer::start();
    let (_mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let client = builder(&server)
        .user_agent_extension("myapp/1.2")
        .build()
        .unwrap();
    let expected = format!(
        "twilio-verify-rust/0.1.0 ({} {}) myapp/1.2",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert_eq!(client.user_agent(), expected);

    client
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap();

    assert_create_headers(&only(&log), &basic(AC, AUTH_TOKEN), &expected);
}

#[test]
fn create_matches_a_strict_mock_of_method_path_headers_and_body() {
    let server = MockServer::start();
    let mock = strict_mock(
        &server,
        "POST",
        &create_path(),
        |when| {
            when.header("content-type", "application/x-www-form-urlencoded")
                .body("Identity=ff483d1ff591898a9942916050d2ca3f&FactorType=push&Ttl=300")
        },
        201,
        CREATE_WITH_TTL_201,
    );

    client(&server)
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY).ttl(300))
        .unwrap();

    mock.assert_calls(1);
}

#[test]
fn create_sends_ttl_and_friendly_name_at_their_limits() {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let tokens = client(&server).access_tokens(VA).unwrap();
    let name = "é".repeat(64);

    tokens.create(&push(IDENTITY).ttl(60)).unwrap();
    tokens.create(&push(IDENTITY).ttl(300)).unwrap();
    tokens
        .create(&push(IDENTITY).factor_friendly_name(name.as_str()))
        .unwrap();

    mock.assert_calls(3);
    let seen = log.lock().unwrap();
    assert!(seen[0].body_str().ends_with("&Ttl=60"));
    assert!(seen[1].body_str().ends_with("&Ttl=300"));
    assert!(
        seen[2]
            .body_str()
            .ends_with(&format!("&FactorFriendlyName={}", "%C3%A9".repeat(64)))
    );
}

// ---------------------------------------------------------------------------------------------
// Success: both statuses, every example of the spec
// ---------------------------------------------------------------------------------------------

fn create_against(status: u16, body: &str) -> twilio_verify::AccessToken {
    against(status, body, &[], 1, |server| {
        client(server)
            .access_tokens(VA)
            .unwrap()
            .create(&push(IDENTITY).factor_friendly_name("John Doe iPhone"))
            .unwrap()
    })
}

#[test]
fn create_decodes_the_specs_create_with_ttl_201_example() {
    assert_spec_example(&create_against(201, CREATE_WITH_TTL_201), 300);
}

#[test]
fn create_decodes_the_specs_create_without_ttl_201_example() {
    assert_spec_example(&create_against(201, CREATE_WITHOUT_TTL_201), 60);
}

#[test]
fn create_accepts_200_and_decodes_the_specs_create_with_ttl_200_example() {
    assert_spec_example(&create_against(200, CREATE_WITH_TTL_200), 300);
}

/// Creates for [`IDENTITY`] against a mock answering 201 with `body`; returns the error.
fn create_error_on_201(body: &str) -> Error {
    let server = MockServer::start();
    let (_mock, _log) = recorder(&server, 201, body, &[]);
    client(&server)
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap_err()
}

#[test]
fn create_with_malformed_json_on_201_is_a_decode_error() {
    let err = create_error_on_201("<html>not json</html>");
    let decode = decode_error(&err);
    assert_eq!(decode.missing(), None);
    assert_eq!(decode.status(), 201);
    assert_eq!(decode.request_id(), Some(REQUEST_ID));
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode Twilio's HTTP 201 answer: the body is not JSON [request {REQUEST_ID}]"
        )
    );
}

#[test]
fn create_with_an_empty_201_body_is_a_decode_error() {
    let err = create_error_on_201("");
    assert_eq!(decode_error(&err).missing(), None);
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode Twilio's HTTP 201 answer: the JSON ends early [request {REQUEST_ID}]"
        )
    );
}

#[test]
fn create_with_a_201_missing_sid_is_a_decode_error_naming_sid() {
    let mut body: serde_json::Value = serde_json::from_str(CREATE_WITH_TTL_201).unwrap();
    body.as_object_mut().unwrap().remove("sid");
    let err = create_error_on_201(&body.to_string());
    assert_eq!(decode_error(&err).missing(), Some("sid"));
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode Twilio's HTTP 201 answer: required field `sid` is missing or null \
             [request {REQUEST_ID}]"
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Refused before sending
// ---------------------------------------------------------------------------------------------

/// Creates with `params` against a catch-all mock; asserts nothing was sent and returns the
/// refusal's parameter and the error's Display (see [`invalid_input`]).
fn refused(params: CreateAccessToken) -> (String, String) {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let refusal = invalid_input(client(&server).access_tokens(VA).unwrap().create(&params));
    mock.assert_calls(0);
    refusal
}

#[test]
fn create_refuses_ttl_59_without_sending() {
    assert_eq!(
        refused(push(IDENTITY).ttl(59)),
        pair(
            "ttl",
            "invalid input: ttl 59 is out of range: must be 60..=300 seconds"
        )
    );
}

#[test]
fn create_refuses_ttl_301_without_sending() {
    assert_eq!(
        refused(push(IDENTITY).ttl(301)),
        pair(
            "ttl",
            "invalid input: ttl 301 is out of range: must be 60..=300 seconds"
        )
    );
}

#[test]
fn create_refuses_the_issue_example_ttl_30_without_sending() {
    assert_eq!(
        refused(push("user-8f3a2b").ttl(30)).1,
        "invalid input: ttl 30 is out of range: must be 60..=300 seconds"
    );
}

/// The refusal of an identity of `chars` characters that breaks the rule.
fn malformed_identity(chars: usize) -> (String, String) {
    pair(
        "identity",
        &format!(
            "invalid input: identity is malformed ({chars} characters): must be 8 to 64 ASCII \
             letters and digits, in groups separated by single dashes (like a UUID), and not \
             personal data"
        ),
    )
}

#[test]
fn create_refuses_an_empty_identity_without_sending() {
    assert_eq!(refused(push("")), malformed_identity(0));
}

#[test]
fn create_refuses_identities_that_break_the_rule_without_sending_or_echoing_them() {
    for bad in [
        "u",
        "alice",
        "user-1",
        "alice@example.com",
        "user_1234",
        "user 1234",
        "user/../..",
        "user1234?x=1",
        "-user1234",
        "user1234-",
        "user--1234",
        "üseröne12",
    ] {
        // The exact message: it gives the length, never the value.
        assert_eq!(
            refused(push(bad)),
            malformed_identity(bad.chars().count()),
            "{bad:?}"
        );
    }
    assert_eq!(refused(push(&"a".repeat(65))), malformed_identity(65));
    assert_eq!(refused(push(&"a".repeat(7))), malformed_identity(7));
}

#[test]
fn create_sends_identities_of_8_and_64_characters() {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let tokens = client(&server).access_tokens(VA).unwrap();
    let short = "user0001";
    let long = format!("{}-{}", "a".repeat(31), "B".repeat(32));
    assert_eq!(long.len(), 64);

    tokens.create(&push(short)).unwrap();
    tokens.create(&push(&long)).unwrap();

    mock.assert_calls(2);
    let seen = log.lock().unwrap();
    assert_eq!(seen[0].body_str(), "Identity=user0001&FactorType=push");
    assert_eq!(
        seen[1].body_str(),
        format!("Identity={long}&FactorType=push")
    );
}

#[test]
fn create_refuses_a_65_character_friendly_name_without_sending() {
    // 65 characters, counted as characters rather than bytes.
    assert_eq!(
        refused(push(IDENTITY).factor_friendly_name("📱".repeat(65))),
        pair(
            "factor_friendly_name",
            "invalid input: factor_friendly_name is 65 characters long: must be at most 64"
        )
    );
    assert_eq!(
        refused(push(IDENTITY).factor_friendly_name("a".repeat(65))).0,
        "factor_friendly_name"
    );
}

#[test]
fn create_refuses_an_unknown_factor_type_without_sending() {
    assert_eq!(
        refused(CreateAccessToken::new(
            IDENTITY,
            FactorType::Other("totp".into())
        )),
        pair(
            "factor_type",
            "invalid input: factor_type \"totp\" is not supported for access tokens: \
             must be \"push\""
        )
    );
    for (factor_type, spelling) in [
        (FactorType::Totp, "totp"),
        (FactorType::Passkeys, "passkeys"),
        (FactorType::Other("sms".into()), "sms"),
        (FactorType::Other(String::new()), ""),
    ] {
        assert_eq!(
            refused(CreateAccessToken::new(IDENTITY, factor_type)),
            pair(
                "factor_type",
                &format!(
                    "invalid input: factor_type {spelling:?} is not supported for access \
                     tokens: must be \"push\""
                )
            )
        );
    }
}

#[test]
fn access_tokens_refuses_a_malformed_service_sid_without_sending() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let client = client(&server);
    for bad in [
        "VAxyz",
        "",
        YK,
        "vaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaag",
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        " VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        assert_eq!(
            invalid_input(client.access_tokens(bad)),
            pair(
                "service_sid",
                &format!(
                    "invalid input: service_sid is malformed ({}): must be \"VA\" followed by 32 hex digits",
                    sid_shape(bad)
                )
            )
        );
    }
    mock.assert_calls(0);
}

#[test]
fn access_tokens_accepts_upper_case_hex_in_the_service_sid() {
    let server = MockServer::start();
    let sid = "VA0123456789ABCDEFabcdef0123456789";
    let (_mock, log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let tokens = client(&server).access_tokens(sid).unwrap();
    assert_eq!(tokens.service_sid().as_str(), sid);
    tokens.create(&push(IDENTITY)).unwrap();
    assert_eq!(only(&log).path, format!("/v2/Services/{sid}/AccessTokens"));
}

// ---------------------------------------------------------------------------------------------
// Twilio says no
// ---------------------------------------------------------------------------------------------

fn create_error(client: &VerifyClient) -> Box<twilio_verify::ApiError> {
    match client
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY).ttl(300))
    {
        Err(Error::Api(e)) => e,
        other => panic!("expected Api, got {other:?}"),
    }
}

#[test]
fn create_400_code_60200_is_an_api_error_with_every_detail() {
    let e = against(400, ERROR_400_60200, &[], 1, |s| create_error(&client(s)));
    assert_twilio_error(&e, 400, 60200, "Invalid parameter: Ttl");
    assert_eq!(e.details(), None);
    assert_eq!(e.attempts(), 1);
    assert_eq!(
        Error::Api(e).to_string(),
        twilio_error_display(400, 60200, "Invalid parameter: Ttl")
    );
}

#[test]
fn create_401_code_20003_is_an_api_error_and_never_shows_the_token() {
    let e = against(401, ERROR_401_20003, &[], 1, |s| create_error(&client(s)));
    assert_twilio_error(&e, 401, 20003, "Authenticate");
    let display = Error::Api(e.clone()).to_string();
    assert_eq!(display, twilio_error_display(401, 20003, "Authenticate"));
    let debug = format!("{e:?}");
    for text in [&display, &debug] {
        assert!(!text.contains(AUTH_TOKEN), "{text}");
        assert!(!text.contains(&basic(AC, AUTH_TOKEN)[6..]), "{text}");
    }
}

#[test]
fn create_429_without_retries_is_an_api_error_after_one_call() {
    let e = against(429, ERROR_429_20429, &[("retry-after", "0")], 1, |s| {
        create_error(&client(s))
    });
    assert_eq!(e.status(), 429);
    assert_eq!(e.code(), Some(20429));
    assert_eq!(e.retry_after(), Some(Duration::ZERO));
    assert_eq!(e.attempts(), 1);
}

#[test]
fn create_429_is_retried_by_the_default_policy_three_attempts_in_all() {
    let e = against(429, ERROR_429_20429, &[("retry-after", "0")], 3, |s| {
        create_error(&builder(s).build().unwrap())
    });
    assert_eq!(e.status(), 429);
    assert_eq!(e.attempts(), 3);
    assert_eq!(
        Error::Api(e).to_string(),
        twilio_error_display(429, 20429, "Too Many Requests") + " after 3 attempts"
    );
}

#[test]
fn create_429_then_201_succeeds_on_the_retry() {
    let server = MockServer::start();
    let limited = server.mock(|when, then| {
        when.method("POST").path(create_path());
        then.status(429)
            .header("retry-after", "0")
            .body(ERROR_429_20429);
    });
    limited.up_to_n_times(1);
    let created = server.mock(|when, then| {
        when.method("POST").path(create_path());
        then.status(201).body(CREATE_WITH_TTL_201);
    });
    let client = builder(&server).build().unwrap();

    let token = client
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap();

    assert_eq!(token.sid.as_str(), YK);
    limited.assert_calls(1);
    created.assert_calls(1);
}

#[test]
fn create_429_asking_to_wait_longer_than_max_delay_gives_up_at_once() {
    let e = against(429, ERROR_429_20429, &[("retry-after", "3600")], 1, |s| {
        create_error(&builder(s).build().unwrap())
    });
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(e.attempts(), 1);
}

#[test]
fn create_500_with_an_html_body_is_an_api_error_with_a_one_line_excerpt_and_is_not_retried() {
    let server = MockServer::start();
    let mock = html_500(&server);
    // The default policy: a create that reached Twilio is never retried on a 5xx.
    let client = builder(&server).build().unwrap();
    let e = create_error(&client);
    mock.assert_calls(1);
    assert_api_error(&e, 500, None, ERROR_500_EXCERPT);
    assert_eq!(e.more_info(), None);
    assert_eq!(e.request_id(), None);
    assert_eq!(
        Error::Api(e).to_string(),
        format!("Twilio answered HTTP 500: {ERROR_500_EXCERPT}")
    );
}

#[test]
fn create_502_with_a_long_html_body_gives_a_bounded_excerpt() {
    let server = MockServer::start();
    let body = format!(
        "<html>\n<body>\n<h1>502 Bad Gateway</h1>\n{}</body></html>",
        "<p>upstream\tfailed</p>\r\n".repeat(2000)
    );
    let _mock = server.mock(|when, then| {
        when.any_request();
        then.status(502).body(body.as_str());
    });
    let e = create_error(&client(&server));
    assert_eq!(e.status(), 502);
    assert!(
        e.message()
            .starts_with("<html> <body> <h1>502 Bad Gateway</h1> <p>upstream failed</p>"),
        "{}",
        e.message()
    );
    assert!(e.message().ends_with('…'), "{}", e.message());
    assert!(e.message().chars().count() <= 201, "{}", e.message());
    let display = Error::Api(e).to_string();
    assert!(!display.contains(['\n', '\r', '\t']), "{display}");
}

#[test]
fn create_redirect_is_not_followed_and_is_an_api_error_with_status_302() {
    let server = MockServer::start();
    let (redirect, elsewhere) = redirect_elsewhere(
        &server,
        |when| when.path(create_path()),
        201,
        CREATE_WITH_TTL_201,
    );

    let e = create_error(&client(&server));

    redirect.assert_calls(1);
    elsewhere.assert_calls(0);
    assert_eq!(e.status(), 302);
    assert_eq!(e.code(), None);
    assert_eq!(Error::Api(e).to_string(), "Twilio answered HTTP 302");
}

#[test]
fn create_connection_refused_is_a_transport_connect_error() {
    let err = unreachable_client(RetryPolicy::none())
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap_err();
    let transport = transport_error(&err);
    assert!(transport.is_connect(), "{transport:?}");
    assert!(!transport.is_timeout());
    assert_eq!(transport.attempts(), 1);
    assert_eq!(err.to_string(), "could not connect to Twilio");
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn create_connection_refused_is_retried_by_the_default_policy_since_nothing_was_sent() {
    let err = unreachable_client(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .access_tokens(VA)
        .unwrap()
        .create(&push(IDENTITY))
        .unwrap_err();
    let transport = transport_error(&err);
    assert!(transport.is_connect());
    assert_eq!(transport.attempts(), 3);
    assert_eq!(
        err.to_string(),
        "could not connect to Twilio after 3 attempts"
    );
}
