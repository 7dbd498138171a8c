//! The emulator delivers Verify Push events to the service's webhooks: signed so the user's own
//! handler validates them, only to loopback URLs, without blocking the call that caused them,
//! each delivery recorded.

#![cfg(feature = "emulator")]

#[path = "emulator_webhooks/receiver.rs"]
mod receiver;
#[path = "emulator_webhooks/refusals.rs"]
mod refusals;

use std::collections::BTreeSet;
use std::time::Duration;

use receiver::Receiver;
use twilio_verify::emulator::{Delivery, DeliveryStatus, Emulator, Phone};
use twilio_verify::{
    AccountSid, ChallengeSid, CreateAccessToken, CreateChallenge, CreateFactor, CreateWebhook,
    FactorType, UpdateChallenge, WebhookEvent, WebhookStatus, WebhookVersion,
};

const ID: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
const WAIT: Duration = Duration::from_secs(10);

fn hook(
    emulator: &Emulator,
    url: &str,
    events: &[WebhookEvent],
    version: WebhookVersion,
) -> String {
    emulator
        .client()
        .webhooks(emulator.service_sid())
        .unwrap()
        .create(&CreateWebhook::new("events", url, events.iter().cloned()).version(version))
        .unwrap()
        .sid
        .to_string()
}

fn phone(emulator: &Emulator) -> Phone {
    let token = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap()
        .create(&CreateAccessToken::new(ID, FactorType::Push).factor_friendly_name("Alice's Pixel"))
        .unwrap();
    emulator.phone(token.token.expose_secret()).unwrap()
}

fn ask(emulator: &Emulator, phone: &Phone, message: &str) -> String {
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), ID)
        .unwrap();
    let challenge = challenges
        .create(
            &CreateChallenge::new(phone.factor_sid())
                .message(message)
                .field("Location", "Berlin"),
        )
        .unwrap();
    challenge.sid.to_string()
}

fn statuses(deliveries: &[Delivery]) -> Vec<DeliveryStatus> {
    deliveries.iter().map(|d| d.status.clone()).collect()
}

#[test]
fn a_push_login_reaches_the_users_handler_validated_in_order_as_json_with_body_sha256() {
    let emulator = Emulator::start().unwrap();
    let receiver = Receiver::start(emulator.auth_token(), 200);
    let url = format!("{}/verify-events?source=emulator", receiver.base);
    let sid = hook(&emulator, &url, &[WebhookEvent::All], WebhookVersion::V2);

    let phone = phone(&emulator);
    let approved = ask(&emulator, &phone, "Log in to Owl Bank?");
    phone.approve(&approved).unwrap();
    let denied = ask(&emulator, &phone, "Log in again?");
    phone.deny(&denied).unwrap();

    let deliveries = emulator.wait_for_deliveries(4, WAIT);
    assert_eq!(
        statuses(&deliveries),
        vec![DeliveryStatus::Delivered { http_status: 200 }; 4]
    );
    let seen = receiver.seen();
    assert_eq!(
        receiver.types(),
        [
            "factor.created",
            "factor.verified",
            "challenge.approved",
            "challenge.denied"
        ]
    );
    for (received, delivery) in seen.iter().zip(&deliveries) {
        assert_eq!(received.validated, Ok(()), "{}", received.url);
        assert_eq!(received.content_type, "application/json");
        assert!(
            received.url.starts_with(&format!("{url}&bodySHA256=")),
            "{}",
            received.url
        );
        assert_eq!(received.url, delivery.url);
        assert_eq!(delivery.webhook_sid, sid);
        assert_eq!(received.event.as_ref(), Some(&delivery.event));
        let event = &delivery.event;
        assert_eq!(event.event_type, delivery.event_type);
        assert_eq!(
            event.account_sid.as_ref().map(AccountSid::as_str),
            Some(emulator.account_sid())
        );
        assert_eq!(event.service_sid.as_ref(), Some(emulator.service_sid()));
        assert_eq!(event.entity_identity.as_deref(), Some(ID));
        assert_eq!(event.factor_sid.as_ref(), Some(phone.factor_sid()));
        assert_eq!(event.factor_type, Some(FactorType::Push));
        assert_eq!(event.factor_friendly_name.as_deref(), Some("Alice's Pixel"));
        // Every field the emulator sends reads typed: none is left unread.
        assert!(event.extra.is_empty(), "{:?}", event.extra);
        let uuid = event.uuid.clone().unwrap();
        assert_eq!(received.idempotency_token, format!("{uuid}-{sid}"));
        assert!(delivery.time <= emulator.now());
    }
    let uuids: BTreeSet<_> = deliveries.iter().map(|d| d.event.uuid.clone()).collect();
    assert_eq!(uuids.len(), 4);
    let events: Vec<_> = deliveries.iter().map(|d| &d.event).collect();
    assert_eq!(events[0].status.as_deref(), Some("unverified"));
    assert_eq!(events[1].status.as_deref(), Some("verified"));
    assert_eq!(
        events[2].challenge_sid.as_ref().map(ChallengeSid::as_str),
        Some(approved.as_str())
    );
    assert_eq!(events[2].status.as_deref(), Some("approved"));
    let details = events[2].challenge_details.as_ref().unwrap();
    assert_eq!(details.message.as_deref(), Some("Log in to Owl Bank?"));
    assert_eq!(
        (
            details.fields[0].label.as_str(),
            details.fields[0].value.as_str()
        ),
        ("Location", "Berlin")
    );
    assert_eq!(
        events[3].challenge_sid.as_ref().map(ChallengeSid::as_str),
        Some(denied.as_str())
    );
    assert_eq!(events[3].status.as_deref(), Some("denied"));
    assert!(!format!("{deliveries:?}").contains(emulator.auth_token()));
}

#[test]
fn a_v1_webhook_gets_form_bodies_for_totp_and_deletes_including_an_entity_cascade() {
    let emulator = Emulator::start().unwrap();
    let receiver = Receiver::start(emulator.auth_token(), 204);
    hook(
        &emulator,
        &format!("{}/hook", receiver.base),
        &[WebhookEvent::All],
        WebhookVersion::V1,
    );
    let client = emulator.client();
    let factors = client.factors(emulator.service_sid(), ID).unwrap();
    let challenges = client.challenges(emulator.service_sid(), ID).unwrap();

    let totp = factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();
    let code = emulator.totp_code(&totp.sid).unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    factors.verify(&totp.sid, wrong).unwrap(); // stays unverified: no event
    factors.verify(&totp.sid, &code).unwrap();
    factors.verify(&totp.sid, &code).unwrap(); // already verified: no second event
    challenges
        .create(&CreateChallenge::new(&totp.sid).auth_payload(code.clone()))
        .unwrap();
    let pending = challenges
        .create(&CreateChallenge::new(&totp.sid).auth_payload(wrong))
        .unwrap();
    challenges
        .update(&pending.sid, &UpdateChallenge::new().auth_payload(code))
        .unwrap();
    factors.delete(&totp.sid).unwrap();
    let other = factors.create(&CreateFactor::totp("Second")).unwrap();
    client
        .entities(emulator.service_sid())
        .unwrap()
        .delete(ID)
        .unwrap();

    let deliveries = emulator.wait_for_deliveries(7, WAIT);
    assert_eq!(
        statuses(&deliveries),
        vec![DeliveryStatus::Delivered { http_status: 204 }; 7]
    );
    assert_eq!(
        receiver.types(),
        [
            "factor.created",
            "factor.verified",
            "challenge.approved",
            "challenge.approved",
            "factor.deleted",
            "factor.created",
            "factor.deleted",
        ]
    );
    for received in receiver.seen() {
        assert_eq!(received.validated, Ok(()));
        assert_eq!(received.content_type, "application/x-www-form-urlencoded");
        assert_eq!(received.url, format!("{}/hook", receiver.base));
    }
    let events: Vec<_> = deliveries.iter().map(|d| &d.event).collect();
    assert_eq!(events[3].challenge_sid.as_ref(), Some(&pending.sid));
    assert_eq!(events[4].factor_sid.as_ref(), Some(&totp.sid));
    assert_eq!(events[4].status, None);
    assert_eq!(events[6].factor_sid.as_ref(), Some(&other.sid));
    assert_eq!(events[6].factor_type, Some(FactorType::Totp));
}

#[test]
fn only_enabled_webhooks_whose_event_types_match_are_called() {
    let emulator = Emulator::start().unwrap();
    let approvals = Receiver::start(emulator.auth_token(), 200);
    let disabled = Receiver::start(emulator.auth_token(), 200);
    let url = format!("{}/approvals", approvals.base);
    let approvals_sid = hook(
        &emulator,
        &url,
        &[WebhookEvent::ChallengeApproved],
        WebhookVersion::V2,
    );
    emulator
        .client()
        .webhooks(emulator.service_sid())
        .unwrap()
        .create(
            &CreateWebhook::new("off", format!("{}/off", disabled.base), [WebhookEvent::All])
                .status(WebhookStatus::Disabled),
        )
        .unwrap();

    let phone = phone(&emulator);
    let denied = ask(&emulator, &phone, "Deny me");
    phone.deny(&denied).unwrap();
    let approved = ask(&emulator, &phone, "Approve me");
    phone.approve(&approved).unwrap();

    let deliveries = emulator.wait_for_deliveries(1, WAIT);
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].webhook_sid, approvals_sid);
    assert_eq!(
        deliveries[0]
            .event
            .challenge_sid
            .as_ref()
            .map(ChallengeSid::as_str),
        Some(approved.as_str())
    );
    assert_eq!(approvals.types(), ["challenge.approved"]);
    // Nothing else is on its way: a later event arrives alone, after the first.
    let late = ask(&emulator, &phone, "Again");
    phone.approve(&late).unwrap();
    assert_eq!(emulator.wait_for_deliveries(2, WAIT).len(), 2);
    assert_eq!(
        approvals.types(),
        ["challenge.approved", "challenge.approved"]
    );
    assert!(disabled.seen().is_empty());
}

#[test]
fn an_event_to_many_webhooks_carries_one_uuid_and_other_events_another() {
    let emulator = Emulator::start().unwrap();
    let receiver = Receiver::start(emulator.auth_token(), 200);
    for path in ["a", "b"] {
        let url = format!("{}/{path}", receiver.base);
        hook(
            &emulator,
            &url,
            &[WebhookEvent::FactorCreated],
            WebhookVersion::V2,
        );
    }
    let factors = emulator
        .client()
        .factors(emulator.service_sid(), ID)
        .unwrap();
    factors.create(&CreateFactor::totp("One")).unwrap();
    factors.create(&CreateFactor::totp("Two")).unwrap();
    let uuids: Vec<_> = emulator
        .wait_for_deliveries(4, WAIT)
        .iter()
        .map(|d| d.event.uuid.clone().unwrap())
        .collect();
    assert_eq!(uuids.len(), 4);
    assert_eq!(uuids[0], uuids[1]);
    assert_eq!(uuids[2], uuids[3]);
    assert_ne!(uuids[0], uuids[2]);
}
