//! The whole public API against the emulator: create→fetch round trips, each error path as the
//! right `Error`, each injected fault surfacing as the right `Error` after the right number of
//! requests, and connection reuse under concurrency.

#![cfg(feature = "emulator")]

use std::thread;
use std::time::{Duration, Instant};

use twilio_verify::emulator::{Emulator, Fault};
use twilio_verify::{
    AccessTokens, CreateAccessToken, Error, FactorType, RetryPolicy, VerifyClient,
};

fn push(identity: &str) -> CreateAccessToken {
    CreateAccessToken::new(identity, FactorType::Push)
}

/// The default policy with delays short enough that only the attempts count.
fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn tokens(emulator: &Emulator, policy: RetryPolicy) -> AccessTokens {
    emulator
        .client_builder()
        .retry_policy(policy)
        .build()
        .unwrap()
        .access_tokens(emulator.service_sid())
        .unwrap()
}

/// A fresh emulator, and a handle on its service from its default client.
fn started() -> (Emulator, AccessTokens) {
    let emulator = Emulator::start().unwrap();
    let tokens = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap();
    (emulator, tokens)
}

/// Twilio's error answer with `status` and `code`, asking to wait `retry_after`.
fn status_fault(status: u16, code: u32, retry_after: Option<Duration>) -> Fault {
    Fault::Status {
        status,
        code,
        retry_after,
    }
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> Box<twilio_verify::ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[test]
fn the_emulator_and_its_values_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Emulator>();
    shareable::<Fault>();
    shareable::<twilio_verify::emulator::RecordedRequest>();
}

#[test]
fn create_then_fetch_round_trips_every_field() {
    let (emulator, tokens) = started();
    let created = tokens
        .create(
            &push("user-8f3a2b")
                .factor_friendly_name("Alice's iPhone")
                .ttl(120),
        )
        .unwrap();
    assert_eq!(created.account_sid.as_str(), emulator.account_sid());
    assert_eq!(&created.service_sid, emulator.service_sid());
    assert_eq!(created.entity_identity, "user-8f3a2b");
    assert_eq!(created.factor_type, FactorType::Push);
    assert_eq!(
        created.factor_friendly_name.as_deref(),
        Some("Alice's iPhone")
    );
    assert_eq!(created.ttl, 120);
    assert_eq!(
        created.url,
        format!(
            "{}/v2/Services/{}/AccessTokens/{}",
            emulator.base_url(),
            emulator.service_sid(),
            created.sid
        )
    );
    assert_eq!(created.token.expose_secret().split('.').count(), 3);

    let fetched = tokens.fetch(&created.sid).unwrap();
    assert_eq!(fetched.sid, created.sid);
    assert_eq!(fetched.entity_identity, created.entity_identity);
    assert_eq!(fetched.factor_friendly_name, created.factor_friendly_name);
    assert_eq!(fetched.ttl, created.ttl);
    assert_eq!(fetched.date_created, created.date_created);
    assert_eq!(fetched.url, created.url);
    assert_eq!(fetched.token.expose_secret(), created.token.expose_secret());
    let fetched_by_str = tokens.fetch(created.sid.as_str()).unwrap();
    assert_eq!(fetched_by_str.sid, created.sid);
    assert_eq!(emulator.request_count(), 3);
}

#[test]
fn create_without_options_gets_ttl_60_and_no_friendly_name() {
    let (emulator, tokens) = started();
    let created = tokens.create(&push("user-0001")).unwrap();
    assert_eq!(created.ttl, 60);
    assert_eq!(created.factor_friendly_name, None);
    let sent = &emulator.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(
        sent.form,
        vec![
            ("Identity".to_owned(), "user-0001".to_owned()),
            ("FactorType".to_owned(), "push".to_owned()),
        ]
    );
    assert_eq!(sent.username.as_deref(), Some(emulator.account_sid()));
}

#[test]
fn a_uuid_identity_and_an_awkward_friendly_name_survive_the_round_trip() {
    let (_emulator, tokens) = started();
    let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
    let name = "Ålice's \"phone\" #1 + 2";
    let created = tokens
        .create(&push(identity).factor_friendly_name(name))
        .unwrap();
    let fetched = tokens.fetch(&created.sid).unwrap();
    assert_eq!(fetched.entity_identity, identity);
    assert_eq!(fetched.factor_friendly_name.as_deref(), Some(name));
}

#[test]
fn wrong_credentials_are_an_api_error_401_code_20003_with_request_id() {
    let emulator = Emulator::start().unwrap();
    let client = VerifyClient::builder()
        .base_url(emulator.base_url())
        .account_sid(emulator.account_sid())
        .auth_token("not-the-token")
        .build()
        .unwrap();
    let tokens = client.access_tokens(emulator.service_sid()).unwrap();
    let e = api_error(tokens.create(&push("user-0001")));
    assert_eq!(e.status(), 401);
    assert_eq!(e.code(), Some(20003));
    assert_eq!(e.message(), "Authenticate");
    assert_eq!(
        e.more_info(),
        Some("https://www.twilio.com/docs/errors/20003")
    );
    assert!(
        e.request_id()
            .is_some_and(|id| id.starts_with("RQ") && id.len() == 34)
    );
    assert_eq!(e.attempts(), 1);
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn an_unknown_service_is_an_api_error_404_code_20404() {
    let emulator = Emulator::start().unwrap();
    let tokens = emulator
        .client()
        .access_tokens("VA0123456789abcdef0123456789abcdef")
        .unwrap();
    let e = api_error(tokens.create(&push("user-0001")));
    assert_eq!((e.status(), e.code()), (404, Some(20404)));
    assert_eq!(
        e.message(),
        "The requested resource /v2/Services/VA0123456789abcdef0123456789abcdef/AccessTokens \
         was not found"
    );
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn an_unknown_token_or_another_services_token_is_an_api_error_404_code_20404() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let tokens = client.access_tokens(emulator.service_sid()).unwrap();
    let e = api_error(tokens.fetch("YK0123456789abcdef0123456789abcdef"));
    assert_eq!((e.status(), e.code()), (404, Some(20404)));

    let created = tokens.create(&push("user-0001")).unwrap();
    let other = client.access_tokens(emulator.add_service()).unwrap();
    let e = api_error(other.fetch(&created.sid));
    assert_eq!((e.status(), e.code()), (404, Some(20404)));
    assert_eq!(e.attempts(), 1, "a 404 is not retried");
    assert_eq!(emulator.request_count(), 3);
}

#[test]
fn input_the_crate_refuses_never_reaches_the_emulator() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let tokens = client.access_tokens(emulator.service_sid()).unwrap();
    for (result, parameter) in [
        (tokens.create(&push("user-0001").ttl(30)), "ttl"),
        (tokens.create(&push("")), "identity"),
        (tokens.create(&push("a&b=c+d e\nf/é%20😀")), "identity"),
        (tokens.create(&push("user-0001/../..")), "identity"),
        (
            tokens.create(&push("user-0001").factor_friendly_name("x".repeat(65))),
            "factor_friendly_name",
        ),
        (
            tokens.create(&CreateAccessToken::new(
                "user-0001",
                FactorType::Other("totp".into()),
            )),
            "factor_type",
        ),
        (
            tokens.create(&CreateAccessToken::new("user-0001", FactorType::Totp)),
            "factor_type",
        ),
        (tokens.fetch("YKnope"), "access_token_sid"),
    ] {
        match result {
            Err(Error::InvalidInput(e)) => assert_eq!(e.parameter(), parameter),
            other => panic!("expected InvalidInput for {parameter}, got {other:?}"),
        }
    }
    assert!(matches!(
        client.access_tokens("VAnope"),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(emulator.request_count(), 0);
}

#[test]
fn create_succeeds_after_exactly_two_requests_when_the_first_is_429_with_retry_after() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(Fault::too_many_requests(Some(Duration::ZERO)), 1);
    tokens.create(&push("user-0001")).unwrap();
    assert_eq!(emulator.request_count(), 2);
}

#[test]
fn create_gives_up_at_once_when_retry_after_exceeds_the_maximum_delay() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(Fault::too_many_requests(Some(Duration::from_secs(60))), 1);
    let started = Instant::now();
    let e = api_error(tokens.create(&push("user-0001")));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!((e.status(), e.code()), (429, Some(20429)));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!(e.attempts(), 1);
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_429_on_every_attempt_fails_after_max_attempts() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(Fault::too_many_requests(None), 5);
    let e = api_error(tokens.create(&push("user-0001")));
    assert_eq!((e.status(), e.code(), e.attempts()), (429, Some(20429), 3));
    assert_eq!(emulator.request_count(), 3);
    assert_eq!(emulator.pending_faults(), 2);
}

#[test]
fn a_500_on_create_is_not_retried() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(status_fault(500, 20500, None), 1);
    let e = api_error(tokens.create(&push("user-0001")));
    assert_eq!((e.status(), e.code(), e.attempts()), (500, Some(20500), 1));
    assert_eq!(e.message(), "Internal Server Error");
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn fetch_succeeds_after_three_requests_when_two_are_503() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    let created = tokens.create(&push("user-0001")).unwrap();
    emulator.clear_requests();
    emulator.inject(status_fault(503, 20503, None), 2);
    let fetched = tokens.fetch(&created.sid).unwrap();
    assert_eq!(fetched.sid, created.sid);
    assert_eq!(emulator.request_count(), 3);
}

#[test]
fn with_retries_off_a_503_on_fetch_is_returned_after_one_request() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, RetryPolicy::none());
    emulator.inject(status_fault(503, 20503, Some(Duration::from_secs(1))), 1);
    let e = api_error(tokens.fetch("YK0123456789abcdef0123456789abcdef"));
    assert_eq!((e.status(), e.code()), (503, Some(20503)));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_dropped_connection_on_create_is_a_transport_error_after_one_request() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(Fault::DropConnection, 1);
    match tokens.create(&push("user-0001")) {
        Err(Error::Transport(e)) => {
            assert!(!e.is_timeout());
            assert_eq!(e.attempts(), 1);
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_dropped_connection_on_fetch_is_retried_on_a_new_connection() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    let created = tokens.create(&push("user-0001")).unwrap();
    emulator.clear_requests();
    emulator.inject(Fault::DropConnection, 1);
    assert_eq!(tokens.fetch(&created.sid).unwrap().sid, created.sid);
    assert_eq!(emulator.request_count(), 2);
    assert_eq!(emulator.connection_count(), 2);
}

#[test]
fn a_delay_beyond_the_timeout_is_a_transport_timeout() {
    let emulator = Emulator::start().unwrap();
    let tokens = emulator
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .access_tokens(emulator.service_sid())
        .unwrap();
    emulator.inject(Fault::Delay(Duration::from_secs(1)), 1);
    let started = Instant::now();
    let result = tokens.create(&push("user-0001"));
    let elapsed = started.elapsed();
    match result {
        Err(e @ Error::Transport(_)) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_millis(900), "{elapsed:?}");
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_delay_within_the_timeout_only_slows_the_answer() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, RetryPolicy::none());
    emulator.inject(Fault::Delay(Duration::from_millis(100)), 1);
    let started = Instant::now();
    tokens.create(&push("user-0001")).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_2xx_fault_with_an_error_body_is_a_decode_error_naming_sid() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, quick());
    emulator.inject(status_fault(200, 0, None), 1);
    match tokens.create(&push("user-0001")) {
        Err(Error::Decode(e)) => {
            assert_eq!(e.status(), 200);
            assert_eq!(e.missing(), Some("sid"));
            assert!(e.request_id().is_some());
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn after_the_emulator_is_dropped_calls_fail_to_connect() {
    let emulator = Emulator::start().unwrap();
    let tokens = tokens(&emulator, RetryPolicy::none());
    tokens.create(&push("user-0001")).unwrap();
    drop(emulator);
    match tokens.create(&push("user-0001")) {
        Err(Error::Transport(_)) => {}
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

#[test]
fn fifty_sequential_calls_on_one_client_use_one_connection() {
    let (emulator, tokens) = started();
    let created = tokens.create(&push("user-0001")).unwrap();
    for _ in 0..49 {
        tokens.fetch(&created.sid).unwrap();
    }
    assert_eq!(emulator.request_count(), 50);
    assert_eq!(emulator.connection_count(), 1);
}

#[test]
fn eight_threads_with_their_own_clients_each_create_and_fetch_100_tokens() {
    let emulator = Emulator::start().unwrap();
    thread::scope(|scope| {
        for worker in 0..8 {
            let emulator = &emulator;
            scope.spawn(move || {
                let tokens = emulator
                    .client()
                    .access_tokens(emulator.service_sid())
                    .unwrap();
                for i in 0..100 {
                    let identity = format!("worker-{worker}-{i}");
                    let created = tokens.create(&push(&identity)).unwrap();
                    assert_eq!(created.entity_identity, identity);
                }
                let last = tokens.create(&push("last-user")).unwrap();
                assert_eq!(tokens.fetch(&last.sid).unwrap().sid, last.sid);
            });
        }
    });
    assert_eq!(emulator.request_count(), 8 * 102);
    assert_eq!(emulator.connection_count(), 8);
}

#[test]
fn one_client_shared_by_eight_threads_makes_800_calls_on_no_more_than_eight_connections() {
    // The threads call in bursts: all eight in flight, then all eight connections idle at once.
    // With ureq's default pool (3 idle connections per host) five would be closed after every
    // burst and opened again; the client sizes its pool for this.
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::Delay(Duration::from_millis(1)), 800);
    let tokens = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap();
    let barrier = std::sync::Barrier::new(8);
    thread::scope(|scope| {
        for _ in 0..8 {
            let tokens = tokens.clone();
            let barrier = &barrier;
            scope.spawn(move || {
                for _ in 0..50 {
                    let created = tokens.create(&push("shared-user")).unwrap();
                    barrier.wait();
                    assert_eq!(tokens.fetch(&created.sid).unwrap().sid, created.sid);
                    barrier.wait();
                }
            });
        }
    });
    assert_eq!(emulator.request_count(), 800);
    assert!(
        emulator.connection_count() <= 8,
        "{}",
        emulator.connection_count()
    );
}
