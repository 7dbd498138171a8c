//! All 21 operations, with every form field and query parameter the spec defines set, against
//! a server that speaks the official spec (Prism; see `.ci/prism.sh`), which refuses with 422
//! any request that breaks it. The base URL is the first argument, else
//! `http://127.0.0.1:4010`.
//!
//! ```text
//! cargo run --example spec_conformance -- http://127.0.0.1:4010
//! ```

use std::time::{Duration, SystemTime};

use twilio_verify::{
    ChallengeStatus, CreateAccessToken, CreateChallenge, CreateFactor, CreateNotification,
    CreateWebhook, Error, FactorType, ListOrder, NotificationPlatform, TotpAlgorithm,
    UpdateChallenge, UpdateFactor, UpdateWebhook, VerifyClient, WebhookEvent, WebhookStatus,
    WebhookVersion,
};

const SERVICE: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const IDENTITY: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
const FACTOR: &str = "YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const CHALLENGE: &str = "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const WEBHOOK: &str = "YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/// A P-256 public key in base64 PKIX, as the Verify Push SDK sends it.
const PUBLIC_KEY: &str = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8GdwtibWe0kpgsFl6xPQBwhtwUEyeJkeozFmi2jiJDzxFSMwVy3kVR1h/dPVYOfgkC0EkfBRJ0J/6xW47FD5vA==";

fn main() -> Result<(), Error> {
    let base_url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:4010".to_owned());
    let client = VerifyClient::builder()
        .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .auth_token("your_auth_token")
        .base_url(base_url)
        .build()?;
    let mut done = Vec::new();

    // Access tokens (2).
    let tokens = client.access_tokens(SERVICE)?;
    let token = tokens.create(
        &CreateAccessToken::new(IDENTITY, FactorType::Push)
            .factor_friendly_name("Alice's iPhone")
            .ttl(300),
    )?;
    tokens.fetch(&token.sid)?;
    done.extend(["CreateAccessToken", "FetchAccessToken"]);

    // Entities (4).
    let entities = client.entities(SERVICE)?;
    entities.create(IDENTITY)?;
    entities.fetch(IDENTITY)?;
    entities
        .list()
        .page_size(1000)
        .limit(5)
        .try_for_each(|e| e.map(drop))?;
    done.extend(["CreateEntity", "FetchEntity", "ListEntity"]);

    // Factors (5): a TOTP and a push factor with every field, then every update field.
    let factors = client.factors(SERVICE, IDENTITY)?;
    factors.create(
        &CreateFactor::totp("Alice's authenticator app")
            .binding_secret("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
            .time_step(30)
            .skew(1)
            .code_length(6)
            .algorithm(TotpAlgorithm::Sha256)
            .metadata([("os", "Android")]),
    )?;
    factors.create(
        &CreateFactor::push(
            "Alice's phone",
            PUBLIC_KEY,
            "com.example.owlbank",
            NotificationPlatform::Fcm,
        )
        .notification_token("0123456789abcdef0123456789abcdef0123456789abcdef")
        .sdk_version("1.0.0")
        .metadata([("os", "Android"), ("model", "Pixel 9")]),
    )?;
    factors.list().page_size(50).try_for_each(|f| f.map(drop))?;
    factors.fetch(FACTOR)?;
    factors.update(
        FACTOR,
        &UpdateFactor::new()
            .auth_payload("123456")
            .friendly_name("Alice's new phone")
            .notification_token("fedcba9876543210fedcba9876543210fedcba98")
            .sdk_version("1.1.0")
            .time_step(60)
            .skew(2)
            .code_length(8)
            .algorithm(TotpAlgorithm::Sha512)
            .notification_platform(NotificationPlatform::Apn),
    )?;
    factors.verify(FACTOR, "654321")?;
    done.extend([
        "CreateNewFactor",
        "ListFactor",
        "FetchFactor",
        "UpdateFactor",
    ]);

    // Challenges (4) and notifications (1).
    let challenges = client.challenges(SERVICE, IDENTITY)?;
    challenges.create(
        &CreateChallenge::new(FACTOR)
            .message("Approve the login from Chrome on macOS?")
            .field("Location", "Berlin")
            .field("IP", "203.0.113.7")
            .hidden_details([("ip", "203.0.113.7"), ("session", "s-1")])
            .expiration_date(SystemTime::now() + Duration::from_secs(600)),
    )?;
    challenges.create(&CreateChallenge::new(FACTOR).auth_payload("123456"))?;
    challenges
        .list()
        .factor_sid(FACTOR)
        .status(ChallengeStatus::Pending)
        .order(ListOrder::Desc)
        .page_size(10)
        .try_for_each(|c| c.map(drop))?;
    challenges.fetch(CHALLENGE)?;
    challenges.update(
        CHALLENGE,
        &UpdateChallenge::new()
            .auth_payload("123456")
            .metadata([("os", "Android")]),
    )?;
    challenges.notify(CHALLENGE, &CreateNotification::new().ttl(300))?;
    challenges.notify(CHALLENGE, &CreateNotification::new())?;
    done.extend([
        "CreateChallenge",
        "ListChallenge",
        "FetchChallenge",
        "UpdateChallenge",
        "CreateNotification",
    ]);

    // Webhooks (5).
    let webhooks = client.webhooks(SERVICE)?;
    webhooks.create(
        &CreateWebhook::new(
            "backend events",
            "https://example.com/verify-events?source=verify",
            [
                WebhookEvent::FactorCreated,
                WebhookEvent::FactorVerified,
                WebhookEvent::FactorDeleted,
                WebhookEvent::ChallengeApproved,
                WebhookEvent::ChallengeDenied,
            ],
        )
        .status(WebhookStatus::Enabled)
        .version(WebhookVersion::V2),
    )?;
    webhooks.list().try_for_each(|w| w.map(drop))?;
    webhooks.fetch(WEBHOOK)?;
    webhooks.update(
        WEBHOOK,
        &UpdateWebhook::new()
            .friendly_name("all events")
            .event_types([WebhookEvent::All])
            .webhook_url("https://example.com/v2/events")
            .status(WebhookStatus::Disabled)
            .version(WebhookVersion::V1),
    )?;
    webhooks.update(WEBHOOK, &UpdateWebhook::new())?;
    webhooks.delete(WEBHOOK)?;
    done.extend([
        "CreateWebhook",
        "ListWebhook",
        "FetchWebhook",
        "UpdateWebhook",
        "DeleteWebhook",
    ]);

    // Deletes last (2).
    factors.delete(FACTOR)?;
    entities.delete(IDENTITY)?;
    done.extend(["DeleteFactor", "DeleteEntity"]);

    assert_eq!(done.len(), 21, "every operation of the spec");
    println!("{} operations conform: {}", done.len(), done.join(", "));
    Ok(())
}
