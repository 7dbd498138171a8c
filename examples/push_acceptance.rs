//! Issue 9's "Public API" program, verbatim: every Verify Push handle against a server that
//! speaks the official spec on `http://127.0.0.1:4010` (Prism; see `.ci/prism.sh`).
//!
//! ```text
//! cargo run --example push_acceptance
//! ```

use std::time::Duration;

use twilio_verify::{
    ChallengeStatus, CreateChallenge, CreateFactor, CreateNotification, CreateWebhook, Error,
    FactorStatus, FactorType, TotpAlgorithm, UpdateWebhook, VerifyClient, WebhookEvent,
    WebhookStatus,
};

fn main() -> Result<(), Error> {
    let client = VerifyClient::builder()
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("your_auth_token")
        .base_url("http://127.0.0.1:4010")
        .build()?;
    let service = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let identity = "ff483d1ff591898a9942916050d2ca3f";

    // Entities: the users of a service.
    let entities = client.entities(service)?;
    let entity = entities.create(identity)?;
    assert!(entity.sid.as_str().starts_with("YE"));
    assert_eq!(entities.fetch(identity)?.sid, entity.sid);
    for entity in entities.list().page_size(20).limit(50) {
        println!("entity {}", entity?.identity);
    }

    // Factors of one entity: the backend creates a TOTP factor and verifies it with a code.
    let factors = client.factors(service, identity)?;
    let totp = factors.create(
        &CreateFactor::totp("Alice's authenticator app")
            .time_step(30)
            .code_length(6)
            .algorithm(TotpAlgorithm::Sha1),
    )?;
    let verified = factors.verify(&totp.sid, "123456")?;
    println!("factor {} is {:?}", verified.sid, verified.status);
    for factor in factors.list() {
        let factor = factor?;
        if factor.status == FactorStatus::Verified && factor.factor_type == FactorType::Push {
            println!("push factor {}", factor.sid);
        }
    }
    let push = factors.fetch("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;

    // Challenges: ask the user's device to approve a login, then look at the answer.
    let challenges = client.challenges(service, identity)?;
    let challenge = challenges.create(
        &CreateChallenge::new(&push.sid)
            .message("Approve the login from Chrome on macOS?")
            .field("Location", "Berlin")
            .field("IP", "203.0.113.7")
            .expires_in(Duration::from_secs(300)),
    )?;
    match challenges.fetch(&challenge.sid)?.status {
        ChallengeStatus::Pending => println!("waiting for the device"),
        ChallengeStatus::Approved => println!("approved"),
        ChallengeStatus::Denied | ChallengeStatus::Expired => println!("refused"),
        other => println!("{other:?}"),
    }
    let notification = challenges.notify(&challenge.sid, &CreateNotification::new().ttl(150))?;
    println!("push sent again: {}", notification.sid);
    for pending in challenges.list().status(ChallengeStatus::Pending).limit(10) {
        println!("pending {}", pending?.sid);
    }
    // A TOTP code answers a challenge at once.
    let by_code = challenges.create(&CreateChallenge::new(&totp.sid).auth_payload("123456"))?;
    println!("code challenge {:?}", by_code.status);

    // Webhooks of a service: where Twilio reports factor and challenge events.
    let webhooks = client.webhooks(service)?;
    let hook = webhooks.create(&CreateWebhook::new(
        "backend events",
        "https://example.com/verify-events",
        [
            WebhookEvent::ChallengeApproved,
            WebhookEvent::ChallengeDenied,
        ],
    ))?;
    webhooks.update(
        &hook.sid,
        &UpdateWebhook::new().status(WebhookStatus::Disabled),
    )?;
    webhooks.delete(&hook.sid)?;

    factors.delete(&totp.sid)?;
    entities.delete(identity)?;
    Ok(())
}
