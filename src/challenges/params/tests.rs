use std::time::UNIX_EPOCH;

use super::*;

const YF: &str = "YF03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// 2030-01-02T00:59:05Z, so that five minutes later is 2030-01-02T01:04:05Z.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_893_545_945)
}

fn refusal(params: &CreateChallenge) -> (String, String) {
    let err = params.validate(now()).unwrap_err();
    (err.parameter().to_owned(), err.to_string())
}

#[test]
fn only_the_factor_sid_is_sent_when_nothing_else_is_set() {
    let params = CreateChallenge::new(YF);
    params.validate(now()).unwrap();
    assert_eq!(params.to_form(now()).unwrap(), format!("FactorSid={YF}"));
}

#[test]
fn every_field_goes_in_spec_order_with_json_fields_and_a_utc_z_date() {
    let params = CreateChallenge::new(YF)
        .message("Approve the login from Chrome on macOS? a&b=c+d")
        .field("Location", "Berlin")
        .field("Ort \"1\"", "Zürich & Genève")
        .hidden_details([("ip", "172.168.1.234")])
        .hidden_detail("app", "web")
        .auth_payload("12345678")
        .expires_in(Duration::from_secs(300));
    params.validate(now()).unwrap();
    assert_eq!(
        params.to_form(now()).unwrap(),
        format!(
            "FactorSid={YF}&ExpirationDate=2030-01-02T01%3A04%3A05Z\
             &Details.Message=Approve+the+login+from+Chrome+on+macOS%3F+a%26b%3Dc%2Bd\
             &Details.Fields=%7B%22label%22%3A%22Location%22%2C%22value%22%3A%22Berlin%22%7D\
             &Details.Fields=%7B%22label%22%3A%22Ort+%5C%221%5C%22%22%2C%22value%22%3A%22Z%C3%BCrich+%26+Gen%C3%A8ve%22%7D\
             &HiddenDetails=%7B%22app%22%3A%22web%22%2C%22ip%22%3A%22172.168.1.234%22%7D\
             &AuthPayload=12345678"
        )
    );
}

#[test]
fn expires_in_counts_from_the_send_time_and_drops_sub_seconds() {
    let params = CreateChallenge::new(YF).expires_in(Duration::from_millis(300_999));
    let form = params.to_form(now()).unwrap();
    assert!(
        form.ends_with("&ExpirationDate=2030-01-02T01%3A04%3A05Z"),
        "{form}"
    );
    let later = params.to_form(now() + Duration::from_secs(60)).unwrap();
    assert!(
        later.ends_with("&ExpirationDate=2030-01-02T01%3A05%3A05Z"),
        "{later}"
    );
}

#[test]
fn expiration_date_is_sent_as_the_exact_utc_instant() {
    let when = UNIX_EPOCH + Duration::from_secs(1_893_546_245);
    let params = CreateChallenge::new(YF).expiration_date(when);
    params.validate(now()).unwrap();
    assert_eq!(
        params.to_form(now()).unwrap(),
        format!("FactorSid={YF}&ExpirationDate=2030-01-02T01%3A04%3A05Z")
    );
}

#[test]
fn the_last_expiration_setter_wins() {
    let when = UNIX_EPOCH + Duration::from_secs(1_893_546_245);
    let params = CreateChallenge::new(YF)
        .expiration_date(when)
        .expires_in(Duration::from_secs(60));
    assert!(
        params
            .to_form(now())
            .unwrap()
            .ends_with("ExpirationDate=2030-01-02T01%3A00%3A05Z")
    );
}

#[test]
fn expires_in_must_be_more_than_zero_and_at_most_an_hour() {
    for ok in [1, 300, 3600] {
        CreateChallenge::new(YF)
            .expires_in(Duration::from_secs(ok))
            .validate(now())
            .unwrap();
    }
    CreateChallenge::new(YF)
        .expires_in(Duration::from_secs(1))
        .validate(now())
        .unwrap();
    for (bad, shown) in [
        (Duration::ZERO, "0ns"),
        (Duration::from_nanos(1), "1ns"),
        (Duration::from_millis(999), "999ms"),
        (Duration::from_millis(3_600_001), "3600.001s"),
        (Duration::MAX, "18446744073709551615.999999999s"),
    ] {
        let (parameter, message) = refusal(&CreateChallenge::new(YF).expires_in(bad));
        assert_eq!(parameter, "expires_in");
        assert_eq!(
            message,
            format!("expires_in is {shown}: must be at least 1 second and at most 60 minutes")
        );
    }
}

#[test]
fn expiration_date_must_be_after_now_and_at_most_an_hour_ahead() {
    for ok in [Duration::from_secs(1), Duration::from_secs(3600)] {
        CreateChallenge::new(YF)
            .expiration_date(now() + ok)
            .validate(now())
            .unwrap();
    }
    // Sent to the whole second, anything under a second ahead could arrive already past.
    for past in [
        now() + Duration::from_millis(500),
        now(),
        now() - Duration::from_secs(1),
        UNIX_EPOCH,
    ] {
        let (parameter, message) = refusal(&CreateChallenge::new(YF).expiration_date(past));
        assert_eq!(parameter, "expiration_date");
        assert_eq!(
            message,
            "expiration_date is not in the future: must be at least 1 second and at most 60 minutes ahead"
        );
    }
    let (parameter, message) = refusal(
        &CreateChallenge::new(YF).expiration_date(now() + Duration::from_millis(3_600_001)),
    );
    assert_eq!(parameter, "expiration_date");
    assert_eq!(
        message,
        "expiration_date is 3600s ahead: must be at most 60 minutes (3600s) ahead"
    );
}

#[test]
fn an_expiration_past_year_9999_is_refused_not_a_panic() {
    let far = UNIX_EPOCH + Duration::from_secs(253_402_300_799);
    let params = CreateChallenge::new(YF).expires_in(Duration::from_secs(1));
    let err = params.validate(far).unwrap_err();
    assert_eq!(err.parameter(), "expires_in");
    assert_eq!(
        err.to_string(),
        "expires_in falls outside the years RFC 3339 can write (0000 to 9999)"
    );
    assert_eq!(params.to_form(far).unwrap_err(), err);
}

#[test]
fn factor_sid_must_match_the_yf_pattern() {
    for bad in [
        "",
        "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "YF03",
        "YF/../../Factors",
    ] {
        let (parameter, _) = refusal(&CreateChallenge::new(bad));
        assert_eq!(parameter, "factor_sid", "{bad:?}");
    }
    assert_eq!(
        refusal(&CreateChallenge::new("YFxyz")).1,
        "factor_sid is malformed (5 characters starting \"YF\"): must be \"YF\" followed by 32 hex digits"
    );
}

#[test]
fn message_is_at_most_256_characters() {
    CreateChallenge::new(YF)
        .message("é".repeat(256))
        .validate(now())
        .unwrap();
    assert_eq!(
        refusal(&CreateChallenge::new(YF).message("é".repeat(257))),
        (
            "message".to_owned(),
            "message is 257 characters long: must be at most 256".to_owned()
        )
    );
}

#[test]
fn at_most_20_fields_with_labels_to_36_and_values_to_128_characters() {
    let twenty = (0..20).fold(CreateChallenge::new(YF), |p, i| {
        p.field(format!("l{i}"), "v")
    });
    twenty.clone().validate(now()).unwrap();
    assert_eq!(
        refusal(&twenty.field("one", "more")),
        (
            "field".to_owned(),
            "field was added 21 times: a challenge has at most 20 fields".to_owned()
        )
    );
    CreateChallenge::new(YF)
        .field("é".repeat(36), "é".repeat(128))
        .validate(now())
        .unwrap();
    assert_eq!(
        refusal(
            &CreateChallenge::new(YF)
                .field("a", "b")
                .field("é".repeat(37), "v")
        )
        .1,
        "field 2 label is 37 characters long: must be at most 36"
    );
    assert_eq!(
        refusal(&CreateChallenge::new(YF).field("IP", "é".repeat(129))).1,
        "field 1 value is 129 characters long: must be at most 128"
    );
}

#[test]
fn hidden_details_are_at_most_1024_characters_as_json() {
    // {"k":"…"} is 8 characters around the value.
    CreateChallenge::new(YF)
        .hidden_detail("k", "x".repeat(1016))
        .validate(now())
        .unwrap();
    assert_eq!(
        refusal(&CreateChallenge::new(YF).hidden_detail("k", "x".repeat(1017))),
        (
            "hidden_details".to_owned(),
            "hidden_details is 1025 characters long: must be at most 1024".to_owned()
        )
    );
}

#[test]
fn an_empty_hidden_details_map_is_sent_as_an_empty_object() {
    let params = CreateChallenge::new(YF).hidden_details(BTreeMap::<String, String>::new());
    assert_eq!(
        params.to_form(now()).unwrap(),
        format!("FactorSid={YF}&HiddenDetails=%7B%7D")
    );
}

#[test]
fn auth_payload_is_a_3_to_8_digit_code_or_a_push_payload_up_to_5456_characters() {
    for ok in ["123", "12345678", "a", "eyJhbGciOi.x-y", &"a".repeat(5456)] {
        crate::rules::auth_payload(ok).unwrap();
    }
    let cases = [
        (
            "",
            "auth_payload is empty: must be a TOTP code (3..=8 digits) or a push payload (at most 5456 characters)",
        ),
        (
            "12",
            "auth_payload is a 2-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            "123456789",
            "auth_payload is a 9-digit code: a TOTP code must be 3..=8 digits",
        ),
        (
            &"a".repeat(5457),
            "auth_payload is 5457 characters long: a push payload must be at most 5456 characters",
        ),
    ];
    for (bad, message) in cases {
        let err = CreateChallenge::new(YF)
            .auth_payload(bad)
            .validate(now())
            .unwrap_err();
        assert_eq!(
            (err.parameter(), err.to_string().as_str()),
            ("auth_payload", message)
        );
        let err = UpdateChallenge::new()
            .auth_payload(bad)
            .validate()
            .unwrap_err();
        assert_eq!(
            (err.parameter(), err.to_string().as_str()),
            ("auth_payload", message)
        );
    }
}

#[test]
fn a_refused_auth_payload_is_not_echoed() {
    let err = UpdateChallenge::new()
        .auth_payload("1234567890123")
        .validate()
        .unwrap_err();
    assert!(!err.to_string().contains("1234567890123"), "{err}");
}

#[test]
fn update_sends_auth_payload_and_metadata_json_or_an_empty_body() {
    assert_eq!(UpdateChallenge::new().to_form().unwrap(), "");
    let params = UpdateChallenge::new()
        .auth_payload("123456")
        .metadata([("os", "Android 14 & \"beta\"")]);
    params.validate().unwrap();
    assert_eq!(
        params.to_form().unwrap(),
        "AuthPayload=123456&Metadata=%7B%22os%22%3A%22Android+14+%26+%5C%22beta%5C%22%22%7D"
    );
}

#[test]
fn metadata_is_at_most_1024_characters_as_json() {
    let err = UpdateChallenge::new()
        .metadata([("k", "x".repeat(1017))])
        .validate()
        .unwrap_err();
    assert_eq!(err.parameter(), "metadata");
    assert_eq!(
        err.to_string(),
        "metadata is 1025 characters long: must be at most 1024"
    );
}

#[test]
fn debug_of_params_with_an_auth_payload_prints_only_the_redaction() {
    let create = CreateChallenge::new(YF).auth_payload("987654");
    assert_eq!(
        format!("{create:?}"),
        format!(
            "CreateChallenge {{ factor_sid: \"{YF}\", expiration: None, message: None, \
             fields: [], hidden_details: None, auth_payload: Some(Secret([redacted])) }}"
        )
    );
    let update = UpdateChallenge::new().auth_payload("987654");
    assert_eq!(
        format!("{update:?}"),
        "UpdateChallenge { auth_payload: Some(Secret([redacted])), metadata: None }"
    );
    assert!(!format!("{update:#?}").contains("987654"));
}
