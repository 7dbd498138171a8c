//! Challenges and notifications under `/v2/Services/{ServiceSid}/Entities/{Identity}`: the
//! exact requests on the wire, decoding of every spec example, refusals before sending, and
//! redaction of auth payloads.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use httpmock::MockServer;
use support::{
    AC, AUTH_TOKEN, EXAMPLE_IDENTITY as IDENTITY, Seen, VA, assert_form_post as assert_post,
    assert_request, builder, client, only, recorder,
};
use twilio_verify::{
    Challenge, ChallengeField, ChallengeReason, ChallengeStatus, Challenges, CreateChallenge,
    CreateNotification, Error, FactorType, ListOrder, RetryPolicy, UpdateChallenge, VerifyClient,
};

const YF_PUSH: &str = "YF03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YF_TOTP: &str = "YF02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YC_PUSH: &str = "YC03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YC_TOTP: &str = "YC02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// 2015-07-30T20:00:00Z, the date of every spec example.
const EXAMPLE_DATE: u64 = 1_438_286_400;
/// 2020-07-01T12:13:14Z, the `details.date` of every spec example.
const DETAILS_DATE: u64 = 1_593_605_594;

const CREATE_PUSH: &str = include_str!("fixtures/challenge_create_push.json");
const CREATE_TOTP_WITHOUT_AUTH_PAYLOAD: &str =
    include_str!("fixtures/challenge_create_totp_without_auth_payload.json");
const CREATE_TOTP_WITH_AUTH_PAYLOAD: &str =
    include_str!("fixtures/challenge_create_totp_with_auth_payload.json");
const FETCH_SID: &str = include_str!("fixtures/challenge_fetch_sid.json");
const READ_FULL: &str = include_str!("fixtures/challenge_read_full.json");
const READ_EMPTY: &str = include_str!("fixtures/challenge_read_empty.json");
const VERIFY_PUSH: &str = include_str!("fixtures/challenge_verify_push.json");
const VERIFY_TOTP: &str = include_str!("fixtures/challenge_verify_totp.json");
const NOTIFICATION_WITH_TTL: &str = include_str!("fixtures/notification_create_with_ttl.json");
const NOTIFICATION_WITHOUT_TTL: &str =
    include_str!("fixtures/notification_create_without_ttl.json");

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn challenges(server: &MockServer) -> Challenges {
    client(server).challenges(VA, IDENTITY).unwrap()
}

/// Runs `call` against a mock answering `status` with `body`; returns its result and the one
/// request it saw.
fn exchange<T>(status: u16, body: &str, call: impl FnOnce(&Challenges) -> T) -> (T, Seen) {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, status, body, &[]);
    let result = call(&challenges(&server));
    mock.assert_calls(1);
    (result, only(&log))
}

/// Runs `call` against a mock and asserts nothing reached it; returns the refusal.
fn refused<T: std::fmt::Debug>(call: impl FnOnce(&Challenges) -> Result<T, Error>) -> String {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 201, CREATE_PUSH, &[]);
    let err = call(&challenges(&server)).unwrap_err();
    assert_eq!(mock.calls(), 0, "a refused call reached the server");
    match err {
        Error::InvalidInput(e) => format!("{}: {e}", e.parameter()),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

fn list_path() -> String {
    format!("/v2/Services/{VA}/Entities/{IDENTITY}/Challenges")
}

fn assert_get(seen: &Seen, path: &str, query: Option<&str>) {
    assert_request(seen, "GET", path, query);
    assert_eq!(seen.body_str(), "");
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn string_map(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn field(label: &str, value: &str) -> ChallengeField {
    serde_json::from_value(serde_json::json!({ "label": label, "value": value })).unwrap()
}

/// The values every spec example shares, for a challenge `sid` of factor `factor_sid`.
fn assert_example(c: &Challenge, sid: &str, factor_sid: &str, factor_type: FactorType) {
    assert_eq!(c.sid.as_str(), sid);
    assert_eq!(c.account_sid.as_str(), AC);
    assert_eq!(c.service_sid.as_str(), VA);
    assert_eq!(c.entity_sid.as_str(), "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(c.identity, IDENTITY);
    assert_eq!(c.factor_sid.as_ref().unwrap().as_str(), factor_sid);
    assert_eq!(c.date_created, at(EXAMPLE_DATE));
    assert_eq!(c.date_updated, at(EXAMPLE_DATE));
    assert_eq!(c.date_responded, Some(at(EXAMPLE_DATE)));
    assert_eq!(c.expiration_date, Some(at(EXAMPLE_DATE)));
    assert_eq!(c.responded_reason, Some(ChallengeReason::None));
    let details = c.details.as_ref().unwrap();
    assert_eq!(
        details.message.as_deref(),
        Some("Hi! Mr. John Doe, would you like to sign up?")
    );
    assert_eq!(details.fields, [field("Action", "Sign up in portal")]);
    assert_eq!(details.date, Some(at(DETAILS_DATE)));
    assert_eq!(
        c.hidden_details,
        Some(string_map(&[("ip", "172.168.1.234")]))
    );
    assert_eq!(c.factor_type, factor_type);
    let url = format!("https://verify.twilio.com{}/{sid}", list_path());
    assert_eq!(c.url, url);
    let links = c.links.as_ref().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links["notifications"], format!("{url}/Notifications"));
}

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

#[test]
fn create_push_sends_every_field_in_spec_order_and_decodes_the_create_push_example() {
    let params = CreateChallenge::new(YF_PUSH)
        .message("Hi! Mr. John Doe, would you like to sign up?")
        .field("Action", "Sign up in portal")
        .field("Ort & Zeit", "Zürich = 12:00 + 1")
        .hidden_details([("ip", "172.168.1.234")]);
    let (created, seen) = exchange(201, CREATE_PUSH, |c| c.create(&params));
    assert_post(&seen, &list_path());
    assert_eq!(
        seen.body_str(),
        format!(
            "FactorSid={YF_PUSH}\
             &Details.Message=Hi%21+Mr.+John+Doe%2C+would+you+like+to+sign+up%3F\
             &Details.Fields=%7B%22label%22%3A%22Action%22%2C%22value%22%3A%22Sign+up+in+portal%22%7D\
             &Details.Fields=%7B%22label%22%3A%22Ort+%26+Zeit%22%2C%22value%22%3A%22Z%C3%BCrich+%3D+12%3A00+%2B+1%22%7D\
             &HiddenDetails=%7B%22ip%22%3A%22172.168.1.234%22%7D"
        )
    );
    let created = created.unwrap();
    assert_example(&created, YC_PUSH, YF_PUSH, FactorType::Push);
    assert_eq!(created.status, ChallengeStatus::Pending);
    assert_eq!(created.metadata, None);
}

#[test]
fn create_with_expires_in_sends_the_send_time_plus_the_duration_in_utc_with_z() {
    let before = SystemTime::now();
    let params = CreateChallenge::new(YF_PUSH)
        .message("m")
        .expires_in(Duration::from_secs(300));
    let (created, seen) = exchange(201, CREATE_PUSH, |c| c.create(&params));
    let after = SystemTime::now();
    created.unwrap();
    let date = seen
        .body_str()
        .strip_prefix(&format!("FactorSid={YF_PUSH}&ExpirationDate="))
        .and_then(|rest| rest.strip_suffix("&Details.Message=m"))
        .unwrap_or_else(|| panic!("unexpected body {}", seen.body_str()))
        .replace("%3A", ":");
    assert!(date.ends_with('Z'), "{date}");
    let sent = time::OffsetDateTime::parse(&date, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .unix_timestamp() as u64;
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).unwrap().as_secs();
    assert!(
        (secs(before) + 300..=secs(after) + 300).contains(&sent),
        "{date} is not 300 s after the send time"
    );
}

#[test]
fn create_with_an_expiration_instant_sends_its_exact_utc_z_string() {
    // Ten minutes from now, on a whole second, written independently with `time`.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let when = at(now + 600);
    let expected = time::OffsetDateTime::from_unix_timestamp((now + 600) as i64)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    assert!(
        expected.ends_with('Z') && expected.len() == 20,
        "{expected}"
    );
    let params = CreateChallenge::new(YF_PUSH).expiration_date(when);
    let (created, seen) = exchange(201, CREATE_PUSH, |c| c.create(&params));
    created.unwrap();
    assert_eq!(
        seen.body_str(),
        format!(
            "FactorSid={YF_PUSH}&ExpirationDate={}",
            expected.replace(':', "%3A")
        )
    );
}

#[test]
fn create_totp_with_a_code_sends_auth_payload_and_decodes_approved() {
    let code = String::from("12345678");
    let params = CreateChallenge::new(YF_TOTP).auth_payload(&code);
    let (created, seen) = exchange(201, CREATE_TOTP_WITH_AUTH_PAYLOAD, |c| c.create(&params));
    assert_post(&seen, &list_path());
    assert_eq!(
        seen.body_str(),
        format!("FactorSid={YF_TOTP}&AuthPayload=12345678")
    );
    let created = created.unwrap();
    assert_example(&created, YC_TOTP, YF_TOTP, FactorType::Totp);
    assert_eq!(created.status, ChallengeStatus::Approved);
}

#[test]
fn create_totp_without_a_code_decodes_the_pending_example() {
    let params = CreateChallenge::new(YF_TOTP);
    let (created, seen) = exchange(201, CREATE_TOTP_WITHOUT_AUTH_PAYLOAD, |c| c.create(&params));
    assert_eq!(seen.body_str(), format!("FactorSid={YF_TOTP}"));
    let created = created.unwrap();
    assert_example(&created, YC_TOTP, YF_TOTP, FactorType::Totp);
    assert_eq!(created.status, ChallengeStatus::Pending);
}

#[test]
fn create_refuses_every_broken_rule_before_sending() {
    let push = || CreateChallenge::new(YF_PUSH);
    let cases: Vec<(CreateChallenge, &str)> = vec![
        (
            CreateChallenge::new("YF-not-a-sid"),
            "factor_sid: factor_sid is malformed (12 characters starting \"YF\"): must be \"YF\" followed by 32 hex digits",
        ),
        (
            push().message("x".repeat(257)),
            "message: message is 257 characters long: must be at most 256",
        ),
        (
            (0..21).fold(push(), |p, i| p.field(format!("l{i}"), "v")),
            "field: field was added 21 times: a challenge has at most 20 fields",
        ),
        (
            push().field("x".repeat(37), "v"),
            "field: field 1 label is 37 characters long: must be at most 36",
        ),
        (
            push().field("IP", "x".repeat(129)),
            "field: field 1 value is 129 characters long: must be at most 128",
        ),
        (
            push().hidden_detail("k", "x".repeat(1017)),
            "hidden_details: hidden_details is 1025 characters long: must be at most 1024",
        ),
        (
            push().auth_payload("12"),
            "auth_payload: auth_payload is a 2-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            push().expires_in(Duration::ZERO),
            "expires_in: expires_in is 0ns: must be at least 1 second and at most 60 minutes",
        ),
        (
            push().expires_in(Duration::from_secs(3601)),
            "expires_in: expires_in is 3601s: must be at least 1 second and at most 60 minutes",
        ),
        (
            push().expiration_date(at(EXAMPLE_DATE)),
            "expiration_date: expiration_date is not in the future: must be at least 1 second and at most 60 minutes ahead",
        ),
    ];
    for (params, expected) in cases {
        assert_eq!(refused(|c| c.create(&params)), expected);
    }
    let too_far = SystemTime::now() + Duration::from_secs(2 * 3600);
    let message = refused(|c| c.create(&push().expiration_date(too_far)));
    let ahead = message
        .strip_prefix("expiration_date: expiration_date is ")
        .and_then(|rest| rest.strip_suffix("s ahead: must be at most 60 minutes (3600s) ahead"))
        .unwrap_or_else(|| panic!("{message}"));
    assert!(["7199", "7200"].contains(&ahead), "{message}");
}

#[test]
fn handle_refuses_a_malformed_service_sid_or_identity() {
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .build()
        .unwrap();
    let err = client.challenges("VA123", IDENTITY).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(e) if e.parameter() == "service_sid"));
    for bad in ["short", "user 1234", "user/../../x", "alice@example.com"] {
        let err = client.challenges(VA, bad).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(e) if e.parameter() == "identity"),
            "{bad:?}: {err:?}"
        );
    }
}

#[test]
fn handle_debug_shows_the_service_but_not_the_identity() {
    let handle = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .build()
        .unwrap()
        .challenges(VA, IDENTITY)
        .unwrap();
    assert_eq!(
        format!("{handle:?}"),
        format!("Challenges {{ service_sid: \"{VA}\", .. }}")
    );
    assert_eq!(handle.service_sid().as_str(), VA);
}

#[test]
fn params_debug_redacts_the_auth_payload() {
    let create = CreateChallenge::new(YF_TOTP).auth_payload("654321");
    assert_eq!(
        format!("{create:?}"),
        format!(
            "CreateChallenge {{ factor_sid: \"{YF_TOTP}\", expiration: None, message: None, \
             fields: [], hidden_details: None, auth_payload: Some(Secret([redacted])) }}"
        )
    );
    let update = UpdateChallenge::new().auth_payload("654321");
    assert_eq!(
        format!("{update:?}"),
        "UpdateChallenge { auth_payload: Some(Secret([redacted])), metadata: None }"
    );
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

#[test]
fn list_reads_the_read_full_example() {
    let (records, seen) = exchange(200, READ_FULL, |c| c.list().collect::<Result<Vec<_>, _>>());
    assert_get(&seen, &list_path(), None);
    let records = records.unwrap();
    assert_eq!(records.len(), 2);
    assert_example(&records[0], YC_PUSH, YF_PUSH, FactorType::Push);
    assert_example(&records[1], YC_TOTP, YF_TOTP, FactorType::Totp);
    assert!(records.iter().all(|c| c.status == ChallengeStatus::Pending));
}

#[test]
fn list_reads_the_read_empty_example() {
    let (records, _) = exchange(200, READ_EMPTY, |c| c.list().collect::<Vec<_>>());
    assert!(records.is_empty());
}

#[test]
fn list_filters_go_in_the_query_as_factor_sid_status_order() {
    let (records, seen) = exchange(200, READ_FULL, |c| {
        c.list()
            .factor_sid(YF_PUSH)
            .status(ChallengeStatus::Pending)
            .order(ListOrder::Desc)
            .limit(10)
            .count()
    });
    assert_eq!(records, 2);
    assert_get(
        &seen,
        &list_path(),
        Some(&format!(
            "FactorSid={YF_PUSH}&Status=pending&Order=desc&PageSize=10"
        )),
    );
}

#[test]
fn list_filter_set_twice_sends_the_last_value_once() {
    let (_, seen) = exchange(200, READ_EMPTY, |c| {
        c.list()
            .status(ChallengeStatus::Pending)
            .status(ChallengeStatus::Denied)
            .count()
    });
    assert_eq!(seen.query.as_deref(), Some("Status=denied"));
}

#[test]
fn list_with_a_malformed_factor_sid_yields_invalid_input_and_sends_nothing() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 200, READ_FULL, &[]);
    let mut list = challenges(&server)
        .list()
        .factor_sid("YC03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .status(ChallengeStatus::Pending);
    match list.next() {
        Some(Err(Error::InvalidInput(e))) => {
            assert_eq!(e.parameter(), "factor_sid");
            assert_eq!(
                e.to_string(),
                "factor_sid is malformed (34 characters starting \"YC\"): must be \"YF\" followed by 32 hex digits"
            );
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert!(list.next().is_none());
    assert_eq!(mock.calls(), 0);
}

// ---------------------------------------------------------------------------------------------
// Fetch
// ---------------------------------------------------------------------------------------------

#[test]
fn fetch_gets_the_challenge_path_and_decodes_the_fetch_sid_example() {
    let sid = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let (fetched, seen) = exchange(200, FETCH_SID, |c| c.fetch(sid));
    assert_get(&seen, &format!("{}/{sid}", list_path()), None);
    let fetched = fetched.unwrap();
    assert_example(
        &fetched,
        sid,
        "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        FactorType::Push,
    );
    assert_eq!(fetched.status, ChallengeStatus::Approved);
    assert_eq!(fetched.metadata, Some(string_map(&[("os", "Android")])));
}

#[test]
fn fetch_update_and_notify_refuse_a_malformed_challenge_sid_before_sending() {
    let expected = "challenge_sid: challenge_sid is malformed (34 characters starting \"YF\"): \
                    must be \"YC\" followed by 32 hex digits";
    assert_eq!(refused(|c| c.fetch(YF_PUSH)), expected);
    assert_eq!(
        refused(|c| c.update(YF_PUSH, &UpdateChallenge::new())),
        expected
    );
    assert_eq!(refused(|c| c.verify(YF_PUSH, "123456")), expected);
    assert_eq!(
        refused(|c| c.notify(YF_PUSH, &CreateNotification::new())),
        expected
    );
    assert_eq!(
        refused(|c| c.fetch("YC03aaaa/../../Factors"))
            .split(':')
            .next(),
        Some("challenge_sid")
    );
}

#[test]
fn decoding_is_lenient_with_null_details_and_non_string_metadata_values() {
    let mut value: serde_json::Value = serde_json::from_str(FETCH_SID).unwrap();
    value["details"] = serde_json::Value::Null;
    value["hidden_details"] = serde_json::Value::Null;
    value["metadata"] = serde_json::json!({ "os": "Android", "api": 34, "beta": true });
    value["date_responded"] = serde_json::Value::Null;
    value["status"] = serde_json::json!("cancelled");
    value["responded_reason"] = serde_json::Value::Null;
    let (fetched, _) = exchange(200, &value.to_string(), |c| {
        c.fetch("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    });
    let fetched = fetched.unwrap();
    assert_eq!(fetched.details, None);
    assert_eq!(fetched.hidden_details, None);
    assert_eq!(
        fetched.metadata,
        Some(string_map(&[
            ("api", "34"),
            ("beta", "true"),
            ("os", "Android")
        ]))
    );
    assert_eq!(fetched.date_responded, None);
    assert_eq!(fetched.status, ChallengeStatus::Other("cancelled".into()));
    assert_eq!(fetched.responded_reason, None);
}

// ---------------------------------------------------------------------------------------------
// Update
// ---------------------------------------------------------------------------------------------

#[test]
fn update_sends_auth_payload_and_metadata_and_decodes_the_verify_push_example() {
    let params = UpdateChallenge::new()
        .auth_payload("123456")
        .metadata([("os", "Android")]);
    let (updated, seen) = exchange(200, VERIFY_PUSH, |c| c.update(YC_PUSH, &params));
    assert_post(&seen, &format!("{}/{YC_PUSH}", list_path()));
    assert_eq!(
        seen.body_str(),
        "AuthPayload=123456&Metadata=%7B%22os%22%3A%22Android%22%7D"
    );
    let updated = updated.unwrap();
    assert_example(&updated, YC_PUSH, YF_PUSH, FactorType::Push);
    assert_eq!(updated.status, ChallengeStatus::Approved);
    assert_eq!(updated.metadata, Some(string_map(&[("os", "Android")])));
}

#[test]
fn verify_sends_only_the_code_and_decodes_the_verify_totp_example() {
    let code = String::from("123456");
    let (verified, seen) = exchange(200, VERIFY_TOTP, |c| c.verify(YC_TOTP, &code));
    assert_post(&seen, &format!("{}/{YC_TOTP}", list_path()));
    assert_eq!(seen.body_str(), "AuthPayload=123456");
    let verified = verified.unwrap();
    assert_example(&verified, YC_TOTP, YF_TOTP, FactorType::Totp);
    assert_eq!(verified.status, ChallengeStatus::Approved);
    assert_eq!(verified.metadata, None);
}

#[test]
fn update_with_nothing_set_sends_an_empty_body() {
    let (_, seen) = exchange(200, VERIFY_TOTP, |c| {
        c.update(YC_TOTP, &UpdateChallenge::new())
    });
    assert_post(&seen, &format!("{}/{YC_TOTP}", list_path()));
    assert_eq!(seen.body_str(), "");
}

#[test]
fn update_refuses_a_bad_payload_or_metadata_before_sending() {
    assert_eq!(
        refused(|c| c.verify(YC_TOTP, "123456789")),
        "auth_payload: auth_payload is a 9-digit code: a TOTP code must be 3..=8 digits"
    );
    assert_eq!(
        refused(|c| c.verify(YC_PUSH, "x".repeat(5457))),
        "auth_payload: auth_payload is 5457 characters long: a push payload must be at most 5456 characters"
    );
    assert_eq!(
        refused(|c| c.update(
            YC_PUSH,
            &UpdateChallenge::new().metadata([("k", "x".repeat(1017))])
        )),
        "metadata: metadata is 1025 characters long: must be at most 1024"
    );
}

// ---------------------------------------------------------------------------------------------
// Notify
// ---------------------------------------------------------------------------------------------

#[test]
fn notify_with_ttl_posts_it_and_decodes_the_create_with_ttl_example() {
    let (notification, seen) = exchange(201, NOTIFICATION_WITH_TTL, |c| {
        c.notify(YC_PUSH, &CreateNotification::new().ttl(150))
    });
    assert_post(&seen, &format!("{}/{YC_PUSH}/Notifications", list_path()));
    assert_eq!(seen.body_str(), "Ttl=150");
    let n = notification.unwrap();
    assert_eq!(n.sid.as_str(), "NTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(n.account_sid.as_str(), AC);
    assert_eq!(n.service_sid.as_str(), VA);
    assert_eq!(n.entity_sid.as_str(), "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(n.identity, IDENTITY);
    assert_eq!(n.challenge_sid.as_ref().unwrap().as_str(), YC_PUSH);
    assert_eq!(n.priority.as_deref(), Some("high"));
    assert_eq!(n.ttl, 150);
    assert_eq!(n.date_created, at(EXAMPLE_DATE));
}

#[test]
fn notify_with_nothing_set_sends_an_empty_body_and_decodes_the_create_without_ttl_example() {
    let (notification, seen) = exchange(201, NOTIFICATION_WITHOUT_TTL, |c| {
        c.notify(YC_PUSH, &CreateNotification::new())
    });
    assert_post(&seen, &format!("{}/{YC_PUSH}/Notifications", list_path()));
    assert_eq!(seen.body_str(), "");
    let n = notification.unwrap();
    assert_eq!(n.ttl, 300);
    assert_eq!(n.challenge_sid.as_ref().unwrap().as_str(), YC_PUSH);
    assert_eq!(n.priority.as_deref(), Some("high"));
}

#[test]
fn notify_refuses_a_ttl_over_300_before_sending() {
    assert_eq!(
        refused(|c| c.notify(YC_PUSH, &CreateNotification::new().ttl(301))),
        "ttl: ttl 301 is out of range: must be 0..=300 seconds"
    );
}

// ---------------------------------------------------------------------------------------------
// The issue's public API, run against a mock that routes by path
// ---------------------------------------------------------------------------------------------

#[test]
fn the_issues_challenge_flow_compiles_and_runs() {
    let server = MockServer::start();
    let base = list_path();
    let create = server.mock(|when, then| {
        when.method("POST").path(base.clone());
        then.status(201).body(CREATE_PUSH);
    });
    let fetch = server.mock(|when, then| {
        when.method("GET").path(format!("{base}/{YC_PUSH}"));
        then.status(200).body(VERIFY_PUSH);
    });
    let notify = server.mock(|when, then| {
        when.method("POST")
            .path(format!("{base}/{YC_PUSH}/Notifications"));
        then.status(201).body(NOTIFICATION_WITH_TTL);
    });
    let list = server.mock(|when, then| {
        when.method("GET")
            .path(base.clone())
            .query_param("Status", "pending");
        then.status(200).body(READ_FULL);
    });
    let push_sid: twilio_verify::FactorSid = YF_PUSH.parse().unwrap();

    let challenges = client(&server).challenges(VA, IDENTITY).unwrap();
    let challenge = challenges
        .create(
            &CreateChallenge::new(&push_sid)
                .message("Approve the login from Chrome on macOS?")
                .field("Location", "Berlin")
                .field("IP", "203.0.113.7")
                .expires_in(Duration::from_secs(300)),
        )
        .unwrap();
    let outcome = match challenges.fetch(&challenge.sid).unwrap().status {
        ChallengeStatus::Pending => "pending",
        ChallengeStatus::Approved => "approved",
        ChallengeStatus::Denied | ChallengeStatus::Expired => "refused",
        other => panic!("{other:?}"),
    };
    assert_eq!(outcome, "approved");
    let notification = challenges
        .notify(&challenge.sid, &CreateNotification::new().ttl(150))
        .unwrap();
    assert_eq!(
        notification.sid.to_string(),
        "NTaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    );
    let pending: Vec<String> = challenges
        .list()
        .status(ChallengeStatus::Pending)
        .limit(10)
        .map(|c| c.unwrap().sid.to_string())
        .collect();
    assert_eq!(pending, [YC_PUSH, YC_TOTP]);
    for mock in [&create, &fetch, &notify, &list] {
        mock.assert_calls(1);
    }
}

// ---------------------------------------------------------------------------------------------
// Answers that are not a challenge
// ---------------------------------------------------------------------------------------------

const ERROR_404: &str = r#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}"#;

#[test]
fn fetch_of_an_unknown_challenge_is_an_api_error_with_twilios_code() {
    let (fetched, _) = exchange(404, ERROR_404, |c| c.fetch(YC_PUSH));
    match fetched.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status(), 404);
            assert_eq!(e.code(), Some(20404));
            assert_eq!(e.message(), "The requested resource was not found");
        }
        other => panic!("expected Api, got {other:?}"),
    }
}

#[test]
fn a_create_answered_503_is_not_retried_even_with_retries_on() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 503, ERROR_404, &[]);
    let handle = builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::ZERO),
        )
        .build()
        .unwrap()
        .challenges(VA, IDENTITY)
        .unwrap();
    let err = handle
        .create(&CreateChallenge::new(YF_PUSH).message("m"))
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    mock.assert_calls(1);
    let err = handle.verify(YC_PUSH, "123456").unwrap_err();
    assert_eq!(err.status(), Some(503));
    mock.assert_calls(2);
}

#[test]
fn a_challenge_without_status_or_with_a_malformed_sid_is_a_decode_error_naming_the_field() {
    let mut value: serde_json::Value = serde_json::from_str(FETCH_SID).unwrap();
    value.as_object_mut().unwrap().remove("status");
    let (fetched, _) = exchange(200, &value.to_string(), |c| c.fetch(YC_PUSH));
    match fetched.unwrap_err() {
        Error::Decode(e) => assert_eq!(e.missing(), Some("status")),
        other => panic!("expected Decode, got {other:?}"),
    }
    let mut value: serde_json::Value = serde_json::from_str(NOTIFICATION_WITH_TTL).unwrap();
    value["sid"] = serde_json::json!("NT123");
    let (notified, _) = exchange(201, &value.to_string(), |c| {
        c.notify(YC_PUSH, &CreateNotification::new())
    });
    match notified.unwrap_err() {
        Error::Decode(e) => assert_eq!(e.path(), Some("sid")),
        other => panic!("expected Decode, got {other:?}"),
    }
}
