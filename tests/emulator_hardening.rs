//! The emulator against odd inputs from the test that drives it and from misbehaving clients:
//! fault counts up to `usize::MAX`, `Duration::MAX` in a fault, hundreds of idle or half-sent
//! connections, and bodies over its 1 MiB limit. Nothing panics, nothing allocates per queued
//! fault, no connection stays open past the read timeout, and every complete request is recorded.

#![cfg(feature = "emulator")]

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use twilio_verify::emulator::{Emulator, Fault};
use twilio_verify::{AccessTokenSid, Error, RetryPolicy};

/// The read timeout the connection tests set on the emulator.
const READ_TIMEOUT: Duration = Duration::from_millis(300);
/// What closing may take beyond [`READ_TIMEOUT`] on a busy two-core machine.
const MARGIN: Duration = Duration::from_secs(3);

fn service_unavailable() -> Fault {
    Fault::Status {
        status: 503,
        code: 20503,
        retry_after: None,
    }
}

/// A plain HTTP agent that hands back every status as a response.
fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build(),
    )
}

/// The emulator's own `Authorization` header.
fn basic(emulator: &Emulator) -> String {
    let pair = format!("{}:{}", emulator.account_sid(), emulator.auth_token());
    format!("Basic {}", STANDARD.encode(pair))
}

fn tokens_url(emulator: &Emulator) -> String {
    format!(
        "{}/v2/Services/{}/AccessTokens",
        emulator.base_url(),
        emulator.service_sid()
    )
}

/// POSTs `body` as a form to the emulator's AccessTokens list; the status and body text.
fn post_form(agent: &ureq::Agent, emulator: &Emulator, body: Vec<u8>) -> (u16, String) {
    let mut response = agent
        .post(&tokens_url(emulator))
        .header("Authorization", &basic(emulator))
        .content_type("application/x-www-form-urlencoded")
        .send(&body[..])
        .unwrap();
    let text = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), text)
}

/// A raw TCP connection to the emulator.
fn connect(emulator: &Emulator) -> TcpStream {
    let addr = emulator.base_url().trim_start_matches("http://");
    TcpStream::connect(addr).unwrap()
}

/// Reads `stream` to its end, which must come before `deadline`; the bytes the server sent.
fn read_until_closed(stream: &mut TcpStream, deadline: Instant) -> Vec<u8> {
    let left = deadline.saturating_duration_since(Instant::now());
    stream
        .set_read_timeout(Some(left.max(Duration::from_millis(1))))
        .unwrap();
    let mut bytes = Vec::new();
    match stream.read_to_end(&mut bytes) {
        Ok(_) => bytes,
        // Closing with unread bytes in the server's buffer may reset instead of FIN.
        Err(e) if e.kind() == ErrorKind::ConnectionReset => bytes,
        Err(e) => panic!("connection still open at the deadline ({e}); read {bytes:?}"),
    }
}

/// Waits (up to 10 s) until the emulator has accepted `n` connections.
fn wait_for_connections(emulator: &Emulator, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while emulator.connection_count() < n {
        assert!(
            Instant::now() < deadline,
            "only {} accepted",
            emulator.connection_count()
        );
        thread::sleep(Duration::from_millis(5));
    }
}

// ---- Item 18: fault counts and durations at their limits ----

#[test]
fn inject_usize_max_queues_in_constant_memory_and_applies_to_each_request() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(service_unavailable(), usize::MAX);
    assert_eq!(emulator.pending_faults(), usize::MAX);
    let agent = agent();
    for _ in 0..3 {
        let (status, body) = post_form(
            &agent,
            &emulator,
            b"Identity=user-8f3a2b&FactorType=push".to_vec(),
        );
        assert_eq!(status, 503);
        assert!(body.contains("\"code\":20503"), "{body}");
    }
    assert_eq!(emulator.pending_faults(), usize::MAX - 3);
    // Another fault queued behind a (practically) endless one: the count saturates.
    emulator.inject(Fault::DropConnection, usize::MAX);
    assert_eq!(emulator.pending_faults(), usize::MAX);
    emulator.clear_faults();
    assert_eq!(emulator.pending_faults(), 0);
    let (status, _) = post_form(
        &agent,
        &emulator,
        b"Identity=user-8f3a2b&FactorType=push".to_vec(),
    );
    assert_eq!(status, 201);
    assert_eq!(emulator.request_count(), 4);
}

#[test]
fn inject_two_to_the_forty_is_counted_not_allocated() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(service_unavailable(), 1 << 40);
    emulator.inject(Fault::too_many_requests(None), 2);
    assert_eq!(emulator.pending_faults(), (1 << 40) + 2);
    let (status, _) = post_form(
        &agent(),
        &emulator,
        b"Identity=user-8f3a2b&FactorType=push".to_vec(),
    );
    assert_eq!(status, 503);
    assert_eq!(emulator.pending_faults(), (1 << 40) + 1);
    // Zero times queues nothing.
    emulator.inject(Fault::too_many_requests(None), 0);
    assert_eq!(emulator.pending_faults(), (1 << 40) + 1);
}

#[test]
fn retry_after_duration_max_is_served_as_u64_max_seconds() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::too_many_requests(Some(Duration::MAX)), 2);
    let mut response = agent()
        .get(&format!("{}/YK{}", tokens_url(&emulator), "0".repeat(32)))
        .header("Authorization", &basic(&emulator))
        .call()
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "18446744073709551615");
    let body = response.body_mut().read_to_string().unwrap();
    assert!(body.contains("\"code\":20429"), "{body}");

    // The client reads it and, asked to wait longer than its cap, does not retry.
    let tokens = emulator
        .client_builder()
        .retry_policy(RetryPolicy::default())
        .build()
        .unwrap()
        .access_tokens(emulator.service_sid())
        .unwrap();
    let sid: AccessTokenSid = format!("YK{}", "0".repeat(32)).parse().unwrap();
    match tokens.fetch(&sid) {
        Err(Error::Api(e)) => {
            assert_eq!(e.status(), 429);
            assert_eq!(e.retry_after(), Some(Duration::from_secs(u64::MAX)));
            assert_eq!(e.attempts(), 1);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_eq!(emulator.request_count(), 2);
}

#[test]
fn delay_duration_max_never_answers_and_the_emulator_stops_promptly() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(Fault::Delay(Duration::MAX), 1);
    let tokens = emulator
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
        .access_tokens(emulator.service_sid())
        .unwrap();
    let sid: AccessTokenSid = format!("YK{}", "0".repeat(32)).parse().unwrap();
    let err = tokens.fetch(&sid).unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // The server is still serving (the delayed request's task did not panic or block it).
    let (status, _) = post_form(
        &agent(),
        &emulator,
        b"Identity=user-8f3a2b&FactorType=push".to_vec(),
    );
    assert_eq!(status, 201);
    let started = Instant::now();
    drop(emulator);
    assert!(started.elapsed() < MARGIN, "{:?}", started.elapsed());
}

// ---- Item 19: idle connections and large bodies ----

#[test]
fn five_hundred_idle_or_half_sent_connections_are_closed_after_the_read_timeout() {
    let emulator = Emulator::start().unwrap();
    emulator.set_read_timeout(READ_TIMEOUT);
    let started = Instant::now();
    let mut streams: Vec<TcpStream> = (0..500).map(|_| connect(&emulator)).collect();
    // Half never send a byte; half send the start of a request head and stop.
    for stream in streams.iter_mut().skip(1).step_by(2) {
        stream
            .write_all(b"POST /v2/Services/x/AccessTokens HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .unwrap();
    }
    wait_for_connections(&emulator, 500);
    let accepted = started.elapsed();
    // A listen backlog too short for the burst makes the kernel drop handshakes, which the
    // clients retry after a second: that shows as a second or more here.
    assert!(
        accepted < Duration::from_secs(1),
        "accepted after {accepted:?}"
    );
    let deadline = Instant::now() + READ_TIMEOUT + MARGIN;
    for stream in &mut streams {
        assert_eq!(read_until_closed(stream, deadline), b"");
    }
    let elapsed = started.elapsed();
    eprintln!("500 connections: all accepted after {accepted:?}, all closed after {elapsed:?}");
    assert!(
        elapsed >= READ_TIMEOUT,
        "closed before the timeout: {elapsed:?}"
    );
    assert_eq!(emulator.request_count(), 0);
    // The emulator still serves new connections afterwards.
    let (status, _) = post_form(
        &agent(),
        &emulator,
        b"Identity=user-8f3a2b&FactorType=push".to_vec(),
    );
    assert_eq!(status, 201);
}

#[test]
fn a_kept_alive_connection_idle_after_an_answer_is_closed_after_the_read_timeout() {
    let emulator = Emulator::start().unwrap();
    emulator.set_read_timeout(READ_TIMEOUT);
    let mut stream = connect(&emulator);
    stream
        .write_all(b"GET /v2/Nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let answered = read_until_closed(&mut stream, Instant::now() + READ_TIMEOUT + MARGIN);
    let answered = String::from_utf8(answered).unwrap();
    assert!(
        answered.starts_with("HTTP/1.1 401 Unauthorized\r\n"),
        "{answered}"
    );
    assert!(answered.ends_with("\"status\":401}"), "{answered}");
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_body_over_one_mib_is_recorded_and_answered_413_on_a_connection_that_stays_usable() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(service_unavailable(), 1);
    let agent = agent();
    let mut body = b"FactorType=push&Identity=".to_vec();
    body.resize(2 * 1024 * 1024, b'a');
    let (status, text) = post_form(&agent, &emulator, body);
    assert_eq!(status, 413);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "code": 20413,
            "message": "Request body larger than 1048576 bytes",
            "more_info": "https://www.twilio.com/docs/errors/20413",
            "status": 413
        })
    );
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    let recorded = &requests[0];
    assert_eq!(recorded.method, "POST");
    assert_eq!(
        recorded.path,
        format!("/v2/Services/{}/AccessTokens", emulator.service_sid())
    );
    assert_eq!(recorded.username.as_deref(), Some(emulator.account_sid()));
    assert!(recorded.form.is_empty());
    assert!(recorded.body_too_large);
    // It used up no fault, and the same connection carries the next request.
    assert_eq!(emulator.pending_faults(), 1);
    emulator.clear_faults();
    let (status, _) = post_form(
        &agent,
        &emulator,
        b"Identity=user-8f3a2b&FactorType=push".to_vec(),
    );
    assert_eq!(status, 201);
    assert_eq!(emulator.connection_count(), 1);
    assert!(!emulator.requests()[1].body_too_large);
}

#[test]
fn a_body_of_exactly_one_mib_is_kept_and_read_as_a_form() {
    let emulator = Emulator::start().unwrap();
    let mut body = b"FactorType=push&Identity=".to_vec();
    body.resize(1024 * 1024, b'a');
    let (status, _) = post_form(&agent(), &emulator, body);
    assert_ne!(status, 413);
    let recorded = &emulator.requests()[0];
    assert!(!recorded.body_too_large);
    assert_eq!(recorded.field("FactorType"), Some("push"));
    assert_eq!(
        recorded.field("Identity").map(str::len),
        Some(1024 * 1024 - "FactorType=push&Identity=".len())
    );
}

#[test]
fn a_declared_body_over_sixteen_mib_is_answered_413_at_once_and_the_connection_closed() {
    let emulator = Emulator::start().unwrap();
    let mut stream = connect(&emulator);
    let head = format!(
        "POST /v2/Services/{}/AccessTokens HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        emulator.service_sid(),
        17 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).unwrap();
    // No body is sent: the answer must not wait for it.
    let answered = read_until_closed(&mut stream, Instant::now() + MARGIN);
    let answered = String::from_utf8(answered).unwrap();
    assert!(
        answered.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{answered}"
    );
    assert!(answered.contains("\r\nconnection: close\r\n"), "{answered}");
    assert!(answered.ends_with("\"status\":413}"), "{answered}");
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body_too_large);
    assert_eq!(requests[0].username, None);
}

#[test]
fn a_body_that_stops_short_is_closed_after_the_read_timeout_and_not_recorded() {
    let emulator = Emulator::start().unwrap();
    emulator.set_read_timeout(READ_TIMEOUT);
    let mut stream = connect(&emulator);
    let head = format!(
        "POST /v2/Services/{}/AccessTokens HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nIdentity=",
        emulator.service_sid(),
    );
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    assert_eq!(
        read_until_closed(&mut stream, started + READ_TIMEOUT + MARGIN),
        b""
    );
    assert!(started.elapsed() >= READ_TIMEOUT);
    assert_eq!(emulator.request_count(), 0);
}

#[test]
fn a_body_that_stops_short_past_one_mib_is_recorded_and_answered_413_at_the_read_timeout() {
    let emulator = Emulator::start().unwrap();
    emulator.set_read_timeout(READ_TIMEOUT);
    let mut stream = connect(&emulator);
    let head = format!(
        "POST /v2/Services/{}/AccessTokens HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        emulator.service_sid(),
        2 * 1024 * 1024
    );
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&vec![b'a'; 1024 * 1024 + 1]).unwrap();
    let answered = read_until_closed(&mut stream, started + READ_TIMEOUT + MARGIN);
    assert!(started.elapsed() >= READ_TIMEOUT);
    let answered = String::from_utf8(answered).unwrap();
    assert!(
        answered.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{answered}"
    );
    assert!(answered.contains("\r\nconnection: close\r\n"), "{answered}");
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1);
    assert!(requests[0].body_too_large);
    assert!(requests[0].form.is_empty());
}

#[test]
fn the_builder_refuses_credentials_the_client_would_refuse_so_client_never_panics() {
    use twilio_verify::emulator::Emulator;
    for builder in [
        Emulator::builder().auth_token("x".repeat(2000)),
        Emulator::builder().api_key("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "y".repeat(1025)),
    ] {
        let err = builder.start().expect_err("refused");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("longer than 1024 bytes"), "{err}");
        assert!(!err.to_string().contains("xxxx") && !err.to_string().contains("yyyy"));
    }
    let fine = Emulator::builder()
        .auth_token("x".repeat(1024))
        .start()
        .unwrap();
    fine.client().entities(fine.service_sid()).unwrap();
}

#[test]
fn the_request_record_is_bounded_and_its_debug_redacts_secret_fields() {
    use twilio_verify::emulator::Emulator;
    let emulator = Emulator::start().unwrap();
    let big = format!("Identity={}", "a".repeat(1024 * 1024 - 64));
    // 100 bodies of ~1 MiB, unauthenticated: each is answered 401 and recorded.
    for _ in 0..100 {
        let answer = ureq::post(format!("{}/v2/Services/VAx/Entities", emulator.base_url()))
            .config()
            .http_status_as_error(false)
            .build()
            .content_type("application/x-www-form-urlencoded")
            .send(big.as_str())
            .unwrap();
        assert_eq!(answer.status(), 401);
    }
    assert_eq!(emulator.request_count(), 100, "every request is counted");
    let kept = emulator.requests();
    assert!(
        (60..=64).contains(&kept.len()),
        "the record keeps 64 MiB of form data, not all of it: {}",
        kept.len()
    );

    let secrets = "AuthPayload=482913&Binding.Secret=JBSWY3DPEHPK3PXP\
                   &Config.NotificationToken=tok-0123456789abcdef0123456789abcdef&Token=eyJ.x.y\
                   &FriendlyName=Alice";
    ureq::post(format!("{}/v2/Services/VAx/Entities", emulator.base_url()))
        .config()
        .http_status_as_error(false)
        .build()
        .content_type("application/x-www-form-urlencoded")
        .send(secrets)
        .unwrap();
    let last = emulator.requests().pop().unwrap();
    assert_eq!(
        last.field("AuthPayload"),
        Some("482913"),
        "tests can still read it"
    );
    let debug = format!("{last:?}");
    for secret in [
        "482913",
        "JBSWY3DPEHPK3PXP",
        "tok-0123456789abcdef",
        "eyJ.x.y",
    ] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(
        debug.contains(r#"("AuthPayload", "[redacted]")"#),
        "{debug}"
    );
    assert!(debug.contains(r#"("FriendlyName", "Alice")"#), "{debug}");
}
