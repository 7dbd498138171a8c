//! The issue's acceptance program, verbatim, as a test.

#![cfg(feature = "emulator")]

use std::time::Duration;
use twilio_verify::emulator::Emulator;
use twilio_verify::{
    ChallengeStatus, CreateAccessToken, CreateChallenge, CreateFactor, FactorStatus, FactorType,
};

fn acceptance() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start()?;
    let client = emulator.client();
    let service = emulator.service_sid();
    let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
    let token = client
        .access_tokens(service)?
        .create(&CreateAccessToken::new(identity, FactorType::Push))?;
    let phone = emulator.phone(token.token.expose_secret())?;
    let factors = client.factors(service, identity)?;
    assert_eq!(
        factors.fetch(phone.factor_sid())?.status,
        FactorStatus::Verified
    );
    let challenges = client.challenges(service, identity)?;
    let challenge = challenges
        .create(&CreateChallenge::new(phone.factor_sid()).message("Log in to Owl Bank?"))?;
    phone.approve(&challenge.sid)?;
    assert_eq!(
        challenges.fetch(&challenge.sid)?.status,
        ChallengeStatus::Approved
    );
    let denied = challenges.create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))?;
    phone.deny(&denied.sid)?;
    assert_eq!(
        challenges.fetch(&denied.sid)?.status,
        ChallengeStatus::Denied
    );
    let late = challenges.create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))?;
    emulator.advance(Duration::from_secs(301));
    assert_eq!(
        challenges.fetch(&late.sid)?.status,
        ChallengeStatus::Expired
    );
    let totp = factors.create(&CreateFactor::totp("Authenticator"))?;
    factors.verify(&totp.sid, &emulator.totp_code(&totp.sid)?)?;
    let by_code = challenges
        .create(&CreateChallenge::new(&totp.sid).auth_payload(emulator.totp_code(&totp.sid)?))?;
    assert_eq!(by_code.status, ChallengeStatus::Approved);
    Ok(())
}

#[test]
fn the_issues_acceptance_program_passes() {
    acceptance().unwrap();
}
