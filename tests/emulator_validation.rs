//! The emulator's own behaviour, spoken to with raw `ureq` so that requests the crate would
//! refuse to send (bad credentials, bad fields, wrong methods) can reach it: the status, Twilio's
//! error code and body, the headers, the order of checks and the requests it records.

#![cfg(feature = "emulator")]

mod support;

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use support::{ACCESS_TOKEN_FIELDS, basic};
use twilio_verify::emulator::{Emulator, Fault, RecordedRequest};

/// What the emulator answered.
struct Answer {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .unwrap()
    }

    /// Asserts Twilio's error body, exactly.
    fn assert_twilio_error(&self, status: u16, code: u32, message: &str) {
        assert_eq!(self.status, status, "body: {}", self.body);
        assert_eq!(
            self.body,
            json!({
                "code": code,
                "message": message,
                "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
                "status": status,
            })
        );
        assert_twilio_headers(self);
    }
}

fn assert_twilio_headers(answer: &Answer) {
    assert_eq!(answer.header("content-type"), "application/json");
    let id = answer.header("twilio-request-id");
    assert_eq!(id.len(), 34, "{id}");
    assert!(id.starts_with("RQ"), "{id}");
    assert!(id[2..].bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

fn authorization(emulator: &Emulator) -> String {
    basic(emulator.account_sid(), emulator.auth_token())
}

/// Sends `method path` with `authorization` and, when given, a form body.
fn send(
    emulator: &Emulator,
    method: &str,
    path: &str,
    authorization: Option<&str>,
    form: Option<&str>,
) -> Answer {
    let mut request = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{}{path}", emulator.base_url()));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    if form.is_some() {
        request = request.header("content-type", "application/x-www-form-urlencoded");
    }
    let request = request.body(form.unwrap_or("").to_owned()).unwrap();
    let response = agent().run(request).expect("the emulator answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.into_body().read_to_string().unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    };
    Answer {
        status,
        headers,
        body,
    }
}

fn list_path(emulator: &Emulator) -> String {
    format!("/v2/Services/{}/AccessTokens", emulator.service_sid())
}

fn create(emulator: &Emulator, form: &str) -> Answer {
    let auth = authorization(emulator);
    send(
        emulator,
        "POST",
        &list_path(emulator),
        Some(&auth),
        Some(form),
    )
}

fn get(emulator: &Emulator, path: &str) -> Answer {
    let auth = authorization(emulator);
    send(emulator, "GET", path, Some(&auth), None)
}

const UNKNOWN_SERVICE: &str = "VA0123456789abcdef0123456789abcdef";
const UNKNOWN_TOKEN: &str = "YK0123456789abcdef0123456789abcdef";

#[test]
fn create_answers_201_with_every_spec_field() {
    let emulator = Emulator::start().unwrap();
    let before = unix_now();
    let answer = create(&emulator, "Identity=alice-1234&FactorType=push");
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_twilio_headers(&answer);
    let body = answer.body.as_object().unwrap();
    let mut keys: Vec<&str> = body.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ACCESS_TOKEN_FIELDS);

    let sid = body["sid"].as_str().unwrap();
    assert!(sid.len() == 34 && sid.starts_with("YK"), "{sid}");
    assert!(sid[2..].bytes().all(|b| b.is_ascii_hexdigit()), "{sid}");
    assert_eq!(body["account_sid"], emulator.account_sid());
    assert_eq!(body["service_sid"], emulator.service_sid().as_str());
    assert_eq!(body["entity_identity"], "alice-1234");
    assert_eq!(body["factor_type"], "push");
    assert_eq!(body["factor_friendly_name"], Value::Null);
    assert_eq!(body["ttl"], 60);
    assert_eq!(
        body["url"],
        format!("{}{}/{sid}", emulator.base_url(), list_path(&emulator))
    );

    let created = unix_seconds(body["date_created"].as_str().unwrap());
    assert!(
        before <= created && created <= unix_now(),
        "{}",
        body["date_created"]
    );

    let token = body["token"].as_str().unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header["typ"], "JWT");
    let payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(payload["jti"], sid);
    assert_eq!(
        payload["exp"].as_u64().unwrap() - payload["iat"].as_u64().unwrap(),
        60
    );
}

/// Seconds since the Unix epoch of `2015-07-30T20:00:00Z`, checking the exact shape on the way.
fn unix_seconds(iso: &str) -> u64 {
    assert_eq!(iso.len(), 20, "{iso}");
    for (i, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        assert_eq!(iso.as_bytes()[i], c, "{iso}");
    }
    let n = |range: std::ops::Range<usize>| iso[range].parse::<i64>().unwrap();
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    // Days from civil (Howard Hinnant), for years after 1970.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    (days * 86_400 + n(11..13) * 3_600 + n(14..16) * 60 + n(17..19)) as u64
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn the_date_helper_reads_known_instants() {
    assert_eq!(unix_seconds("2015-07-30T20:00:00Z"), 1_438_286_400);
    assert_eq!(unix_seconds("2000-02-29T00:00:00Z"), 951_782_400);
}

#[test]
fn create_keeps_friendly_name_ttl_and_awkward_characters() {
    let emulator = Emulator::start().unwrap();
    let answer = create(
        &emulator,
        "Identity=user-8f3a2b&FactorType=push\
         &FactorFriendlyName=Alice%27s+%F0%9F%93%B1&Ttl=300&Unknown=ignored",
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["entity_identity"], "user-8f3a2b");
    assert_eq!(answer.body["factor_friendly_name"], "Alice's 📱");
    assert_eq!(answer.body["ttl"], 300);
}

#[test]
fn an_identity_that_breaks_the_clients_rule_is_400_invalid_identity() {
    let emulator = Emulator::start().unwrap();
    for identity in [
        "a%26b%3Dc%2Bd+e%0Af%2F%C3%A9",
        "alice",
        "user_1234",
        "-user1234",
    ] {
        let answer = create(&emulator, &format!("Identity={identity}&FactorType=push"));
        answer.assert_twilio_error(400, 60200, "Invalid parameter: Identity");
    }
}

#[test]
fn fetch_returns_the_stored_record_unchanged() {
    let emulator = Emulator::start().unwrap();
    let created = create(
        &emulator,
        "Identity=bob-12345&FactorType=push&FactorFriendlyName=Pixel&Ttl=120",
    );
    let sid = created.body["sid"].as_str().unwrap();
    let fetched = get(&emulator, &format!("{}/{sid}", list_path(&emulator)));
    assert_eq!(fetched.status, 200);
    assert_twilio_headers(&fetched);
    assert_eq!(fetched.body, created.body);
    assert_ne!(
        fetched.header("twilio-request-id"),
        created.header("twilio-request-id")
    );
}

#[test]
fn missing_or_wrong_credentials_are_401_code_20003() {
    let emulator = Emulator::start().unwrap();
    let path = list_path(&emulator);
    let form = Some("Identity=user-8f3a2b&FactorType=push");
    for auth in [
        None,
        Some(basic(emulator.account_sid(), "wrong")),
        Some(basic(
            "ACffffffffffffffffffffffffffffffff",
            emulator.auth_token(),
        )),
        Some(format!("Bearer {}", emulator.auth_token())),
        Some("Basic not-base64!".to_owned()),
    ] {
        let answer = send(&emulator, "POST", &path, auth.as_deref(), form);
        answer.assert_twilio_error(401, 20003, "Authenticate");
        assert_eq!(
            answer.header("www-authenticate"),
            "Basic realm=\"Twilio API\""
        );
    }
    assert_eq!(emulator.request_count(), 5);
}

#[test]
fn authentication_is_checked_before_the_route() {
    let emulator = Emulator::start().unwrap();
    send(&emulator, "GET", "/nowhere", None, None).assert_twilio_error(401, 20003, "Authenticate");
    send(&emulator, "DELETE", &list_path(&emulator), None, None).assert_twilio_error(
        401,
        20003,
        "Authenticate",
    );
}

#[test]
fn an_unknown_path_is_404_code_20404_naming_it() {
    let emulator = Emulator::start().unwrap();
    for path in [
        "/",
        "/v2/Services",
        "/v1/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/AccessTokens",
        "/v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/AccessTokens/",
    ] {
        get(&emulator, path).assert_twilio_error(
            404,
            20404,
            &format!("The requested resource {path} was not found"),
        );
    }
}

#[test]
fn a_wrong_method_is_405_code_20004_with_allow() {
    let emulator = Emulator::start().unwrap();
    let auth = authorization(&emulator);
    let list = list_path(&emulator);
    let instance = format!("{list}/{UNKNOWN_TOKEN}");
    for (method, path, allow) in [
        ("GET", &list, "POST"),
        ("DELETE", &list, "POST"),
        ("POST", &instance, "GET"),
        ("DELETE", &instance, "GET"),
        ("PUT", &instance, "GET"),
    ] {
        let answer = send(&emulator, method, path, Some(&auth), None);
        answer.assert_twilio_error(405, 20004, "Method not allowed");
        assert_eq!(answer.header("allow"), allow, "{method} {path}");
    }
}

#[test]
fn the_method_is_checked_before_the_resource() {
    let emulator = Emulator::start().unwrap();
    let auth = authorization(&emulator);
    let path = format!("/v2/Services/{UNKNOWN_SERVICE}/AccessTokens/YKnope");
    send(&emulator, "DELETE", &path, Some(&auth), None).assert_twilio_error(
        405,
        20004,
        "Method not allowed",
    );
}

#[test]
fn malformed_or_unknown_services_and_tokens_are_404_code_20404() {
    let emulator = Emulator::start().unwrap();
    let other = emulator.add_service();
    let created = create(&emulator, "Identity=user-8f3a2b&FactorType=push");
    let sid = created.body["sid"].as_str().unwrap();
    let service = emulator.service_sid();
    for path in [
        format!("/v2/Services/{UNKNOWN_SERVICE}/AccessTokens/{sid}"),
        format!("/v2/Services/VAnope/AccessTokens/{sid}"),
        format!("/v2/Services/{service}/AccessTokens/{UNKNOWN_TOKEN}"),
        format!("/v2/Services/{service}/AccessTokens/YKnope"),
        format!("/v2/Services/{service}/AccessTokens/{}", sid.to_uppercase()),
        // A token belongs to the service it was created in.
        format!("/v2/Services/{other}/AccessTokens/{sid}"),
    ] {
        get(&emulator, &path).assert_twilio_error(
            404,
            20404,
            &format!("The requested resource {path} was not found"),
        );
    }
    let auth = authorization(&emulator);
    for service in [UNKNOWN_SERVICE, "VAnope"] {
        let path = format!("/v2/Services/{service}/AccessTokens");
        send(
            &emulator,
            "POST",
            &path,
            Some(&auth),
            Some("Identity=user-8f3a2b&FactorType=push"),
        )
        .assert_twilio_error(
            404,
            20404,
            &format!("The requested resource {path} was not found"),
        );
    }
}

#[test]
fn the_resource_is_checked_before_the_fields() {
    let emulator = Emulator::start().unwrap();
    let auth = authorization(&emulator);
    let path = format!("/v2/Services/{UNKNOWN_SERVICE}/AccessTokens");
    send(&emulator, "POST", &path, Some(&auth), Some("Ttl=1")).assert_twilio_error(
        404,
        20404,
        &format!("The requested resource {path} was not found"),
    );
}

#[test]
fn an_added_service_serves_its_own_tokens() {
    let emulator = Emulator::start().unwrap();
    let other = emulator.add_service();
    assert_ne!(&other, emulator.service_sid());
    let auth = authorization(&emulator);
    let path = format!("/v2/Services/{other}/AccessTokens");
    let created = send(
        &emulator,
        "POST",
        &path,
        Some(&auth),
        Some("Identity=user-8f3a2b&FactorType=push"),
    );
    assert_eq!(created.status, 201);
    assert_eq!(created.body["service_sid"], other.as_str());
    let sid = created.body["sid"].as_str().unwrap();
    assert_eq!(get(&emulator, &format!("{path}/{sid}")).status, 200);
}

#[test]
fn invalid_fields_are_400_code_60200_naming_the_parameter() {
    let emulator = Emulator::start().unwrap();
    let long_name = "n".repeat(65);
    let cases = [
        (
            "FactorType=push",
            "Missing required parameter Identity in the post body",
        ),
        (
            "Identity=&FactorType=push",
            "Missing required parameter Identity in the post body",
        ),
        (
            "Identity=user-8f3a2b",
            "Missing required parameter FactorType in the post body",
        ),
        (
            "Identity=user-8f3a2b&FactorType=sms",
            "Invalid parameter: FactorType",
        ),
        (
            "Identity=user-8f3a2b&FactorType=PUSH",
            "Invalid parameter: FactorType",
        ),
        (
            "Identity=user-8f3a2b&FactorType=push&Ttl=59",
            "Invalid parameter: Ttl",
        ),
        (
            "Identity=user-8f3a2b&FactorType=push&Ttl=301",
            "Invalid parameter: Ttl",
        ),
        (
            "Identity=user-8f3a2b&FactorType=push&Ttl=ten",
            "Invalid parameter: Ttl",
        ),
        (
            "Identity=user-8f3a2b&FactorType=push&Ttl=60.5",
            "Invalid parameter: Ttl",
        ),
        (
            "Identity=user-8f3a2b&FactorType=push&Ttl=-60",
            "Invalid parameter: Ttl",
        ),
        (
            &format!("Identity=user-8f3a2b&FactorType=push&FactorFriendlyName={long_name}"),
            "Invalid parameter: FactorFriendlyName",
        ),
    ];
    for (form, message) in cases {
        create(&emulator, form).assert_twilio_error(400, 60200, message);
    }
    // Nothing was stored by the refused creates: the first real one is the only token.
    let created = create(&emulator, "Identity=user-8f3a2b&FactorType=push&Ttl=60");
    assert_eq!(created.status, 201);
    let name_64 = create(
        &emulator,
        &format!(
            "Identity=user-8f3a2b&FactorType=push&FactorFriendlyName={}",
            "é".repeat(64)
        ),
    );
    assert_eq!(name_64.status, 201, "{}", name_64.body);
}

#[test]
fn a_body_that_is_not_a_form_carries_no_fields() {
    let emulator = Emulator::start().unwrap();
    let request =
        ureq::http::Request::post(format!("{}{}", emulator.base_url(), list_path(&emulator)))
            .header("authorization", authorization(&emulator))
            .header("content-type", "application/json")
            .body(r#"{"Identity":"user-8f3a2b","FactorType":"push"}"#.to_owned())
            .unwrap();
    let response = agent().run(request).unwrap();
    assert_eq!(response.status(), 400);
    let body: Value =
        serde_json::from_str(&response.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(
        body["message"],
        "Missing required parameter Identity in the post body"
    );
    assert_eq!(emulator.requests()[0].form, Vec::<(String, String)>::new());
}

#[test]
fn requests_are_recorded_with_user_name_but_never_the_password() {
    let emulator = Emulator::start().unwrap();
    create(&emulator, "Identity=a+b&FactorType=push&Ttl=90");
    send(
        &emulator,
        "GET",
        "/x",
        Some(&basic("ACnobody", "hunter2")),
        None,
    );
    send(&emulator, "GET", "/y", None, None);
    let requests = emulator.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(emulator.request_count(), 3);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, list_path(&emulator));
    assert_eq!(
        requests[0].form,
        vec![
            ("Identity".to_owned(), "a b".to_owned()),
            ("FactorType".to_owned(), "push".to_owned()),
            ("Ttl".to_owned(), "90".to_owned()),
        ]
    );
    assert_eq!(requests[0].field("Ttl"), Some("90"));
    assert_eq!(requests[0].field("FactorFriendlyName"), None);
    assert_eq!(
        requests[0].username.as_deref(),
        Some(emulator.account_sid())
    );
    assert_eq!(requests[1].username.as_deref(), Some("ACnobody"));
    assert_eq!(requests[2].username, None);
    let printed = format!("{requests:?}");
    assert!(!printed.contains(emulator.auth_token()));
    assert!(!printed.contains("hunter2"));
    assert!(!format!("{emulator:?}").contains(emulator.auth_token()));

    emulator.clear_requests();
    assert_eq!(emulator.request_count(), 0);
    assert_eq!(emulator.requests(), Vec::<RecordedRequest>::new());
}

#[test]
fn a_status_fault_answers_any_authenticated_request_with_twilios_body_and_retry_after() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(
        Fault::Status {
            status: 429,
            code: 20429,
            retry_after: Some(Duration::from_secs(3)),
        },
        2,
    );
    emulator.inject(
        Fault::Status {
            status: 503,
            code: 20503,
            retry_after: None,
        },
        1,
    );
    assert_eq!(emulator.pending_faults(), 3);

    // An unauthenticated request is answered 401 and leaves the faults queued.
    send(&emulator, "GET", "/nowhere", None, None).assert_twilio_error(401, 20003, "Authenticate");
    assert_eq!(emulator.pending_faults(), 3);

    let first = get(&emulator, "/nowhere");
    first.assert_twilio_error(429, 20429, "Too Many Requests");
    assert_eq!(first.header("retry-after"), "3");
    let second = create(&emulator, "not a form at all");
    second.assert_twilio_error(429, 20429, "Too Many Requests");
    let third = create(&emulator, "Identity=user-8f3a2b&FactorType=push");
    third.assert_twilio_error(503, 20503, "Service Unavailable");
    assert!(third.headers.get("retry-after").is_none());
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(
        create(&emulator, "Identity=user-8f3a2b&FactorType=push").status,
        201
    );
    assert_eq!(emulator.request_count(), 5);
}

#[test]
fn a_delay_fault_waits_then_answers_normally() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::Delay(Duration::from_millis(150)), 1);
    let started = Instant::now();
    let answer = create(&emulator, "Identity=user-8f3a2b&FactorType=push");
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(answer.status, 201);
    let started = Instant::now();
    assert_eq!(
        create(&emulator, "Identity=user-8f3a2b&FactorType=push").status,
        201
    );
    assert!(started.elapsed() < Duration::from_millis(150));
}

#[test]
fn a_drop_fault_closes_the_connection_without_an_answer() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::DropConnection, 1);
    let request = ureq::http::Request::get(format!("{}/x", emulator.base_url()))
        .header("authorization", authorization(&emulator))
        .body(())
        .unwrap();
    let error = agent().run(request).expect_err("no answer");
    assert!(
        matches!(error, ureq::Error::Io(_) | ureq::Error::Protocol(_)),
        "{error:?}"
    );
    assert_eq!(emulator.request_count(), 1);
    assert_eq!(get(&emulator, "/x").status, 404);
    assert_eq!(emulator.connection_count(), 2);
}

#[test]
#[should_panic(expected = "Fault::Status status 99 is not a final HTTP status (200..=599)")]
fn injecting_a_status_outside_200_to_599_panics() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(
        Fault::Status {
            status: 99,
            code: 1,
            retry_after: None,
        },
        1,
    );
}

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let emulator = Emulator::start().unwrap();
    let agent = agent();
    for _ in 0..20 {
        let response = agent
            .post(format!("{}{}", emulator.base_url(), list_path(&emulator)))
            .header("authorization", authorization(&emulator))
            .content_type("application/x-www-form-urlencoded")
            .send("Identity=user-8f3a2b&FactorType=push")
            .unwrap();
        assert_eq!(response.status(), 201);
        response.into_body().read_to_vec().unwrap();
    }
    assert_eq!(emulator.connection_count(), 1);
    assert_eq!(emulator.request_count(), 20);
}

#[test]
fn dropping_the_emulator_closes_the_port() {
    let emulator = Emulator::start().unwrap();
    let address = emulator.base_url().trim_start_matches("http://").to_owned();
    // Hold a connection open across the drop: it must not keep the server alive.
    let open = TcpStream::connect(&address).unwrap();
    assert!(emulator.base_url().starts_with("http://127.0.0.1:"));
    drop(emulator);
    let refused = TcpStream::connect(&address).expect_err("nothing listens after drop");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
    drop(open);
    TcpListener::bind(&address).expect("the port is free again");
}

#[test]
fn each_emulator_has_its_own_port_credentials_and_service() {
    let a = Emulator::start().unwrap();
    let b = Emulator::start().unwrap();
    assert_ne!(a.base_url(), b.base_url());
    assert_ne!(a.account_sid(), b.account_sid());
    assert_ne!(a.auth_token(), b.auth_token());
    assert_ne!(a.service_sid(), b.service_sid());
    assert!(a.account_sid().starts_with("AC") && a.account_sid().len() == 34);
    assert!(a.auth_token().len() == 32);
}
