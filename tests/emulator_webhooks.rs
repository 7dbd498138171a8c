//! The emulator delivers Verify Push events to the service's webhooks: signed so the user's own
//! handler validates them, only to loopback URLs, without blocking the call that caused them,
//! each delivery recorded.

#![cfg(feature = "emulator")]

#[path = "emulator_webhooks/receiver.rs"]
mod receiver;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use receiver::Receiver;
use twilio_verify::emulator::{Delivery, DeliveryStatus, Emulator, Phone};
use twilio_verify::{
    CreateAccessToken, CreateChallenge, CreateFactor, CreateWebhook, FactorType, UpdateChallenge,
    WebhookEvent, WebhookStatus, WebhookVersion,
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
        assert_eq!(event.account_sid.as_deref(), Some(emulator.account_sid()));
        assert_eq!(
            event.service_sid.as_deref(),
            Some(emulator.service_sid().as_str())
        );
        assert_eq!(event.entity_identity.as_deref(), Some(ID));
        assert_eq!(
            event.factor_sid.as_deref(),
            Some(phone.factor_sid().as_str())
        );
        assert_eq!(event.factor_type, Some(FactorType::Push));
        assert_eq!(event.factor_friendly_name.as_deref(), Some("Alice's Pixel"));
        let uuid = event.uuid.clone().unwrap();
        assert_eq!(received.idempotency_token, format!("{uuid}-{sid}"));
        assert!(delivery.time <= emulator.now());
    }
    let uuids: BTreeSet<_> = deliveries.iter().map(|d| d.event.uuid.clone()).collect();
    assert_eq!(uuids.len(), 4);
    let events: Vec<_> = deliveries.iter().map(|d| &d.event).collect();
    assert_eq!(events[0].status.as_deref(), Some("unverified"));
    assert_eq!(events[1].status.as_deref(), Some("verified"));
    assert_eq!(events[2].challenge_sid.as_deref(), Some(approved.as_str()));
    assert_eq!(events[2].status.as_deref(), Some("approved"));
    let details: serde_json::Value =
        serde_json::from_str(events[2].challenge_details.as_deref().unwrap()).unwrap();
    assert_eq!(details["message"], "Log in to Owl Bank?");
    assert_eq!(
        details["fields"][0],
        serde_json::json!({"label": "Location", "value": "Berlin"})
    );
    assert_eq!(events[3].challenge_sid.as_deref(), Some(denied.as_str()));
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
    assert_eq!(
        events[3].challenge_sid.as_deref(),
        Some(pending.sid.as_str())
    );
    assert_eq!(events[4].factor_sid.as_deref(), Some(totp.sid.as_str()));
    assert_eq!(events[4].status, None);
    assert_eq!(events[6].factor_sid.as_deref(), Some(other.sid.as_str()));
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
        deliveries[0].event.challenge_sid.as_deref(),
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

#[test]
fn urls_whose_literal_host_is_not_loopback_are_recorded_not_delivered_at_once() {
    let emulator = Emulator::start().unwrap();
    let receiver = Receiver::start(emulator.auth_token(), 200);
    let remote = [
        "https://example.com/verify-events",
        "http://localhost.example.com/hook",
        "http://127.0.0.1.nip.io/hook",
        "http://127.0.0.1@example.com/hook",
    ];
    for url in remote {
        hook(&emulator, url, &[WebhookEvent::All], WebhookVersion::V2);
    }
    let local = format!("{}/hook", receiver.base.replace("127.0.0.1", "localhost"));
    hook(&emulator, &local, &[WebhookEvent::All], WebhookVersion::V1);

    let factors = emulator
        .client()
        .factors(emulator.service_sid(), ID)
        .unwrap();
    factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();
    // Recorded by the time the call returns: nothing was waited for, nothing contacted.
    let refused = emulator.deliveries();
    assert_eq!(refused.len(), 4, "{refused:?}");
    for (delivery, url) in refused.iter().zip(remote) {
        assert!(delivery.url.starts_with(url), "{}", delivery.url);
        assert_eq!(
            delivery.status,
            DeliveryStatus::NotDelivered {
                reason: "not a loopback URL".into()
            }
        );
        assert_eq!(delivery.event_type, WebhookEvent::FactorCreated);
    }
    // `localhost` is loopback by name, and is delivered.
    let all = emulator.wait_for_deliveries(5, WAIT);
    assert_eq!(
        all[4].status,
        DeliveryStatus::Delivered { http_status: 200 }
    );
    assert_eq!(receiver.seen()[0].validated, Ok(()));
}

#[test]
fn a_receiver_that_never_answers_blocks_neither_the_api_nor_the_emulators_shutdown() {
    let stuck = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", stuck.local_addr().unwrap());
    let emulator = Emulator::start().unwrap();
    hook(&emulator, &url, &[WebhookEvent::All], WebhookVersion::V2);
    let phone = phone(&emulator); // two deliveries now stuck behind the first
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), ID)
        .unwrap();
    let challenge = challenges
        .create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))
        .unwrap();

    let started = Instant::now();
    challenges
        .update(
            &challenge.sid,
            &UpdateChallenge::new().auth_payload("signed-by-the-device"),
        )
        .unwrap();
    let call = started.elapsed();
    assert!(
        call < Duration::from_millis(500),
        "the approving call took {call:?}"
    );

    // The first delivery times out (5 s in all), is not retried, and the next one is tried.
    let first = emulator.wait_for_deliveries(1, WAIT);
    let waited = started.elapsed();
    match &first[0].status {
        DeliveryStatus::Failed {
            http_status: None,
            reason,
        } => {
            assert!(reason.contains("timeout"), "{reason}")
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(waited < Duration::from_secs(7), "{waited:?}");
    let accepted = stuck.accept().unwrap().0;
    drop(accepted);

    let started = Instant::now();
    drop(emulator);
    let shutdown = started.elapsed();
    assert!(
        shutdown < Duration::from_secs(1),
        "the emulator took {shutdown:?} to stop"
    );
}

#[test]
fn a_receiver_answering_500_or_a_redirect_is_recorded_failed_and_the_redirect_not_followed() {
    let emulator = Emulator::start().unwrap();
    let target = Receiver::start(emulator.auth_token(), 200);
    let location = format!("{}/elsewhere", target.base);
    let receiver = Receiver::start_with(emulator.auth_token(), move |path| {
        if path.starts_with("/redirect") {
            let header = tiny_http::Header::from_bytes("Location", location.as_bytes()).unwrap();
            tiny_http::Response::empty(302).with_header(header).boxed()
        } else {
            tiny_http::Response::from_string("boom")
                .with_status_code(500)
                .boxed()
        }
    });
    hook(
        &emulator,
        &format!("{}/error", receiver.base),
        &[WebhookEvent::All],
        WebhookVersion::V2,
    );
    hook(
        &emulator,
        &format!("{}/redirect", receiver.base),
        &[WebhookEvent::All],
        WebhookVersion::V1,
    );
    let factors = emulator
        .client()
        .factors(emulator.service_sid(), ID)
        .unwrap();
    factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();

    let deliveries = emulator.wait_for_deliveries(2, WAIT);
    assert_eq!(
        statuses(&deliveries),
        [
            DeliveryStatus::Failed {
                http_status: Some(500),
                reason: "HTTP 500".into()
            },
            DeliveryStatus::Failed {
                http_status: Some(302),
                reason: "HTTP 302".into()
            },
        ]
    );
    assert_eq!(receiver.seen().len(), 2);
    assert!(target.seen().is_empty());
}

#[test]
fn a_full_queue_records_the_overflow_not_delivered_instead_of_growing() {
    let stuck = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", stuck.local_addr().unwrap());
    let emulator = Emulator::start().unwrap();
    for _ in 0..300 {
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
    let started = Instant::now();
    factors
        .create(&CreateFactor::totp("Authenticator"))
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    // 256 wait in the queue, one may already be with the worker: the rest are refused at once.
    let refused = emulator.deliveries();
    assert!((43..=44).contains(&refused.len()), "{}", refused.len());
    assert!(refused.iter().all(|d| d.status
        == DeliveryStatus::NotDelivered {
            reason: "the delivery queue is full".into()
        }));
}
