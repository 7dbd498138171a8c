//! Proxies: an explicit `.proxy(url)`, and `HTTPS_PROXY` / `ALL_PROXY` from the environment,
//! each pointed at a local `TcpListener` that plays the proxy. Nothing beyond 127.0.0.1 is
//! touched: with a CONNECT proxy the target host is resolved by the proxy, never locally, and our
//! "proxy" refuses every tunnel.
//!
//! Environment variables are process-wide, and changing them under a multi-threaded test harness
//! is unsound, so the environment cases re-run this test binary as a child process with the
//! variables set, running one `#[ignore]`d test by exact name.

#[path = "support/raw_server.rs"]
mod raw_server;

use std::process::Command;

use raw_server::{
    AUTH_TOKEN, Answer, RawServer, SERVICE_SID, auth_token_builder, builder_at, created, handle,
};
use twilio_verify::{CreateAccessToken, Error, FactorType, RetryPolicy, VerifyClient};

/// What the child reads to know it was started by a parent test.
const CHILD_FLAG: &str = "TWILIO_VERIFY_PROXY_TEST_CHILD";
/// Where the child's loopback server listens, for the loopback case.
const CHILD_BASE_URL: &str = "TWILIO_VERIFY_PROXY_TEST_BASE_URL";

/// Every proxy variable (ureq's list; the client reads only the https, all and no ones); the
/// child starts with none of them.
const PROXY_VARS: [&str; 8] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A proxy that refuses every tunnel.
fn refusing_proxy() -> RawServer {
    RawServer::always(Answer::SendThenClose(
        b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".to_vec(),
    ))
}

fn params() -> CreateAccessToken {
    CreateAccessToken::new("user-8f3a2b", FactorType::Push)
}

/// Asserts the proxy saw exactly one `CONNECT verify.twilio.com:443`, carrying none of our
/// credentials.
#[track_caller]
fn assert_one_connect_to_twilio(proxy: &RawServer) {
    assert_eq!(proxy.connections(), 1);
    let recorded = proxy.recorded();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert_eq!(
        recorded[0].request_line(),
        "CONNECT verify.twilio.com:443 HTTP/1.1"
    );
    assert_eq!(recorded[0].header("Host"), Some("verify.twilio.com:443"));
    assert_eq!(recorded[0].header("Authorization"), None);
    assert!(!recorded[0].head.contains(AUTH_TOKEN));
    assert!(recorded[0].body.is_empty());
}

/// A client with the test credentials and no retries, going through `proxy`.
fn client_via(proxy: &RawServer) -> VerifyClient {
    auth_token_builder()
        .proxy(format!("http://{}", proxy.addr()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[test]
fn explicit_proxy_gets_connect_verify_twilio_com_443_and_a_403_is_a_transport_error() {
    let proxy = refusing_proxy();
    let client = client_via(&proxy);
    assert_eq!(client.base_url(), "https://verify.twilio.com");
    let result = client.access_tokens(SERVICE_SID).unwrap().create(&params());
    let Err(Error::Transport(e)) = result else {
        panic!("expected Error::Transport, got {result:?}");
    };
    assert!(e.is_connect(), "{e:?}");
    assert!(!e.is_timeout());
    assert_eq!(e.attempts(), 1);
    assert_one_connect_to_twilio(&proxy);
}

#[test]
fn explicit_proxy_that_closes_without_answering_is_a_transport_error_for_fetch() {
    let proxy = RawServer::always(Answer::Close);
    let result = client_via(&proxy)
        .access_tokens(SERVICE_SID)
        .unwrap()
        .fetch("YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    let Err(Error::Transport(e)) = result else {
        panic!("expected Error::Transport, got {result:?}");
    };
    assert!(!e.is_timeout(), "{e:?}");
    assert_eq!(e.attempts(), 1);
    assert_one_connect_to_twilio(&proxy);
}

#[test]
fn explicit_proxy_is_used_for_a_loopback_base_url_too() {
    let proxy = refusing_proxy();
    let server = RawServer::always(Answer::Send(created()));
    let result = handle(
        builder_at(&server.base_url())
            .proxy(format!("http://{}", proxy.addr()))
            .retry_policy(RetryPolicy::none()),
    )
    .create(&params());
    assert!(
        matches!(&result, Err(Error::Transport(e)) if e.is_connect()),
        "{result:?}"
    );
    assert_eq!(
        proxy.recorded()[0].request_line(),
        format!("CONNECT {} HTTP/1.1", server.addr())
    );
    assert_eq!(
        server.connections(),
        0,
        "the explicit proxy was asked, not the server"
    );
}

#[test]
fn explicit_proxy_url_that_does_not_parse_is_invalid_input_naming_proxy() {
    let result = auth_token_builder().proxy("http://[not a host").build();
    let Err(Error::InvalidInput(e)) = result else {
        panic!("expected Error::InvalidInput, got {result:?}");
    };
    assert_eq!(e.parameter(), "proxy");
    assert!(
        !e.to_string().contains("not a host"),
        "the URL may hold a password"
    );
}

/// Re-runs this binary to run the ignored test `name` alone, with `vars` as its only proxy
/// settings, and checks that it ran and passed.
fn run_child(name: &str, vars: &[(&str, String)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([
        "--ignored",
        "--exact",
        name,
        "--test-threads=1",
        "--nocapture",
    ]);
    for var in PROXY_VARS {
        command.env_remove(var);
    }
    command.env(CHILD_FLAG, "1");
    for (var, value) in vars {
        command.env(var, value);
    }
    let output = command.output().expect("the test binary re-runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "child {name} failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "child {name} did not run:\n{stdout}"
    );
}

fn is_child() -> bool {
    std::env::var_os(CHILD_FLAG).is_some()
}

/// Run by [`https_proxy_from_the_environment_gets_connect_for_verify_twilio_com_443`] and
/// [`all_proxy_from_the_environment_gets_connect_for_verify_twilio_com_443`] in a child process.
#[test]
#[ignore = "run in a child process with proxy variables set"]
fn child_default_base_url_uses_the_environment_proxy() {
    if !is_child() {
        return;
    }
    let result = handle(auth_token_builder().retry_policy(RetryPolicy::none())).create(&params());
    let Err(Error::Transport(e)) = result else {
        panic!("expected Error::Transport from the refusing proxy, got {result:?}");
    };
    assert!(e.is_connect(), "{e:?}");
    assert_eq!(e.attempts(), 1);
}

/// Run by [`loopback_base_url_ignores_https_proxy_and_all_proxy`] in a child process.
#[test]
#[ignore = "run in a child process with proxy variables set"]
fn child_loopback_base_url_ignores_the_environment_proxy() {
    if !is_child() {
        return;
    }
    let base_url = std::env::var(CHILD_BASE_URL).expect("parent sets the base URL");
    handle(builder_at(&base_url).retry_policy(RetryPolicy::none()))
        .create(&params())
        .expect("goes straight to the loopback server");
}

/// Sets `var` to a refusing proxy for a child making a call to the default base URL, and
/// asserts the proxy was asked for exactly one tunnel to Twilio.
fn assert_environment_proxy_is_used(var: &str) {
    let proxy = refusing_proxy();
    run_child(
        "child_default_base_url_uses_the_environment_proxy",
        &[(var, format!("http://{}", proxy.addr()))],
    );
    assert_one_connect_to_twilio(&proxy);
}

#[test]
fn https_proxy_from_the_environment_gets_connect_for_verify_twilio_com_443() {
    assert_environment_proxy_is_used("HTTPS_PROXY");
}

#[test]
fn all_proxy_from_the_environment_gets_connect_for_verify_twilio_com_443() {
    assert_environment_proxy_is_used("ALL_PROXY");
}

#[test]
fn loopback_base_url_ignores_https_proxy_and_all_proxy() {
    let proxy = refusing_proxy();
    let server = RawServer::always(Answer::Send(created()));
    let proxy_url = format!("http://{}", proxy.addr());
    run_child(
        "child_loopback_base_url_ignores_the_environment_proxy",
        &[
            (CHILD_BASE_URL, server.base_url()),
            ("HTTPS_PROXY", proxy_url.clone()),
            ("ALL_PROXY", proxy_url.clone()),
            ("HTTP_PROXY", proxy_url),
        ],
    );
    assert_eq!(server.requests(), 1);
    assert_eq!(server.connections(), 1);
    assert_eq!(proxy.connections(), 0, "no proxy for a loopback base URL");
}

#[test]
fn socks5_proxy_set_by_hand_is_asked_for_twilio_by_name() {
    use std::io::{Read, Write};

    // A SOCKS5 proxy that accepts "no authentication", reads the CONNECT request, refuses it
    // ("connection not allowed by ruleset") and hands back what the client asked for.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let proxy = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut greeting = [0u8; 2];
        socket.read_exact(&mut greeting).unwrap();
        let mut methods = vec![0u8; greeting[1] as usize];
        socket.read_exact(&mut methods).unwrap();
        socket.write_all(&[0x05, 0x00]).unwrap();
        let mut head = [0u8; 5];
        socket.read_exact(&mut head).unwrap();
        let mut rest = vec![0u8; head[4] as usize + 2];
        socket.read_exact(&mut rest).unwrap();
        socket
            .write_all(&[0x05, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0])
            .unwrap();
        (greeting[0], methods, head, rest)
    });
    let tokens = handle(
        auth_token_builder()
            .proxy(format!("socks5h://{addr}"))
            .retry_policy(RetryPolicy::none()),
    );
    let result = tokens.create(&params());
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    let (version, methods, head, rest) = proxy.join().unwrap();
    assert_eq!(version, 0x05);
    assert!(methods.contains(&0x00), "{methods:?}");
    // CONNECT (1) to a domain name (3), resolved by the proxy, not by us.
    assert_eq!(head[..4], [0x05, 0x01, 0x00, 0x03]);
    let (host, port) = rest.split_at(head[4] as usize);
    assert_eq!(host, b"verify.twilio.com");
    assert_eq!(port, 443u16.to_be_bytes());
}
