//! What is not delivered, or not delivered well: non-loopback URLs, a receiver that never
//! answers, error and redirect answers, a full queue.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use super::receiver::Receiver;
use super::{ID, WAIT, hook, phone, statuses};
use twilio_verify::emulator::{DeliveryStatus, Emulator};
use twilio_verify::{CreateChallenge, CreateFactor, UpdateChallenge, WebhookEvent, WebhookVersion};

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
