//! Issue #8, client side: each test pins one item — timeouts that hold whatever a proxy does,
//! settings refused in `build()` instead of panicking or misbehaving later, errors that never
//! echo secrets and stay one bounded line, and transport failures named and retried for what
//! they are. Every server and proxy here is a thread on 127.0.0.1.

#[path = "support/raw_server.rs"]
mod raw_server;
#[path = "support/tls_server.rs"]
mod tls_server;
#[path = "support/tunnel_proxy.rs"]
mod tunnel_proxy;

use std::time::{Duration, Instant};

use raw_server::{
    AUTH_TOKEN, Answer, RawServer, SERVICE_SID, TOKEN_SID, auth_token_builder, builder_at, created,
    handle, ok, response,
};
use tls_server::{TRUSTED_CA_PEM, TlsServer};
use tunnel_proxy::TunnelProxy;
use twilio_verify::{CreateAccessToken, Error, FactorType, InvalidInput, RetryPolicy};

fn params() -> CreateAccessToken {
    CreateAccessToken::new("user-8f3a2b", FactorType::Push)
}

#[track_caller]
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> InvalidInput {
    match result {
        Err(Error::InvalidInput(e)) => e,
        other => panic!("expected Error::InvalidInput, got {other:?}"),
    }
}

// ---- 1. A proxy that dribbles its answer to CONNECT ----

/// A "proxy" that answers CONNECT with a status line and then one header byte every 700 ms.
fn dribbling_proxy() -> RawServer {
    let mut then = b"HTTP/1.1 200 Connection established\r\nX-Pad: ".to_vec();
    then.extend(std::iter::repeat_n(b'a', 200));
    RawServer::always(Answer::Drip {
        now: Vec::new(),
        then,
        every: Duration::from_millis(700),
    })
}

#[test]
fn a_proxy_dribbling_its_connect_answer_times_out_at_the_connect_timeout() {
    let proxy = dribbling_proxy();
    let tokens = handle(
        auth_token_builder()
            .proxy(format!("http://{}", proxy.addr()))
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(3))
            .retry_policy(RetryPolicy::none()),
    );
    let started = Instant::now();
    let result = tokens.create(&params());
    let elapsed = started.elapsed();
    let Err(e) = result else {
        panic!("expected a timeout, got {result:?}");
    };
    assert!(e.is_timeout(), "{e:?}");
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_millis(1600),
        "took {elapsed:?}"
    );
    assert_eq!(
        proxy.recorded()[0].request_line(),
        "CONNECT verify.twilio.com:443 HTTP/1.1"
    );
}

#[test]
fn a_proxy_dribbling_its_connect_answer_is_bounded_by_timeout_when_it_is_shorter() {
    let proxy = dribbling_proxy();
    let tokens = handle(
        auth_token_builder()
            .proxy(format!("http://{}", proxy.addr()))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_millis(1500))
            .retry_policy(RetryPolicy::none()),
    );
    let started = Instant::now();
    let result = tokens.fetch(TOKEN_SID);
    let elapsed = started.elapsed();
    assert!(result.as_ref().is_err_and(Error::is_timeout), "{result:?}");
    assert!(elapsed < Duration::from_millis(2100), "took {elapsed:?}");
}

#[test]
fn with_retries_a_dribbling_proxy_costs_each_attempt_its_connect_timeout_plus_the_delays() {
    let proxy = dribbling_proxy();
    let tokens = handle(
        auth_token_builder()
            .proxy(format!("http://{}", proxy.addr()))
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(3))
            .retry_policy(
                RetryPolicy::default()
                    .max_attempts(3)
                    .base_delay(Duration::from_millis(50))
                    .max_delay(Duration::from_millis(100)),
            ),
    );
    let started = Instant::now();
    let result = tokens.create(&params());
    let elapsed = started.elapsed();
    let Err(Error::Transport(e)) = result else {
        panic!("expected a transport error, got {result:?}");
    };
    assert!(e.is_timeout());
    // Nothing reached Twilio, so even a create is retried.
    assert_eq!(e.attempts(), 3);
    assert_eq!(proxy.connections(), 3);
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn a_tunnelled_connection_outlives_the_connect_deadline_in_the_pool() {
    let server = RawServer::always(Answer::Send(created()));
    let proxy = TunnelProxy::start();
    let tokens = handle(
        builder_at(&server.base_url())
            .proxy(proxy.url())
            .connect_timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none()),
    );
    tokens
        .create(&params())
        .expect("first call, through the tunnel");
    std::thread::sleep(Duration::from_millis(500));
    tokens
        .create(&params())
        .expect("second call, on the pooled tunnel after its connect deadline");
    assert_eq!(server.requests(), 2);
    assert_eq!(server.connections(), 1, "the tunnel was reused");
    assert_eq!(proxy.connects().len(), 1);
}

// ---- 2. A user agent extension that is not a header value ----

#[test]
fn a_user_agent_extension_with_a_line_break_nul_or_del_is_refused_by_build() {
    for bad in [
        "x\r\nX-Evil: 1",
        "x\nX-Evil: 1",
        "a\0b",
        "a\u{7f}b",
        "tab\there",
        "café/1",
    ] {
        let e = refused(auth_token_builder().user_agent_extension(bad).build());
        assert_eq!(e.parameter(), "user_agent_extension", "{bad:?}");
        assert_eq!(
            e.to_string(),
            "user_agent_extension must be printable ASCII (like \"myapp/1.2\"): no control \
             characters or line breaks"
        );
    }
    let client = auth_token_builder()
        .user_agent_extension("myapp/1.2 (build 7)")
        .build()
        .unwrap();
    assert!(client.user_agent().ends_with(") myapp/1.2 (build 7)"));
}

// ---- 3. Duration::MAX as "no limit" ----

#[test]
fn duration_max_timeouts_mean_no_limit_and_calls_work() {
    let server = RawServer::start(vec![Answer::Send(created()), Answer::Send(ok())]);
    let tokens = handle(
        builder_at(&server.base_url())
            .connect_timeout(Duration::MAX)
            .timeout(Duration::MAX),
    );
    tokens.create(&params()).expect("create with no limits");
    tokens.fetch(TOKEN_SID).expect("fetch with no limits");
    let proxy = TunnelProxy::start();
    handle(
        builder_at(&server.base_url())
            .proxy(proxy.url())
            .connect_timeout(Duration::MAX)
            .timeout(Duration::MAX),
    )
    .fetch(TOKEN_SID)
    .expect("through a proxy with no limits");
}

#[test]
fn a_timeout_of_duration_max_still_lets_the_other_timeout_fire() {
    let server = RawServer::always(Answer::Hang);
    let tokens = handle(
        builder_at(&server.base_url())
            .connect_timeout(Duration::MAX)
            .timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::none()),
    );
    let started = Instant::now();
    let result = tokens.fetch(TOKEN_SID);
    assert!(result.as_ref().is_err_and(Error::is_timeout), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

// ---- 4. A base URL with credentials in it ----

#[test]
fn a_base_url_with_user_info_is_refused_without_quoting_it_however_malformed() {
    let token = "0123456789abcdef0123456789abcdef";
    let sid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    for url in [
        format!("https://{sid}:{token}@verify.twilio.com\n"),
        format!("https://{sid}:{token}@verify.twilio.com"),
        format!("{sid}:{token}@verify.twilio.com"),
        format!("https://{sid}:{token}@verify.twilio.com /v2"),
        format!("https://{sid}:{token} @verify.twilio.com"),
    ] {
        let e = refused(auth_token_builder().base_url(&url).build());
        assert_eq!(e.parameter(), "base_url", "{url:?}");
        assert_eq!(
            e.to_string(),
            "base_url must not carry user info: set credentials on the builder",
            "{url:?}"
        );
    }
    // A '@' elsewhere is not user info, but the URL is still not quoted.
    let e = refused(
        auth_token_builder()
            .base_url("https://x.example/a@b\n")
            .build(),
    );
    assert_eq!(e.to_string(), "base_url is not a valid URL");
}

#[test]
fn builder_debug_redacts_a_base_url_with_user_info() {
    let token = "0123456789abcdef0123456789abcdef";
    let builder = auth_token_builder().base_url(format!("https://AC1:{token}@verify.twilio.com"));
    let debug = format!("{builder:?}");
    assert!(!debug.contains(token), "{debug}");
    assert!(
        debug.contains("base_url: Some(\"<redacted: holds '@'>\")"),
        "{debug}"
    );
    let plain = format!(
        "{:?}",
        auth_token_builder().base_url("https://verify.twilio.com")
    );
    assert!(
        plain.contains("base_url: Some(\"https://verify.twilio.com\")"),
        "{plain}"
    );
}

// ---- 5. A refused SID is not echoed ----

#[test]
fn an_auth_token_given_as_a_sid_is_never_echoed() {
    let auth_token = "8f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c";
    let server = RawServer::always(Answer::Send(ok()));
    let client = builder_at(&server.base_url()).build().unwrap();
    let e = refused(client.access_tokens(auth_token));
    assert_eq!(
        e.to_string(),
        "service_sid is malformed (32 characters): must be \"VA\" followed by 32 hex digits"
    );
    let e = refused(client.access_tokens(SERVICE_SID).unwrap().fetch(auth_token));
    assert_eq!(
        e.to_string(),
        "access_token_sid is malformed (32 characters): must be \"YK\" followed by 32 hex digits"
    );
    assert!(!format!("{e:?}").contains("8f3a"));
    assert_eq!(server.requests(), 0);
}

// ---- 6. ApiError's Display: one bounded line ----

#[test]
fn api_error_display_is_one_bounded_line_whatever_the_body_and_headers_say() {
    let huge_type = format!("https://example.com/{}", "p".repeat(500_000));
    let forged = r#"{"code":20404,"message":"Not found","more_info":"https://x.example/e\n2024-01-01T00:00:00Z INFO login ok user=admin","status":404}"#;
    let problem = serde_json::json!({"type": huge_type, "title": "Too Many", "status": 429});
    let long_id = "RQ".repeat(5_000);
    let server = RawServer::start(vec![
        Answer::Send(response(
            404,
            &[
                ("Content-Type", "application/json"),
                ("Twilio-Request-Id", &long_id),
            ],
            forged.as_bytes(),
        )),
        Answer::Send(response(
            400,
            &[("Content-Type", "application/problem+json")],
            problem.to_string().as_bytes(),
        )),
    ]);
    let tokens = handle(builder_at(&server.base_url()).retry_policy(RetryPolicy::none()));
    let first = tokens.create(&params()).unwrap_err().to_string();
    assert!(!first.contains('\n'), "{first}");
    assert!(
        first.starts_with(
            "Twilio answered HTTP 404 with error 20404: Not found (see https://x.example/e \
             2024-01-01T00:00:00Z INFO login ok user=admin) [request RQRQ"
        ),
        "{first}"
    );
    assert!(first.ends_with("…]"), "{first}");
    assert!(
        first.chars().count() < 300,
        "{} characters",
        first.chars().count()
    );
    let second = tokens.create(&params()).unwrap_err().to_string();
    assert!(
        second.chars().count() < 300,
        "{} characters",
        second.chars().count()
    );
    assert!(
        second.starts_with("Twilio answered HTTP 400: Too Many (see https://example.com/ppp"),
        "{second}"
    );
    assert!(second.ends_with("…)"), "{second}");
}

// ---- 7. An out-of-range port ----

#[test]
fn a_port_out_of_range_is_refused_not_dropped() {
    for url in [
        "https://api.example.com:70000",
        "http://127.0.0.1:99999",
        "http://127.0.0.1:0",
    ] {
        let e = refused(auth_token_builder().base_url(url).build());
        assert_eq!(e.parameter(), "base_url", "{url}");
        assert_eq!(
            e.to_string(),
            format!("base_url {url:?} has a port out of range: must be 1 to 65535")
        );
    }
    let e = refused(
        auth_token_builder()
            .proxy("http://proxy.internal:99999")
            .build(),
    );
    assert_eq!(e.parameter(), "proxy");
    assert_eq!(
        e.to_string(),
        "proxy has a port out of range: must be 1 to 65535"
    );
    let client = auth_token_builder()
        .base_url("https://api.example.com:65535/")
        .build();
    assert_eq!(client.unwrap().base_url(), "https://api.example.com:65535");
}

// ---- 8. Over-long inputs ----

#[test]
fn over_long_inputs_are_refused_by_build_naming_the_parameter() {
    let long = |n| "a".repeat(n);
    let cases = [
        (
            auth_token_builder().region(long(70_000)),
            "region",
            "region is longer than 63 characters",
        ),
        (
            auth_token_builder().edge(long(64)),
            "edge",
            "edge is longer than 63 characters",
        ),
        (
            auth_token_builder().base_url(format!("https://verify.twilio.com/{}", long(65_000))),
            "base_url",
            "base_url is longer than 2048 bytes",
        ),
        (
            auth_token_builder().user_agent_extension(long(257)),
            "user_agent_extension",
            "user_agent_extension is longer than 256 bytes",
        ),
        (
            auth_token_builder().proxy(format!("http://proxy.internal:3128/{}", long(3000))),
            "proxy",
            "proxy is longer than 2048 bytes",
        ),
        (
            auth_token_builder().auth_token(long(70_000)),
            "auth_token",
            "auth_token is longer than 1024 bytes",
        ),
    ];
    for (builder, parameter, message) in cases {
        let e = refused(builder.build());
        assert_eq!(
            (e.parameter(), e.to_string().as_str()),
            (parameter, message)
        );
    }
    auth_token_builder()
        .region(long(63))
        .edge(long(63))
        .build()
        .unwrap();
}

// ---- 9. A proxy URL that does not parse to what it says ----

#[test]
fn a_proxy_url_with_an_unescaped_slash_question_mark_or_hash_is_refused() {
    for url in [
        "http://alice:8080/x@proxy.internal:3128",
        "http://alice:pa?ss@proxy.internal:3128",
        "http://alice:pa#ss@proxy.internal:3128",
        "http://proxy.internal:3128/path",
    ] {
        let e = refused(auth_token_builder().proxy(url).build());
        assert_eq!(e.parameter(), "proxy", "{url}");
        assert_eq!(
            e.to_string(),
            "proxy is not a valid proxy URL: expected scheme://[user:password@]host:port, with \
             '/', '?', '#' and '@' in the user name or password percent-encoded",
            "{url}"
        );
    }
    // Percent-encoded, the same password is accepted, and so is a trailing slash.
    for url in [
        "http://alice:8080%2Fx@proxy.internal:3128",
        "http://proxy.internal:3128/",
        "proxy.internal:3128",
    ] {
        auth_token_builder().proxy(url).build().expect(url);
    }
}

// ---- 10. A CERTIFICATE block that is not a certificate ----

#[test]
fn a_pem_certificate_block_that_does_not_parse_is_refused_by_build() {
    let bogus = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n";
    let bundle = format!("{TRUSTED_CA_PEM}{bogus}");
    let e = refused(auth_token_builder().ca_certificates_pem(bundle).build());
    assert_eq!(e.parameter(), "ca_certificates_pem");
    assert_eq!(
        e.to_string(),
        "ca_certificates_pem: certificate 2 of 2 does not parse as an X.509 CA certificate"
    );
    auth_token_builder()
        .ca_certificates_pem(TRUSTED_CA_PEM)
        .build()
        .expect("a real CA certificate");
}

// ---- 14. A certificate failure is TLS, and is not retried ----

#[test]
fn an_untrusted_certificate_is_a_tls_error_and_is_not_retried() {
    let server = TlsServer::start();
    let tokens = handle(
        builder_at(&server.base_url())
            .ca_certificates_pem(TRUSTED_CA_PEM)
            .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(10))),
    );
    let fetched = tokens.fetch(TOKEN_SID);
    let Err(Error::Transport(e)) = &fetched else {
        panic!("expected a transport error, got {fetched:?}");
    };
    assert!(e.is_tls(), "{e:?}");
    assert!(!e.is_connect() && !e.is_timeout());
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.to_string(), "TLS with Twilio failed");
    let created = tokens.create(&params());
    assert!(
        matches!(&created, Err(Error::Transport(e)) if e.is_tls() && e.attempts() == 1),
        "{created:?}"
    );
    assert_eq!(server.connections(), 2, "one connection per call: no retry");
}

// ---- 15. An explicit proxy for a loopback base URL ----

#[test]
fn an_explicit_proxy_is_honoured_for_a_loopback_base_url() {
    let server = RawServer::always(Answer::Send(created()));
    let proxy = TunnelProxy::start();
    handle(builder_at(&server.base_url()).proxy(proxy.url()))
        .create(&params())
        .expect("through the local proxy to the local server");
    assert_eq!(
        proxy.connects(),
        vec![format!("CONNECT {} HTTP/1.1", server.addr())]
    );
    assert_eq!(server.requests(), 1);
    assert_eq!(
        server.recorded()[0].request_line(),
        format!("POST /v2/Services/{SERVICE_SID}/AccessTokens HTTP/1.1")
    );
}

#[test]
fn a_remote_proxy_for_a_plain_http_loopback_base_url_is_refused() {
    let server = RawServer::always(Answer::Send(created()));
    let e = refused(
        builder_at(&server.base_url())
            .proxy("http://proxy.internal:3128")
            .build(),
    );
    assert_eq!(e.parameter(), "proxy");
    assert_eq!(
        e.to_string(),
        "proxy must be on loopback for a plain http base URL: the credentials would cross the \
         network unencrypted"
    );
    assert!(!e.to_string().contains(AUTH_TOKEN));
}

// ---- 17. localhost ----

#[test]
fn a_localhost_base_url_reaches_the_server_on_127_0_0_1() {
    let server = RawServer::always(Answer::Send(created()));
    let url = format!("http://localhost:{}", server.addr().port());
    handle(builder_at(&url).retry_policy(RetryPolicy::none()))
        .create(&params())
        .expect("localhost is 127.0.0.1");
    assert_eq!(server.requests(), 1);
}

#[test]
fn a_zero_timeout_is_refused_by_build_naming_it() {
    for (name, builder) in [
        (
            "timeout",
            builder_at("http://127.0.0.1:9").timeout(Duration::ZERO),
        ),
        (
            "connect_timeout",
            builder_at("http://127.0.0.1:9").connect_timeout(Duration::ZERO),
        ),
    ] {
        match builder.build() {
            Err(Error::InvalidInput(e)) => {
                assert_eq!(e.parameter(), name);
                assert_eq!(
                    e.to_string(),
                    format!(
                        "{name} is zero: every call would time out at once; give a bound, or \
                         Duration::MAX for none"
                    )
                );
            }
            other => panic!("expected InvalidInput for {name}, got {other:?}"),
        }
    }
}

#[test]
fn a_base_url_with_a_fragment_or_dot_segments_is_refused_not_misread() {
    for (url, rule) in [
        (
            "http://127.0.0.1:4010#frag",
            "must not have a fragment (#…)",
        ),
        (
            "https://verify.twilio.com/#x",
            "must not have a fragment (#…)",
        ),
        (
            "https://verify.twilio.com/../x",
            "must not have `.` or `..` path segments",
        ),
        (
            "https://verify.twilio.com/a/./b",
            "must not have `.` or `..` path segments",
        ),
    ] {
        match builder_at("http://127.0.0.1:9").base_url(url).build() {
            Err(Error::InvalidInput(e)) => {
                assert_eq!(e.parameter(), "base_url");
                assert_eq!(e.to_string(), format!("base_url {url:?} {rule}"));
            }
            other => panic!("expected InvalidInput for {url}, got {other:?}"),
        }
    }
    builder_at("http://127.0.0.1:9")
        .base_url("https://proxy.example.com/a.b/..c/")
        .build()
        .unwrap();
}
