//! Reading a Verify Push webhook body as a typed `Event`, from a form body or a JSON body.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use proptest::prelude::*;
use serde_json::{Value, json};
use twilio_verify::webhook::Event;
use twilio_verify::{
    AccountSid, ChallengeDetails, ChallengeSid, ChallengeStatus, FactorSid, FactorStatus,
    FactorType, ServiceSid, WebhookEvent,
};

const DETAILS: &str = r#"{"message":"Hi! Sign in?","fields":[{"label":"Action","value":"Sign in"}],"date":"2020-07-01T12:13:10Z"}"#;

/// 2020-07-01T12:13:14Z.
fn at(seconds_after_12_13_14: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_593_605_594 + seconds_after_12_13_14)
}

fn form_body() -> String {
    serde_urlencoded::to_string([
        ("uuid", "8f4c0a4e-1b2c-4d5e-8f9a-0b1c2d3e4f50"),
        ("type", "challenge.approved"),
        ("account_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("service_sid", "VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
        ("entity_identity", "ff483d1ff591898a9942916050d2ca3f"),
        ("factor_sid", "YFcccccccccccccccccccccccccccccccc"),
        ("factor_type", "push"),
        ("factor_friendly_name", "Alice's iPhone"),
        ("factor_metadata", r#"{"os":"Android"}"#),
        ("challenge_sid", "YCdddddddddddddddddddddddddddddddd"),
        ("challenge_details", DETAILS),
        ("challenge_hidden_details", r#"{"ip":"172.168.1.234"}"#),
        ("challenge_metadata", r#"{"k":"v","n":7}"#),
        ("status", "approved"),
        ("date_created", "2020-07-01T12:13:14Z"),
        ("date_updated", "2020-07-01T14:13:15+02:00"),
    ])
    .unwrap()
}

fn map(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn assert_details(details: Option<&ChallengeDetails>) {
    let details = details.expect("challenge_details read");
    assert_eq!(details.message.as_deref(), Some("Hi! Sign in?"));
    let fields: Vec<(&str, &str)> = details
        .fields
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(fields, [("Action", "Sign in")]);
    assert_eq!(details.date, Some(at(0) - Duration::from_secs(4)));
}

fn assert_full_event(event: &Event) {
    assert_eq!(event.event_type, WebhookEvent::ChallengeApproved);
    assert_eq!(
        event.uuid.as_deref(),
        Some("8f4c0a4e-1b2c-4d5e-8f9a-0b1c2d3e4f50")
    );
    assert_eq!(
        event.account_sid,
        Some(AccountSid::try_from("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").unwrap())
    );
    assert_eq!(
        event.service_sid,
        Some(ServiceSid::try_from("VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").unwrap())
    );
    assert_eq!(
        event.entity_identity.as_deref(),
        Some("ff483d1ff591898a9942916050d2ca3f")
    );
    assert_eq!(
        event.factor_sid,
        Some(FactorSid::try_from("YFcccccccccccccccccccccccccccccccc").unwrap())
    );
    assert_eq!(event.factor_type, Some(FactorType::Push));
    assert_eq!(
        event.factor_friendly_name.as_deref(),
        Some("Alice's iPhone")
    );
    assert_eq!(event.factor_metadata, map(&[("os", "Android")]));
    assert_eq!(
        event.challenge_sid,
        Some(ChallengeSid::try_from("YCdddddddddddddddddddddddddddddddd").unwrap())
    );
    assert_details(event.challenge_details.as_ref());
    assert_eq!(
        event.challenge_hidden_details,
        map(&[("ip", "172.168.1.234")])
    );
    // A value that is not a string is kept as its JSON text, as `Challenge::metadata` does.
    assert_eq!(event.challenge_metadata, map(&[("k", "v"), ("n", "7")]));
    assert_eq!(event.status.as_deref(), Some("approved"));
    assert_eq!(event.challenge_status(), Some(ChallengeStatus::Approved));
    assert_eq!(event.factor_status(), None);
    assert_eq!(event.date_created, Some(at(0)));
    assert_eq!(event.date_updated, Some(at(1)));
    assert!(event.extra.is_empty(), "{:?}", event.extra);
}

#[test]
fn form_body_with_every_documented_field_reads_each_one_typed() {
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
fn json_body_of_strings_with_every_documented_field_reads_each_one_typed() {
    let pairs: BTreeMap<String, String> = serde_urlencoded::from_str(&form_body()).unwrap();
    let body = serde_json::to_vec(&pairs).unwrap();
    assert_full_event(&Event::from_json(&body).unwrap());
}

#[test]
fn json_body_with_nested_details_and_metadata_reads_each_one_typed() {
    let mut body: serde_json::Map<String, Value> =
        serde_urlencoded::from_str::<BTreeMap<String, String>>(&form_body())
            .unwrap()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
    for field in [
        "factor_metadata",
        "challenge_details",
        "challenge_hidden_details",
        "challenge_metadata",
    ] {
        let text = body[field].as_str().unwrap().to_owned();
        body.insert(field.to_owned(), serde_json::from_str(&text).unwrap());
    }
    assert!(body["challenge_details"].is_object());
    let event = Event::from_json(Value::Object(body).to_string().as_bytes()).unwrap();
    assert_full_event(&event);
}

#[test]
fn factor_event_status_reads_as_a_factor_status_not_a_challenge_status() {
    let event = Event::from_form([("type", "factor.verified"), ("status", "verified")]).unwrap();
    assert_eq!(event.factor_status(), Some(FactorStatus::Verified));
    assert_eq!(event.challenge_status(), None);
    let event = Event::from_form([("type", "factor.created"), ("status", "unverified")]).unwrap();
    assert_eq!(event.factor_status(), Some(FactorStatus::Unverified));
    // An event type this version does not know still reads by its prefix; a status it does
    // not know is `Other`.
    let event = Event::from_json(br#"{"type":"challenge.expired","status":"expired"}"#).unwrap();
    assert_eq!(event.challenge_status(), Some(ChallengeStatus::Expired));
    let event = Event::from_json(br#"{"type":"factor.paused","status":"paused"}"#).unwrap();
    assert_eq!(
        event.factor_status(),
        Some(FactorStatus::Other("paused".to_owned()))
    );
    let event = Event::from_form([("type", "factor.deleted")]).unwrap();
    assert_eq!(event.factor_status(), None);
    let event = Event::from_form([("type", "other.thing"), ("status", "approved")]).unwrap();
    assert_eq!(event.factor_status(), None);
    assert_eq!(event.challenge_status(), None);
    assert_eq!(event.status.as_deref(), Some("approved"));
}

#[test]
fn malformed_sids_are_none_and_kept_in_extra_without_an_error() {
    let event = Event::from_form([
        ("type", "challenge.denied"),
        ("account_sid", "AC123"),
        ("service_sid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        ("factor_sid", ""),
        ("challenge_sid", "YCzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"),
    ])
    .unwrap();
    assert_eq!(
        (
            &event.account_sid,
            &event.service_sid,
            &event.factor_sid,
            &event.challenge_sid
        ),
        (&None, &None, &None, &None)
    );
    assert_eq!(
        event.extra,
        BTreeMap::from([
            ("account_sid".to_owned(), json!("AC123")),
            (
                "service_sid".to_owned(),
                json!("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
            ),
            ("factor_sid".to_owned(), json!("")),
            (
                "challenge_sid".to_owned(),
                json!("YCzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
            ),
        ])
    );
    // In a JSON body a SID of another JSON type is kept as sent.
    let event =
        Event::from_json(br#"{"type":"factor.created","factor_sid":12,"account_sid":["AC"]}"#)
            .unwrap();
    assert_eq!((&event.factor_sid, &event.account_sid), (&None, &None));
    assert_eq!(event.extra["factor_sid"], json!(12));
    assert_eq!(event.extra["account_sid"], json!(["AC"]));
}

#[test]
fn bad_dates_are_none_and_kept_in_extra_without_an_error() {
    let event = Event::from_form([
        ("type", "factor.created"),
        ("date_created", "Wed, 01 Jul 2020 12:13:14 +0000"),
        ("date_updated", "2020-07-01"),
    ])
    .unwrap();
    assert_eq!((event.date_created, event.date_updated), (None, None));
    assert_eq!(
        event.extra,
        BTreeMap::from([
            (
                "date_created".to_owned(),
                json!("Wed, 01 Jul 2020 12:13:14 +0000")
            ),
            ("date_updated".to_owned(), json!("2020-07-01")),
        ])
    );
    let event =
        Event::from_json(br#"{"type":"factor.created","date_created":1593605594}"#).unwrap();
    assert_eq!(event.date_created, None);
    assert_eq!(event.extra["date_created"], json!(1593605594));
}

#[test]
fn details_and_metadata_that_are_not_objects_are_none_and_kept_in_extra() {
    let event = Event::from_json(
        br#"{"type":"challenge.approved",
            "challenge_details":["Hi! Sign in?",[]],
            "challenge_hidden_details":[],
            "challenge_metadata":"not json",
            "factor_metadata":"[1,2]"}"#,
    )
    .unwrap();
    assert_eq!(event.challenge_details, None);
    assert_eq!(event.challenge_hidden_details, None);
    assert_eq!(event.challenge_metadata, None);
    assert_eq!(event.factor_metadata, None);
    assert_eq!(
        event.extra,
        BTreeMap::from([
            ("challenge_details".to_owned(), json!(["Hi! Sign in?", []])),
            ("challenge_hidden_details".to_owned(), json!([])),
            ("challenge_metadata".to_owned(), json!("not json")),
            ("factor_metadata".to_owned(), json!("[1,2]")),
        ])
    );
    // Details whose parts have the wrong shape, or a date that is not RFC 3339, are kept whole.
    for details in [
        r#"{"message":"Hi","fields":[{"label":"Action"}]}"#,
        r#"{"message":"Hi","date":"yesterday"}"#,
        r#"{"message":42}"#,
        "null",
    ] {
        let event =
            Event::from_form([("type", "challenge.denied"), ("challenge_details", details)])
                .unwrap();
        assert_eq!(event.challenge_details, None, "{details}");
        assert_eq!(event.extra["challenge_details"], json!(details));
    }
}

#[test]
fn json_null_typed_fields_are_absent_not_kept_in_extra() {
    let event = Event::from_json(
        br#"{"type":"challenge.approved","challenge_metadata":null,"challenge_sid":null,"date_updated":null}"#,
    )
    .unwrap();
    assert_eq!(event.challenge_metadata, None);
    assert_eq!(event.challenge_sid, None);
    assert_eq!(event.date_updated, None);
    assert!(event.extra.is_empty(), "{:?}", event.extra);
}

#[test]
fn details_without_fields_or_date_read_with_an_empty_list() {
    let event = Event::from_form([
        ("type", "challenge.approved"),
        ("challenge_details", r#"{"message":"Hi","fields":null}"#),
    ])
    .unwrap();
    let details = event.challenge_details.unwrap();
    assert_eq!(details.message.as_deref(), Some("Hi"));
    assert!(details.fields.is_empty());
    assert_eq!(details.date, None);
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

const TYPED_FIELDS: [&str; 10] = [
    "account_sid",
    "service_sid",
    "factor_sid",
    "challenge_sid",
    "date_created",
    "date_updated",
    "challenge_details",
    "challenge_hidden_details",
    "challenge_metadata",
    "factor_metadata",
];

proptest! {
    #[test]
    fn any_typed_field_value_is_read_or_kept_in_extra_never_an_error(
        field in proptest::sample::select(&TYPED_FIELDS[..]),
        value in prop_oneof![
            any::<String>(),
            "(AC|VA|YF|YC)[0-9a-fA-F]{32}",
            "20[0-9]{2}-0[1-9]-1[0-9]T1[0-9]:[0-5][0-9]:[0-5][0-9](Z|[+-]0[0-9]:00)",
            r#"\{("[a-z]{1,3}":("[a-z]{0,3}"|[0-9]{1,3}|null),?)*\}"#,
        ],
    ) {
        let event = Event::from_form([("type", "factor.created"), (field, value.as_str())]).unwrap();
        let read = match field {
            "account_sid" => event.account_sid.is_some(),
            "service_sid" => event.service_sid.is_some(),
            "factor_sid" => event.factor_sid.is_some(),
            "challenge_sid" => event.challenge_sid.is_some(),
            "date_created" => event.date_created.is_some(),
            "date_updated" => event.date_updated.is_some(),
            "challenge_details" => event.challenge_details.is_some(),
            "challenge_hidden_details" => event.challenge_hidden_details.is_some(),
            "challenge_metadata" => event.challenge_metadata.is_some(),
            _ => event.factor_metadata.is_some(),
        };
        if read {
            prop_assert!(event.extra.is_empty());
        } else {
            prop_assert_eq!(event.extra, BTreeMap::from([(field.to_owned(), json!(value))]));
        }
    }

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
