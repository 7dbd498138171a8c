//! `/v2/Services/{ServiceSid}/Webhooks`: the exact requests of create, list, fetch, update and
//! delete, decoding of every spec example, and every refusal with nothing sent.

mod mock_router;

use std::time::{Duration, SystemTime};

use httpmock::MockServer;
use mock_router::*;
use twilio_verify::{
    CreateWebhook, Error, UpdateWebhook, Webhook, WebhookEvent, WebhookMethod, WebhookSid,
    WebhookStatus, WebhookVersion,
};

const YW: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CREATE: &str = include_str!("fixtures/webhook_resource_create.json");
const FETCH: &str = include_str!("fixtures/webhook_resource_fetch.json");
const UPDATE: &str = include_str!("fixtures/webhook_resource_update.json");
const READ_FULL: &str = include_str!("fixtures/webhook_resource_read_full.json");
const READ_EMPTY: &str = include_str!("fixtures/webhook_resource_read_empty.json");
const NOT_FOUND: &str = r#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#;

fn list_path() -> String {
    format!("/v2/Services/{VA}/Webhooks")
}

fn hook_path() -> String {
    format!("/v2/Services/{VA}/Webhooks/{YW}")
}

fn example_date() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(EXAMPLE_DATE_SECS)
}

/// The spec's example webhook, field by field, with `status`.
fn assert_example(hook: &Webhook, status: WebhookStatus) {
    assert_eq!(hook.sid.as_str(), YW);
    assert_eq!(hook.service_sid.as_str(), VA);
    assert_eq!(hook.account_sid.as_str(), AC);
    assert_eq!(hook.friendly_name.as_deref(), Some("name"));
    assert_eq!(
        hook.event_types,
        [WebhookEvent::FactorDeleted, WebhookEvent::FactorVerified]
    );
    assert_eq!(hook.status, status);
    assert_eq!(hook.version, Some(WebhookVersion::V2));
    assert_eq!(
        hook.webhook_url.as_deref(),
        Some("https://owlbank.twilio.com")
    );
    assert_eq!(hook.webhook_method, Some(WebhookMethod::Post));
    assert_eq!(hook.date_created, example_date());
    assert_eq!(hook.date_updated, example_date());
    assert_eq!(
        hook.url,
        format!("https://verify.twilio.com{}", hook_path())
    );
}

/// The headers of every request, plus the form content type for a `POST`.
fn assert_headers(seen: &Seen) {
    assert_eq!(seen.header("authorization"), [basic().as_str()]);
    if seen.method == "POST" {
        assert_eq!(
            seen.header("content-type"),
            ["application/x-www-form-urlencoded"]
        );
    }
}

/// Runs `call` against a mock answering `method target` with `status`/`body` and returns the
/// one request it sent.
fn sent_by<T>(
    method: &'static str,
    target: &str,
    status: u16,
    body: &str,
    call: impl FnOnce(&twilio_verify::Webhooks) -> Result<T, Error>,
) -> (T, Seen) {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(method, target, vec![answer(status, body)])],
    );
    let webhooks = client(&server).webhooks(VA).unwrap();
    let value = call(&webhooks).unwrap_or_else(|e| panic!("{e}; sent {:?}", sent(&log)));
    let seen = only(&log);
    assert_eq!(seen.method, method);
    assert_eq!(seen.target(), target);
    assert_headers(&seen);
    (value, seen)
}

fn pairs(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------------------------

#[test]
fn create_with_the_specs_example_sends_repeated_event_types_and_decodes_the_201() {
    let params = CreateWebhook::new(
        "name",
        "https://owlbank.twilio.com",
        [WebhookEvent::FactorDeleted, WebhookEvent::FactorVerified],
    )
    .version(WebhookVersion::V2);
    let (hook, seen) = sent_by("POST", &list_path(), 201, CREATE, |w| w.create(&params));
    assert_eq!(
        seen.body_str(),
        "FriendlyName=name&EventTypes=factor.deleted&EventTypes=factor.verified\
         &WebhookUrl=https%3A%2F%2Fowlbank.twilio.com&Version=v2"
    );
    assert_example(&hook, WebhookStatus::Enabled);
}

#[test]
fn create_with_every_field_and_awkward_characters_sends_the_exact_body() {
    let params = CreateWebhook::new(
        "Alice's 📱 a&b=c+d",
        "https://example.com/événements?tenant=a%20b&sig=x+y",
        [
            WebhookEvent::ChallengeApproved,
            WebhookEvent::ChallengeDenied,
            WebhookEvent::All,
        ],
    )
    .status(WebhookStatus::Disabled)
    .version(WebhookVersion::V1);
    let (_, seen) = sent_by("POST", &list_path(), 201, CREATE, |w| w.create(&params));
    assert_eq!(
        seen.body_str(),
        "FriendlyName=Alice%27s+%F0%9F%93%B1+a%26b%3Dc%2Bd\
         &EventTypes=challenge.approved&EventTypes=challenge.denied&EventTypes=*\
         &WebhookUrl=https%3A%2F%2Fexample.com%2F%C3%A9v%C3%A9nements%3Ftenant%3Da%2520b%26sig%3Dx%2By\
         &Status=disabled&Version=v1"
    );
    // Decoded by a form parser, the values are exactly what was given.
    let expected = [
        ("FriendlyName", "Alice's 📱 a&b=c+d"),
        ("EventTypes", "challenge.approved"),
        ("EventTypes", "challenge.denied"),
        ("EventTypes", "*"),
        (
            "WebhookUrl",
            "https://example.com/événements?tenant=a%20b&sig=x+y",
        ),
        ("Status", "disabled"),
        ("Version", "v1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs(seen.body_str()), expected);
}

#[test]
fn create_for_all_events_sends_one_star_and_nothing_optional() {
    let params = CreateWebhook::new("all", "http://127.0.0.1:9/hook", [WebhookEvent::All]);
    let (_, seen) = sent_by("POST", &list_path(), 201, CREATE, |w| w.create(&params));
    assert_eq!(
        seen.body_str(),
        "FriendlyName=all&EventTypes=*&WebhookUrl=http%3A%2F%2F127.0.0.1%3A9%2Fhook"
    );
}

#[test]
fn the_issues_example_compiles_and_round_trips_create_update_delete() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route("POST", list_path(), vec![answer(201, CREATE)]),
            route("POST", hook_path(), vec![answer(200, UPDATE)]),
            route("DELETE", hook_path(), vec![answer(204, "")]),
        ],
    );
    let client = client(&server);
    let service: &str = VA;
    let webhooks = client.webhooks(service).unwrap();
    let hook = webhooks
        .create(&CreateWebhook::new(
            "backend events",
            "https://example.com/verify-events",
            [
                WebhookEvent::ChallengeApproved,
                WebhookEvent::ChallengeDenied,
            ],
        ))
        .unwrap();
    let updated = webhooks
        .update(
            &hook.sid,
            &UpdateWebhook::new().status(WebhookStatus::Disabled),
        )
        .unwrap();
    assert_eq!(updated.status, WebhookStatus::Disabled);
    webhooks.delete(&hook.sid).unwrap();
    assert_eq!(
        sent(&log),
        [
            format!("POST {}", list_path()),
            format!("POST {}", hook_path()),
            format!("DELETE {}", hook_path()),
        ]
    );
    assert_eq!(seen(&log)[1].body_str(), "Status=disabled");
}

// ---------------------------------------------------------------------------------------------
// list, fetch, update, delete
// ---------------------------------------------------------------------------------------------

#[test]
fn list_gets_the_webhooks_path_and_decodes_read_full() {
    let (hooks, seen) = sent_by("GET", &list_path(), 200, READ_FULL, |w| {
        w.list().collect::<Result<Vec<_>, _>>()
    });
    assert!(seen.body.is_empty());
    assert_eq!(hooks.len(), 1);
    assert_example(&hooks[0], WebhookStatus::Enabled);
}

#[test]
fn list_of_read_empty_yields_nothing() {
    let (hooks, _) = sent_by("GET", &list_path(), 200, READ_EMPTY, |w| {
        w.list().collect::<Result<Vec<_>, _>>()
    });
    assert!(hooks.is_empty());
}

#[test]
fn list_under_another_key_is_a_decode_error() {
    let entities = READ_FULL.replace("\"webhooks\"", "\"entities\"");
    let (results, _) = sent_by("GET", &list_path(), 200, &entities, |w| {
        Ok(w.list().collect::<Vec<_>>())
    });
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(Error::Decode(_))), "{results:?}");
}

#[test]
fn fetch_gets_the_sid_and_decodes_the_specs_example() {
    let (hook, seen) = sent_by("GET", &hook_path(), 200, FETCH, |w| w.fetch(YW));
    assert!(seen.body.is_empty());
    assert_example(&hook, WebhookStatus::Enabled);
}

#[test]
fn fetch_takes_a_webhook_sid_by_reference_or_by_value() {
    let sid: WebhookSid = YW.parse().unwrap();
    let (hook, _) = sent_by("GET", &hook_path(), 200, FETCH, |w| w.fetch(&sid));
    let (again, _) = sent_by("GET", &hook_path(), 200, FETCH, |w| w.fetch(sid.clone()));
    assert_eq!(hook, again);
}

#[test]
fn fetch_of_an_unknown_webhook_is_api_404() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route("GET", hook_path(), vec![answer(404, NOT_FOUND)])],
    );
    let err = client(&server).webhooks(VA).unwrap().fetch(YW).unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((api.status(), api.code()), (404, Some(20404)));
    assert_eq!(sent(&log).len(), 1);
}

#[test]
fn an_unknown_event_in_an_answer_decodes_as_other() {
    let body = FETCH.replace("factor.verified", "challenge.expired");
    let (hook, _) = sent_by("GET", &hook_path(), 200, &body, |w| w.fetch(YW));
    assert_eq!(
        hook.event_types,
        [
            WebhookEvent::FactorDeleted,
            WebhookEvent::Other("challenge.expired".into())
        ]
    );
}

#[test]
fn update_with_every_field_sends_the_specs_update_body_and_decodes_it() {
    let params = UpdateWebhook::new()
        .friendly_name("name")
        .event_types([WebhookEvent::FactorDeleted, WebhookEvent::FactorVerified])
        .webhook_url("https://owlbank.twilio.com")
        .status(WebhookStatus::Disabled)
        .version(WebhookVersion::V2);
    let (hook, seen) = sent_by("POST", &hook_path(), 200, UPDATE, |w| w.update(YW, &params));
    assert_eq!(
        seen.body_str(),
        "FriendlyName=name&EventTypes=factor.deleted&EventTypes=factor.verified\
         &WebhookUrl=https%3A%2F%2Fowlbank.twilio.com&Status=disabled&Version=v2"
    );
    assert_example(&hook, WebhookStatus::Disabled);
}

#[test]
fn update_with_awkward_characters_and_all_events_sends_them_encoded() {
    let params = UpdateWebhook::new()
        .friendly_name("a&b=c+d ü")
        .event_types([WebhookEvent::All])
        .webhook_url("https://example.com/h?a=1&b=2");
    let (_, seen) = sent_by("POST", &hook_path(), 200, UPDATE, |w| w.update(YW, &params));
    assert_eq!(
        seen.body_str(),
        "FriendlyName=a%26b%3Dc%2Bd+%C3%BC&EventTypes=*\
         &WebhookUrl=https%3A%2F%2Fexample.com%2Fh%3Fa%3D1%26b%3D2"
    );
}

#[test]
fn update_with_nothing_set_sends_an_empty_form() {
    let (_, seen) = sent_by("POST", &hook_path(), 200, UPDATE, |w| {
        w.update(YW, &UpdateWebhook::new())
    });
    assert_eq!(seen.body_str(), "");
    assert_eq!(seen.header("content-length"), ["0"]);
}

#[test]
fn delete_answered_204_succeeds() {
    let ((), seen) = sent_by("DELETE", &hook_path(), 204, "", |w| w.delete(YW));
    assert!(seen.body.is_empty());
}

#[test]
fn delete_of_an_unknown_webhook_is_api_404() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route("DELETE", hook_path(), vec![answer(404, NOT_FOUND)])],
    );
    let err = client(&server)
        .webhooks(VA)
        .unwrap()
        .delete(YW)
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(sent(&log).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// refusals: nothing sent
// ---------------------------------------------------------------------------------------------

/// Asserts `err` is `InvalidInput` for `parameter` with exactly `message`.
fn assert_refused(err: Error, parameter: &str, message: &str) {
    let Error::InvalidInput(input) = &err else {
        panic!("expected InvalidInput, got {err:?}")
    };
    assert_eq!(input.parameter(), parameter);
    assert_eq!(input.to_string(), message);
}

#[test]
fn creates_breaking_a_rule_are_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let webhooks = client(&server).webhooks(VA).unwrap();
    let url = "https://example.com/hook";
    let cases = [
        (
            CreateWebhook::new("", url, [WebhookEvent::All]),
            "friendly_name",
            "friendly_name is empty: it is required",
        ),
        (
            CreateWebhook::new("n".repeat(65), url, [WebhookEvent::All]),
            "friendly_name",
            "friendly_name is 65 characters long: must be at most 64",
        ),
        (
            CreateWebhook::new("name", url, []),
            "event_types",
            "event_types is empty: at least one event is required (WebhookEvent::All for every event)",
        ),
        (
            CreateWebhook::new("name", "", [WebhookEvent::All]),
            "webhook_url",
            "webhook_url is empty: it is required",
        ),
        (
            CreateWebhook::new("name", "example.com/hook", [WebhookEvent::All]),
            "webhook_url",
            "webhook_url is not an absolute http or https URL (16 characters): must look like \
             https://example.com/verify-events",
        ),
        (
            CreateWebhook::new("name", "ftp://example.com/hook", [WebhookEvent::All]),
            "webhook_url",
            "webhook_url is not an absolute http or https URL (22 characters): must look like \
             https://example.com/verify-events",
        ),
        (
            CreateWebhook::new(
                "name",
                "https://ex ample.com/?t=secret",
                [WebhookEvent::All],
            ),
            "webhook_url",
            "webhook_url is not an absolute http or https URL (30 characters): must look like \
             https://example.com/verify-events",
        ),
    ];
    for (params, parameter, message) in cases {
        assert_refused(webhooks.create(&params).unwrap_err(), parameter, message);
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn updates_breaking_a_rule_are_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let webhooks = client(&server).webhooks(VA).unwrap();
    let cases = [
        (
            UpdateWebhook::new().event_types([]),
            "event_types",
            "event_types is empty: an empty list would send nothing and keep the old events; \
             leave it unset, or disable or delete the webhook",
        ),
        (
            UpdateWebhook::new().friendly_name(""),
            "friendly_name",
            "friendly_name is empty: it is required",
        ),
        (
            UpdateWebhook::new().friendly_name("é".repeat(65)),
            "friendly_name",
            "friendly_name is 65 characters long: must be at most 64",
        ),
        (
            UpdateWebhook::new().webhook_url("/relative"),
            "webhook_url",
            "webhook_url is not an absolute http or https URL (9 characters): must look like \
             https://example.com/verify-events",
        ),
    ];
    for (params, parameter, message) in cases {
        assert_refused(
            webhooks.update(YW, &params).unwrap_err(),
            parameter,
            message,
        );
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn malformed_webhook_sids_are_refused_by_fetch_update_and_delete_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let webhooks = client(&server).webhooks(VA).unwrap();
    for bad in [
        "",
        "YW",
        "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x",
        "../../Accounts",
    ] {
        let message = format!(
            "webhook_sid is malformed ({}): must be \"YW\" followed by 32 hex digits",
            sid_shape(bad)
        );
        assert_refused(webhooks.fetch(bad).unwrap_err(), "webhook_sid", &message);
        assert_refused(
            webhooks.update(bad, &UpdateWebhook::new()).unwrap_err(),
            "webhook_sid",
            &message,
        );
        assert_refused(webhooks.delete(bad).unwrap_err(), "webhook_sid", &message);
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn a_malformed_service_sid_is_refused_before_any_handle_exists() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let client = client(&server);
    for bad in ["", "VAxyz", "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
        let err = client.webhooks(bad).unwrap_err();
        assert_refused(
            err,
            "service_sid",
            &format!(
                "service_sid is malformed ({}): must be \"VA\" followed by 32 hex digits",
                sid_shape(bad)
            ),
        );
    }
    assert_eq!(mock.calls(), 0);
}
