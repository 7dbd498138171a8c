//! End-to-end flows through the public client against the emulator: push (enroll, approve,
//! deny, expire by moving the clock), TOTP (right and wrong codes, roll-over), entity delete
//! cascading, API keys, and the phone's errors.

#![cfg(feature = "emulator")]

use std::time::Duration;

use twilio_verify::emulator::{Emulator, EmulatorError};
use twilio_verify::{
    ChallengeStatus, CreateAccessToken, CreateChallenge, CreateFactor, Error, FactorStatus,
    FactorType, UpdateChallenge,
};

const ID: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";

fn enrolled(emulator: &Emulator) -> twilio_verify::emulator::Phone {
    let token = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap()
        .create(&CreateAccessToken::new(ID, FactorType::Push).factor_friendly_name("Alice's Pixel"))
        .unwrap();
    emulator.phone(token.token.expose_secret()).unwrap()
}

fn api_status(err: Error) -> (u16, Option<u32>, String) {
    match err {
        Error::Api(api) => (api.status(), api.code(), api.message().to_owned()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[test]
fn the_phone_enrolls_a_verified_push_factor_named_by_the_token_and_creates_the_entity() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let entities = client.entities(emulator.service_sid()).unwrap();
    assert!(entities.fetch(ID).is_err());
    let phone = enrolled(&emulator);
    assert_eq!(phone.identity(), ID);
    let factor = client
        .factors(emulator.service_sid(), ID)
        .unwrap()
        .fetch(phone.factor_sid())
        .unwrap();
    assert_eq!(factor.status, FactorStatus::Verified);
    assert_eq!(factor.factor_type, FactorType::Push);
    assert_eq!(factor.friendly_name.as_deref(), Some("Alice's Pixel"));
    assert_eq!(entities.fetch(ID).unwrap().identity, ID);
}

#[test]
fn pending_challenges_show_message_and_fields_and_approval_sets_date_responded() {
    let emulator = Emulator::start().unwrap();
    let phone = enrolled(&emulator);
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), ID)
        .unwrap();
    let created = challenges
        .create(
            &CreateChallenge::new(phone.factor_sid())
                .message("Approve the login from Chrome?")
                .field("Location", "Berlin")
                .field("IP", "203.0.113.7"),
        )
        .unwrap();
    assert_eq!(created.status, ChallengeStatus::Pending);
    assert_eq!(created.date_responded, None);
    let pending = phone.pending_challenges();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].sid, created.sid);
    assert_eq!(
        pending[0].message.as_deref(),
        Some("Approve the login from Chrome?")
    );
    let fields: Vec<(&str, &str)> = pending[0]
        .fields
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(fields, [("Location", "Berlin"), ("IP", "203.0.113.7")]);
    assert_eq!(Some(pending[0].expiration_date), created.expiration_date);
    let before = emulator.now();
    phone.approve(&created.sid).unwrap();
    let read = challenges.fetch(&created.sid).unwrap();
    assert_eq!(read.status, ChallengeStatus::Approved);
    let responded = read.date_responded.expect("date_responded is set");
    assert!(responded + Duration::from_secs(1) >= before);
    assert!(phone.pending_challenges().is_empty());
    assert_eq!(
        phone.approve(&created.sid),
        Err(EmulatorError::NotPending("approved"))
    );
    assert_eq!(
        phone.deny(&created.sid),
        Err(EmulatorError::NotPending("approved"))
    );
}

#[test]
fn a_denied_challenge_reads_denied_and_an_expired_one_cannot_be_answered() {
    let emulator = Emulator::start().unwrap();
    let phone = enrolled(&emulator);
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), ID)
        .unwrap();
    let denied = challenges
        .create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))
        .unwrap();
    phone.deny(&denied.sid).unwrap();
    assert_eq!(
        challenges.fetch(&denied.sid).unwrap().status,
        ChallengeStatus::Denied
    );

    let late = challenges
        .create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))
        .unwrap();
    emulator.advance(Duration::from_secs(299));
    assert_eq!(
        challenges.fetch(&late.sid).unwrap().status,
        ChallengeStatus::Pending
    );
    emulator.advance(Duration::from_secs(1));
    assert_eq!(
        challenges.fetch(&late.sid).unwrap().status,
        ChallengeStatus::Expired
    );
    assert!(phone.pending_challenges().is_empty());
    assert_eq!(
        phone.approve(&late.sid),
        Err(EmulatorError::NotPending("expired"))
    );
    let expired: Vec<_> = challenges
        .list()
        .status(ChallengeStatus::Expired)
        .map(|c| c.unwrap().sid)
        .collect();
    assert_eq!(expired, [late.sid]);
}

#[test]
fn a_phone_cannot_answer_another_factors_challenge_or_an_unknown_one() {
    let emulator = Emulator::start().unwrap();
    let first = enrolled(&emulator);
    let second = enrolled(&emulator);
    assert_ne!(first.factor_sid(), second.factor_sid());
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), ID)
        .unwrap();
    let for_first = challenges
        .create(&CreateChallenge::new(first.factor_sid()).message("Log in?"))
        .unwrap();
    assert!(second.pending_challenges().is_empty());
    assert_eq!(
        second.approve(&for_first.sid),
        Err(EmulatorError::UnknownChallenge)
    );
    assert_eq!(
        first.approve("YCffffffffffffffffffffffffffffffff"),
        Err(EmulatorError::UnknownChallenge)
    );
    assert_eq!(
        challenges.fetch(&for_first.sid).unwrap().status,
        ChallengeStatus::Pending
    );
}

#[test]
fn enrolling_needs_a_live_token_this_emulator_minted() {
    let emulator = Emulator::start().unwrap();
    let other = Emulator::start().unwrap();
    let tokens = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap();
    let token = tokens
        .create(&CreateAccessToken::new(ID, FactorType::Push).ttl(60))
        .unwrap();
    let jwt = token.token.expose_secret();
    assert_eq!(other.phone(jwt).unwrap_err(), EmulatorError::UnknownToken);
    assert_eq!(
        emulator.phone("a.b.c").unwrap_err(),
        EmulatorError::UnknownToken
    );
    emulator.advance(Duration::from_secs(59));
    assert!(emulator.phone(jwt).is_ok());
    emulator.advance(Duration::from_secs(1));
    let err = emulator.phone(jwt).unwrap_err();
    assert_eq!(err, EmulatorError::ExpiredToken);
    let boxed: Box<dyn std::error::Error> = err.into();
    assert!(!boxed.to_string().contains(jwt));
}

#[test]
fn totp_codes_verify_factors_and_approve_challenges_and_wrong_ones_do_not() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let factors = client.factors(emulator.service_sid(), ID).unwrap();
    let challenges = client.challenges(emulator.service_sid(), ID).unwrap();
    let totp = factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();
    let binding = totp
        .binding
        .as_ref()
        .expect("a TOTP create answers binding");
    let uri = binding.uri.as_ref().unwrap().expose_secret().to_owned();
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(uri.contains("&algorithm=SHA1&digits=6&period=30"), "{uri}");
    assert!(uri.contains(binding.secret.as_ref().unwrap().expose_secret()));

    // A challenge on an unverified factor is refused.
    let (status, code, message) = api_status(
        challenges
            .create(&CreateChallenge::new(&totp.sid).auth_payload("123456"))
            .unwrap_err(),
    );
    assert_eq!(
        (status, code, message.as_str()),
        (400, Some(60200), "Invalid parameter: FactorSid")
    );

    let right = emulator.totp_code(&totp.sid).unwrap();
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    let unverified = factors.verify(&totp.sid, &wrong).unwrap();
    assert_eq!(unverified.status, FactorStatus::Unverified);
    assert_eq!(
        factors.verify(&totp.sid, &right).unwrap().status,
        FactorStatus::Verified
    );

    let pending = challenges
        .create(&CreateChallenge::new(&totp.sid).auth_payload(wrong.clone()))
        .unwrap();
    assert_eq!(pending.status, ChallengeStatus::Pending);
    let still = challenges
        .update(&pending.sid, &UpdateChallenge::new().auth_payload(wrong))
        .unwrap();
    assert_eq!(still.status, ChallengeStatus::Pending);
    let approved = challenges
        .update(
            &pending.sid,
            &UpdateChallenge::new().auth_payload(emulator.totp_code(&totp.sid).unwrap()),
        )
        .unwrap();
    assert_eq!(approved.status, ChallengeStatus::Approved);
    assert!(approved.date_responded.is_some());
    let again = challenges.update(&pending.sid, &UpdateChallenge::new().auth_payload("123456"));
    assert_eq!(
        api_status(again.unwrap_err()).2,
        "Invalid parameter: AuthPayload"
    );
}

#[test]
fn totp_codes_roll_over_with_the_emulators_clock() {
    let emulator = Emulator::start().unwrap();
    let factors = emulator
        .client()
        .factors(emulator.service_sid(), ID)
        .unwrap();
    let totp = factors
        .create(
            &CreateFactor::totp("Authenticator")
                .time_step(30)
                .code_length(8),
        )
        .unwrap();
    let now = emulator.totp_code(&totp.sid).unwrap();
    assert_eq!(now.len(), 8);
    // Ten minutes later the code differs (20 steps on: a repeat has odds of 1 in 10^8).
    emulator.advance(Duration::from_secs(600));
    let later = emulator.totp_code(&totp.sid).unwrap();
    assert_ne!(now, later);
    assert_eq!(
        factors.verify(&totp.sid, &now).unwrap().status,
        FactorStatus::Unverified
    );
    assert_eq!(
        factors.verify(&totp.sid, &later).unwrap().status,
        FactorStatus::Verified
    );
    let push = enrolled(&emulator);
    assert_eq!(
        emulator.totp_code(push.factor_sid()),
        Err(EmulatorError::NotTotp)
    );
    assert_eq!(
        emulator.totp_code("YFffffffffffffffffffffffffffffffff"),
        Err(EmulatorError::UnknownFactor)
    );
}

#[test]
fn deleting_an_entity_removes_its_factors_and_challenges() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let service = emulator.service_sid();
    let phone = enrolled(&emulator);
    let challenges = client.challenges(service, ID).unwrap();
    let challenge = challenges
        .create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))
        .unwrap();
    let factors = client.factors(service, ID).unwrap();
    let totp = factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();
    assert_eq!(factors.list().count(), 2);

    client.entities(service).unwrap().delete(ID).unwrap();
    assert_eq!(
        api_status(factors.fetch(phone.factor_sid()).unwrap_err()).0,
        404
    );
    assert_eq!(
        api_status(challenges.fetch(&challenge.sid).unwrap_err()).0,
        404
    );
    assert_eq!(
        api_status(client.entities(service).unwrap().fetch(ID).unwrap_err()).0,
        404
    );
    assert_eq!(
        emulator.totp_code(&totp.sid),
        Err(EmulatorError::UnknownFactor)
    );
    assert!(phone.pending_challenges().is_empty());
    assert_eq!(
        phone.approve(&challenge.sid),
        Err(EmulatorError::UnknownFactor)
    );

    // A new first factor brings the entity back, empty.
    factors.create(&CreateFactor::totp("Again")).unwrap();
    assert_eq!(factors.list().count(), 1);
    assert_eq!(challenges.list().count(), 0);
}

#[test]
fn deleting_a_factor_removes_it_from_lists() {
    let emulator = Emulator::start().unwrap();
    let factors = emulator
        .client()
        .factors(emulator.service_sid(), ID)
        .unwrap();
    let a = factors.create(&CreateFactor::totp("A")).unwrap();
    let b = factors.create(&CreateFactor::totp("B")).unwrap();
    factors.delete(&a.sid).unwrap();
    let left: Vec<_> = factors.list().map(|f| f.unwrap().sid).collect();
    assert_eq!(left, [b.sid]);
    assert_eq!(api_status(factors.fetch(&a.sid).unwrap_err()).0, 404);
}

#[test]
fn an_api_key_authenticates_like_the_auth_token() {
    let emulator = Emulator::builder()
        .api_key("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "key-secret")
        .start()
        .unwrap();
    assert_eq!(emulator.api_key_sid(), "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    let client = twilio_verify::VerifyClient::builder()
        .base_url(emulator.base_url())
        .account_sid(emulator.account_sid())
        .api_key(emulator.api_key_sid(), emulator.api_key_secret())
        .build()
        .unwrap();
    let entity = client
        .entities(emulator.service_sid())
        .unwrap()
        .create(ID)
        .unwrap();
    assert_eq!(entity.identity, ID);
    assert_eq!(
        emulator.requests()[0].username.as_deref(),
        Some("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")
    );
}

#[test]
fn the_builder_serves_fixed_port_credentials_and_services() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emulator = Emulator::builder()
        .port(port)
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("fixed-token")
        .service("VAcccccccccccccccccccccccccccccccc")
        .service("VAdddddddddddddddddddddddddddddddd")
        .start()
        .unwrap();
    assert_eq!(emulator.base_url(), format!("http://127.0.0.1:{port}"));
    let client = twilio_verify::VerifyClient::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("fixed-token")
        .build()
        .unwrap();
    for service in [
        "VAcccccccccccccccccccccccccccccccc",
        "VAdddddddddddddddddddddddddddddddd",
    ] {
        client.entities(service).unwrap().create(ID).unwrap();
    }
    let unknown = client
        .entities("VAeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
        .unwrap()
        .create(ID);
    assert_eq!(api_status(unknown.unwrap_err()).0, 404);
    let debug = format!("{emulator:?}");
    assert!(!debug.contains("fixed-token"), "{debug}");
}

#[test]
fn the_builder_refuses_malformed_sids_and_empty_secrets() {
    for builder in [
        Emulator::builder().account_sid("AC1"),
        Emulator::builder().service("VA1"),
        Emulator::builder().api_key("AK1", "secret"),
        Emulator::builder().auth_token(""),
    ] {
        let err = builder.start().unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
    }
}
