//! Factors under `/v2/Services/{ServiceSid}/Entities/{Identity}/Factors`: the exact request of
//! every operation, decoding of every spec example, refusals before sending, and redaction.
//!
//! Own helpers at the top (tests/support does not compile on this commit).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use twilio_verify::{
    CreateFactor, Error, Factor, FactorSid, FactorStatus, FactorType, NewFactor,
    NotificationPlatform, RetryPolicy, TotpAlgorithm, UpdateFactor, VerifyClient,
};

const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YE: &str = "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YF: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH_TOKEN: &str = "auth-token-0123456789abcdef";
const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";
const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const OTPAUTH_URI: &str = "otpauth://totp/test-issuer:John%E2%80%99s%20Account%20Name?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=test-issuer&algorithm=SHA1&digits=6&period=30";
const PUBLIC_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8GdwtibWe0kpgsFl6xPQBwhtwUEyeJkeozFmi2jiJDzxFSMwVy3kVR1h/dPVYOfgkC0EkfBRJ0J/6xW47FD5vA==";
/// 42 characters, with characters the form must escape.
const TOKEN: &str = "fcm-registration-token:0123456789abcdef+/=";
const TOKEN_FORM: &str = "fcm-registration-token%3A0123456789abcdef%2B%2F%3D";
const AWKWARD: &str = "Alice's 📱 a&b=c+d";
const AWKWARD_FORM: &str = "Alice%27s+%F0%9F%93%B1+a%26b%3Dc%2Bd";

const CREATE_PUSH: &str = include_str!("fixtures/factor_create_push.json");
const CREATE_TOTP: &str = include_str!("fixtures/factor_create_totp.json");
const FETCH_PUSH: &str = include_str!("fixtures/factor_fetch_push.json");
const FETCH_TOTP: &str = include_str!("fixtures/factor_fetch_totp.json");
const FETCH_PASSKEYS: &str = include_str!("fixtures/factor_fetch_passkeys.json");
const VERIFY_PUSH: &str = include_str!("fixtures/factor_verify_push.json");
const VERIFY_TOTP: &str = include_str!("fixtures/factor_verify_totp.json");
const READ_EMPTY: &str = include_str!("fixtures/factor_read_empty.json");
const READ_FULL_PUSH: &str = include_str!("fixtures/factor_read_full_push.json");
const READ_FULL_TOTP: &str = include_str!("fixtures/factor_read_full_totp.json");
const READ_FULL_TOTP_UPPERCASING: &str =
    include_str!("fixtures/factor_read_full_totp_uppercasing.json");
const READ_FULL_PASSKEYS: &str = include_str!("fixtures/factor_read_full_passkeys.json");
const READ_FULL_PASSKEYS_UPPERCASING: &str =
    include_str!("fixtures/factor_read_full_passkeys_uppercasing.json");

fn factors_path() -> String {
    format!("/v2/Services/{VA}/Entities/{IDENTITY}/Factors")
}

fn factor_path() -> String {
    format!("{}/{YF}", factors_path())
}

fn example_url(identity: &str) -> String {
    format!("https://verify.twilio.com/v2/Services/{VA}/Entities/{identity}/Factors/{YF}")
}

/// `Basic base64(user:password)`, computed independently of the crate.
fn basic() -> String {
    format!("Basic {}", STANDARD.encode(format!("{AC}:{AUTH_TOKEN}")))
}

fn client(server: &MockServer) -> VerifyClient {
    VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn factors(server: &MockServer) -> twilio_verify::Factors {
    client(server).factors(VA, IDENTITY).unwrap()
}

/// A request as the mock saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    authorization: Vec<String>,
    content_type: Vec<String>,
    body: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A catch-all mock that records every request and answers `status` with `body`.
fn recorder<'a>(server: &'a MockServer, status: u16, body: &str) -> (Mock<'a>, Log) {
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let body = body.to_owned();
    let mock = server.mock(move |when, then| {
        when.any_request();
        then.respond_with(move |req: &HttpMockRequest| {
            let uri = req.uri();
            let values = |name: &str| -> Vec<String> {
                req.headers_vec()
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            seen.lock().unwrap().push(Seen {
                method: req.method_str().to_owned(),
                path: uri.path().to_owned(),
                query: uri.query().map(str::to_owned),
                authorization: values("authorization"),
                content_type: values("content-type"),
                body: String::from_utf8(req.body_vec()).unwrap(),
            });
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body.clone())
                .build()
        });
    });
    (mock, log)
}

/// The single request the log holds.
fn only(log: &Log) -> Seen {
    let seen = log.lock().unwrap();
    assert_eq!(seen.len(), 1, "expected exactly one request, saw {seen:#?}");
    seen[0].clone()
}

#[track_caller]
fn assert_post(seen: &Seen, path: &str, body: &str) {
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, path);
    assert_eq!(seen.query, None);
    assert_eq!(seen.authorization, [basic()]);
    assert_eq!(seen.content_type, ["application/x-www-form-urlencoded"]);
    assert_eq!(seen.body, body);
}

#[track_caller]
fn assert_bodyless(seen: &Seen, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(seen.method, method);
    assert_eq!(seen.path, path);
    assert_eq!(seen.query.as_deref(), query);
    assert_eq!(seen.authorization, [basic()]);
    assert_eq!(seen.content_type, Vec::<String>::new());
    assert_eq!(seen.body, "");
}

/// 2015-07-30T20:00:00Z, the date of every spec example.
fn example_date() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_438_286_400)
}

/// Unwraps an `Error::InvalidInput` into its parameter and its Display.
#[track_caller]
fn invalid_input<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    match result {
        Err(Error::InvalidInput(e)) => (e.parameter().to_owned(), e.to_string()),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------------------------

fn sent_by_create(params: &CreateFactor, answer: &str) -> (Seen, NewFactor) {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 201, answer);
    let created = factors(&server).create(params).unwrap();
    mock.assert_calls(1);
    (only(&log), created)
}

#[test]
fn create_totp_with_every_totp_field_sends_exact_body_and_decodes_the_create_totp_example() {
    let params = CreateFactor::totp(AWKWARD)
        .binding_secret(TOTP_SECRET)
        .time_step(30)
        .skew(1)
        .code_length(6)
        .algorithm(TotpAlgorithm::Sha1)
        .metadata([("os", "Android 14"), ("note", "a&b=c+d ü")]);
    let (seen, created) = sent_by_create(&params, CREATE_TOTP);
    assert_post(
        &seen,
        &factors_path(),
        &format!(
            "FriendlyName={AWKWARD_FORM}&FactorType=totp&Binding.Secret={TOTP_SECRET}\
             &Config.TimeStep=30&Config.Skew=1&Config.CodeLength=6&Config.Alg=sha1\
             &Metadata=%7B%22note%22%3A%22a%26b%3Dc%2Bd+%C3%BC%22%2C%22os%22%3A%22Android+14%22%7D"
        ),
    );
    assert_eq!(created.sid.as_str(), YF);
    assert_eq!(created.account_sid.as_str(), AC);
    assert_eq!(created.service_sid.as_str(), VA);
    assert_eq!(created.entity_sid.as_str(), YE);
    assert_eq!(created.identity, IDENTITY);
    assert_eq!(created.date_created, example_date());
    assert_eq!(created.date_updated, example_date());
    assert_eq!(created.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(created.status, FactorStatus::Unverified);
    assert_eq!(created.factor_type, FactorType::Totp);
    assert_eq!(created.options, None);
    assert_eq!(created.metadata, None);
    assert_eq!(created.url, example_url(IDENTITY));
    let binding = created.binding.as_ref().unwrap();
    assert_eq!(
        binding.secret.as_ref().unwrap().expose_secret(),
        TOTP_SECRET
    );
    assert_eq!(binding.uri.as_ref().unwrap().expose_secret(), OTPAUTH_URI);
    assert_eq!(binding.public_key, None);
    assert_eq!(binding.alg, None);
    assert_totp_config(created.config.as_ref().unwrap());
}

#[test]
fn create_totp_with_only_a_friendly_name_sends_just_name_and_type() {
    let (seen, _) = sent_by_create(&CreateFactor::totp("Authy"), CREATE_TOTP);
    assert_post(&seen, &factors_path(), "FriendlyName=Authy&FactorType=totp");
}

#[test]
fn create_push_sends_es256_key_app_platform_token_sdk_and_metadata_and_decodes_create_push() {
    let params = CreateFactor::push(
        "Alice's iPhone",
        PUBLIC_KEY,
        "com.example.myapp",
        NotificationPlatform::Fcm,
    )
    .notification_token(TOKEN)
    .sdk_version("1.0")
    .metadata([("os", "Android")]);
    let (seen, created) = sent_by_create(&params, CREATE_PUSH);
    assert_post(
        &seen,
        &factors_path(),
        &format!(
            "FriendlyName=Alice%27s+iPhone&FactorType=push&Binding.Alg=ES256\
             &Binding.PublicKey=MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8GdwtibWe0kpgsFl6xPQBwhtwUEyeJkeozFmi2jiJDzxFSMwVy3kVR1h%2FdPVYOfgkC0EkfBRJ0J%2F6xW47FD5vA%3D%3D\
             &Config.AppId=com.example.myapp&Config.NotificationPlatform=fcm\
             &Config.NotificationToken={TOKEN_FORM}&Config.SdkVersion=1.0\
             &Metadata=%7B%22os%22%3A%22Android%22%7D"
        ),
    );
    assert_eq!(created.factor_type, FactorType::Push);
    assert_eq!(created.status, FactorStatus::Unverified);
    assert_eq!(created.options, None);
    let binding = created.binding.as_ref().unwrap();
    assert_eq!(binding.alg.as_deref(), Some("ES256"));
    assert_eq!(binding.public_key.as_deref(), Some(PUBLIC_KEY));
    assert!(binding.secret.is_none() && binding.uri.is_none());
    assert_push_config(created.config.as_ref().unwrap());
    assert_eq!(
        created.metadata.unwrap().into_iter().collect::<Vec<_>>(),
        [("os".to_owned(), "Android".to_owned())]
    );
}

#[test]
fn create_push_on_platform_none_needs_no_token() {
    let params = CreateFactor::push("poller", "dGVzdF9rZXk=", "app", NotificationPlatform::None);
    let (seen, _) = sent_by_create(&params, CREATE_PUSH);
    assert_eq!(
        seen.body,
        "FriendlyName=poller&FactorType=push&Binding.Alg=ES256&Binding.PublicKey=dGVzdF9rZXk%3D\
         &Config.AppId=app&Config.NotificationPlatform=none"
    );
}

#[test]
fn create_with_every_setter_sends_every_key_once_in_the_specs_order() {
    let params = CreateFactor::new("every field", FactorType::Push)
        .metadata([("os", "iOS")])
        .algorithm(TotpAlgorithm::Sha256)
        .code_length(3)
        .skew(0)
        .time_step(20)
        .binding_secret("jbswy3dpehpk3pxp====")
        .sdk_version("1.0")
        .notification_token(TOKEN)
        .notification_platform(NotificationPlatform::Apn)
        .app_id("a".repeat(100))
        .binding_public_key("dGVzdF9rZXk=")
        .binding_alg("ES256");
    let (seen, _) = sent_by_create(&params, CREATE_PUSH);
    assert_post(
        &seen,
        &factors_path(),
        &format!(
            "FriendlyName=every+field&FactorType=push&Binding.Alg=ES256\
             &Binding.PublicKey=dGVzdF9rZXk%3D&Config.AppId={}&Config.NotificationPlatform=apn\
             &Config.NotificationToken={TOKEN_FORM}&Config.SdkVersion=1.0\
             &Binding.Secret=jbswy3dpehpk3pxp%3D%3D%3D%3D&Config.TimeStep=20&Config.Skew=0\
             &Config.CodeLength=3&Config.Alg=sha256&Metadata=%7B%22os%22%3A%22iOS%22%7D",
            "a".repeat(100)
        ),
    );
}

#[test]
fn create_accepts_the_edges_of_every_range() {
    let edges = [
        CreateFactor::totp("é".repeat(64))
            .time_step(60)
            .skew(2)
            .code_length(8),
        CreateFactor::totp("x").time_step(20).skew(0).code_length(3),
        CreateFactor::totp("x").metadata([("k", "v".repeat(1024 - 8))]),
        CreateFactor::new("x", FactorType::Passkeys),
        CreateFactor::new("x", FactorType::Other("totp".into())),
        CreateFactor::push("x", "", "a", NotificationPlatform::None).binding_public_key("AA=="),
        CreateFactor::push("x", "AA==", "a", NotificationPlatform::Apn)
            .notification_token("t".repeat(32)),
        CreateFactor::push("x", "AA==", "a", NotificationPlatform::Fcm)
            .notification_token("t".repeat(255)),
    ];
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 201, CREATE_TOTP);
    let factors = factors(&server);
    for params in &edges {
        factors
            .create(params)
            .unwrap_or_else(|e| panic!("{params:?}: {e}"));
    }
    mock.assert_calls(edges.len());
}

#[test]
fn create_refuses_each_broken_rule_naming_it_and_sends_nothing() {
    let push = || CreateFactor::push("x", "dGVzdF9rZXk=", "app", NotificationPlatform::Fcm);
    let cases: Vec<(CreateFactor, &str, String)> = vec![
        (
            CreateFactor::totp(""),
            "friendly_name",
            "friendly_name is empty: it is required".into(),
        ),
        (
            CreateFactor::totp("é".repeat(65)),
            "friendly_name",
            "friendly_name is 65 characters long: must be at most 64".into(),
        ),
        (
            CreateFactor::new("x", FactorType::Other("sms".into())),
            "factor_type",
            "factor_type \"sms\" is not supported: must be one of push, totp, passkeys".into(),
        ),
        (
            CreateFactor::totp("x").time_step(19),
            "time_step",
            "time_step 19 is out of range: must be 20..=60 seconds".into(),
        ),
        (
            CreateFactor::totp("x").time_step(61),
            "time_step",
            "time_step 61 is out of range: must be 20..=60 seconds".into(),
        ),
        (
            CreateFactor::totp("x").skew(3),
            "skew",
            "skew 3 is out of range: must be 0..=2 time steps".into(),
        ),
        (
            CreateFactor::totp("x").code_length(2),
            "code_length",
            "code_length 2 is out of range: must be 3..=8 digits".into(),
        ),
        (
            CreateFactor::totp("x").code_length(9),
            "code_length",
            "code_length 9 is out of range: must be 3..=8 digits".into(),
        ),
        (
            CreateFactor::totp("x").algorithm(TotpAlgorithm::Other("SHA1".into())),
            "algorithm",
            "algorithm \"SHA1\" is not supported: must be one of sha1, sha256, sha512".into(),
        ),
        (
            CreateFactor::totp("x").binding_secret(""),
            "binding_secret",
            "binding_secret is empty: it is required".into(),
        ),
        (
            CreateFactor::totp("x").binding_secret("GEZD GNBV 1890"),
            "binding_secret",
            "binding_secret is not base32: must be the letters A-Z and digits 2-7 (RFC 4648), \
             with optional trailing = padding"
                .into(),
        ),
        (
            CreateFactor::totp("x").binding_secret("===="),
            "binding_secret",
            "binding_secret is not base32: must be the letters A-Z and digits 2-7 (RFC 4648), \
             with optional trailing = padding"
                .into(),
        ),
        (
            CreateFactor::totp("x").metadata([("k", "v".repeat(1024 - 7))]),
            "metadata",
            "metadata is 1025 characters long: must be at most 1024".into(),
        ),
        (
            CreateFactor::new("x", FactorType::Push),
            "binding_public_key",
            "binding_public_key is missing: it is required for a push factor".into(),
        ),
        (
            CreateFactor::new("x", FactorType::Push).binding_public_key("AA=="),
            "app_id",
            "app_id is missing: it is required for a push factor".into(),
        ),
        (
            CreateFactor::new("x", FactorType::Push)
                .binding_public_key("AA==")
                .app_id("a"),
            "notification_platform",
            "notification_platform is missing: it is required for a push factor".into(),
        ),
        (
            push(),
            "notification_token",
            "notification_token is missing: it is required for a push factor on fcm".into(),
        ),
        (
            push().notification_token("t".repeat(31)),
            "notification_token",
            "notification_token is 31 characters long: must be 32..=255 characters".into(),
        ),
        (
            push().notification_token("t".repeat(256)),
            "notification_token",
            "notification_token is 256 characters long: must be 32..=255 characters".into(),
        ),
        (
            CreateFactor::push("x", "not base64!", "app", NotificationPlatform::None),
            "binding_public_key",
            "binding_public_key is not base64: must be the PKIX (ASN.1 DER) public key encoded \
             in standard base64"
                .into(),
        ),
        (
            CreateFactor::push("x", "", "app", NotificationPlatform::None),
            "binding_public_key",
            "binding_public_key is empty: it is required".into(),
        ),
        (
            CreateFactor::push("x", "AA==", "a".repeat(101), NotificationPlatform::None),
            "app_id",
            "app_id is 101 characters long: must be at most 100".into(),
        ),
        (
            CreateFactor::push("x", "AA==", "", NotificationPlatform::None),
            "app_id",
            "app_id is empty: it is required".into(),
        ),
        (
            CreateFactor::push("x", "AA==", "a", NotificationPlatform::Other("gcm".into())),
            "notification_platform",
            "notification_platform \"gcm\" is not supported: must be one of apn, fcm, none".into(),
        ),
        (
            CreateFactor::push("x", "AA==", "a", NotificationPlatform::None).binding_alg(""),
            "binding_alg",
            "binding_alg is empty: it is required".into(),
        ),
    ];
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 201, CREATE_TOTP);
    let factors = factors(&server);
    for (params, parameter, message) in cases {
        let (got_parameter, got_message) = invalid_input(factors.create(&params));
        assert_eq!(
            (got_parameter.as_str(), got_message.as_str()),
            (parameter, message.as_str()),
            "{params:?}"
        );
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn create_refusals_never_echo_the_secret_or_token() {
    let server = MockServer::start();
    let factors = factors(&server);
    let (_, message) =
        invalid_input(factors.create(&CreateFactor::totp("x").binding_secret("SECRET1SECRET1!")));
    assert!(!message.contains("SECRET1"), "{message}");
    let (_, message) = invalid_input(
        factors.create(
            &CreateFactor::push("x", "AA==", "a", NotificationPlatform::Apn)
                .notification_token("tok-tok-tok"),
        ),
    );
    assert!(!message.contains("tok-tok"), "{message}");
}

#[test]
fn create_answered_400_is_an_api_error_and_is_not_retried() {
    let server = MockServer::start();
    let (mock, _) = recorder(
        &server,
        400,
        r#"{"code":60200,"message":"Invalid parameter: Config.TimeStep","more_info":"https://www.twilio.com/docs/errors/60200","status":400}"#,
    );
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::none()
                .max_attempts(3)
                .base_delay(Duration::ZERO),
        )
        .build()
        .unwrap();
    let err = client
        .factors(VA, IDENTITY)
        .unwrap()
        .create(&CreateFactor::totp("x"))
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Api, got {err:?}")
    };
    assert_eq!((api.status(), api.code()), (400, Some(60200)));
    assert_eq!(api.message(), "Invalid parameter: Config.TimeStep");
    mock.assert_calls(1);
}

// ---------------------------------------------------------------------------------------------
// The handle
// ---------------------------------------------------------------------------------------------

#[test]
fn the_handle_refuses_a_bad_service_sid_or_identity_and_its_debug_hides_the_identity() {
    let server = MockServer::start();
    let client = client(&server);
    assert_eq!(
        invalid_input(client.factors("VA123", IDENTITY)),
        (
            "service_sid".to_owned(),
            "service_sid is malformed (5 characters starting \"VA\"): must be \"VA\" followed by 32 hex digits"
                .to_owned()
        )
    );
    for identity in ["user 1234", "../../Services", "user/1234", "short", ""] {
        assert_eq!(invalid_input(client.factors(VA, identity)).0, "identity");
    }
    let factors = client.factors(VA, IDENTITY).unwrap();
    assert_eq!(factors.service_sid().as_str(), VA);
    assert_eq!(
        format!("{factors:?}"),
        "Factors { service_sid: \"VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", .. }"
    );
}

#[test]
fn a_malformed_factor_sid_is_refused_by_fetch_update_verify_and_delete_with_nothing_sent() {
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 200, FETCH_PUSH);
    let factors = factors(&server);
    let message = "factor_sid is malformed (7 characters starting \"YF\"): must be \"YF\" followed by 32 hex digits";
    let expected = ("factor_sid".to_owned(), message.to_owned());
    assert_eq!(invalid_input(factors.fetch("YF/../x")), expected);
    assert_eq!(
        invalid_input(factors.update("YF/../x", &UpdateFactor::new())),
        expected
    );
    assert_eq!(invalid_input(factors.verify("YF/../x", "123456")), expected);
    assert_eq!(invalid_input(factors.delete("YF/../x")), expected);
    let challenge_sid = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert_eq!(invalid_input(factors.fetch(challenge_sid)).0, "factor_sid");
    assert_eq!(mock.calls(), 0);
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

fn listed(answer: &str) -> (Seen, Vec<Factor>) {
    let server = MockServer::start();
    let (_, log) = recorder(&server, 200, answer);
    let all: Vec<Factor> = factors(&server).list().collect::<Result<_, _>>().unwrap();
    (only(&log), all)
}

#[test]
fn list_gets_the_factors_path_and_decodes_the_read_full_push_example() {
    let (seen, all) = listed(READ_FULL_PUSH);
    assert_bodyless(&seen, "GET", &factors_path(), None);
    let [factor] = all.as_slice() else {
        panic!("{all:?}")
    };
    assert_eq!(factor.sid.as_str(), YF);
    assert_eq!(factor.entity_sid.as_str(), YE);
    assert_eq!(factor.status, FactorStatus::Unverified);
    assert_eq!(factor.factor_type, FactorType::Push);
    assert_push_config(factor.config.as_ref().unwrap());
    assert_eq!(factor.metadata.as_ref().unwrap()["os"], "Android");
    assert_eq!(factor.url, example_url(IDENTITY));
}

#[test]
fn list_decodes_the_totp_and_passkeys_examples_including_uppercase_identities() {
    for (answer, identity, totp) in [
        (READ_FULL_TOTP, IDENTITY, true),
        (
            READ_FULL_TOTP_UPPERCASING,
            "DD6840aec40ad01ebc2001c0330000aa33",
            true,
        ),
        (READ_FULL_PASSKEYS, IDENTITY, false),
        (
            READ_FULL_PASSKEYS_UPPERCASING,
            "DD6840aec40ad01ebc2001c0330000aa33",
            false,
        ),
    ] {
        let (_, all) = listed(answer);
        let [factor] = all.as_slice() else {
            panic!("{all:?}")
        };
        assert_eq!(factor.identity, identity);
        assert_eq!(factor.url, example_url(identity));
        assert_eq!(factor.metadata, None);
        assert_eq!(factor.date_created, example_date());
        let config = factor.config.as_ref().unwrap();
        if totp {
            assert_eq!(factor.factor_type, FactorType::Totp);
            assert_totp_config(config);
        } else {
            assert_eq!(factor.factor_type, FactorType::Passkeys);
            assert_passkeys_config(config);
        }
    }
}

#[test]
fn list_of_the_read_empty_example_yields_nothing() {
    let (_, all) = listed(READ_EMPTY);
    assert!(all.is_empty());
}

#[test]
fn list_sends_page_size_as_a_query() {
    let server = MockServer::start();
    let (_, log) = recorder(&server, 200, READ_EMPTY);
    let page = factors(&server).list().page_size(20).first_page().unwrap();
    assert!(page.records().is_empty());
    assert_bodyless(&only(&log), "GET", &factors_path(), Some("PageSize=20"));
}

// ---------------------------------------------------------------------------------------------
// fetch
// ---------------------------------------------------------------------------------------------

fn fetched(answer: &str) -> (Seen, Factor) {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 200, answer);
    let sid: FactorSid = YF.parse().unwrap();
    let factor = factors(&server).fetch(&sid).unwrap();
    mock.assert_calls(1);
    (only(&log), factor)
}

#[test]
fn fetch_gets_the_factor_path_and_decodes_the_fetch_push_example() {
    let (seen, factor) = fetched(FETCH_PUSH);
    assert_bodyless(&seen, "GET", &factor_path(), None);
    assert_eq!(factor.sid.as_str(), YF);
    assert_eq!(factor.account_sid.as_str(), AC);
    assert_eq!(factor.service_sid.as_str(), VA);
    assert_eq!(factor.identity, IDENTITY);
    assert_eq!(factor.date_updated, example_date());
    assert_eq!(factor.friendly_name.as_deref(), Some("friendly_name"));
    assert_eq!(factor.status, FactorStatus::Unverified);
    assert_eq!(factor.factor_type, FactorType::Push);
    assert_push_config(factor.config.as_ref().unwrap());
}

#[test]
fn fetch_decodes_the_fetch_totp_and_fetch_passkeys_examples() {
    let (_, totp) = fetched(FETCH_TOTP);
    assert_eq!(totp.factor_type, FactorType::Totp);
    assert_totp_config(totp.config.as_ref().unwrap());
    let (_, passkeys) = fetched(FETCH_PASSKEYS);
    assert_eq!(passkeys.factor_type, FactorType::Passkeys);
    assert_passkeys_config(passkeys.config.as_ref().unwrap());
}

#[test]
fn fetch_of_an_unknown_factor_is_a_404_api_error() {
    let server = MockServer::start();
    let (_, _) = recorder(
        &server,
        404,
        r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#,
    );
    let err = factors(&server).fetch(YF).unwrap_err();
    assert_eq!(err.status(), Some(404));
    let Error::Api(api) = err else { panic!() };
    assert_eq!(api.code(), Some(20404));
}

#[test]
fn unknown_enum_values_and_config_keys_decode_and_null_config_is_none() {
    let mut value: serde_json::Value = serde_json::from_str(FETCH_PUSH).unwrap();
    value["status"] = "revoked".into();
    value["factor_type"] = "sms".into();
    value["config"]["notification_platform"] = "hms".into();
    value["config"]["future_key"] = serde_json::json!({"nested": [1, 2]});
    let (_, factor) = fetched(&value.to_string());
    assert_eq!(factor.status, FactorStatus::Other("revoked".into()));
    assert_eq!(factor.factor_type, FactorType::Other("sms".into()));
    let config = factor.config.unwrap();
    assert_eq!(
        config.notification_platform,
        Some(NotificationPlatform::Other("hms".into()))
    );
    assert!(!format!("{config:?}").contains("future_key"));

    value["config"] = serde_json::Value::Null;
    value["metadata"] = serde_json::Value::Null;
    value["friendly_name"] = serde_json::Value::Null;
    let (_, factor) = fetched(&value.to_string());
    assert!(factor.config.is_none() && factor.metadata.is_none());
    assert_eq!(factor.friendly_name, None);
}

#[test]
fn a_factor_without_a_sid_is_a_decode_error() {
    let mut value: serde_json::Value = serde_json::from_str(FETCH_TOTP).unwrap();
    value.as_object_mut().unwrap().remove("sid");
    let server = MockServer::start();
    let _ = recorder(&server, 200, &value.to_string());
    let err = factors(&server).fetch(YF).unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// update and verify
// ---------------------------------------------------------------------------------------------

fn sent_by_update(params: &UpdateFactor, answer: &str) -> (Seen, Factor) {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 200, answer);
    let factor = factors(&server).update(YF, params).unwrap();
    mock.assert_calls(1);
    (only(&log), factor)
}

#[test]
fn update_with_every_field_sends_exact_body_in_the_specs_order() {
    let params = UpdateFactor::new()
        .notification_platform(NotificationPlatform::Apn)
        .algorithm(TotpAlgorithm::Sha512)
        .code_length(8)
        .skew(2)
        .time_step(60)
        .sdk_version("2.1.0 beta")
        .notification_token(TOKEN)
        .friendly_name(AWKWARD)
        .auth_payload("123456");
    let (seen, factor) = sent_by_update(&params, VERIFY_PUSH);
    assert_post(
        &seen,
        &factor_path(),
        &format!(
            "AuthPayload=123456&FriendlyName={AWKWARD_FORM}&Config.NotificationToken={TOKEN_FORM}\
             &Config.SdkVersion=2.1.0+beta&Config.TimeStep=60&Config.Skew=2&Config.CodeLength=8\
             &Config.Alg=sha512&Config.NotificationPlatform=apn"
        ),
    );
    assert_eq!(factor.status, FactorStatus::Verified);
    assert_eq!(factor.factor_type, FactorType::Push);
    assert_push_config(factor.config.as_ref().unwrap());
}

#[test]
fn update_with_nothing_set_sends_an_empty_body() {
    let (seen, _) = sent_by_update(&UpdateFactor::new(), FETCH_TOTP);
    assert_post(&seen, &factor_path(), "");
}

#[test]
fn verify_sends_only_the_auth_payload_and_decodes_the_verify_totp_example() {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 200, VERIFY_TOTP);
    let factors = factors(&server);
    let sid: FactorSid = YF.parse().unwrap();
    let code = String::from("012345");
    let verified = factors.verify(&sid, &code).unwrap();
    assert_post(&only(&log), &factor_path(), "AuthPayload=012345");
    assert_eq!(verified.sid, sid);
    assert_eq!(verified.status, FactorStatus::Verified);
    assert_eq!(verified.factor_type, FactorType::Totp);
    assert_totp_config(verified.config.as_ref().unwrap());
    factors.verify(YF, "123").unwrap();
    factors.verify(sid, "12345678").unwrap();
    mock.assert_calls(3);
}

#[test]
fn verify_sends_a_push_payload_up_to_5456_characters_verbatim() {
    let payload = format!("eyJhbGciOiJFUzI1NiJ9.{}.sig+/=", "x".repeat(5456 - 28));
    assert_eq!(payload.chars().count(), 5456);
    let server = MockServer::start();
    let (_, log) = recorder(&server, 200, VERIFY_PUSH);
    factors(&server).verify(YF, &payload).unwrap();
    let expected = format!(
        "AuthPayload=eyJhbGciOiJFUzI1NiJ9.{}.sig%2B%2F%3D",
        "x".repeat(5456 - 28)
    );
    assert_eq!(only(&log).body, expected);
}

#[test]
fn verify_refuses_empty_short_long_codes_and_oversized_payloads_with_nothing_sent() {
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 200, VERIFY_TOTP);
    let factors = factors(&server);
    let cases = [
        (
            String::new(),
            "auth_payload is empty: must be a TOTP code (3..=8 digits) or a push payload (at most 5456 characters)",
        ),
        (
            "12".to_owned(),
            "auth_payload is a 2-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            "123456789".to_owned(),
            "auth_payload is a 9-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            "1".repeat(600_000),
            "auth_payload is a 600000-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            "p".repeat(5457),
            "auth_payload is 5457 characters long: a push payload must be at most 5456 characters",
        ),
    ];
    for (code, message) in &cases {
        assert_eq!(
            invalid_input(factors.verify(YF, code)),
            ("auth_payload".to_owned(), (*message).to_owned())
        );
        assert_eq!(
            invalid_input(factors.update(YF, &UpdateFactor::new().auth_payload(code.clone()))).1,
            *message
        );
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn update_refuses_each_broken_rule_naming_it_and_sends_nothing() {
    let cases = [
        (
            UpdateFactor::new().friendly_name("é".repeat(65)),
            "friendly_name",
            "friendly_name is 65 characters long: must be at most 64",
        ),
        (
            UpdateFactor::new().notification_token("short"),
            "notification_token",
            "notification_token is 5 characters long: must be 32..=255 characters",
        ),
        (
            UpdateFactor::new().time_step(10),
            "time_step",
            "time_step 10 is out of range: must be 20..=60 seconds",
        ),
        (
            UpdateFactor::new().skew(5),
            "skew",
            "skew 5 is out of range: must be 0..=2 time steps",
        ),
        (
            UpdateFactor::new().code_length(0),
            "code_length",
            "code_length 0 is out of range: must be 3..=8 digits",
        ),
        (
            UpdateFactor::new().algorithm(TotpAlgorithm::Other("md5".into())),
            "algorithm",
            "algorithm \"md5\" is not supported: must be one of sha1, sha256, sha512",
        ),
        (
            UpdateFactor::new().notification_platform(NotificationPlatform::Other("APN".into())),
            "notification_platform",
            "notification_platform \"APN\" is not supported: must be one of apn, fcm, none",
        ),
    ];
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 200, FETCH_TOTP);
    let factors = factors(&server);
    for (params, parameter, message) in cases {
        assert_eq!(
            invalid_input(factors.update(YF, &params)),
            (parameter.to_owned(), message.to_owned()),
            "{params:?}"
        );
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn verify_answered_500_is_not_retried_since_it_may_have_consumed_the_code() {
    let server = MockServer::start();
    let (mock, _) = recorder(&server, 500, "{}");
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::none()
                .max_attempts(3)
                .base_delay(Duration::ZERO),
        )
        .build()
        .unwrap();
    let err = client
        .factors(VA, IDENTITY)
        .unwrap()
        .verify(YF, "123456")
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    mock.assert_calls(1);
    // The same policy does retry a fetch, which changes nothing.
    let fetch_server = MockServer::start();
    let (fetch_mock, _) = recorder(&fetch_server, 500, "{}");
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(fetch_server.base_url())
        .retry_policy(
            RetryPolicy::none()
                .max_attempts(3)
                .base_delay(Duration::ZERO),
        )
        .build()
        .unwrap();
    let err = client.factors(VA, IDENTITY).unwrap().fetch(YF).unwrap_err();
    assert_eq!(err.status(), Some(500));
    fetch_mock.assert_calls(3);
}

// ---------------------------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------------------------

#[test]
fn delete_sends_delete_to_the_factor_path_and_accepts_204() {
    let server = MockServer::start();
    let (mock, log) = recorder(&server, 204, "");
    let sid: FactorSid = YF.parse().unwrap();
    factors(&server).delete(&sid).unwrap();
    mock.assert_calls(1);
    assert_bodyless(&only(&log), "DELETE", &factor_path(), None);
}

#[test]
fn delete_of_an_unknown_factor_is_a_404_api_error() {
    let server = MockServer::start();
    let _ = recorder(
        &server,
        404,
        r#"{"code":20404,"message":"Not found","status":404}"#,
    );
    let err = factors(&server).delete(YF).unwrap_err();
    assert_eq!(err.status(), Some(404));
}

// ---------------------------------------------------------------------------------------------
// Secrets in Debug
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_of_the_create_totp_answer_never_shows_the_secret_or_the_otpauth_uri() {
    let created: NewFactor = {
        let server = MockServer::start();
        let _ = recorder(&server, 201, CREATE_TOTP);
        factors(&server).create(&CreateFactor::totp("x")).unwrap()
    };
    for debug in [format!("{created:?}"), format!("{created:#?}")] {
        assert!(!debug.contains(TOTP_SECRET), "{debug}");
        assert!(!debug.contains("otpauth"), "{debug}");
        assert!(!debug.contains("GEZDGNBV"), "{debug}");
        assert_eq!(debug.matches("Secret([redacted])").count(), 2, "{debug}");
    }
    let binding = created.binding.unwrap();
    assert_eq!(
        format!("{binding:?}"),
        "FactorBinding { secret: Some(Secret([redacted])), uri: Some(Secret([redacted])), \
         public_key: None, alg: None }"
    );
}

#[test]
fn debug_of_a_push_factor_never_shows_the_notification_token() {
    let (_, factor) = fetched(FETCH_PUSH);
    assert_eq!(
        factor
            .config
            .as_ref()
            .unwrap()
            .notification_token
            .as_ref()
            .unwrap()
            .expose_secret(),
        "test_token"
    );
    let debug = format!("{factor:?}");
    assert!(!debug.contains("test_token"), "{debug}");
    assert!(
        debug.contains("notification_token: Some(Secret([redacted]))"),
        "{debug}"
    );
}

#[test]
fn debug_of_params_never_shows_binding_secret_notification_token_or_auth_payload() {
    let create = CreateFactor::totp("x")
        .binding_secret(TOTP_SECRET)
        .notification_token(TOKEN);
    let debug = format!("{create:?}");
    assert!(
        !debug.contains(TOTP_SECRET) && !debug.contains(TOKEN),
        "{debug}"
    );
    assert_eq!(
        debug.matches("Some(Secret([redacted]))").count(),
        2,
        "{debug}"
    );

    let update = UpdateFactor::new()
        .auth_payload("987654")
        .notification_token(TOKEN);
    assert_eq!(
        format!("{update:?}"),
        "UpdateFactor { auth_payload: Some(Secret([redacted])), friendly_name: None, \
         notification_token: Some(Secret([redacted])), sdk_version: None, time_step: None, \
         skew: None, code_length: None, algorithm: None, notification_platform: None }"
    );
}

// ---------------------------------------------------------------------------------------------
// The issue's API, end to end against the mock
// ---------------------------------------------------------------------------------------------

#[test]
fn the_issues_factor_api_runs_against_the_mock() -> Result<(), Error> {
    let server = MockServer::start();
    let base = factors_path();
    let create = server.mock(|when, then| {
        when.method("POST").path(base.clone()).body(
            "FriendlyName=Alice%27s+authenticator+app&FactorType=totp&Config.TimeStep=30\
             &Config.CodeLength=6&Config.Alg=sha1",
        );
        then.status(201)
            .header("content-type", "application/json")
            .body(CREATE_TOTP);
    });
    let verify = server.mock(|when, then| {
        when.method("POST")
            .path(format!("{base}/{YF}"))
            .body("AuthPayload=123456");
        then.status(200)
            .header("content-type", "application/json")
            .body(VERIFY_TOTP);
    });
    let list = server.mock(|when, then| {
        when.method("GET").path(base.clone());
        then.status(200)
            .header("content-type", "application/json")
            .body(READ_FULL_PUSH);
    });
    let fetch = server.mock(|when, then| {
        when.method("GET").path(format!("{base}/{YF}"));
        then.status(200)
            .header("content-type", "application/json")
            .body(FETCH_PUSH);
    });
    let delete = server.mock(|when, then| {
        when.method("DELETE").path(format!("{base}/{YF}"));
        then.status(204);
    });
    let (service, identity) = (VA, IDENTITY);
    let client = client(&server);

    let factors = client.factors(service, identity)?;
    let totp = factors.create(
        &CreateFactor::totp("Alice's authenticator app")
            .time_step(30)
            .code_length(6)
            .algorithm(TotpAlgorithm::Sha1),
    )?;
    let verified = factors.verify(&totp.sid, "123456")?;
    println!("factor {} is {:?}", verified.sid, verified.status);
    let some_string = String::from("123456");
    factors.verify(&totp.sid, &some_string)?;
    let mut push_factors = Vec::new();
    for factor in factors.list() {
        let factor = factor?;
        if factor.status == FactorStatus::Verified && factor.factor_type == FactorType::Push {
            println!("push factor {}", factor.sid);
        }
        push_factors.push(factor.sid);
    }
    let push = factors.fetch("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
    factors.delete(&totp.sid)?;

    assert_eq!(verified.status, FactorStatus::Verified);
    assert_eq!(push_factors.len(), 1);
    assert_eq!(push.factor_type, FactorType::Push);
    create.assert_calls(1);
    verify.assert_calls(2);
    list.assert_calls(1);
    fetch.assert_calls(1);
    delete.assert_calls(1);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The spec's config values
// ---------------------------------------------------------------------------------------------

#[track_caller]
fn assert_push_config(config: &twilio_verify::FactorConfig) {
    assert_eq!(config.sdk_version.as_deref(), Some("1.0"));
    assert_eq!(config.app_id.as_deref(), Some("com.example.myapp"));
    assert_eq!(
        config.notification_platform,
        Some(NotificationPlatform::Fcm)
    );
    assert_eq!(
        config.notification_token.as_ref().unwrap().expose_secret(),
        "test_token"
    );
    assert_eq!(
        (config.time_step, config.skew, config.code_length),
        (None, None, None)
    );
    assert_eq!(config.alg, None);
    assert_eq!(config.relying_party, None);
}

#[track_caller]
fn assert_totp_config(config: &twilio_verify::FactorConfig) {
    assert_eq!(config.alg, Some(TotpAlgorithm::Sha1));
    assert_eq!(config.skew, Some(1));
    assert_eq!(config.code_length, Some(6));
    assert_eq!(config.time_step, Some(30));
    assert!(config.notification_token.is_none() && config.app_id.is_none());
    assert_eq!(config.relying_party, None);
}

#[track_caller]
fn assert_passkeys_config(config: &twilio_verify::FactorConfig) {
    let party = config.relying_party.as_ref().unwrap();
    assert_eq!(party.id.as_deref(), Some("example.com"));
    assert_eq!(party.name.as_deref(), Some("Example"));
    assert_eq!(
        party.origins.as_deref(),
        Some(&["https://example.com".to_owned()][..])
    );
    assert_eq!(config.authenticator_attachment.as_deref(), Some("platform"));
    assert_eq!(
        config.discoverable_credentials.as_deref(),
        Some("preferred")
    );
    assert_eq!(config.user_verification.as_deref(), Some("preferred"));
    assert_eq!(config.alg, None);
    assert!(config.notification_token.is_none());
}
