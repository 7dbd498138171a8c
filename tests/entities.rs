//! `/v2/Services/{ServiceSid}/Entities`: the exact requests of create, fetch, delete and list,
//! decoding of every spec example, and every refusal with nothing sent.

mod mock_router;

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use httpmock::MockServer;
use mock_router::*;
use twilio_verify::{Entity, Error};

const IDENTITY: &str = "ff483d1ff591898a9942916050d2ca3f";
const YE: &str = "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CREATE: &str = include_str!("fixtures/entity_create.json");
const FETCH: &str = include_str!("fixtures/entity_fetch.json");
const READ_FULL: &str = include_str!("fixtures/entity_read_full.json");
const READ_EMPTY: &str = include_str!("fixtures/entity_read_empty.json");

fn list_path() -> String {
    format!("/v2/Services/{VA}/Entities")
}

fn entity_path(identity: &str) -> String {
    format!("/v2/Services/{VA}/Entities/{identity}")
}

/// The spec's example entity, field by field.
fn assert_example(entity: &Entity) {
    let date = SystemTime::UNIX_EPOCH + Duration::from_secs(EXAMPLE_DATE_SECS);
    let url = format!("https://verify.twilio.com{}", entity_path(IDENTITY));
    assert_eq!(entity.sid.as_str(), YE);
    assert_eq!(entity.identity, IDENTITY);
    assert_eq!(entity.account_sid.as_str(), AC);
    assert_eq!(entity.service_sid.as_str(), VA);
    assert_eq!(entity.date_created, date);
    assert_eq!(entity.date_updated, date);
    assert_eq!(entity.url, url);
    let links: BTreeMap<String, String> = [
        ("challenges", format!("{url}/Challenges")),
        ("factors", format!("{url}/Factors")),
        ("new_factors", format!("{url}/Factors")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    assert_eq!(entity.links.as_ref(), Some(&links));
}

/// Runs `call` against a mock answering `method target` and returns the one request sent.
fn sent_by<T>(
    method: &'static str,
    target: &str,
    status: u16,
    body: &str,
    call: impl FnOnce(&twilio_verify::Entities) -> Result<T, Error>,
) -> (T, Seen) {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(method, target, vec![answer(status, body)])],
    );
    let entities = client(&server).entities(VA).unwrap();
    let value = call(&entities).unwrap_or_else(|e| panic!("{e}; sent {:?}", sent(&log)));
    let seen = only(&log);
    assert_eq!(seen.method, method);
    assert_eq!(seen.target(), target);
    assert_eq!(seen.header("authorization"), [basic().as_str()]);
    (value, seen)
}

#[test]
fn create_posts_exactly_the_identity_and_decodes_the_specs_create_example() {
    let (entity, seen) = sent_by("POST", &list_path(), 201, CREATE, |e| e.create(IDENTITY));
    assert_eq!(
        seen.header("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(seen.body_str(), format!("Identity={IDENTITY}"));
    assert_example(&entity);
}

#[test]
fn create_sends_a_dashed_identity_unchanged() {
    let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
    let (_, seen) = sent_by("POST", &list_path(), 201, CREATE, |e| e.create(identity));
    assert_eq!(seen.body_str(), format!("Identity={identity}"));
}

#[test]
fn fetch_gets_the_identitys_path_and_decodes_the_specs_fetch_example() {
    let (entity, seen) = sent_by("GET", &entity_path(IDENTITY), 200, FETCH, |e| {
        e.fetch(IDENTITY)
    });
    assert!(seen.body.is_empty());
    assert_example(&entity);
}

#[test]
fn fetch_of_an_unknown_identity_is_api_404() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            entity_path(IDENTITY),
            vec![answer(
                404,
                r#"{"code":20404,"message":"not found","status":404}"#,
            )],
        )],
    );
    let err = client(&server)
        .entities(VA)
        .unwrap()
        .fetch(IDENTITY)
        .unwrap_err();
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((api.status(), api.code()), (404, Some(20404)));
    assert_eq!(sent(&log).len(), 1);
}

#[test]
fn delete_answered_204_succeeds() {
    let ((), seen) = sent_by("DELETE", &entity_path(IDENTITY), 204, "", |e| {
        e.delete(IDENTITY)
    });
    assert!(seen.body.is_empty());
}

#[test]
fn list_decodes_the_specs_read_full_example() {
    let (entities, seen) = sent_by("GET", &list_path(), 200, READ_FULL, |e| {
        e.list().collect::<Result<Vec<_>, _>>()
    });
    assert_eq!(seen.query, None);
    assert_eq!(entities.len(), 1);
    assert_example(&entities[0]);
}

#[test]
fn list_of_the_specs_read_empty_example_yields_nothing() {
    let (entities, _) = sent_by("GET", &list_path(), 200, READ_EMPTY, |e| {
        e.list().collect::<Result<Vec<_>, _>>()
    });
    assert!(entities.is_empty());
}

#[test]
fn list_with_a_page_size_sends_it() {
    let target = format!("{}?PageSize=100", list_path());
    let (entities, _) = sent_by("GET", &target, 200, READ_FULL, |e| {
        e.list().page_size(100).collect::<Result<Vec<_>, _>>()
    });
    assert_eq!(entities.len(), 1);
}

/// The exact refusal of a malformed identity of `chars` characters.
fn identity_refusal(chars: usize) -> String {
    format!(
        "identity is malformed ({chars} characters): must be 8 to 64 ASCII letters and digits, \
         in groups separated by single dashes (like a UUID), and not personal data"
    )
}

#[test]
fn malformed_identities_are_refused_by_create_fetch_and_delete_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let entities = client(&server).entities(VA).unwrap();
    let long = "a".repeat(65);
    for (bad, chars) in [
        ("user 1/ü?x", 10),
        ("../x", 4),
        ("../../Accounts", 14),
        ("user-1", 6),
        ("", 0),
        (long.as_str(), 65),
        ("user1234?Page=1", 15),
        ("user%2F1234", 11),
        ("user--1234", 10),
        ("alice@example.com", 17),
    ] {
        let message = identity_refusal(chars);
        for err in [
            entities.create(bad).unwrap_err(),
            entities.fetch(bad).unwrap_err(),
            entities.delete(bad).unwrap_err(),
        ] {
            let Error::InvalidInput(input) = &err else {
                panic!("{bad:?}: expected InvalidInput, got {err:?}")
            };
            assert_eq!(input.parameter(), "identity", "{bad:?}");
            assert_eq!(input.to_string(), message, "{bad:?}");
            // The identity (personal data) is never echoed.
            if !bad.is_empty() {
                assert!(!err.to_string().contains(bad), "{err}");
            }
        }
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn the_identity_length_edges_8_and_64_are_sent() {
    for identity in ["abcdefgh".to_owned(), "a".repeat(64)] {
        let (_, seen) = sent_by("POST", &list_path(), 201, CREATE, |e| e.create(&identity));
        assert_eq!(seen.body_str(), format!("Identity={identity}"));
    }
}

#[test]
fn a_malformed_service_sid_is_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let client = client(&server);
    for bad in [
        "",
        "VA",
        "VAxyz",
        "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",
    ] {
        let err = client.entities(bad).unwrap_err();
        let Error::InvalidInput(input) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(input.parameter(), "service_sid");
        assert_eq!(
            input.to_string(),
            format!(
                "service_sid is malformed ({}): must be \"VA\" followed by 32 hex digits",
                sid_shape(bad)
            )
        );
    }
    assert_eq!(mock.calls(), 0);
}
