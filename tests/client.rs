//! The client: building and its refusals, region and edge, `from_env`, what it prints, and
//! sharing it between threads and structs.

mod support;

use std::process::Command;
use std::thread;

use httpmock::MockServer;
use support::*;
use twilio_verify::{
    AccessToken, AccessTokens, ApiError, CreateAccessToken, Credentials, DecodeError, Error,
    FactorType, InvalidInput, RetryPolicy, Secret, TransportError, VerifyClient,
    VerifyClientBuilder,
};

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// Compile-time: the client and its handle can be shared and sent between threads and cloned;
/// every error type can cross threads and be boxed as `dyn Error + Send + Sync + 'static`.
const _: () = {
    const fn shareable<T: Send + Sync + Clone + 'static>() {}
    const fn error<T: std::error::Error + Send + Sync + 'static>() {}
    shareable::<VerifyClient>();
    shareable::<AccessTokens>();
    shareable::<AccessToken>();
    error::<Error>();
    error::<InvalidInput>();
    error::<ApiError>();
    error::<TransportError>();
    error::<DecodeError>();
};

#[test]
fn error_stays_under_clippys_result_large_err_threshold() {
    assert!(std::mem::size_of::<Error>() < 128);
}

// ---------------------------------------------------------------------------------------------
// build() refuses, and nothing is sent
// ---------------------------------------------------------------------------------------------

/// Builds with `configure` applied to a builder aimed at a catch-all mock; asserts the mock saw
/// nothing and returns the refusal's parameter and Display.
fn refused(
    configure: impl FnOnce(VerifyClientBuilder, &MockServer) -> VerifyClientBuilder,
) -> (String, String) {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let base = VerifyClient::builder().base_url(server.base_url());
    let refusal = invalid_input(configure(base, &server).build());
    mock.assert_calls(0);
    refusal
}

/// Auth-token credentials on `builder`.
fn creds(builder: VerifyClientBuilder) -> VerifyClientBuilder {
    builder.account_sid(AC).auth_token(AUTH_TOKEN)
}

#[test]
fn build_refuses_a_malformed_account_sid_without_echoing_it() {
    assert_eq!(
        refused(|b, _| b.account_sid("ACnope").auth_token(AUTH_TOKEN)),
        pair(
            "account_sid",
            "invalid input: account_sid is malformed: must be \"AC\" followed by 32 hex digits"
        )
    );
    assert_eq!(
        refused(|b, _| b.account_sid(SK).auth_token(AUTH_TOKEN)).0,
        "account_sid"
    );
    // Arguments swapped: the secret lands where the SID belongs and must not be printed.
    let (_, display) = refused(|b, _| b.account_sid(AUTH_TOKEN).auth_token(AC));
    assert!(!display.contains(AUTH_TOKEN), "{display}");
}

#[test]
fn build_refuses_a_malformed_api_key_sid_without_echoing_it() {
    assert_eq!(
        refused(|b, _| b.api_key(AC, API_SECRET)),
        pair(
            "api_key_sid",
            "invalid input: api_key_sid is malformed: must be \"SK\" followed by 32 hex digits"
        )
    );
    let (_, display) = refused(|b, _| b.api_key(API_SECRET, SK));
    assert!(!display.contains(API_SECRET), "{display}");
}

#[test]
fn build_refuses_a_malformed_account_sid_next_to_an_api_key() {
    assert_eq!(
        refused(|b, _| b.api_key(SK, API_SECRET).account_sid("AC123")).0,
        "account_sid"
    );
}

#[test]
fn build_refuses_an_empty_auth_token() {
    assert_eq!(
        refused(|b, _| b.account_sid(AC).auth_token("")),
        pair("auth_token", "invalid input: auth_token is empty")
    );
}

#[test]
fn build_refuses_an_empty_api_secret() {
    assert_eq!(
        refused(|b, _| b.api_key(SK, "")),
        pair("api_secret", "invalid input: api_secret is empty")
    );
}

#[test]
fn build_refuses_missing_credentials_naming_what_is_missing() {
    assert_eq!(
        refused(|b, _| b.account_sid(AC)),
        pair(
            "auth_token",
            "invalid input: auth_token is not set: give the account's auth token, or use api_key"
        )
    );
    assert_eq!(
        refused(|b, _| b.auth_token(AUTH_TOKEN)),
        pair(
            "account_sid",
            "invalid input: account_sid is not set: give the account SID that owns the auth token"
        )
    );
    assert_eq!(
        refused(|b, _| b),
        pair(
            "credentials",
            "invalid input: no credentials: set account_sid and auth_token, or api_key"
        )
    );
}

#[test]
fn build_refuses_an_unparseable_base_url() {
    assert_eq!(
        refused(|b, _| creds(b).base_url("not a url")),
        pair(
            "base_url",
            "invalid input: base_url \"not a url\" is not a valid URL"
        )
    );
    assert_eq!(
        refused(|b, _| creds(b).base_url("/v2")),
        pair(
            "base_url",
            "invalid input: base_url \"/v2\" must be an absolute http(s) URL such as https://verify.twilio.com"
        )
    );
}

#[test]
fn build_refuses_plain_http_to_a_non_loopback_host() {
    assert_eq!(
        refused(|b, _| creds(b).base_url("http://verify.twilio.com")),
        pair(
            "base_url",
            "invalid input: base_url \"http://verify.twilio.com\" uses plain http: credentials are \
             sent only over https, or to a loopback host (127.0.0.1, ::1, localhost)"
        )
    );
    assert_eq!(
        refused(|b, _| creds(b).base_url("http://10.0.0.1:8080")).0,
        "base_url"
    );
}

#[test]
fn build_refuses_other_schemes_user_info_and_queries_in_the_base_url() {
    assert_eq!(
        refused(|b, _| creds(b).base_url("ftp://verify.twilio.com")),
        pair(
            "base_url",
            "invalid input: base_url scheme \"ftp\" is not supported: must be https"
        )
    );
    let (parameter, display) =
        refused(|b, _| creds(b).base_url("https://user:hunter2@verify.twilio.com"));
    assert_eq!(parameter, "base_url");
    assert_eq!(
        display,
        "invalid input: base_url must not carry user info: set credentials on the builder"
    );
    assert!(!display.contains("hunter2"));
    assert_eq!(
        refused(|b, s| creds(b).base_url(format!("{}/?a=b", s.base_url()))).0,
        "base_url"
    );
}

#[test]
fn build_refuses_a_malformed_region_or_edge() {
    assert_eq!(
        refused(|b, _| creds(b).region("au1.evil")),
        pair(
            "region",
            "invalid input: region \"au1.evil\" is malformed: must be letters, digits and '-' \
             (like \"au1\" or \"sydney\")"
        )
    );
    assert_eq!(refused(|b, _| creds(b).edge("")).0, "edge");
}

#[test]
fn build_refusals_never_show_the_secret() {
    let (_, display) = refused(|b, _| b.account_sid("ACbad").auth_token("s3cr3t-token"));
    assert!(!display.contains("s3cr3t-token"));
    let (_, display) = refused(|b, _| b.api_key("SKbad", "s3cr3t-secret"));
    assert!(!display.contains("s3cr3t-secret"));
}

#[test]
fn new_is_the_short_form_and_refuses_the_same_input() {
    let client = VerifyClient::new(AC, AUTH_TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://verify.twilio.com");
    assert_eq!(client.credentials().account_sid().unwrap().as_str(), AC);
    let err = VerifyClient::new("AC", AUTH_TOKEN).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(e) if e.parameter() == "account_sid"));
    let err = VerifyClient::new(AC, "").unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(e) if e.parameter() == "auth_token"));
}

// ---------------------------------------------------------------------------------------------
// Where requests go
// ---------------------------------------------------------------------------------------------

fn base_url(configure: impl FnOnce(VerifyClientBuilder) -> VerifyClientBuilder) -> String {
    configure(creds(VerifyClient::builder()))
        .build()
        .unwrap()
        .base_url()
        .to_owned()
}

#[test]
fn region_and_edge_rewrite_the_twilio_host_like_the_official_sdks() {
    assert_eq!(base_url(|b| b), "https://verify.twilio.com");
    assert_eq!(
        base_url(|b| b.region("au1")),
        "https://verify.au1.twilio.com"
    );
    assert_eq!(
        base_url(|b| b.region("au1").edge("sydney")),
        "https://verify.sydney.au1.twilio.com"
    );
    assert_eq!(
        base_url(|b| b.edge("dublin")),
        "https://verify.dublin.us1.twilio.com"
    );
    assert_eq!(
        base_url(|b| b
            .base_url("https://verify.twilio.com/")
            .region("ie1")
            .edge("dublin")),
        "https://verify.dublin.ie1.twilio.com"
    );
}

#[test]
fn region_and_edge_leave_a_non_twilio_host_alone() {
    assert_eq!(
        base_url(|b| b
            .base_url("http://127.0.0.1:4010")
            .region("au1")
            .edge("sydney")),
        "http://127.0.0.1:4010"
    );
    assert_eq!(
        base_url(|b| b.base_url("https://twilio.example.com/").region("au1")),
        "https://twilio.example.com"
    );
}

#[test]
fn plain_http_is_accepted_for_every_loopback_host() {
    for url in [
        "http://127.0.0.1:4010",
        "http://localhost:4010",
        "http://[::1]:4010",
    ] {
        assert_eq!(base_url(|b| b.base_url(url)), url);
    }
}

#[test]
fn a_base_url_path_prefix_is_kept_and_its_trailing_slash_dropped() {
    let server = MockServer::start();
    let (_mock, log) = recorder(&server, 200, FETCH_200, &[]);
    let client = builder(&server)
        .base_url(server.url("/prefix/"))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.url("/prefix"));
    client.access_tokens(VA).unwrap().fetch(YK).unwrap();
    assert_eq!(only(&log).path, format!("/prefix{}", fetch_path(YK)));
}

#[test]
fn an_explicit_proxy_is_used_for_a_loopback_base_url_too() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 200, FETCH_200, &[]);
    let client = builder(&server)
        .proxy(format!("http://127.0.0.1:{}", closed_port()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.access_tokens(VA).unwrap().fetch(YK).unwrap_err();
    assert!(transport_error(&err).is_connect(), "{err:?}");
    mock.assert_calls(0);
}

// ---------------------------------------------------------------------------------------------
// What it prints
// ---------------------------------------------------------------------------------------------

fn platform() -> String {
    format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)
}

/// The exact `Debug` of auth-token credentials for [`AC`].
fn auth_token_debug() -> String {
    format!("AuthToken {{ account_sid: \"{AC}\", auth_token: Secret([redacted]) }}")
}

/// The exact `Debug` of API-key credentials for [`SK`], with `account_sid` as it is printed.
fn api_key_debug(account_sid: &str) -> String {
    format!(
        "ApiKey {{ api_key_sid: \"{SK}\", api_secret: Secret([redacted]), account_sid: {account_sid} }}"
    )
}

/// The exact `Debug` of a client for `http://127.0.0.1:4010` with `credentials` (as printed),
/// the default timeouts and delays, `max_attempts`, and no proxy.
fn client_debug(credentials: &str, max_attempts: u32) -> String {
    format!(
        "VerifyClient {{ base_url: \"http://127.0.0.1:4010\", credentials: {credentials}, \
         user_agent: \"twilio-verify-rust/0.1.0 ({})\", \
         connect_timeout: 10s, timeout: 30s, \
         retry_policy: RetryPolicy {{ max_attempts: {max_attempts}, base_delay: 200ms, max_delay: 5s }}, \
         proxy: None }}",
        platform()
    )
}

#[test]
fn client_debug_is_exact_and_redacts_the_auth_token() {
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url("http://127.0.0.1:4010/")
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert_eq!(debug, client_debug(&auth_token_debug(), 3));
    assert!(!debug.contains(AUTH_TOKEN));
    assert!(!format!("{client:#?}").contains(AUTH_TOKEN));
}

#[test]
fn client_debug_with_an_api_key_redacts_the_secret() {
    let client = VerifyClient::builder()
        .api_key(SK, API_SECRET)
        .base_url("http://127.0.0.1:4010")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert_eq!(debug, client_debug(&api_key_debug("None"), 1));
    assert!(!debug.contains(API_SECRET));
}

#[test]
fn client_debug_shows_an_explicit_proxy_without_its_user_info() {
    let client = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .proxy("http://proxyuser:proxypass@proxy.internal:3128")
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(
        debug.ends_with("proxy: Some(\"proxy.internal:3128\") }"),
        "{debug}"
    );
    assert!(!debug.contains("proxypass"), "{debug}");
    assert!(!debug.contains("proxyuser"), "{debug}");
}

#[test]
fn credentials_debug_is_exact_for_both_kinds() {
    let auth = Credentials::auth_token(AC, AUTH_TOKEN).unwrap();
    assert_eq!(format!("{auth:?}"), auth_token_debug());
    let key = Credentials::api_key(SK, API_SECRET).unwrap();
    assert_eq!(format!("{key:?}"), api_key_debug("None"));
    let with_account = VerifyClient::builder()
        .api_key(SK, API_SECRET)
        .account_sid(AC)
        .build()
        .unwrap();
    assert_eq!(
        format!("{:?}", with_account.credentials()),
        api_key_debug(&format!("Some(\"{AC}\")"))
    );
    for text in [
        format!("{auth:#?}"),
        format!("{key:#?}"),
        format!("{with_account:#?}"),
    ] {
        assert!(
            !text.contains(AUTH_TOKEN) && !text.contains(API_SECRET),
            "{text}"
        );
    }
}

#[test]
fn access_token_debug_is_exact_and_never_shows_the_jwt() {
    let server = MockServer::start();
    let (_mock, _log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    let token = client(&server)
        .access_tokens(VA)
        .unwrap()
        .create(&CreateAccessToken::new(
            "ff483d1ff591898a9942916050d2ca3f",
            FactorType::Push,
        ))
        .unwrap();
    let debug = format!("{token:?}");
    assert_eq!(
        debug,
        format!(
            "AccessToken {{ sid: \"{YK}\", account_sid: \"{AC}\", service_sid: \"{VA}\", \
             entity_identity: \"ff483d1ff591898a9942916050d2ca3f\", factor_type: Push, \
             factor_friendly_name: Some(\"John Doe iPhone\"), token: Secret([redacted]), \
             url: \"https://verify.twilio.com/v2/Services/{VA}/AccessTokens/{YK}\", \
             ttl: 300, date_created: {:?} }}",
            example_date_created()
        )
    );
    let jwt = example_jwt();
    assert!(!debug.contains(&jwt));
    assert!(!format!("{token:#?}").contains(&jwt));
    assert!(!format!("{:?}", token.token).contains(&jwt));
    assert_eq!(token.token.to_string(), "[redacted]");
    assert_eq!(token.token.expose_secret(), jwt);
}

#[test]
fn secret_prints_only_its_redaction() {
    let secret = Secret::new("hunter2");
    assert_eq!(format!("{secret:?}"), "Secret([redacted])");
    assert_eq!(format!("{secret:#?}"), "Secret([redacted])");
    assert_eq!(format!("{secret}"), "[redacted]");
}

#[test]
fn builder_debug_redacts_secrets() {
    let builder = VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .api_key(SK, API_SECRET)
        .proxy("http://u:proxypass@proxy.internal:3128");
    let debug = format!("{builder:?}");
    for secret in [AUTH_TOKEN, API_SECRET, "proxypass"] {
        assert!(!debug.contains(secret), "{debug}");
    }
}

// ---------------------------------------------------------------------------------------------
// Sharing
// ---------------------------------------------------------------------------------------------

#[test]
fn one_client_shared_by_8_threads_each_doing_25_creates_succeeds() {
    const THREADS: usize = 8;
    const CREATES: usize = 25;
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method("POST")
            .path(create_path())
            .header("authorization", basic(AC, AUTH_TOKEN));
        then.status(201)
            .header("content-type", "application/json")
            .body(CREATE_WITH_TTL_201);
    });
    let client = client(&server);

    thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let client = &client;
                scope.spawn(move || {
                    let tokens = client.access_tokens(VA).unwrap();
                    for i in 0..CREATES {
                        let params =
                            CreateAccessToken::new(format!("user-{t}-{i}"), FactorType::Push)
                                .ttl(120);
                        let token = tokens.create(&params).unwrap();
                        assert_eq!(token.sid.as_str(), YK);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });

    mock.assert_calls(THREADS * CREATES);
}

#[test]
fn clones_moved_into_threads_share_the_client() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 200, FETCH_200, &[]);
    let client = client(&server);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let tokens = client.clone().access_tokens(VA).unwrap();
            thread::spawn(move || tokens.fetch(YK).unwrap().sid)
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap().as_str(), YK);
    }
    mock.assert_calls(4);
}

fn make_client(base_url: &str) -> VerifyClient {
    VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(base_url)
        .build()
        .unwrap()
}

fn make_tokens(base_url: &str) -> Result<AccessTokens, Error> {
    make_client(base_url).access_tokens(VA)
}

struct Enroller {
    tokens: AccessTokens,
}

impl Enroller {
    fn enroll(&self, user: &str) -> Result<String, Error> {
        let token = self
            .tokens
            .create(&CreateAccessToken::new(user, FactorType::Push))?;
        Ok(token.token.expose_secret().to_owned())
    }
}

#[test]
fn a_handle_from_a_temporary_client_can_be_returned_and_stored_in_a_struct() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 201, CREATE_WITH_TTL_201, &[]);
    // The client is a temporary: the handle keeps its own clone.
    let tokens = make_client(&server.base_url()).access_tokens(VA).unwrap();
    let enroller = Enroller { tokens };
    assert_eq!(enroller.enroll(EXAMPLE_IDENTITY).unwrap(), example_jwt());
    let enroller = Enroller {
        tokens: make_tokens(&server.base_url()).unwrap(),
    };
    assert_eq!(enroller.tokens.service_sid().as_str(), VA);
    assert_eq!(enroller.enroll(EXAMPLE_IDENTITY).unwrap(), example_jwt());
    mock.assert_calls(2);
}

// ---------------------------------------------------------------------------------------------
// from_env, in a child process so the environment is exactly what the test sets
// ---------------------------------------------------------------------------------------------

const CHILD: &str = "TWILIO_VERIFY_TEST_CHILD";

/// Runs `from_env_child` in a fresh copy of this test binary with only `vars` set; returns
/// what it reported.
fn from_env_with(vars: &[(&str, &str)]) -> String {
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "from_env_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env(CHILD, "1")
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.split_once("FROM_ENV: ").map(|(_, report)| report))
        .unwrap_or_else(|| panic!("no report from the child: {stdout}"))
        .to_owned()
}

/// Not a test of its own: `from_env_with` runs it in a child process.
#[test]
#[ignore = "run by the from_env tests in a child process"]
fn from_env_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let report = match VerifyClient::from_env() {
        Ok(client) => {
            // A loopback request through the environment's proxies, if any are set.
            if let Ok(base) = std::env::var("TEST_BASE_URL") {
                let client = VerifyClient::builder_from_env()
                    .unwrap()
                    .base_url(base)
                    .retry_policy(RetryPolicy::none())
                    .build()
                    .unwrap();
                let sid = client.access_tokens(VA).unwrap().fetch(YK).unwrap().sid;
                format!("fetched {sid}")
            } else {
                format!("{client:?}")
            }
        }
        Err(e) => format!("error {e}"),
    };
    println!("FROM_ENV: {report}");
}

#[test]
fn from_env_reads_account_sid_and_auth_token() {
    let report = from_env_with(&[
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
    ]);
    assert!(
        report.starts_with(&format!(
            "VerifyClient {{ base_url: \"https://verify.twilio.com\", credentials: {}",
            auth_token_debug()
        )),
        "{report}"
    );
    assert!(!report.contains(AUTH_TOKEN));
}

#[test]
fn from_env_prefers_an_api_key_and_applies_region_and_edge() {
    let report = from_env_with(&[
        ("TWILIO_API_KEY", SK),
        ("TWILIO_API_SECRET", API_SECRET),
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TWILIO_REGION", "au1"),
        ("TWILIO_EDGE", "sydney"),
    ]);
    assert!(
        report.starts_with(&format!(
            "VerifyClient {{ base_url: \"https://verify.sydney.au1.twilio.com\", credentials: {}",
            api_key_debug(&format!("Some(\"{AC}\")"))
        )),
        "{report}"
    );
    assert!(!report.contains(API_SECRET) && !report.contains(AUTH_TOKEN));
}

#[test]
fn from_env_with_only_an_api_key_needs_no_account_sid() {
    let report = from_env_with(&[("TWILIO_API_KEY", SK), ("TWILIO_API_SECRET", API_SECRET)]);
    assert!(report.contains("account_sid: None"), "{report}");
}

#[test]
fn from_env_names_the_missing_variables() {
    assert_eq!(
        from_env_with(&[]),
        "error invalid input: no credentials in the environment: set TWILIO_ACCOUNT_SID and \
         TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET"
    );
    assert_eq!(
        from_env_with(&[("TWILIO_ACCOUNT_SID", AC)]),
        "error invalid input: TWILIO_AUTH_TOKEN is not set (TWILIO_ACCOUNT_SID is)"
    );
    assert_eq!(
        from_env_with(&[("TWILIO_API_KEY", SK)]),
        "error invalid input: TWILIO_API_SECRET is not set (TWILIO_API_KEY is)"
    );
    assert_eq!(
        from_env_with(&[("TWILIO_API_SECRET", API_SECRET)]),
        "error invalid input: TWILIO_API_KEY is not set (TWILIO_API_SECRET is)"
    );
}

#[test]
fn from_env_refuses_a_malformed_account_sid() {
    assert_eq!(
        from_env_with(&[
            ("TWILIO_ACCOUNT_SID", "ACx"),
            ("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        ]),
        "error invalid input: account_sid is malformed: must be \"AC\" followed by 32 hex digits"
    );
}

#[test]
fn environment_proxies_are_never_used_for_a_loopback_base_url() {
    let server = MockServer::start();
    let (mock, _log) = recorder(&server, 200, FETCH_200, &[]);
    let dead_proxy = format!("http://127.0.0.1:{}", closed_port());
    let report = from_env_with(&[
        ("TWILIO_ACCOUNT_SID", AC),
        ("TWILIO_AUTH_TOKEN", AUTH_TOKEN),
        ("TEST_BASE_URL", &server.base_url()),
        ("ALL_PROXY", &dead_proxy),
        ("HTTPS_PROXY", &dead_proxy),
        ("HTTP_PROXY", &dead_proxy),
        ("all_proxy", &dead_proxy),
        ("https_proxy", &dead_proxy),
        ("http_proxy", &dead_proxy),
    ]);
    assert_eq!(report, format!("fetched {YK}"));
    mock.assert_calls(1);
}
