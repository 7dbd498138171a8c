//! The models write themselves back as JSON (`Serialize`, used by the CLI's `--json`): every
//! field of every spec example comes out as it went in — dates as RFC 3339 UTC, enums and SIDs
//! in Twilio's spelling — except the secrets, which always come out as `"[redacted]"`.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use twilio_verify::{
    AccessToken, Challenge, Entity, Factor, NewFactor, Notification, Secret, Webhook,
};

/// Where the secrets are in a resource: their values must never come out.
const SECRET_PATHS: [&[&str]; 4] = [
    &["token"],
    &["binding", "secret"],
    &["binding", "uri"],
    &["config", "notification_token"],
];

/// `fixture` with every secret that is present (and not null) replaced by `"[redacted]"`.
fn redacted(mut fixture: Value) -> Value {
    for path in SECRET_PATHS {
        let mut at = Some(&mut fixture);
        for key in path {
            at = at.and_then(|value| value.get_mut(*key));
        }
        if let Some(value) = at.filter(|value| !value.is_null()) {
            *value = Value::from("[redacted]");
        }
    }
    fixture
}

/// Asserts `written` holds every key of `expected` with the same value, and that any key the
/// fixture leaves out (an optional field the example does not show) is written as `null`.
#[track_caller]
fn assert_written_as(written: &Value, expected: &Value, at: &str) {
    match (written, expected) {
        (Value::Object(written), Value::Object(expected)) => {
            for (key, value) in expected {
                let inner = written
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} not written"));
                assert_written_as(inner, value, &format!("{at}.{key}"));
            }
            for (key, value) in written {
                if !expected.contains_key(key) {
                    assert_eq!(value, &Value::Null, "{at}.{key} is not in the fixture");
                }
            }
        }
        (Value::Array(written), Value::Array(expected)) => {
            assert_eq!(written.len(), expected.len(), "{at}");
            for (i, (w, e)) in written.iter().zip(expected).enumerate() {
                assert_written_as(w, e, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(written, expected, "{at}"),
    }
}

/// Decodes the resource `fixture` (or each record under `key` of a page), writes it back and
/// compares; returns what was written.
fn round_trip<T: DeserializeOwned + Serialize>(fixture: &str, key: Option<&str>) -> Vec<Value> {
    let raw: Value = serde_json::from_str(fixture).unwrap();
    let records = match key {
        Some(key) => raw[key].as_array().unwrap().clone(),
        None => vec![raw],
    };
    assert!(!records.is_empty());
    records
        .into_iter()
        .map(|record| {
            let model: T = serde_json::from_value(record.clone()).unwrap();
            let written = serde_json::to_value(&model).unwrap();
            assert_written_as(&written, &redacted(record), "$");
            // What was written decodes again (the CLI's JSON is a valid resource).
            serde_json::from_value::<T>(written.clone()).unwrap();
            written
        })
        .collect()
}

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/", $name, ".json"))
    };
}

#[test]
fn access_tokens_write_every_field_with_the_jwt_redacted() {
    for fixture in [
        fixture!("create_with_ttl_201"),
        fixture!("create_without_ttl_201"),
        fixture!("fetch_200"),
    ] {
        let written = round_trip::<AccessToken>(fixture, None);
        assert_eq!(written[0]["token"], "[redacted]");
        assert!(!written[0].to_string().contains("eyJ"), "{}", written[0]);
    }
}

#[test]
fn entities_write_every_field() {
    round_trip::<Entity>(fixture!("entity_create"), None);
    round_trip::<Entity>(fixture!("entity_fetch"), None);
    round_trip::<Entity>(fixture!("entity_read_full"), Some("entities"));
}

#[test]
fn new_factors_write_the_totp_secret_and_uri_as_redacted() {
    let written = round_trip::<NewFactor>(fixture!("factor_create_totp"), None);
    assert_eq!(written[0]["binding"]["secret"], "[redacted]");
    assert_eq!(written[0]["binding"]["uri"], "[redacted]");
    assert!(
        !written[0].to_string().contains("GEZDGNBV"),
        "{}",
        written[0]
    );
    assert_eq!(written[0]["date_created"], "2015-07-30T20:00:00Z");
    assert_eq!(written[0]["config"]["alg"], "sha1");

    let written = round_trip::<NewFactor>(fixture!("factor_create_push"), None);
    assert_eq!(written[0]["config"]["notification_token"], "[redacted]");
}

#[test]
fn factors_write_every_field_with_the_notification_token_redacted() {
    for fixture in [
        fixture!("factor_fetch_push"),
        fixture!("factor_fetch_totp"),
        fixture!("factor_fetch_passkeys"),
        fixture!("factor_verify_push"),
        fixture!("factor_verify_totp"),
    ] {
        round_trip::<Factor>(fixture, None);
    }
    for fixture in [
        fixture!("factor_read_full_push"),
        fixture!("factor_read_full_totp"),
        fixture!("factor_read_full_passkeys"),
    ] {
        for written in round_trip::<Factor>(fixture, Some("factors")) {
            let token = &written["config"]["notification_token"];
            assert!(token.is_null() || token == "[redacted]", "{written}");
        }
    }
}

#[test]
fn challenges_write_details_fields_and_optional_dates() {
    let written = round_trip::<Challenge>(fixture!("challenge_create_push"), None);
    assert_eq!(written[0]["details"]["fields"][0]["label"], "Action");
    assert_eq!(written[0]["details"]["date"], "2020-07-01T12:13:14Z");
    assert_eq!(written[0]["expiration_date"], "2015-07-30T20:00:00Z");
    for fixture in [
        fixture!("challenge_create_totp_with_auth_payload"),
        fixture!("challenge_create_totp_without_auth_payload"),
        fixture!("challenge_fetch_sid"),
        fixture!("challenge_verify_push"),
        fixture!("challenge_verify_totp"),
    ] {
        round_trip::<Challenge>(fixture, None);
    }
    round_trip::<Challenge>(fixture!("challenge_read_full"), Some("challenges"));
}

#[test]
fn notifications_and_webhooks_write_every_field() {
    round_trip::<Notification>(fixture!("notification_create_with_ttl"), None);
    round_trip::<Notification>(fixture!("notification_create_without_ttl"), None);
    for fixture in [
        fixture!("webhook_resource_create"),
        fixture!("webhook_resource_fetch"),
        fixture!("webhook_resource_update"),
    ] {
        round_trip::<Webhook>(fixture, None);
    }
    round_trip::<Webhook>(fixture!("webhook_resource_read_full"), Some("webhooks"));
}

#[test]
fn a_secret_serializes_as_the_redaction() {
    assert_eq!(
        serde_json::to_string(&Secret::new("hunter2")).unwrap(),
        r#""[redacted]""#
    );
}
