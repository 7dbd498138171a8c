//! Property tests: SID parsing accepts exactly the spec's patterns and never panics; any
//! identity that follows Twilio's rule and any friendly name round-trip through the form body
//! the crate sends, and any other identity is refused before a request is sent; no bytes a
//! server can send — as a 2xx body, an error body, a header or the whole answer — make a call
//! panic or hang.
//!
//! Case counts are small (64) so the suite stays fast; each network case is one round trip to a
//! raw `TcpListener` on 127.0.0.1.

#[path = "support/raw_server.rs"]
mod raw_server;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::Config;
use raw_server::{
    Answer, JWT, RawServer, SERVICE_SID, TOKEN_SID, builder_at, created, handle, response,
    token_json,
};
use twilio_verify::{
    AccessTokenSid, AccessTokens, AccountSid, ApiKeySid, CreateAccessToken, Error, FactorType,
    RetryPolicy, ServiceSid,
};

fn config() -> Config {
    Config {
        cases: 64,
        // Print the minimal failing case; write no regression files into the shared tree.
        failure_persistence: None,
        ..Config::default()
    }
}

fn tokens_for(server: &RawServer, policy: RetryPolicy) -> AccessTokens {
    handle(
        builder_at(&server.base_url())
            .retry_policy(policy)
            .timeout(Duration::from_secs(2)),
    )
}

// ---- SIDs ----

/// The spec's `^{prefix}[0-9a-fA-F]{32}$`, judged by characters (not bytes), written apart from
/// the crate's own check.
fn matches_pattern(value: &str, prefix: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    let prefix: Vec<char> = prefix.chars().collect();
    chars.len() == 34 && chars[..2] == prefix[..] && chars[2..].iter().all(char::is_ascii_hexdigit)
}

/// Strings near the pattern: a likely prefix and 30–35 characters from a set mixing hex digits
/// with letters just past `f`, non-ASCII digits and letters, and punctuation.
fn near_sid() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "VA", "YK", "AC", "SK", "va", "Va", "vA", "V", "", "VAVA",
        ]),
        prop::collection::vec(
            prop::sample::select(vec![
                '0', '7', '9', 'a', 'f', 'A', 'F', 'g', 'G', 'z', 'x', 'é', '٣', '０', ' ', '-',
                '\n', '\0',
            ]),
            30..36,
        ),
    )
        .prop_map(|(prefix, rest)| format!("{prefix}{}", String::from_iter(rest)))
}

/// A valid SID of `prefix` with one character replaced by any character.
fn mutated_sid(prefix: &'static str) -> impl Strategy<Value = String> {
    (
        proptest::string::string_regex(&format!("{prefix}[0-9a-fA-F]{{32}}")).unwrap(),
        0..34usize,
        any::<char>(),
    )
        .prop_map(|(sid, at, c)| {
            let mut chars: Vec<char> = sid.chars().collect();
            chars[at] = c;
            String::from_iter(chars)
        })
}

fn any_sid_candidate() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        near_sid(),
        mutated_sid("VA"),
        mutated_sid("YK"),
        mutated_sid("AC"),
        mutated_sid("SK"),
        proptest::string::string_regex("(VA|YK|AC|SK)[0-9a-fA-F]{32}").unwrap(),
    ]
}

/// Parses `value` as each SID type, by `FromStr` and by serde, and checks each against the
/// pattern: accepted exactly when it matches, and then unchanged.
fn check_every_sid_type(value: &str) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(value).unwrap();
    macro_rules! check {
        ($ty:ty, $prefix:literal, $parameter:literal) => {{
            let expected = matches_pattern(value, $prefix);
            match value.parse::<$ty>() {
                Ok(sid) => {
                    prop_assert!(expected, "{} accepted {:?}", stringify!($ty), value);
                    prop_assert_eq!(sid.as_str(), value);
                    prop_assert_eq!(sid.to_string(), value);
                    prop_assert_eq!(sid.as_ref(), value);
                }
                Err(e) => {
                    prop_assert!(!expected, "{} refused {:?}: {}", stringify!($ty), value, e);
                    prop_assert_eq!(e.parameter(), $parameter);
                    // One bounded line: the value is shown cut to 40 characters.
                    prop_assert!(e.to_string().chars().count() < 200 + value.len().min(400));
                }
            }
            prop_assert_eq!(<$ty>::try_from(value).is_ok(), expected);
            prop_assert_eq!(serde_json::from_str::<$ty>(&json).is_ok(), expected);
        }};
    }
    check!(ServiceSid, "VA", "service_sid");
    check!(AccessTokenSid, "YK", "access_token_sid");
    check!(AccountSid, "AC", "account_sid");
    check!(ApiKeySid, "SK", "api_key_sid");
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn sid_parsing_accepts_exactly_the_spec_pattern_and_never_panics(value in any_sid_candidate()) {
        check_every_sid_type(&value)?;
    }

    #[test]
    fn sid_of_any_prefix_and_both_hex_cases_is_accepted(
        sid in proptest::string::string_regex("(VA|YK|AC|SK)[0-9a-fA-F]{32}").unwrap()
    ) {
        prop_assert!(matches_pattern(&sid, &sid[..2]));
        check_every_sid_type(&sid)?;
    }
}

#[test]
fn malformed_sids_are_refused_by_the_client_before_any_request() {
    let server = RawServer::always(Answer::Send(created()));
    let client = builder_at(&server.base_url()).build().unwrap();
    let tokens = client.access_tokens(SERVICE_SID).unwrap();
    proptest!(config(), |(value in any_sid_candidate())| {
        match client.access_tokens(&value) {
            Ok(_) => prop_assert!(matches_pattern(&value, "VA")),
            Err(Error::InvalidInput(e)) => {
                prop_assert!(!matches_pattern(&value, "VA"));
                prop_assert_eq!(e.parameter(), "service_sid");
            }
            Err(other) => prop_assert!(false, "unexpected {:?}", other),
        }
        if !matches_pattern(&value, "YK") {
            match tokens.fetch(&value) {
                Err(Error::InvalidInput(e)) => prop_assert_eq!(e.parameter(), "access_token_sid"),
                other => prop_assert!(false, "expected InvalidInput, got {:?}", other),
            }
        }
    });
    assert_eq!(server.requests(), 0, "nothing is sent for a malformed SID");
}

/// Any text of 1 to `max` characters, with the characters that matter to form encoding dense.
fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 1..=max).prop_map(String::from_iter),
        // Characters that matter to form encoding, densely.
        prop::collection::vec(
            prop::sample::select(vec![
                '&', '=', '+', ' ', '%', '\n', '\r', '\t', '\0', '#', '?', '/', ';', '\'', '"',
                'é', '📱', '\u{202e}', '\u{feff}', 'a',
            ]),
            1..=max
        )
        .prop_map(String::from_iter),
    ]
}

// ---- Identities ----

/// Twilio's identity rule — 8 to 64 ASCII letters and digits in groups separated by single
/// dashes — judged by characters, written apart from the crate's own check.
fn follows_identity_rule(value: &str) -> bool {
    let chars: Vec<char> = value.chars().collect();
    (8..=64).contains(&chars.len())
        && chars.iter().all(|c| c.is_ascii_alphanumeric() || *c == '-')
        && chars.first() != Some(&'-')
        && chars.last() != Some(&'-')
        && !value.contains("--")
}

/// Identities that follow the rule: one to four groups of letters and digits, 8 to 64 in all.
fn valid_identity() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-z0-9]{8,16}(-[A-Za-z0-9]{1,15}){0,3}").unwrap()
}

/// The crate's exact refusal of an identity of `chars` characters: the value is never shown.
fn identity_refusal(chars: usize) -> String {
    format!(
        "identity is malformed ({chars} characters): must be 8 to 64 ASCII letters and digits, \
         in groups separated by single dashes (like a UUID), and not personal data"
    )
}

/// Strings near the rule: 0–80 characters from a set mixing letters, digits and dashes with
/// what must be refused (punctuation that matters to paths and forms, non-ASCII letters and
/// digits, whitespace, controls).
fn near_identity() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            'a', 'Z', '0', '9', '-', '-', '_', '.', '/', '%', '?', '#', '&', '=', '+', '@', ' ',
            '\n', '\0', 'é', '٣', '０', '\u{202e}', '📱',
        ]),
        0..80,
    )
    .prop_map(String::from_iter)
}

/// A valid identity with one character replaced by any character, or cut or padded to just
/// outside 8..=64.
fn mutated_identity() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            valid_identity(),
            any::<prop::sample::Index>(),
            any::<char>()
        )
            .prop_map(|(identity, at, c)| {
                let mut chars: Vec<char> = identity.chars().collect();
                let at = at.index(chars.len());
                chars[at] = c;
                String::from_iter(chars)
            }),
        valid_identity().prop_map(|identity| identity[..7].to_owned()),
        valid_identity().prop_map(|identity| format!("{identity}{}", "a".repeat(65))),
        valid_identity().prop_map(|identity| format!("-{identity}")),
        valid_identity().prop_map(|identity| format!("{identity}-")),
        valid_identity().prop_map(|identity| format!("{identity}--a")),
    ]
}

fn any_identity_candidate() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        any_text(80),
        near_identity(),
        mutated_identity(),
        valid_identity(),
    ]
}

#[test]
fn exactly_the_identities_that_follow_the_rule_are_sent_and_the_rest_refused_unsent() {
    let server = RawServer::always(Answer::Send(created()));
    let tokens = tokens_for(&server, RetryPolicy::none());
    let refused = std::cell::Cell::new(0);
    proptest!(config(), |(identity in any_identity_candidate())| {
        let before = server.requests();
        let result = tokens.create(&CreateAccessToken::new(identity.clone(), FactorType::Push));
        if follows_identity_rule(&identity) {
            prop_assert!(result.is_ok(), "{:?} refused: {:?}", identity, result);
            prop_assert_eq!(server.requests(), before + 1);
        } else {
            match result {
                Err(Error::InvalidInput(e)) => {
                    prop_assert_eq!(e.parameter(), "identity");
                    prop_assert_eq!(e.to_string(), identity_refusal(identity.chars().count()));
                }
                other => prop_assert!(false, "{:?}: expected InvalidInput, got {:?}", identity, other),
            }
            prop_assert_eq!(server.requests(), before, "{:?} was sent", identity);
            refused.set(refused.get() + 1);
        }
    });
    // The strategies mostly break the rule: most cases exercise the refusal.
    assert!(
        refused.get() > 32,
        "only {} of 64 cases were refused",
        refused.get()
    );
}

#[test]
fn the_identity_rule_refuses_7_and_65_characters_and_accepts_8_and_64() {
    let server = RawServer::always(Answer::Send(created()));
    let tokens = tokens_for(&server, RetryPolicy::none());
    for (identity, sent) in [
        ("a".repeat(7), false),
        ("a".repeat(8), true),
        ("a".repeat(64), true),
        ("a".repeat(65), false),
        (format!("{}-{}", "a".repeat(31), "b".repeat(32)), true),
        (format!("{}-{}", "a".repeat(32), "b".repeat(32)), false),
    ] {
        assert_eq!(follows_identity_rule(&identity), sent, "{identity}");
        let before = server.requests();
        let result = tokens.create(&CreateAccessToken::new(identity.clone(), FactorType::Push));
        assert_eq!(result.is_ok(), sent, "{identity}: {result:?}");
        assert_eq!(server.requests(), before + usize::from(sent), "{identity}");
    }
}

// ---- The form body ----

#[test]
fn any_valid_identity_and_any_friendly_name_round_trip_through_the_form_body() {
    let server = RawServer::always(Answer::Send(created()));
    let tokens = tokens_for(&server, RetryPolicy::none());
    proptest!(config(), |(
        identity in valid_identity(),
        friendly_name in proptest::option::of(any_text(64)),
        ttl in proptest::option::of(60u32..=300),
    )| {
        let mut params = CreateAccessToken::new(identity.clone(), FactorType::Push);
        if let Some(name) = &friendly_name {
            params = params.factor_friendly_name(name.clone());
        }
        if let Some(ttl) = ttl {
            params = params.ttl(ttl);
        }
        let before = server.requests();
        let token = tokens.create(&params).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(token.token.expose_secret(), JWT);
        prop_assert_eq!(server.requests(), before + 1);

        let request = server.recorded().pop().unwrap();
        prop_assert_eq!(
            request.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
        // Percent-encoded: printable ASCII only, nothing that could split the body.
        prop_assert!(request.body.iter().all(u8::is_ascii_graphic), "{:?}", request.body);
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&request.body).unwrap();
        let mut expected = vec![
            ("Identity".to_owned(), identity.clone()),
            ("FactorType".to_owned(), "push".to_owned()),
        ];
        if let Some(name) = friendly_name {
            expected.push(("FactorFriendlyName".to_owned(), name));
        }
        if let Some(ttl) = ttl {
            expected.push(("Ttl".to_owned(), ttl.to_string()));
        }
        prop_assert_eq!(pairs, expected);
    });
}

#[test]
fn too_long_friendly_names_and_empty_identities_are_refused_before_any_request() {
    let server = RawServer::always(Answer::Send(created()));
    let tokens = tokens_for(&server, RetryPolicy::none());
    proptest!(config(), |(name in prop::collection::vec(any::<char>(), 65..100))| {
        let name = String::from_iter(name);
        let params = CreateAccessToken::new("user-0001", FactorType::Push).factor_friendly_name(name);
        match tokens.create(&params) {
            Err(Error::InvalidInput(e)) => prop_assert_eq!(e.parameter(), "factor_friendly_name"),
            other => prop_assert!(false, "expected InvalidInput, got {:?}", other),
        }
    });
    match tokens.create(&CreateAccessToken::new("", FactorType::Push)) {
        Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), "identity"),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(server.requests(), 0);
}

// ---- Hostile answers ----

/// Bytes for a body: arbitrary, or a valid token cut short or with one byte changed.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    let valid = token_json(JWT).into_bytes();
    let len = valid.len();
    let (cut, flip) = (valid.clone(), valid);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        (0..len).prop_map(move |at| cut[..at].to_vec()),
        (0..len, any::<u8>()).prop_map(move |(at, byte)| {
            let mut body = flip.clone();
            body[at] = byte;
            body
        }),
    ]
}

#[test]
fn any_bytes_as_a_2xx_body_decode_or_give_a_decode_error_never_a_panic() {
    proptest!(config(), |(body in any_body(), status in prop::sample::select(vec![200u16, 201]))| {
        let server = RawServer::always(Answer::Send(response(status, &[], &body)));
        let result = tokens_for(&server, RetryPolicy::none()).fetch(TOKEN_SID);
        match result {
            // A mutated example can still be a valid token (with another sid, say): it must
            // then carry exactly what the served body holds.
            Ok(token) => {
                let served: serde_json::Value = serde_json::from_slice(&body).unwrap();
                prop_assert_eq!(Some(token.sid.as_str()), served["sid"].as_str());
                prop_assert_eq!(Some(u64::from(token.ttl)), served["ttl"].as_u64());
                prop_assert_eq!(Some(token.token.expose_secret()), served["token"].as_str());
            }
            Err(Error::Decode(e)) => prop_assert_eq!(e.status(), status),
            Err(other) => prop_assert!(false, "expected Ok or Decode, got {:?}", other),
        }
        prop_assert_eq!(server.requests(), 1);
    });
}

#[test]
fn any_bytes_as_an_error_body_give_an_api_error_with_a_short_one_line_message() {
    let statuses = vec![400u16, 401, 404, 429, 500, 502, 503];
    proptest!(config(), |(body in any_body(), status in prop::sample::select(statuses.clone()))| {
        let server = RawServer::always(Answer::Send(response(status, &[], &body)));
        let result = tokens_for(&server, RetryPolicy::none()).fetch(TOKEN_SID);
        match result {
            Err(Error::Api(e)) => {
                prop_assert_eq!(e.status(), status);
                prop_assert_eq!(e.attempts(), 1);
                prop_assert!(!e.message().contains('\n'), "{:?}", e.message());
                prop_assert!(e.message().chars().count() <= 201, "{:?}", e.message());
                prop_assert!(!Error::Api(e).to_string().contains('\n'));
            }
            other => prop_assert!(false, "expected Api, got {:?}", other),
        }
        prop_assert_eq!(server.requests(), 1);
    });
}

#[test]
fn any_bytes_as_the_whole_answer_never_panic_or_hang() {
    let head = prop::sample::select(vec![
        &b""[..],
        b"HTTP/1.1 200 OK\r\n",
        b"HTTP/1.1 201 Created\r\nContent-Length: 5000\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.1 429 Too Many Requests\r\n",
        b"HTTP/1.0 ",
    ]);
    proptest!(config(), |(head in head, tail in prop::collection::vec(any::<u8>(), 0..300))| {
        let mut bytes = head.to_vec();
        bytes.extend_from_slice(&tail);
        let server = RawServer::always(Answer::SendThenClose(bytes));
        let started = Instant::now();
        let result = tokens_for(&server, RetryPolicy::none()).fetch(TOKEN_SID);
        prop_assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        if let Err(Error::Transport(e)) = &result {
            prop_assert_eq!(e.attempts(), 1);
        }
        prop_assert_eq!(server.requests(), 1);
    });
}

#[test]
fn any_retry_after_and_request_id_header_is_read_without_panic() {
    let value = prop_oneof![
        proptest::string::string_regex("[ -~]{0,40}").unwrap(),
        (0u64..=u64::MAX).prop_map(|n| n.to_string()),
        Just("0".to_owned()),
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_owned()),
    ];
    proptest!(config(), |(retry_after in value.clone(), request_id in value)| {
        let server = RawServer::always(Answer::Send(response(
            429,
            &[("Retry-After", &retry_after), ("Twilio-Request-Id", &request_id)],
            b"{}",
        )));
        let policy = RetryPolicy::default()
            .max_attempts(2)
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(10));
        match tokens_for(&server, policy).create(&CreateAccessToken::new("user-0001", FactorType::Push)) {
            Err(Error::Api(e)) => {
                prop_assert_eq!(e.status(), 429);
                prop_assert!(matches!(e.attempts(), 1 | 2));
                prop_assert_eq!(server.requests() as u32, e.attempts());
                if let Some(asked) = e.retry_after() {
                    // Asked for more than the 10 ms maximum: given up at once.
                    prop_assert_eq!(e.attempts(), u32::from(asked <= Duration::from_millis(10)) + 1);
                }
            }
            other => prop_assert!(false, "expected Api, got {:?}", other),
        }
    });
}
