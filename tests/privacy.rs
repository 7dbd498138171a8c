//! Personal data and secrets of the Verify Push operations never reach a log line, and secrets
//! never reach `Debug` or `Display`: every operation runs with a capturing logger at `trace`,
//! against a mock that answers the spec's examples (with the test's identity in them).
//!
//! Personal data, per Twilio's spec (`x-twilio.pii`): the identity, challenge details, hidden
//! details and metadata. Secrets: auth payloads, `Binding.Secret`, the device's notification
//! token, and the TOTP secret and `otpauth://` URI a factor create answers.

#[path = "support/capture_log.rs"]
mod capture_log;

use std::sync::Mutex;
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use twilio_verify::{
    CreateChallenge, CreateFactor, CreateNotification, CreateWebhook, Error, NotificationPlatform,
    RetryPolicy, UpdateChallenge, UpdateFactor, UpdateWebhook, VerifyClient, WebhookEvent,
};

const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YF: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YC: &str = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const YW: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// The identity, in requests and (substituted for the spec's) in every answer.
const IDENTITY: &str = "a1ice-0f-0w1bank-7e5b";
const MESSAGE: &str = "Approve the login from Berlin-4417?";
const FIELD_VALUE: &str = "203.0.113.77";
const HIDDEN_VALUE: &str = "session-5f1e2d";
const METADATA_VALUE: &str = "Pixel-9-Pro-4417";
const AUTH_PAYLOAD: &str = "482913";
const PUSH_PAYLOAD: &str = "eyJzaWduZWQiOiJwYXlsb2FkIn0.c2lnbmF0dXJlLTQ0MTc";
const BINDING_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NOTIFICATION_TOKEN: &str = "fcm-token-0123456789abcdef0123456789abcdef";
/// What the spec's examples answer: the TOTP secret and URI, the device's token.
const ANSWERED_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const ANSWERED_TOKEN: &str = "test_token";

fn personal_data() -> [&'static str; 5] {
    [IDENTITY, MESSAGE, FIELD_VALUE, HIDDEN_VALUE, METADATA_VALUE]
}

fn secrets() -> [&'static str; 7] {
    [
        AUTH_PAYLOAD,
        PUSH_PAYLOAD,
        BINDING_SECRET,
        NOTIFICATION_TOKEN,
        ANSWERED_SECRET,
        "otpauth://",
        ANSWERED_TOKEN,
    ]
}

/// The spec example for a request, with the test's identity and a `429` first for every
/// `GET` (so the retry log line is exercised too).
fn fixture(method: &str, path: &str) -> (u16, String) {
    let file = match (method, path.rsplit('/').next().unwrap_or_default()) {
        ("DELETE", _) => return (204, String::new()),
        ("POST", "Entities") => "entity_create",
        ("GET", "Entities") => "entity_read_full",
        (_, id) if id == IDENTITY => "entity_fetch",
        ("POST", "Factors") => "factor_create_totp",
        ("GET", "Factors") => "factor_read_full_push",
        ("GET", YF) => "factor_fetch_push",
        ("POST", YF) => "factor_verify_push",
        ("POST", "Challenges") => "challenge_create_push",
        ("GET", "Challenges") => "challenge_read_full",
        ("GET", YC) => "challenge_fetch_sid",
        ("POST", YC) => "challenge_verify_push",
        ("POST", "Notifications") => "notification_create_with_ttl",
        ("POST", "Webhooks") => "webhook_resource_create",
        ("GET", "Webhooks") => "webhook_resource_read_full",
        ("GET", YW) => "webhook_resource_fetch",
        ("POST", YW) => "webhook_resource_update",
        _ => {
            return (
                404,
                r#"{"code":20404,"message":"not found","status":404}"#.into(),
            );
        }
    };
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/{file}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let status =
        if method == "POST" && !path.ends_with(YF) && !path.ends_with(YC) && !path.ends_with(YW) {
            201
        } else {
            200
        };
    (
        status,
        text.replace("ff483d1ff591898a9942916050d2ca3f", IDENTITY),
    )
}

fn serve(server: &MockServer) {
    let first_get = Mutex::new(std::collections::HashSet::new());
    server.mock(move |when, then| {
        when.any_request();
        then.respond_with(move |req: &HttpMockRequest| {
            let path = req.uri().path().to_owned();
            let method = req.method_str().to_owned();
            if method == "GET" && first_get.lock().unwrap().insert(path.clone()) {
                return HttpMockResponse::builder()
                    .status(429)
                    .body(r#"{"code":20429,"message":"Too Many Requests","status":429}"#)
                    .build();
            }
            let (status, body) = fixture(&method, &path);
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .header("twilio-request-id", "RQ0123456789abcdef0123456789abcdef")
                .body(body)
                .build()
        });
    });
}

/// Runs all 19 Verify Push operations with every personal and secret value set; returns the
/// `Debug` of everything they produced.
fn run_every_operation(client: &VerifyClient) -> Vec<String> {
    let mut shown = Vec::new();
    let mut show = |value: &dyn std::fmt::Debug| {
        shown.push(format!("{value:?}"));
        shown.push(format!("{value:#?}"));
    };
    let metadata = [("device", METADATA_VALUE)];

    let entities = client.entities(VA).unwrap();
    show(&entities);
    show(&entities.create(IDENTITY).unwrap());
    show(&entities.fetch(IDENTITY).unwrap());
    show(&entities.list().map(Result::unwrap).collect::<Vec<_>>());

    let factors = client.factors(VA, IDENTITY).unwrap();
    show(&factors);
    let totp = CreateFactor::totp("Alice's app")
        .binding_secret(BINDING_SECRET)
        .metadata(metadata);
    show(&totp);
    show(&factors.create(&totp).unwrap());
    let push = CreateFactor::push(
        "Alice's phone",
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8GdwtibWe0kpgsFl6xPQBwhtwUEyeJkeozFmi2jiJDzxFSMwVy3kVR1h/dPVYOfgkC0EkfBRJ0J/6xW47FD5vA==",
        "com.example.owlbank",
        NotificationPlatform::Fcm,
    )
    .notification_token(NOTIFICATION_TOKEN)
    .sdk_version("1.0.0")
    .metadata(metadata);
    show(&push);
    show(&factors.create(&push).unwrap());
    show(&factors.list().map(Result::unwrap).collect::<Vec<_>>());
    show(&factors.fetch(YF).unwrap());
    let update = UpdateFactor::new()
        .auth_payload(PUSH_PAYLOAD)
        .notification_token(NOTIFICATION_TOKEN);
    show(&update);
    show(&factors.update(YF, &update).unwrap());
    show(&factors.verify(YF, AUTH_PAYLOAD).unwrap());

    let challenges = client.challenges(VA, IDENTITY).unwrap();
    show(&challenges);
    let create = CreateChallenge::new(YF)
        .message(MESSAGE)
        .field("IP", FIELD_VALUE)
        .hidden_detail("session", HIDDEN_VALUE)
        .expires_in(Duration::from_secs(300));
    show(&create);
    show(&challenges.create(&create).unwrap());
    let by_code = CreateChallenge::new(YF).auth_payload(AUTH_PAYLOAD);
    show(&by_code);
    show(&challenges.create(&by_code).unwrap());
    show(&challenges.list().map(Result::unwrap).collect::<Vec<_>>());
    show(&challenges.fetch(YC).unwrap());
    let answer = UpdateChallenge::new()
        .auth_payload(PUSH_PAYLOAD)
        .metadata(metadata);
    show(&answer);
    show(&challenges.update(YC, &answer).unwrap());
    show(&challenges.verify(YC, AUTH_PAYLOAD).unwrap());
    show(
        &challenges
            .notify(YC, &CreateNotification::new().ttl(60))
            .unwrap(),
    );

    let webhooks = client.webhooks(VA).unwrap();
    show(
        &webhooks
            .create(&CreateWebhook::new(
                "events",
                "https://example.com/events",
                [WebhookEvent::All],
            ))
            .unwrap(),
    );
    show(&webhooks.list().map(Result::unwrap).collect::<Vec<_>>());
    show(&webhooks.fetch(YW).unwrap());
    show(&webhooks.update(YW, &UpdateWebhook::new()).unwrap());
    webhooks.delete(YW).unwrap();
    factors.delete(YF).unwrap();
    entities.delete(IDENTITY).unwrap();
    shown
}

/// Every refusal that involves personal data or a secret, as errors.
fn refusals(client: &VerifyClient) -> Vec<Error> {
    let challenges = client.challenges(VA, IDENTITY).unwrap();
    let factors = client.factors(VA, IDENTITY).unwrap();
    let long = |value: &str| format!("{value}{}", "x".repeat(6000));
    vec![
        client
            .entities(VA)
            .unwrap()
            .create(long(IDENTITY))
            .unwrap_err(),
        client.factors(VA, format!("{IDENTITY} ")).unwrap_err(),
        challenges
            .create(&CreateChallenge::new(YF).message(long(MESSAGE)))
            .unwrap_err(),
        challenges
            .create(&CreateChallenge::new(YF).field("IP", long(FIELD_VALUE)))
            .unwrap_err(),
        challenges
            .create(&CreateChallenge::new(YF).hidden_detail("s", long(HIDDEN_VALUE)))
            .unwrap_err(),
        challenges
            .create(&CreateChallenge::new(YF).auth_payload(format!("{AUTH_PAYLOAD}123")))
            .unwrap_err(),
        challenges
            .update(
                YC,
                &UpdateChallenge::new().metadata([("d", long(METADATA_VALUE))]),
            )
            .unwrap_err(),
        factors
            .create(&CreateFactor::totp("a").binding_secret(format!("{BINDING_SECRET}!")))
            .unwrap_err(),
        factors
            .update(
                YF,
                &UpdateFactor::new().notification_token(long(NOTIFICATION_TOKEN)),
            )
            .unwrap_err(),
        factors.verify(YF, long(PUSH_PAYLOAD)).unwrap_err(),
        factors.verify(AUTH_PAYLOAD, AUTH_PAYLOAD).unwrap_err(),
    ]
}

#[test]
fn no_personal_data_or_secret_reaches_a_log_line_and_no_secret_a_debug_or_error() {
    capture_log::install();
    let server = MockServer::start();
    serve(&server);
    let client = VerifyClient::builder()
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("auth-token-0123456789abcdef")
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();

    let shown = run_every_operation(&client);
    for text in &shown {
        for secret in secrets() {
            assert!(!text.contains(secret), "Debug shows {secret:?}: {text}");
        }
    }
    assert!(
        shown.iter().any(|t| t.contains("Secret([redacted])")),
        "the answered secrets were decoded (and redacted)"
    );

    for error in refusals(&client) {
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        for text in [error.to_string(), format!("{error:?}")] {
            for value in personal_data().iter().chain(secrets().iter()) {
                assert!(!text.contains(value), "error shows {value:?}: {text}");
            }
        }
    }

    let lines = capture_log::lines();
    let mut ours = 0;
    for (target, line) in &lines {
        // ureq's protocol layer hex-dumps raw bytes at trace (see the README's security notes);
        // httpmock is the test's server, not the client.
        if target.starts_with("ureq_proto") || target.starts_with("httpmock") {
            continue;
        }
        for secret in secrets() {
            assert!(!line.contains(secret), "log line shows {secret:?}: {line}");
        }
        // ureq itself logs each request's URL at debug (target `ureq`), and the identity is a
        // path segment: only this crate's own lines can promise to leave it out (the README
        // says to keep `ureq` at `info` where identities must not be logged).
        if target.starts_with("twilio_verify") {
            for value in personal_data() {
                assert!(!line.contains(value), "log line shows {value:?}: {line}");
            }
            ours += 1;
        }
    }
    // Every operation logged its request, and the identity was replaced in the path.
    assert!(ours >= 19, "only {ours} lines of the crate's own");
    assert!(lines.iter().any(|(_, l)| l.contains(&format!(
        "GET /v2/Services/{VA}/Entities/{{identity}}/Factors/{YF} -> 200"
    ))));
    assert!(
        lines
            .iter()
            .any(|(_, l)| l.contains("HTTP 429 on attempt 1 of 3"))
    );
}
