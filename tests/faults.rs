//! Fault injection with raw `TcpListener` servers on 127.0.0.1: every test pins the outcome
//! (the exact `Error` variant and its getters) and how many requests and connections the server
//! saw, so a retry that should not happen — a create sent twice — fails the test.

#[path = "support/raw_server.rs"]
mod raw_server;

use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use raw_server::{
    Answer, JWT, RawServer, SERVICE_SID, TOKEN_SID, builder_at, created, handle, json, ok,
    response, token_json, twilio_error,
};
use twilio_verify::{
    AccessToken, AccessTokens, ApiError, CreateAccessToken, DecodeError, Error, FactorType,
    RetryPolicy, TransportError,
};

/// The bound on one attempt for hung and dripping servers.
const TIMEOUT: Duration = Duration::from_millis(400);
/// What a timed-out attempt may take beyond [`TIMEOUT`] on a busy two-core machine.
const MARGIN: Duration = Duration::from_millis(350);

/// The default policy, with delays short enough that only the attempts count.
fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn tokens_with(base_url: &str, policy: RetryPolicy, timeout: Duration) -> AccessTokens {
    handle(
        builder_at(base_url)
            .retry_policy(policy)
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(2)),
    )
}

fn tokens(server: &RawServer, policy: RetryPolicy) -> AccessTokens {
    tokens_with(&server.base_url(), policy, Duration::from_secs(5))
}

fn params() -> CreateAccessToken {
    CreateAccessToken::new("user-8f3a2b", FactorType::Push).ttl(120)
}

#[track_caller]
fn api(result: Result<twilio_verify::AccessToken, Error>) -> Box<ApiError> {
    match result {
        Err(Error::Api(e)) => e,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[track_caller]
fn transport(result: Result<twilio_verify::AccessToken, Error>) -> TransportError {
    match result {
        Err(e @ Error::Transport(_)) => {
            assert_eq!(e.status(), None);
            let timeout = e.is_timeout();
            let Error::Transport(t) = e else {
                unreachable!()
            };
            assert_eq!(t.is_timeout(), timeout);
            t
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

#[track_caller]
fn decode(result: Result<twilio_verify::AccessToken, Error>) -> DecodeError {
    match result {
        Err(Error::Decode(e)) => e,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// Asserts a plain I/O failure: not a timeout, not a connect failure, not an oversized body.
#[track_caller]
fn assert_io(e: &TransportError, attempts: u32) {
    assert!(!e.is_timeout(), "{e:?}");
    assert!(!e.is_connect(), "{e:?}");
    assert!(!e.is_body_too_large(), "{e:?}");
    assert_eq!(e.attempts(), attempts, "{e:?}");
}

/// The create every test makes, on `tokens`.
fn create_token(tokens: &AccessTokens) -> Result<AccessToken, Error> {
    tokens.create(&params())
}

/// The fetch every test makes, on `tokens`.
fn fetch_token(tokens: &AccessTokens) -> Result<AccessToken, Error> {
    tokens.fetch(TOKEN_SID)
}

/// Makes `call` with the [`quick`] policy to a server that always gives `answer`; asserts the
/// call failed in transport after exactly one request, and returns the server and the error.
#[track_caller]
fn fails_after_one_request(
    answer: Answer,
    call: fn(&AccessTokens) -> Result<AccessToken, Error>,
) -> (RawServer, TransportError) {
    let server = RawServer::always(answer);
    let e = transport(call(&tokens(&server, quick())));
    assert_eq!(
        server.requests(),
        1,
        "a create that may have landed, or an answer too large, is not asked for again"
    );
    (server, e)
}

/// Makes `call` with `policy` and the short [`TIMEOUT`] to `server`; asserts it timed out after
/// `attempts` attempts, each bounded by the timeout, and returns the error.
#[track_caller]
fn times_out(
    server: &RawServer,
    policy: RetryPolicy,
    call: fn(&AccessTokens) -> Result<AccessToken, Error>,
    attempts: u32,
) -> TransportError {
    let tokens = tokens_with(&server.base_url(), policy, TIMEOUT);
    let started = Instant::now();
    let result = call(&tokens);
    let elapsed = started.elapsed();
    let e = transport(result);
    assert!(e.is_timeout(), "{e:?}");
    assert_eq!(e.attempts(), attempts);
    assert!(elapsed >= TIMEOUT * attempts, "{elapsed:?}");
    assert!(elapsed < (TIMEOUT + MARGIN) * attempts, "{elapsed:?}");
    e
}

/// A port nothing listens on: bound, then released.
fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

// ---- Retries: what is retried, how often, and how long it waits ----

#[test]
fn create_429_with_retry_after_1_then_201_succeeds_after_exactly_2_requests() {
    let server = RawServer::start(vec![
        Answer::Send(twilio_error(429, 20429, &[("Retry-After", "1")])),
        Answer::Send(created()),
    ]);
    let started = Instant::now();
    let token = tokens(&server, RetryPolicy::default())
        .create(&params())
        .expect("the retry succeeds");
    let elapsed = started.elapsed();
    assert_eq!(token.sid.as_str(), TOKEN_SID);
    assert_eq!(token.token.expose_secret(), JWT);
    assert_eq!(server.requests(), 2);
    // Retry-After: 1 is waited for, not replaced by the 200 ms backoff.
    assert!(elapsed >= Duration::from_millis(990), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    let recorded = server.recorded();
    assert_eq!(
        recorded[0].body, recorded[1].body,
        "the retry resends the form"
    );
    assert!(
        recorded
            .iter()
            .all(|r| r.request_line().starts_with("POST "))
    );
}

#[test]
fn create_500_is_not_retried_exactly_1_request_and_an_api_error() {
    let server = RawServer::always(Answer::Send(twilio_error(500, 20500, &[])));
    let e = api(tokens(&server, quick()).create(&params()));
    assert_eq!(e.status(), 500);
    assert_eq!(e.code(), Some(20500));
    assert_eq!(e.attempts(), 1);
    assert_eq!(server.requests(), 1);
}

#[test]
fn create_is_never_retried_on_any_5xx() {
    for status in [500, 502, 503, 504] {
        let server = RawServer::always(Answer::Send(twilio_error(
            status,
            20000 + u32::from(status),
            &[("Retry-After", "0")],
        )));
        let result = tokens(&server, quick()).create(&params());
        let e = api(result);
        assert_eq!(e.status(), status);
        assert_eq!(e.attempts(), 1, "{status}");
        assert_eq!(server.requests(), 1, "{status}");
    }
}

#[test]
fn fetch_503_twice_then_200_succeeds_after_exactly_3_requests() {
    let server = RawServer::start(vec![
        Answer::Send(twilio_error(503, 20503, &[])),
        Answer::Send(twilio_error(503, 20503, &[])),
        Answer::Send(ok()),
    ]);
    let token = tokens(&server, quick())
        .fetch(TOKEN_SID)
        .expect("third attempt succeeds");
    assert_eq!(token.sid.as_str(), TOKEN_SID);
    assert_eq!(server.requests(), 3);
    assert!(server.recorded().iter().all(|r| r.request_line()
        == format!("GET /v2/Services/{SERVICE_SID}/AccessTokens/{TOKEN_SID} HTTP/1.1")));
}

#[test]
fn fetch_retries_500_502_503_504_until_max_attempts_then_reports_them() {
    for status in [500, 502, 503, 504] {
        let server = RawServer::always(Answer::Send(twilio_error(status, 20001, &[])));
        let e = api(tokens(&server, quick().max_attempts(4)).fetch(TOKEN_SID));
        assert_eq!(e.status(), status);
        assert_eq!(e.code(), Some(20001));
        assert_eq!(e.attempts(), 4, "{status}");
        assert_eq!(server.requests(), 4, "{status}");
        assert!(
            Error::Api(e).to_string().ends_with(" after 4 attempts"),
            "{status}"
        );
    }
}

#[test]
fn fetch_does_not_retry_4xx_other_than_429() {
    for (status, code) in [(400, 60200), (401, 20003), (404, 20404)] {
        let server = RawServer::always(Answer::Send(twilio_error(status, code, &[])));
        let e = api(tokens(&server, quick()).fetch(TOKEN_SID));
        assert_eq!(
            (e.status(), e.code(), e.attempts()),
            (status, Some(code), 1)
        );
        assert_eq!(server.requests(), 1);
    }
}

#[test]
fn create_429_is_retried_until_max_attempts_and_reports_3_attempts() {
    let server = RawServer::always(Answer::Send(twilio_error(
        429,
        20429,
        &[("Retry-After", "0")],
    )));
    let e = api(tokens(&server, RetryPolicy::default()).create(&params()));
    assert_eq!(e.status(), 429);
    assert_eq!(e.code(), Some(20429));
    assert_eq!(e.attempts(), 3);
    assert_eq!(e.retry_after(), Some(Duration::ZERO));
    assert_eq!(server.requests(), 3);
}

#[test]
fn retry_after_longer_than_max_delay_gives_up_at_once_after_1_request() {
    for fetch in [false, true] {
        let server = RawServer::always(Answer::Send(twilio_error(
            429,
            20429,
            &[("Retry-After", "6")],
        )));
        let tokens = tokens(&server, RetryPolicy::default()); // max delay 5 s
        let started = Instant::now();
        let result = if fetch {
            tokens.fetch(TOKEN_SID)
        } else {
            tokens.create(&params())
        };
        let elapsed = started.elapsed();
        let e = api(result);
        assert_eq!(e.status(), 429);
        assert_eq!(e.retry_after(), Some(Duration::from_secs(6)));
        assert_eq!(e.attempts(), 1);
        assert_eq!(server.requests(), 1);
        assert!(elapsed < Duration::from_millis(900), "slept: {elapsed:?}");
    }
}

#[test]
fn retry_after_as_an_http_date_is_read_a_far_date_gives_up_at_once() {
    let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    let server = RawServer::always(Answer::Send(twilio_error(
        503,
        20503,
        &[("Retry-After", &later)],
    )));
    let started = Instant::now();
    let e = api(tokens(&server, quick()).fetch(TOKEN_SID));
    assert_eq!(e.status(), 503);
    let asked = e.retry_after().expect("the date is read");
    assert!(asked > Duration::from_secs(3500), "{asked:?}");
    assert_eq!(e.attempts(), 1);
    assert_eq!(server.requests(), 1);
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[test]
fn retry_after_within_max_delay_on_503_is_waited_for_before_the_fetch_retry() {
    let server = RawServer::start(vec![
        Answer::Send(twilio_error(503, 20503, &[("Retry-After", "1")])),
        Answer::Send(ok()),
    ]);
    let started = Instant::now();
    tokens(&server, quick()).fetch(TOKEN_SID).expect("retry ok");
    let elapsed = started.elapsed();
    assert_eq!(server.requests(), 2);
    assert!(elapsed >= Duration::from_millis(990), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[test]
fn retry_policy_none_makes_exactly_1_attempt_even_on_429() {
    let server = RawServer::always(Answer::Send(twilio_error(
        429,
        20429,
        &[("Retry-After", "0")],
    )));
    let e = api(tokens(&server, RetryPolicy::none()).fetch(TOKEN_SID));
    assert_eq!((e.status(), e.attempts()), (429, 1));
    assert_eq!(server.requests(), 1);
}

// ---- Connect failures ----

#[test]
fn connection_refused_on_create_is_retried_and_the_error_counts_3_attempts() {
    let base = format!("http://127.0.0.1:{}", refused_port());
    let result = tokens_with(&base, quick(), TIMEOUT).create(&params());
    let e = transport(result);
    assert!(e.is_connect(), "{e:?}");
    assert!(!e.is_timeout());
    assert_eq!(e.attempts(), 3);
    assert_eq!(
        e.to_string(),
        "could not connect to Twilio after 3 attempts"
    );
}

#[test]
fn connection_refused_on_fetch_is_retried_and_the_error_counts_attempts() {
    let base = format!("http://127.0.0.1:{}", refused_port());
    let e = transport(tokens_with(&base, quick().max_attempts(5), TIMEOUT).fetch(TOKEN_SID));
    assert!(e.is_connect(), "{e:?}");
    assert_eq!(e.attempts(), 5);
}

#[test]
fn create_refused_at_first_succeeds_once_the_server_appears_with_exactly_1_request() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let appears = thread::spawn(move || {
        thread::sleep(Duration::from_millis(100));
        RawServer::start_on(
            TcpListener::bind(addr).unwrap(),
            vec![Answer::Send(created())],
        )
    });
    // Up to 40 attempts, 0–50 ms apart: far longer than the 100 ms the server takes to appear.
    let policy = RetryPolicy::default()
        .max_attempts(40)
        .base_delay(Duration::from_millis(50))
        .max_delay(Duration::from_millis(50));
    let result = tokens_with(&format!("http://{addr}"), policy, TIMEOUT).create(&params());
    let server = appears.join().unwrap();
    let token = result.expect("a later attempt reaches the server");
    assert_eq!(token.sid.as_str(), TOKEN_SID);
    assert_eq!(server.requests(), 1, "refused attempts never sent the POST");
    assert_eq!(server.connections(), 1);
}

// ---- Timeouts: a hung server and a slow drip ----

#[test]
fn hung_server_create_times_out_within_the_bound_and_is_not_retried() {
    let server = RawServer::always(Answer::Hang);
    let e = times_out(&server, quick(), create_token, 1);
    assert!(!e.is_connect());
    assert_eq!(e.to_string(), "request to Twilio timed out");
    assert_eq!(
        server.requests(),
        1,
        "a create that may have landed is not resent"
    );
    assert_eq!(server.connections(), 1);
}

#[test]
fn hung_server_fetch_is_retried_and_each_attempt_is_bounded() {
    let server = RawServer::always(Answer::Hang);
    let e = times_out(&server, quick(), fetch_token, 3);
    assert_eq!(
        e.to_string(),
        "request to Twilio timed out after 3 attempts"
    );
    assert_eq!(server.requests(), 3);
}

/// Splits an answer after its blank line: the head and the body.
fn split_answer(answer: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let end = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (answer[..end].to_vec(), answer[end..].to_vec())
}

#[test]
fn slow_drip_of_the_whole_answer_times_out_within_the_bound() {
    // A whole answer, one byte every 20 ms: some 8 s in all, each byte well inside any
    // per-read timeout. Only a bound on the whole attempt stops it.
    let server = RawServer::always(Answer::Drip {
        now: Vec::new(),
        then: created(),
        every: Duration::from_millis(20),
    });
    times_out(&server, quick(), create_token, 1);
    assert_eq!(server.requests(), 1);
}

#[test]
fn slow_drip_of_the_body_after_a_prompt_head_times_out_within_the_bound() {
    // The status and headers arrive at once; the bound must still cover reading the body.
    let (head, body) = split_answer(&ok());
    let server = RawServer::always(Answer::Drip {
        now: head,
        then: body,
        every: Duration::from_millis(20),
    });
    // A fetch is retried after a timeout.
    times_out(&server, quick().max_attempts(2), fetch_token, 2);
    assert_eq!(server.requests(), 2);
}

#[test]
fn slow_drip_that_ends_within_the_timeout_is_read_whole() {
    let (head, body) = split_answer(&ok());
    let server = RawServer::always(Answer::Drip {
        now: head,
        then: body,
        every: Duration::from_micros(500),
    });
    let token = tokens(&server, RetryPolicy::none())
        .fetch(TOKEN_SID)
        .expect("a slow but complete answer is fine");
    assert_eq!(token.token.expose_secret(), JWT);
    assert_eq!(server.requests(), 1);
}

// ---- The connection breaks ----

fn partial_token_answer(status: u16) -> Vec<u8> {
    let body = token_json(JWT);
    let head = format!(
        "HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body.as_bytes()[..body.len() / 2]);
    bytes
}

// The server leaves the request unread and closes, so the kernel sends a reset (RST) after half
// the body; ureq reports a reset while reading as the peer disconnecting (`UnexpectedEof`).
#[test]
fn reset_mid_body_on_create_is_a_transport_error_after_exactly_1_request() {
    let (server, e) = fails_after_one_request(
        Answer::SendThenReset(partial_token_answer(201)),
        create_token,
    );
    assert_io(&e, 1);
    assert_eq!(server.connections(), 1);
}

#[test]
fn reset_mid_body_on_fetch_is_retried_and_the_retry_succeeds() {
    let server = RawServer::start(vec![
        Answer::SendThenReset(partial_token_answer(200)),
        Answer::Send(ok()),
    ]);
    let token = tokens(&server, quick())
        .fetch(TOKEN_SID)
        .expect("retry succeeds");
    assert_eq!(token.sid.as_str(), TOKEN_SID);
    assert_eq!(server.requests(), 2);
    assert_eq!(
        server.connections(),
        2,
        "the reset connection is not reused"
    );
}

#[test]
fn content_length_longer_than_the_body_then_close_fails_create_after_1_request() {
    let (_server, e) = fails_after_one_request(
        Answer::SendThenClose(partial_token_answer(201)),
        create_token,
    );
    assert_io(&e, 1);
}

#[test]
fn content_length_longer_than_the_body_then_close_is_retried_on_fetch() {
    let server = RawServer::always(Answer::SendThenClose(partial_token_answer(200)));
    let e = transport(tokens(&server, quick()).fetch(TOKEN_SID));
    assert_io(&e, 3);
    assert_eq!(server.requests(), 3);
    assert_eq!(server.connections(), 3);
}

#[test]
fn connection_closed_mid_head_fails_create_after_1_request() {
    let (_server, e) = fails_after_one_request(
        Answer::SendThenClose(b"HTTP/1.1 201 Created\r\nContent-Ty".to_vec()),
        create_token,
    );
    assert_io(&e, 1);
}

#[test]
fn connection_closed_without_an_answer_fails_create_after_1_request_but_fetch_retries() {
    // The POST may have landed: not resent.
    let (_server, e) = fails_after_one_request(Answer::Close, create_token);
    assert_io(&e, 1);

    let server = RawServer::start(vec![Answer::Close, Answer::Send(ok())]);
    tokens(&server, quick())
        .fetch(TOKEN_SID)
        .expect("fetch retries");
    assert_eq!(server.requests(), 2);
}

#[test]
fn idle_pooled_connection_closed_by_the_server_is_not_reused() {
    let server = RawServer::start(vec![
        Answer::SendThenClose(created()),
        Answer::Send(created()),
    ]);
    let tokens = tokens(&server, RetryPolicy::none());
    tokens.create(&params()).expect("first create");
    // The server closes its side once idle, as keep-alive timeouts do.
    thread::sleep(Duration::from_millis(100));
    tokens
        .create(&params())
        .expect("second create on a fresh connection");
    assert_eq!(server.requests(), 2);
    assert_eq!(server.connections(), 2);
}

#[test]
fn keep_alive_connection_is_reused_across_calls() {
    let server = RawServer::always(Answer::Send(created()));
    let tokens = tokens(&server, RetryPolicy::none());
    for _ in 0..5 {
        tokens.create(&params()).expect("create");
    }
    assert_eq!(server.requests(), 5);
    assert_eq!(server.connections(), 1);
}

// ---- Bounded reads ----

#[test]
fn body_of_10_mb_with_content_length_is_refused_without_retry() {
    let big = vec![b' '; 10 * 1024 * 1024];
    let (_server, e) = fails_after_one_request(
        Answer::SendThenClose(response(200, &[("Content-Type", "application/json")], &big)),
        fetch_token,
    );
    assert!(e.is_body_too_large(), "{e:?}");
    assert!(!e.is_timeout() && !e.is_connect());
    assert_eq!(e.attempts(), 1, "a too-large answer is not asked for again");
    assert_eq!(
        e.to_string(),
        "Twilio's answer was larger than the 1 MiB this client reads"
    );
}

#[test]
fn body_of_10_mb_without_content_length_is_refused_after_1_request() {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".to_vec();
    bytes.resize(bytes.len() + 10 * 1024 * 1024, b'[');
    let (_server, e) = fails_after_one_request(Answer::SendThenClose(bytes), create_token);
    assert!(e.is_body_too_large(), "{e:?}");
    assert_eq!(e.attempts(), 1);
}

#[test]
fn chunked_body_of_10_mb_is_refused_after_1_request() {
    let mut bytes =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            .to_vec();
    for _ in 0..10 {
        bytes.extend_from_slice(b"100000\r\n"); // 1 MiB per chunk
        bytes.resize(bytes.len() + 0x10_0000, b' ');
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    let (_server, e) = fails_after_one_request(Answer::SendThenClose(bytes), fetch_token);
    assert!(e.is_body_too_large(), "{e:?}");
    assert_eq!(e.attempts(), 1);
}

#[test]
fn header_section_of_2_mb_is_refused_after_1_request() {
    let mut bytes = b"HTTP/1.1 201 Created\r\nX-Padding: ".to_vec();
    bytes.resize(bytes.len() + 2 * 1024 * 1024, b'a');
    bytes.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
    let (_server, e) = fails_after_one_request(Answer::SendThenClose(bytes), create_token);
    assert_io(&e, 1);
}

#[test]
fn error_body_of_10_mb_is_refused_not_buffered() {
    let big = vec![b'x'; 10 * 1024 * 1024];
    let (_server, e) = fails_after_one_request(
        Answer::SendThenClose(response(500, &[("Content-Type", "text/html")], &big)),
        create_token,
    );
    assert!(e.is_body_too_large(), "{e:?}");
    assert_eq!(e.attempts(), 1);
}

#[test]
fn body_just_under_1_mib_is_read() {
    // Valid JSON padded with whitespace to just under the limit.
    let mut body = token_json(JWT).into_bytes();
    body.resize(1024 * 1024 - 1, b' ');
    let server = RawServer::always(Answer::Send(response(201, &[], &body)));
    let token = tokens(&server, quick()).create(&params()).expect("fits");
    assert_eq!(token.token.expose_secret(), JWT);
    assert_eq!(server.requests(), 1);
}

// ---- Hostile answers: no panic, no hang, a precise error ----

#[test]
fn truncated_json_on_2xx_is_a_decode_error_after_1_request() {
    let body = token_json(JWT);
    let server = RawServer::always(Answer::Send(json(201, &body[..body.len() / 2])));
    let e = decode(tokens(&server, quick()).create(&params()));
    assert_eq!(e.status(), 201);
    assert_eq!(e.missing(), None);
    // The body ends halfway through the JWT: the field being read is named, its value is not.
    assert_eq!(e.path(), Some("token"));
    assert_eq!(
        e.to_string(),
        "could not decode Twilio's HTTP 201 answer: the JSON ends early (`token`)"
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn invalid_utf8_on_2xx_is_a_decode_error_and_on_an_error_status_an_api_error() {
    let mut body = token_json(JWT).into_bytes();
    let at = body.len() / 3;
    body[at] = 0xff;
    let server = RawServer::always(Answer::Send(response(
        200,
        &[
            ("Content-Type", "application/json"),
            ("Twilio-Request-Id", "RQ1"),
        ],
        &body,
    )));
    let e = decode(tokens(&server, quick()).fetch(TOKEN_SID));
    assert_eq!(e.status(), 200);
    assert_eq!(e.request_id(), Some("RQ1"));
    assert_eq!(server.requests(), 1);

    let server = RawServer::always(Answer::Send(response(
        400,
        &[("Content-Type", "text/plain")],
        b"bad \xff\xfe request",
    )));
    let e = api(tokens(&server, quick()).fetch(TOKEN_SID));
    assert_eq!(e.status(), 400);
    assert_eq!(e.code(), None);
    assert_eq!(e.message(), "bad \u{fffd}\u{fffd} request");
    assert_eq!(server.requests(), 1);
}

#[test]
fn wrong_content_type_is_judged_by_the_body_not_the_header() {
    // An HTML page with a 2xx: a decode error, not a panic.
    let server = RawServer::always(Answer::Send(response(
        201,
        &[("Content-Type", "text/html")],
        b"<html><body>Created</body></html>",
    )));
    let e = decode(tokens(&server, quick()).create(&params()));
    assert_eq!(e.status(), 201);
    assert_eq!(
        e.to_string(),
        "could not decode Twilio's HTTP 201 answer: the body is not JSON"
    );
    assert_eq!(server.requests(), 1);

    // A valid token labelled text/plain still decodes.
    let server = RawServer::always(Answer::Send(response(
        200,
        &[("Content-Type", "text/plain")],
        token_json(JWT).as_bytes(),
    )));
    let token = tokens(&server, quick()).fetch(TOKEN_SID).expect("decodes");
    assert_eq!(token.sid.as_str(), TOKEN_SID);
    assert_eq!(server.requests(), 1);

    // A 502 HTML page from a proxy: an Api error with a short excerpt, retried on fetch.
    let page = include_str!("fixtures/error_500.html");
    let server = RawServer::always(Answer::Send(response(
        502,
        &[("Content-Type", "text/html")],
        page.as_bytes(),
    )));
    let e = api(tokens(&server, quick()).fetch(TOKEN_SID));
    assert_eq!((e.status(), e.code(), e.attempts()), (502, None, 3));
    assert!(
        e.message().contains("500 Internal Server Error"),
        "{}",
        e.message()
    );
    assert!(!e.message().contains('\n'));
    assert_eq!(server.requests(), 3);
}

#[test]
fn empty_2xx_body_is_a_decode_error_after_1_request() {
    for status in [200, 201, 204] {
        let answer = if status == 204 {
            b"HTTP/1.1 204 No Content\r\n\r\n".to_vec()
        } else {
            response(status, &[("Content-Type", "application/json")], b"")
        };
        let server = RawServer::always(Answer::Send(answer));
        let e = decode(tokens(&server, quick()).create(&params()));
        assert_eq!(e.status(), status);
        assert_eq!(
            e.to_string(),
            format!("could not decode Twilio's HTTP {status} answer: the JSON ends early")
        );
        assert_eq!(server.requests(), 1, "{status}");
    }
}

#[test]
fn answer_that_is_not_http_is_a_transport_error_after_1_request() {
    let (_server, e) = fails_after_one_request(
        Answer::SendThenClose(b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec()),
        create_token,
    );
    assert_io(&e, 1);
}

#[test]
fn missing_required_field_on_2xx_names_it() {
    let body = token_json(JWT).replace(r#""ttl":60,"#, "");
    let server = RawServer::always(Answer::Send(json(201, &body)));
    let e = decode(tokens(&server, quick()).create(&params()));
    assert_eq!(e.missing(), Some("ttl"));
    assert_eq!(server.requests(), 1);
}
