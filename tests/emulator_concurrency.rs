//! Eight threads through one emulator: no stall, no lost or duplicated record.

#![cfg(feature = "emulator")]

use std::collections::HashSet;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use twilio_verify::emulator::Emulator;
use twilio_verify::{ChallengeStatus, CreateAccessToken, CreateChallenge, FactorType};

const THREADS: usize = 8;
const PER_THREAD: usize = 50;

#[test]
fn eight_threads_create_enroll_and_answer_without_losing_or_duplicating_anything() {
    let emulator = Arc::new(Emulator::start().unwrap());
    let started = Instant::now();
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let emulator = Arc::clone(&emulator);
            thread::spawn(move || {
                let client = emulator.client();
                let service = emulator.service_sid();
                let entities = client.entities(service).unwrap();
                for i in 0..PER_THREAD {
                    entities
                        .create(format!("thread-{t}-entity-{i:04}"))
                        .unwrap();
                }
                let identity = format!("thread-{t}-phone-user");
                let token = client
                    .access_tokens(service)
                    .unwrap()
                    .create(&CreateAccessToken::new(&identity, FactorType::Push))
                    .unwrap();
                let phone = emulator.phone(token.token.expose_secret()).unwrap();
                let challenges = client.challenges(service, &identity).unwrap();
                let mut sids = Vec::new();
                for i in 0..10 {
                    let created = challenges
                        .create(
                            &CreateChallenge::new(phone.factor_sid())
                                .message(format!("Log in #{i}?")),
                        )
                        .unwrap();
                    if i % 2 == 0 {
                        phone.approve(&created.sid).unwrap();
                    } else {
                        phone.deny(&created.sid).unwrap();
                    }
                    sids.push(created.sid);
                }
                let statuses: Vec<_> = sids
                    .iter()
                    .map(|sid| challenges.fetch(sid).unwrap().status)
                    .collect();
                (t, statuses)
            })
        })
        .collect();
    for handle in handles {
        let (_, statuses) = handle.join().unwrap();
        for (i, status) in statuses.iter().enumerate() {
            let expected = if i % 2 == 0 {
                ChallengeStatus::Approved
            } else {
                ChallengeStatus::Denied
            };
            assert_eq!(*status, expected);
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{THREADS} threads: {} requests in {elapsed:?}",
        emulator.request_count()
    );
    assert!(elapsed < Duration::from_secs(30), "stalled: {elapsed:?}");

    let listed: Vec<String> = emulator
        .client()
        .entities(emulator.service_sid())
        .unwrap()
        .list()
        .page_size(1000)
        .map(|e| e.unwrap().identity)
        .collect();
    // Each thread's entities, plus one entity per phone.
    assert_eq!(listed.len(), THREADS * (PER_THREAD + 1));
    assert_eq!(listed.iter().collect::<HashSet<_>>().len(), listed.len());
    // Per thread: 50 entity creates, 1 token, 10 challenge creates, 10 fetches; plus the list.
    assert_eq!(
        emulator.request_count(),
        THREADS * (PER_THREAD + 1 + 20) + 1
    );
}
