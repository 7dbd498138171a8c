//! No secret is printable: not in a log line at `trace`, not in the `Debug` or `Display` of any
//! value or error the crate produces. The secrets: the auth token, the API secret, the
//! `Authorization` values they make, the JWT of an access token, and a proxy password.
//!
//! Also the CA bundle option: garbage is refused naming `ca_certificates_pem`, a real
//! certificate builds.

#[path = "support/capture_log.rs"]
mod capture_log;
#[path = "support/raw_server.rs"]
mod raw_server;

use std::error::Error as _;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use log::Level;
use raw_server::{
    ACCOUNT_SID, AUTH_TOKEN, Answer, JWT, RawServer, SERVICE_SID, TOKEN_SID, builder_at, created,
    handle, json, ok, response, token_json, twilio_error,
};
use twilio_verify::{
    CreateAccessToken, Credentials, Error, FactorType, RetryPolicy, VerifyClient,
    VerifyClientBuilder,
};

const API_KEY_SID: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const API_SECRET: &str = "api-secret-51f9a4";
const PROXY_PASSWORD: &str = "proxy-pa55word-e2b7";

/// Every string that must never be printed.
fn secrets() -> Vec<String> {
    let basic = |user: &str, password: &str| STANDARD.encode(format!("{user}:{password}"));
    let token_basic = basic(ACCOUNT_SID, AUTH_TOKEN);
    let key_basic = basic(API_KEY_SID, API_SECRET);
    vec![
        AUTH_TOKEN.to_owned(),
        API_SECRET.to_owned(),
        JWT.to_owned(),
        PROXY_PASSWORD.to_owned(),
        format!("Basic {token_basic}"),
        format!("Basic {key_basic}"),
        token_basic,
        key_basic,
        basic("user", PROXY_PASSWORD),
    ]
}

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} shows the secret {secret:?}: {text}"
        );
    }
}

/// `Debug`, pretty `Debug` and (where there is one) `Display` of a value, all checked.
#[track_caller]
fn assert_debug_clean(what: &str, value: &dyn std::fmt::Debug) {
    assert_no_secret(what, &format!("{value:?}"));
    assert_no_secret(what, &format!("{value:#?}"));
}

/// An error, checked through its `Debug`, `Display` and every `source()` below it.
#[track_caller]
fn assert_error_clean(what: &str, error: &Error) {
    assert_debug_clean(what, error);
    assert_no_secret(what, &error.to_string());
    let mut source = error.source();
    while let Some(s) = source {
        assert_no_secret(what, &s.to_string());
        assert_no_secret(what, &format!("{s:?}"));
        source = s.source();
    }
}

fn key_client(base_url: &str) -> VerifyClientBuilder {
    VerifyClient::builder()
        .api_key(API_KEY_SID, API_SECRET)
        .base_url(base_url)
}

fn params() -> CreateAccessToken {
    CreateAccessToken::new("user-8f3a2b", FactorType::Push).factor_friendly_name("Alice's iPhone")
}

fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

/// Runs success, API error, retry, timeout, connect and decode paths with both kinds of
/// credentials and a password-carrying proxy, and returns every error produced.
fn run_every_path() -> Vec<(&'static str, Error)> {
    let mut errors = Vec::new();

    // Success: create and fetch, both kinds of credentials.
    let server = RawServer::start(vec![Answer::Send(created()), Answer::Send(ok())]);
    for builder in [
        builder_at(&server.base_url()),
        key_client(&server.base_url()),
    ] {
        let tokens = handle(builder);
        let token = tokens.create(&params()).unwrap();
        assert_eq!(token.token.expose_secret(), JWT);
        assert_debug_clean("AccessToken", &token);
        assert_no_secret("Secret Display", &token.token.to_string());
        let token = tokens.fetch(&token.sid).unwrap();
        assert_debug_clean("AccessToken", &token);
    }
    // The server did receive the secrets: they were in reach of every log line.
    let recorded = server.recorded();
    assert_eq!(
        recorded[0].header("Authorization"),
        Some(
            format!(
                "Basic {}",
                STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"))
            )
            .as_str()
        )
    );

    // API errors: Twilio's JSON and an HTML page.
    let server = RawServer::start(vec![
        Answer::Send(twilio_error(401, 20003, &[("Twilio-Request-Id", "RQ1")])),
        Answer::Send(response(
            500,
            &[("Content-Type", "text/html")],
            b"<html>oops</html>",
        )),
    ]);
    let tokens = handle(builder_at(&server.base_url()).retry_policy(quick()));
    errors.push(("401", tokens.create(&params()).unwrap_err()));
    errors.push(("500 html", tokens.create(&params()).unwrap_err()));

    // Retries, logged at warn: 429 then 201 on create, 503 then 200 on fetch; and a 503 that
    // outlasts the attempts.
    let server = RawServer::start(vec![
        Answer::Send(twilio_error(429, 20429, &[("Retry-After", "0")])),
        Answer::Send(created()),
        Answer::Send(twilio_error(503, 20503, &[])),
        Answer::Send(ok()),
        Answer::Send(twilio_error(503, 20503, &[])),
    ]);
    let tokens = handle(key_client(&server.base_url()).retry_policy(quick()));
    tokens.create(&params()).unwrap();
    tokens.fetch(TOKEN_SID).unwrap();
    errors.push(("503 x3", tokens.fetch(TOKEN_SID).unwrap_err()));
    assert_eq!(server.requests(), 7);

    // Timeouts: a hung server, retried on fetch.
    let server = RawServer::always(Answer::Hang);
    let tokens = handle(
        builder_at(&server.base_url())
            .retry_policy(quick().max_attempts(2))
            .timeout(Duration::from_millis(300)),
    );
    let e = tokens.fetch(TOKEN_SID).unwrap_err();
    assert!(e.is_timeout());
    errors.push(("timeout", e));
    assert_eq!(server.requests(), 2);

    // A reset mid-body that had already carried the JWT, and a connection refused.
    let mut partial = ok();
    partial.truncate(partial.len() - 10);
    let server = RawServer::always(Answer::SendThenReset(partial));
    let tokens = handle(key_client(&server.base_url()).retry_policy(quick()));
    errors.push(("reset", tokens.fetch(TOKEN_SID).unwrap_err()));
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", refused.local_addr().unwrap());
    drop(refused);
    let tokens = handle(builder_at(&base).retry_policy(quick()));
    errors.push(("refused", tokens.create(&params()).unwrap_err()));

    // Decode errors around a JWT: a missing field, a field of the wrong type, truncated JSON.
    let missing_sid = token_json(JWT).replace(&format!(r#""sid":"{TOKEN_SID}","#), "");
    let wrong_type = token_json(JWT).replace(r#""ttl":60"#, &format!(r#""ttl":"{JWT}""#));
    let truncated = token_json(JWT);
    let truncated = &truncated[..truncated.len() - 20];
    let server = RawServer::start(vec![
        Answer::Send(json(201, &missing_sid)),
        Answer::Send(json(201, &wrong_type)),
        Answer::Send(json(201, truncated)),
    ]);
    let tokens = handle(builder_at(&server.base_url()));
    for what in ["missing sid", "wrong type", "truncated"] {
        let e = tokens.create(&params()).unwrap_err();
        assert!(matches!(e, Error::Decode(_)), "{what}: {e:?}");
        errors.push((what, e));
    }

    // A proxy with a password, which refuses the tunnel.
    let proxy = RawServer::always(Answer::SendThenClose(
        b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".to_vec(),
    ));
    let client = VerifyClient::builder()
        .api_key(API_KEY_SID, API_SECRET)
        .proxy(format!("http://user:{PROXY_PASSWORD}@{}", proxy.addr()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    assert_debug_clean("client with proxy", &client);
    let e = client
        .access_tokens(SERVICE_SID)
        .unwrap()
        .create(&params())
        .unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    errors.push(("proxy 407", e));
    assert_eq!(proxy.requests(), 1);
    assert!(
        proxy.recorded()[0]
            .header("Proxy-Authorization")
            .is_some_and(|v| v.ends_with(&STANDARD.encode(format!("user:{PROXY_PASSWORD}")))),
        "the proxy got its password"
    );

    errors
}

#[test]
fn no_secret_reaches_a_log_line_or_an_error_on_any_path_at_trace_level() {
    capture_log::install();
    let errors = run_every_path();
    for (what, error) in &errors {
        assert_error_clean(what, error);
    }

    let lines = capture_log::lines();
    let mut checked = 0;
    for (target, line) in &lines {
        // Exempt: ureq's protocol layer hex-dumps the raw bytes it sends and receives at trace
        // under the target `ureq_proto` — the Authorization header and every body included. No
        // library on top of ureq can close that; the README's security notes say to keep that
        // target off (for example `RUST_LOG=debug,ureq_proto=off`).
        if target.starts_with("ureq_proto") {
            continue;
        }
        assert_no_secret(&format!("log line {line:?}"), line);
        checked += 1;
    }

    // The logger did see the crate's own lines and ureq's, at every level.
    let has = |level: Level, target: &str, text: &str| {
        lines.iter().any(|(t, l)| {
            t.starts_with(target) && l.starts_with(level.as_str()) && l.contains(text)
        })
    };
    assert!(has(
        Level::Debug,
        "twilio_verify",
        &format!("POST /v2/Services/{SERVICE_SID}/AccessTokens -> 201")
    ));
    assert!(has(
        Level::Debug,
        "twilio_verify",
        &format!("GET /v2/Services/{SERVICE_SID}/AccessTokens/{TOKEN_SID} -> 200")
    ));
    assert!(has(
        Level::Warn,
        "twilio_verify",
        "HTTP 429 on attempt 1 of 3"
    ));
    assert!(has(
        Level::Warn,
        "twilio_verify",
        "HTTP 503 on attempt 1 of 3"
    ));
    assert!(has(Level::Warn, "twilio_verify", "transport error"));
    assert!(has(Level::Debug, "ureq", ""));
    assert!(has(Level::Trace, "ureq", ""));
    assert!(checked > 50, "only {checked} lines checked");
}

// ---- Debug and Display of every value ----

#[test]
fn debug_of_builder_client_and_credentials_shows_no_secret() {
    for builder in [
        builder_at("https://verify.twilio.com"),
        key_client("https://verify.twilio.com").account_sid(ACCOUNT_SID),
    ] {
        let builder = builder.proxy(format!("http://user:{PROXY_PASSWORD}@127.0.0.1:3128"));
        assert_debug_clean("builder", &builder);
        let client = builder.build().unwrap();
        assert_debug_clean("client", &client);
        assert_debug_clean("credentials", client.credentials());
        let tokens = client.access_tokens(SERVICE_SID).unwrap();
        assert_debug_clean("handle", &tokens);
    }
    let credentials = Credentials::auth_token(ACCOUNT_SID, AUTH_TOKEN).unwrap();
    assert_debug_clean("credentials", &credentials);
    let credentials = Credentials::api_key(API_KEY_SID, API_SECRET).unwrap();
    assert_debug_clean("credentials", &credentials);
}

#[test]
fn invalid_input_errors_show_no_secret() {
    let cases: Vec<(&str, Result<VerifyClient, Error>)> = vec![
        (
            "missing account sid",
            VerifyClient::builder().auth_token(AUTH_TOKEN).build(),
        ),
        (
            "bad account sid",
            VerifyClient::builder()
                .account_sid("ACnope")
                .auth_token(AUTH_TOKEN)
                .build(),
        ),
        (
            "bad api key sid",
            VerifyClient::builder()
                .api_key("SKnope", API_SECRET)
                .build(),
        ),
        ("plain http", builder_at("http://verify.twilio.com").build()),
        (
            "bad proxy",
            builder_at("https://verify.twilio.com")
                .proxy(format!("http://user:{PROXY_PASSWORD}@[::1"))
                .build(),
        ),
        (
            "bad ca bundle",
            builder_at("https://verify.twilio.com")
                .ca_certificates_pem(format!("not a pem {AUTH_TOKEN}"))
                .build(),
        ),
    ];
    for (what, result) in cases {
        let e = result.expect_err(what);
        assert!(matches!(e, Error::InvalidInput(_)), "{what}: {e:?}");
        assert_error_clean(what, &e);
    }
    let tokens = handle(builder_at("https://verify.twilio.com"));
    for (params, parameter) in [
        (
            CreateAccessToken::new("user-8f3a2b", FactorType::Push).ttl(30),
            "ttl",
        ),
        (CreateAccessToken::new("u", FactorType::Push), "identity"),
    ] {
        let e = tokens.create(&params).unwrap_err();
        assert!(
            matches!(&e, Error::InvalidInput(i) if i.parameter() == parameter),
            "{parameter}: {e:?}"
        );
        assert_error_clean(parameter, &e);
    }
}

// ---- The CA bundle ----

/// A self-signed P-256 CA certificate made for this test (`CN=twilio-verify test CA`).
const TEST_CA_PEM: &str = "\
-----BEGIN CERTIFICATE-----
MIIBljCCAT2gAwIBAgIUcWOoMhHY1DtCp25aZxX9W98t5C0wCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVdHdpbGlvLXZlcmlmeSB0ZXN0IENBMCAXDTI2MTEyNjAyMjQz
OFoYDzIxMjYxMTAyMDIyNDM4WjAgMR4wHAYDVQQDDBV0d2lsaW8tdmVyaWZ5IHRl
c3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQLWaiNBZwBmlOze3n8bG8E
simvGdVyVwSLkRcf7q2HymrCB77B4flsexscIlZ6kXcFnWOQIScXNQr4K0DGrPhX
o1MwUTAdBgNVHQ4EFgQU2l4W/AVo2Y/PqhAUKL5sSeVhR80wHwYDVR0jBBgwFoAU
2l4W/AVo2Y/PqhAUKL5sSeVhR80wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNHADBEAiBw364ISYwuaFVpL4g1Ht50PFGp1kBieXendO9X2yfbiQIgVFXabP+k
f06rAE54TgC66fPUHeJ9iWyqVw5aml8V3qc=
-----END CERTIFICATE-----
";

#[test]
fn ca_bundle_of_garbage_is_invalid_input_naming_ca_certificates_pem() {
    for garbage in [
        &b"definitely not PEM"[..],
        b"",
        b"\xff\xfe\x00binary",
        b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n",
        b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIB2zs1nG7Xr3Lq0Q5d4l3Yc1ZlQeY8m4nS8b1u7pJZ1f\n-----END PRIVATE KEY-----\n",
    ] {
        let result = builder_at("https://verify.twilio.com")
            .ca_certificates_pem(garbage)
            .build();
        let Err(Error::InvalidInput(e)) = result else {
            panic!("expected InvalidInput for {garbage:?}, got {result:?}");
        };
        assert_eq!(e.parameter(), "ca_certificates_pem");
        assert!(e.to_string().contains("ca_certificates_pem"), "{e}");
    }
}

#[test]
fn ca_bundle_with_a_real_certificate_builds_with_or_without_other_text() {
    let client = builder_at("https://verify.twilio.com")
        .ca_certificates_pem(TEST_CA_PEM)
        .build()
        .expect("a real certificate is accepted");
    assert_eq!(client.base_url(), "https://verify.twilio.com");
    let bundle = format!("# corporate roots\n{TEST_CA_PEM}\n{TEST_CA_PEM}");
    builder_at("https://verify.twilio.com")
        .ca_certificates_pem(bundle.into_bytes())
        .build()
        .expect("a bundle with comments and two certificates is accepted");
}
