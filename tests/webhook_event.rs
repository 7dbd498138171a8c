//! Reading a Verify Push webhook body as a typed `Event`, from a form body or a JSON body.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::{Value, json};
use twilio_verify::FactorType;
use twilio_verify::webhook::Event;

const DETAILS: &str =
    r#"{"message":"Hi! Sign in?","fields":[{"label":"Action","value":"Sign in"}]}"#;

fn form_body() -> String {
    serde_urlencoded::to_string([
        ("uuid", "8f4c0a4e-1b2c-4d5e-8f9a-0b1c2d3e4f50"),
        ("type", "challenge.approved"),
        ("account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("service_sid", "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("entity_identity", "ff483d1ff591898a9942916050d2ca3f"),
        ("factor_sid", "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("factor_type", "push"),
        ("factor_friendly_name", "Alice's iPhone"),
        ("factor_metadata", r#"{"os":"Android"}"#),
        ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("challenge_details", DETAILS),
        ("challenge_hidden_details", r#"{"ip":"172.168.1.234"}"#),
        ("challenge_metadata", r#"{"k":"v"}"#),
        ("status", "approved"),
        ("date_created", "2020-07-01T12:13:14Z"),
        ("date_updated", "2020-07-01T12:13:15Z"),
    ])
    .unwrap()
}

fn assert_full_event(event: &Event) {
    assert_eq!(event.event_type.as_str(), "challenge.approved");
    assert_eq!(
        event.uuid.as_deref(),
        Some("8f4c0a4e-1b2c-4d5e-8f9a-0b1c2d3e4f50")
    );
    assert_eq!(
        event.account_sid.as_deref(),
        Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        event.service_sid.as_deref(),
        Some("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        event.entity_identity.as_deref(),
        Some("ff483d1ff591898a9942916050d2ca3f")
    );
    assert_eq!(
        event.factor_sid.as_deref(),
        Some("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(event.factor_type, Some(FactorType::Push));
    assert_eq!(
        event.factor_friendly_name.as_deref(),
        Some("Alice's iPhone")
    );
    assert_eq!(
        event.factor_metadata.as_deref(),
        Some(r#"{"os":"Android"}"#)
    );
    assert_eq!(
        event.challenge_sid.as_deref(),
        Some("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(event.challenge_details.as_deref(), Some(DETAILS));
    assert_eq!(
        event.challenge_hidden_details.as_deref(),
        Some(r#"{"ip":"172.168.1.234"}"#)
    );
    assert_eq!(event.challenge_metadata.as_deref(), Some(r#"{"k":"v"}"#));
    assert_eq!(event.status.as_deref(), Some("approved"));
    assert_eq!(event.date_created.as_deref(), Some("2020-07-01T12:13:14Z"));
    assert_eq!(event.date_updated.as_deref(), Some("2020-07-01T12:13:15Z"));
    assert!(event.extra.is_empty(), "{:?}", event.extra);
}

#[test]
fn form_body_with_every_documented_field_reads_each_one() {
    assert_full_event(&Event::from_form_body(form_body().as_bytes()).unwrap());
}

#[test]
fn decoded_form_pairs_read_the_same_as_the_raw_body() {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&form_body()).unwrap();
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (&**k, &**v)).collect();
    assert_full_event(&Event::from_form(&pairs).unwrap_or_else(|e| panic!("{e}")));
    assert_full_event(&Event::from_form(borrowed).unwrap());
}

#[test]
fn json_body_with_every_documented_field_reads_each_one() {
    let pairs: BTreeMap<String, String> = serde_urlencoded::from_str(&form_body()).unwrap();
    let body = serde_json::to_vec(&pairs).unwrap();
    assert_full_event(&Event::from_json(&body).unwrap());
}

#[test]
fn json_details_and_metadata_sent_as_objects_are_kept_as_json_text() {
    let body = json!({
        "type": "challenge.approved",
        "challenge_details": {"message": "Hi! Sign in?", "fields": [{"label": "Action", "value": "Sign in"}]},
        "factor_metadata": {"os": "Android"},
        "challenge_hidden_details": [],
        "challenge_metadata": null,
    });
    let event = Event::from_json(body.to_string().as_bytes()).unwrap();
    let details: Value = serde_json::from_str(event.challenge_details.as_deref().unwrap()).unwrap();
    assert_eq!(details, serde_json::from_str::<Value>(DETAILS).unwrap());
    assert_eq!(
        event.factor_metadata.as_deref(),
        Some(r#"{"os":"Android"}"#)
    );
    assert_eq!(event.challenge_hidden_details.as_deref(), Some("[]"));
    assert_eq!(event.challenge_metadata, None);
}

#[test]
fn only_type_is_required_and_absent_or_null_fields_are_none() {
    let event = Event::from_json(br#"{"type":"factor.deleted","factor_sid":null}"#).unwrap();
    assert_eq!(event.event_type.as_str(), "factor.deleted");
    assert_eq!(event.factor_sid, None);
    assert_eq!(event.uuid, None);
    assert!(event.extra.is_empty());
    let event = Event::from_form([("type", "factor.created")]).unwrap();
    assert_eq!(event.event_type.as_str(), "factor.created");
    assert_eq!(event.status, None);
}

#[test]
fn unknown_form_fields_are_kept_and_repeated_ones_become_arrays() {
    let event = Event::from_form_body(
        b"type=challenge.denied&new_field=1&tag=a&tag=b&tag=a&challenge_sid=YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    )
    .unwrap();
    assert_eq!(event.event_type.as_str(), "challenge.denied");
    assert_eq!(
        event.extra,
        BTreeMap::from([
            ("new_field".to_owned(), json!("1")),
            ("tag".to_owned(), json!(["a", "b", "a"])),
        ])
    );
}

#[test]
fn unknown_json_fields_are_kept_as_sent() {
    let event = Event::from_json(
        br#"{"type":"factor.verified","attempts":3,"nested":{"a":[1,true]},"note":"x"}"#,
    )
    .unwrap();
    assert_eq!(
        event.extra,
        BTreeMap::from([
            ("attempts".to_owned(), json!(3)),
            ("nested".to_owned(), json!({"a": [1, true]})),
            ("note".to_owned(), json!("x")),
        ])
    );
}

#[test]
fn missing_null_or_empty_type_is_an_error_naming_type() {
    for event in [
        Event::from_form_body(b"factor_sid=YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        Event::from_form_body(b"type="),
        Event::from_form_body(b""),
        Event::from_json(br#"{"type":null}"#),
        Event::from_json(br#"{}"#),
    ] {
        let e = event.unwrap_err();
        assert_eq!(e.field(), Some("type"));
        assert_eq!(
            e.to_string(),
            "webhook event has no `type` (missing, null or empty)"
        );
    }
}

#[test]
fn a_documented_field_given_twice_in_a_form_is_an_error_naming_it() {
    let e = Event::from_form([
        ("type", "challenge.approved"),
        ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("challenge_sid", "YCbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
    ])
    .unwrap_err();
    assert_eq!(e.field(), Some("challenge_sid"));
    assert_eq!(
        e.to_string(),
        "webhook event field `challenge_sid` is given more than once"
    );
}

#[test]
fn a_documented_json_field_that_is_not_a_string_is_an_error_without_its_value() {
    let e = Event::from_json(br#"{"type":"challenge.approved","entity_identity":12345678}"#)
        .unwrap_err();
    assert_eq!(e.field(), Some("entity_identity"));
    assert_eq!(
        e.to_string(),
        "webhook event field `entity_identity` is not a string"
    );
    let e = Event::from_json(br#"{"type":["challenge.approved"]}"#).unwrap_err();
    assert_eq!(e.to_string(), "webhook event field `type` is not a string");
}

#[test]
fn a_json_body_that_is_not_an_object_is_an_error_that_does_not_quote_it() {
    let e = Event::from_json(br#"["type","challenge.approved"]"#).unwrap_err();
    assert_eq!(e.field(), None);
    assert_eq!(e.to_string(), "webhook event body is not a JSON object");
    let e =
        Event::from_json(b"{\"type\":\"challenge.approved\",\n\"entity_identity\":\"alice@example")
            .unwrap_err();
    assert_eq!(
        e.to_string(),
        "webhook event body is not valid JSON (line 2, column 32)"
    );
    let e = Event::from_json(b"type=challenge.approved").unwrap_err();
    assert_eq!(
        e.to_string(),
        "webhook event body is not valid JSON (line 1, column 2)"
    );
}

#[test]
fn form_bytes_that_are_not_utf8_are_read_lossily() {
    let event = Event::from_form_body(b"type=factor.created&entity_identity=%FF%FE").unwrap();
    assert_eq!(event.entity_identity.as_deref(), Some("\u{FFFD}\u{FFFD}"));
}

proptest! {
    #[test]
    fn arbitrary_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = Event::from_form_body(&body);
        let _ = Event::from_json(&body);
    }

    #[test]
    fn arbitrary_form_pairs_never_panic_and_keep_the_type(
        pairs in proptest::collection::vec(("[a-z_]{1,12}", any::<String>()), 0..8),
        event_type in "[a-z]{1,8}\\.[a-z]{1,8}",
    ) {
        let mut all = vec![("type".to_owned(), event_type.clone())];
        all.extend(pairs.into_iter().filter(|(k, _)| k != "type"));
        if let Ok(event) = Event::from_form(&all) {
            prop_assert_eq!(event.event_type.as_str(), event_type.as_str());
        }
    }
}
