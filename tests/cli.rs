//! Runs the `twilio-verify` binary (feature `cli`) and pins its output and exit codes: 0 done,
//! 1 an API / transport / decode error, 2 a usage error or input refused before sending, and
//! for `challenges wait` 3 denied, 4 expired, 5 timed out. Most runs target an in-process
//! [`Emulator`] by `--base-url` with its credentials in the environment; the server mode runs
//! as a child process reached by other processes.

#![cfg(feature = "cli")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use httpmock::MockServer;
use serde_json::Value;
use twilio_verify::emulator::{Emulator, Fault};
use twilio_verify::{ChallengeStatus, CreateAccessToken, CreateChallenge, FactorType};

const BIN: &str = env!("CARGO_BIN_EXE_twilio-verify");

/// Every variable the binary reads: cleared before each run so the machine's own do not leak in.
const TWILIO_VARS: [&str; 7] = [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_VERIFY_SERVICE_SID",
    "TWILIO_REGION",
    "TWILIO_EDGE",
];

const IDENTITY: &str = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
const UNKNOWN_TOKEN: &str = "YK0123456789abcdef0123456789abcdef";

/// What a run printed and how it exited.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }

    /// Asserts exit 0 and returns stdout as JSON.
    #[track_caller]
    fn json(&self) -> Value {
        assert_eq!(self.code, 0, "{self:?}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// The value printed after `label` in a human summary.
    #[track_caller]
    fn field(&self, label: &str) -> &str {
        self.stdout
            .lines()
            .find_map(|line| {
                let rest = line.strip_prefix(label)?;
                rest.starts_with(' ').then(|| rest.trim())
            })
            .unwrap_or_else(|| panic!("no {label:?} line in:\n{}", self.stdout))
    }
}

fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(BIN);
    command.args(args);
    for var in TWILIO_VARS {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Run {
    finish(
        command(args, env)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs"),
    )
}

/// Runs with `stdin` as standard input.
fn run_with_stdin(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Run {
    let mut child = command(args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}

/// The binary aimed at `emulator` as if it were Twilio: `--base-url`, its credentials and
/// its service in the environment (`TWILIO_VERIFY_SERVICE_SID`).
struct Target<'a> {
    emulator: &'a Emulator,
    service: String,
}

impl<'a> Target<'a> {
    fn new(emulator: &'a Emulator) -> Self {
        Target {
            emulator,
            service: emulator.service_sid().to_string(),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        let mut all = args.to_vec();
        all.extend(["--base-url", self.emulator.base_url()]);
        run(&all, &self.env())
    }

    fn env(&self) -> [(&str, &str); 3] {
        [
            ("TWILIO_ACCOUNT_SID", self.emulator.account_sid()),
            ("TWILIO_AUTH_TOKEN", self.emulator.auth_token()),
            ("TWILIO_VERIFY_SERVICE_SID", &self.service),
        ]
    }
}

/// A phone enrolled on `emulator` for `IDENTITY`, through the library.
fn enrolled_phone(emulator: &Emulator) -> twilio_verify::emulator::Phone {
    let token = emulator
        .client()
        .access_tokens(emulator.service_sid())
        .unwrap()
        .create(&CreateAccessToken::new(IDENTITY, FactorType::Push))
        .unwrap();
    emulator.phone(token.token.expose_secret()).unwrap()
}

#[test]
fn access_tokens_create_with_emulator_prints_a_summary_with_the_token_redacted() {
    let run = run(
        &[
            "--emulator",
            "access-tokens",
            "create",
            "--identity",
            "alice-0001",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let sid = run.field("sid");
    assert!(sid.starts_with("YK") && sid.len() == 34, "{sid}");
    assert!(run.field("service").starts_with("VA"));
    assert_eq!(run.field("identity"), "alice-0001");
    assert_eq!(run.field("factor type"), "push");
    assert_eq!(run.field("ttl"), "60 s");
    assert_eq!(run.field("created").len(), 20);
    assert_eq!(run.field("token"), "[redacted] (--show-secrets prints it)");
    assert!(!run.stdout.contains("eyJ"), "no JWT without --show-secrets");
    assert!(!run.stdout.contains("friendly name"));
    let notes = run.stderr_lines();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(notes[0].starts_with("note: using an in-process emulator at http://127.0.0.1:"));
}

#[test]
fn global_options_work_before_and_after_the_subcommand() {
    let create = [
        "access-tokens",
        "create",
        "--identity",
        "bob-0001",
        "--ttl",
        "90",
    ];
    for args in [
        [&["--json", "--emulator"][..], &create].concat(),
        [&create[..], &["--json", "--emulator"]].concat(),
        [&["--emulator"][..], &create[..2], &["--json"], &create[2..]].concat(),
    ] {
        let json = run(&args, &[]).json();
        assert_eq!(json["entity_identity"], "bob-0001", "{args:?}");
        assert_eq!(json["ttl"], 90, "{args:?}");
    }
}

#[test]
fn json_writes_every_field_with_secrets_redacted_unless_show_secrets() {
    let args = [
        "--emulator",
        "--json",
        "access-tokens",
        "create",
        "--identity",
        "bob-0001",
        "--friendly-name",
        "Bob's phone",
    ];
    let json = run(&args, &[]).json();
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "account_sid",
            "date_created",
            "entity_identity",
            "factor_friendly_name",
            "factor_type",
            "service_sid",
            "sid",
            "token",
            "ttl",
            "url"
        ]
    );
    assert_eq!(json["token"], "[redacted]");
    assert_eq!(json["factor_friendly_name"], "Bob's phone");
    assert_eq!(json["date_created"].as_str().unwrap().len(), 20);

    let json = run(&[&args[..], &["--show-secrets"]].concat(), &[]).json();
    let jwt = json["token"].as_str().unwrap();
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");
    assert!(jwt.starts_with("eyJ"), "{jwt}");

    let run = run(
        &[
            "--emulator",
            "--show-secrets",
            "access-tokens",
            "create",
            "--identity",
            "bob-0001",
        ],
        &[],
    );
    assert!(run.field("token").starts_with("eyJ"), "{run:?}");
}

#[test]
fn access_tokens_create_and_fetch_with_env_credentials_and_service() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let created = target
        .run(&[
            "access-tokens",
            "create",
            "--identity",
            "carol-0001",
            "--ttl",
            "300",
            "--friendly-name",
            "Carol's tablet",
            "--json",
        ])
        .json();
    let sid = created["sid"].as_str().unwrap();
    let fetched = target.run(&["access-tokens", "fetch", "--sid", sid]);
    assert_eq!(fetched.code, 0, "{fetched:?}");
    assert_eq!(fetched.stderr, "");
    assert_eq!(fetched.field("sid"), sid);
    assert_eq!(fetched.field("friendly name"), "Carol's tablet");
    assert_eq!(fetched.field("ttl"), "300 s");

    let requests = emulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].field("Identity"), Some("carol-0001"));
    assert_eq!(requests[0].field("Ttl"), Some("300"));
    assert_eq!(requests[0].field("FactorType"), Some("push"));
    assert_eq!(
        requests[0].field("FactorFriendlyName"),
        Some("Carol's tablet")
    );
    assert_eq!(
        requests[1].path,
        format!("/v2/Services/{}/AccessTokens/{sid}", target.service)
    );
}

#[test]
fn emulator_flag_with_service_serves_that_service() {
    let service = "VAcccccccccccccccccccccccccccccccc";
    let json = run(
        &[
            "--emulator",
            "--json",
            "entities",
            "create",
            "--service",
            service,
            "--identity",
            IDENTITY,
        ],
        &[],
    )
    .json();
    assert_eq!(json["service_sid"], service);
    assert_eq!(json["identity"], IDENTITY);
}

#[test]
fn usage_errors_exit_2_with_the_usage_and_nothing_on_stdout() {
    let cases: &[&[&str]] = &[
        &["access-tokens", "create", "--emulator"],
        &["access-tokens", "create", "--identity", "alice-0001"],
        &[
            "--emulator",
            "access-tokens",
            "create",
            "--identity",
            "a-0001",
            "--ttl",
            "ten",
        ],
        &[
            "--emulator",
            "--base-url",
            "http://127.0.0.1:1",
            "entities",
            "list",
        ],
        &["--emulator", "factors", "list"],
        &["--emulator", "challenges", "create", "--identity", IDENTITY],
        &[
            "--emulator",
            "challenges",
            "wait",
            "--identity",
            IDENTITY,
            "--sid",
            "YC1",
            "--timeout",
            "soon",
        ],
        &[
            "--emulator",
            "challenges",
            "create",
            "--identity",
            IDENTITY,
            "--factor",
            "YF1",
            "--field",
            "novalue",
        ],
        &[
            "--emulator",
            "webhooks",
            "create",
            "--friendly-name",
            "n",
            "--url",
            "https://e.com",
        ],
        &[
            "--emulator",
            "phone",
            "totp",
            "--identity",
            IDENTITY,
            "--factor",
            "YF1",
        ],
        &["phone", "totp", "--identity", IDENTITY, "--factor", "YF1"],
        &["--emulator", "emulator"],
        &["emulator", "--json"],
        &[
            "emulator",
            "--api-key",
            "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        ],
        &["emulator", "--account-sid", "ACnope"],
        &["entities", "frobnicate"],
    ];
    for args in cases {
        let run = run(args, &[]);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("Usage:") || run.stderr.contains("--help"),
            "{args:?}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    let run = run(
        &["access-tokens", "create", "--identity", "alice-0001"],
        &[],
    );
    assert!(
        run.stderr.starts_with(
            "error: --service <VA…> (or TWILIO_VERIFY_SERVICE_SID) is required unless \
             --emulator is given"
        ),
        "{}",
        run.stderr
    );
    let run = run_factors_without_identity();
    assert!(
        run.stderr
            .starts_with("error: --identity <IDENTITY> is required"),
        "{}",
        run.stderr
    );
}

fn run_factors_without_identity() -> Run {
    run(&["--emulator", "factors", "list"], &[])
}

#[test]
fn input_refused_before_sending_exits_2_and_sends_nothing() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let malformed = "invalid input: identity is malformed (17 characters): must be 8 to 64 \
                     ASCII letters and digits, in groups separated by single dashes (like a \
                     UUID), and not personal data";
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "access-tokens",
                "create",
                "--identity",
                "user-0001",
                "--ttl",
                "30",
            ],
            "invalid input: ttl 30 is out of range: must be 60..=300 seconds",
        ),
        (
            &["entities", "create", "--identity", "alice@example.com"],
            malformed,
        ),
        (
            &[
                "access-tokens",
                "fetch",
                "--service",
                "VAnope",
                "--sid",
                UNKNOWN_TOKEN,
            ],
            "invalid input: service_sid is malformed (6 characters starting \"VA\"): must be \"VA\" followed by 32 hex digits",
        ),
        (
            &[
                "factors",
                "fetch",
                "--identity",
                IDENTITY,
                "--sid",
                "YFnope",
            ],
            "invalid input: factor_sid is malformed (6 characters starting \"YF\"): must be \"YF\" followed by 32 hex digits",
        ),
        (
            &[
                "challenges",
                "list",
                "--identity",
                IDENTITY,
                "--page-size",
                "0",
            ],
            "invalid input: page_size 0 is out of range: must be 1..=1000",
        ),
        (
            &[
                "phone",
                "approve",
                "--identity",
                IDENTITY,
                "--factor",
                "YF0123456789abcdef0123456789abcdef",
                "--challenge",
                "YCnope",
            ],
            "invalid input: challenge_sid is malformed (6 characters starting \"YC\"): must be \"YC\" followed by 32 hex digits",
        ),
        (
            &["phone", "enroll", "--service", "VAnope", "--token", "x.y.z"],
            "invalid input: service_sid is malformed (6 characters starting \"VA\"): must be \"VA\" followed by 32 hex digits",
        ),
    ];
    for (args, line) in cases {
        let run = target.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stderr_lines(), [format!("error: {line}")], "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // Refusals of each group's own rules: the exact message is the library's, tested there.
    for args in [
        &[
            "factors",
            "create",
            "--identity",
            IDENTITY,
            "--type",
            "totp",
            "--friendly-name",
            "app",
            "--code-length",
            "9",
        ][..],
        &[
            "challenges",
            "create",
            "--identity",
            IDENTITY,
            "--factor",
            "YF0123456789abcdef0123456789abcdef",
            "--message",
            "m",
            "--expires-in",
            "7200",
        ],
        &[
            "challenges",
            "notify",
            "--identity",
            IDENTITY,
            "--sid",
            "YC0123456789abcdef0123456789abcdef",
            "--ttl",
            "301",
        ],
        &[
            "webhooks",
            "create",
            "--friendly-name",
            "n",
            "--url",
            "not a url",
            "--event",
            "*",
        ],
        &[
            "webhooks", "update", "--sid", "YWnope", "--status", "disabled",
        ],
    ] {
        let run = target.run(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert_eq!(run.stderr_lines().len(), 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("error: invalid input: "),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert_eq!(emulator.request_count(), 0);
}

#[test]
fn missing_credentials_exit_2_naming_the_variables() {
    let run = run(
        &[
            "entities",
            "list",
            "--service",
            "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ],
        &[],
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr_lines(),
        [
            "error: invalid input: no credentials in the environment: set TWILIO_ACCOUNT_SID and \
          TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET"
        ]
    );
}

#[test]
fn an_api_error_exits_1_with_code_more_info_and_request_id_on_one_line() {
    let run = run(
        &[
            "--emulator",
            "access-tokens",
            "fetch",
            "--sid",
            UNKNOWN_TOKEN,
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout, "");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    let error = lines[1];
    assert!(
        error.starts_with("error: Twilio answered HTTP 404 with error 20404: "),
        "{error}"
    );
    assert!(
        error.contains("(see https://www.twilio.com/docs/errors/20404) [request RQ"),
        "{error}"
    );
}

#[test]
fn wrong_credentials_exit_1_with_code_20003_and_no_secret() {
    let emulator = Emulator::start().unwrap();
    let run = run(
        &[
            "entities",
            "list",
            "--base-url",
            emulator.base_url(),
            "--service",
            emulator.service_sid().as_str(),
        ],
        &[
            ("TWILIO_ACCOUNT_SID", emulator.account_sid()),
            ("TWILIO_AUTH_TOKEN", "wrong-token-1234"),
        ],
    );
    assert_eq!(run.code, 1);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: Twilio answered HTTP 401 with error 20003: Authenticate"),
        "{}",
        lines[0]
    );
    assert!(!run.stderr.contains("wrong-token-1234"));
    assert_eq!(run.stdout, "");
}

#[test]
fn an_injected_500_on_create_exits_1_after_one_request() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(
        Fault::Status {
            status: 500,
            code: 20500,
            retry_after: None,
        },
        1,
    );
    let run = Target::new(&emulator).run(&["entities", "create", "--identity", IDENTITY]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: Twilio answered HTTP 500 with error 20500: "),
        "{}",
        run.stderr
    );
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_transport_error_exits_1_with_its_cause_on_one_line() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let run = run(
        &[
            "access-tokens",
            "fetch",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
            "--service",
            "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "--sid",
            UNKNOWN_TOKEN,
        ],
        &[
            ("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ("TWILIO_AUTH_TOKEN", "token"),
        ],
    );
    assert_eq!(run.code, 1);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with("error: could not connect to Twilio after 3 attempts: "),
        "{}",
        lines[0]
    );
}

#[test]
fn entities_create_list_fetch_delete() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let created = target.run(&["entities", "create", "--identity", IDENTITY]);
    assert_eq!(created.code, 0, "{created:?}");
    assert!(created.field("sid").starts_with("YE"));
    assert_eq!(created.field("identity"), IDENTITY);

    let fetched = target
        .run(&["entities", "fetch", "--identity", IDENTITY, "--json"])
        .json();
    assert_eq!(fetched["identity"], IDENTITY);
    assert_eq!(fetched["sid"], created.field("sid"));

    let listed = target.run(&["entities", "list"]);
    assert_eq!(listed.code, 0);
    assert_eq!(
        listed.stderr, "",
        "no progress when stderr is not a terminal"
    );
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", listed.stdout);
    assert!(lines[0].starts_with(&format!("{}  {IDENTITY}  created ", created.field("sid"))));

    let deleted = target
        .run(&["entities", "delete", "--identity", IDENTITY, "--json"])
        .json();
    assert_eq!(
        deleted,
        serde_json::json!({"deleted": true, "identity": IDENTITY})
    );
    let deleted = target.run(&["entities", "delete", "--identity", IDENTITY]);
    assert_eq!(deleted.code, 1, "a second delete is a 404");
    assert!(
        deleted.stderr.contains("HTTP 404 with error 20404"),
        "{}",
        deleted.stderr
    );
    let empty = target.run(&["entities", "list", "--json"]).json();
    assert_eq!(empty, serde_json::json!([]));
}

#[test]
fn a_long_list_streams_as_one_json_array_page_by_page() {
    let emulator = Emulator::start().unwrap();
    let inserted = emulator.insert_entities(
        emulator.service_sid(),
        (0..120).map(|i| format!("user-{i:04}-abcd")),
    );
    assert_eq!(inserted, 120);
    let target = Target::new(&emulator);
    let run = target.run(&["entities", "list", "--json", "--page-size", "50"]);
    let json = run.json();
    let records = json.as_array().unwrap();
    assert_eq!(records.len(), 120);
    assert_eq!(records[0]["identity"], "user-0000-abcd");
    assert_eq!(records[119]["identity"], "user-0119-abcd");
    assert_eq!(run.stdout.lines().count(), 122, "[, one line per record, ]");
    assert_eq!(emulator.request_count(), 3);

    emulator.clear_requests();
    let limited = target
        .run(&["entities", "list", "--json", "--limit", "7"])
        .json();
    assert_eq!(limited.as_array().unwrap().len(), 7);
    assert_eq!(emulator.request_count(), 1);
}

#[test]
fn a_list_that_fails_midway_still_closes_the_array_and_exits_1() {
    let server = MockServer::start();
    let service = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let path = format!("/v2/Services/{service}/Entities");
    let entity = serde_json::json!({
        "sid": "YEaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "identity": IDENTITY,
        "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "service_sid": service,
        "date_created": "2015-07-30T20:00:00Z", "date_updated": "2015-07-30T20:00:00Z",
        "url": "https://verify.twilio.com/x"
    });
    let first = server.mock(|when, then| {
        when.method("GET").path(path.clone()).query_param_missing("PageToken");
        then.status(200).json_body(serde_json::json!({
            "entities": [entity],
            "meta": {"key": "entities", "page": 0, "page_size": 1,
                     "next_page_url": format!("https://verify.twilio.com{path}?PageSize=1&Page=1&PageToken=PT1")}
        }));
    });
    let second = server.mock(|when, then| {
        when.method("GET").path(path.clone()).query_param("PageToken", "PT1");
        then.status(403).json_body(serde_json::json!({
            "code": 20403, "message": "Forbidden", "more_info": "https://www.twilio.com/docs/errors/20403", "status": 403
        }));
    });
    let run = run(
        &[
            "entities",
            "list",
            "--json",
            "--page-size",
            "1",
            "--base-url",
            &server.base_url(),
            "--service",
            service,
        ],
        &[
            ("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ("TWILIO_AUTH_TOKEN", "token"),
        ],
    );
    assert_eq!(run.code, 1, "{run:?}");
    let json: Value = serde_json::from_str(&run.stdout).expect("stdout is still valid JSON");
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["identity"], IDENTITY);
    assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: Twilio answered HTTP 403 with error 20403: Forbidden"),
        "{}",
        run.stderr
    );
    first.assert();
    second.assert();
}

#[test]
fn factors_totp_create_verify_update_list_delete_with_secrets_only_on_request() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let create = [
        "factors",
        "create",
        "--identity",
        IDENTITY,
        "--type",
        "totp",
        "--friendly-name",
        "Alice's app",
        "--time-step",
        "30",
        "--code-length",
        "6",
        "--skew",
        "1",
        "--algorithm",
        "sha256",
    ];
    let run = target.run(&create);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.field("secret"), "[redacted] (--show-secrets prints it)");
    assert_eq!(run.field("uri"), "[redacted] (--show-secrets prints it)");
    assert_eq!(run.field("algorithm"), "sha256");
    assert_eq!(run.field("status"), "unverified");
    let recorded = &emulator.requests()[0];
    assert_eq!(recorded.field("FactorType"), Some("totp"));
    assert_eq!(recorded.field("Config.Alg"), Some("sha256"));
    assert_eq!(recorded.field("Config.TimeStep"), Some("30"));

    let hidden = target.run(&[&create[..], &["--json"]].concat()).json();
    assert_eq!(hidden["binding"]["secret"], "[redacted]");
    assert_eq!(hidden["binding"]["uri"], "[redacted]");
    let shown = target
        .run(&[&create[..], &["--json", "--show-secrets"]].concat())
        .json();
    let secret = shown["binding"]["secret"].as_str().unwrap();
    assert!(secret.len() >= 16 && secret != "[redacted]", "{secret}");
    assert!(
        shown["binding"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    let sid = shown["sid"].as_str().unwrap();

    let code = emulator.totp_code(sid).unwrap();
    let verified = target.run(&[
        "factors",
        "verify",
        "--identity",
        IDENTITY,
        "--sid",
        sid,
        "--code",
        &code,
    ]);
    assert_eq!(verified.code, 0, "{verified:?}");
    assert_eq!(verified.field("status"), "verified");

    let renamed = target
        .run(&[
            "factors",
            "update",
            "--identity",
            IDENTITY,
            "--sid",
            sid,
            "--friendly-name",
            "Work app",
            "--json",
        ])
        .json();
    assert_eq!(renamed["friendly_name"], "Work app");
    let fetched = target.run(&["factors", "fetch", "--identity", IDENTITY, "--sid", sid]);
    assert_eq!(fetched.field("friendly name"), "Work app");

    let listed = target
        .run(&["factors", "list", "--identity", IDENTITY, "--json"])
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 3);
    let deleted = target.run(&["factors", "delete", "--identity", IDENTITY, "--sid", sid]);
    assert_eq!(deleted.stdout, format!("deleted factor {sid}\n"));
    let listed = target.run(&["factors", "list", "--identity", IDENTITY]);
    assert_eq!(listed.stdout.lines().count(), 2, "{}", listed.stdout);
    assert!(!listed.stdout.contains(sid));
}

#[test]
fn factors_push_create_sends_every_field_and_shows_the_notification_token_only_on_request() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let create = [
        "factors",
        "create",
        "--identity",
        IDENTITY,
        "--type",
        "push",
        "--friendly-name",
        "Alice's phone",
        "--binding-public-key",
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE",
        "--app-id",
        "com.example.app",
        "--notification-platform",
        "fcm",
        "--notification-token",
        "fcm-token-secret-0123456789abcdef01234",
        "--sdk-version",
        "1.2.3",
        "--metadata",
        "os=Android",
    ];
    let run = target.run(&create);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.field("push token"),
        "[redacted] (--show-secrets prints it)"
    );
    assert_eq!(run.field("platform"), "fcm");
    assert!(
        !run.stdout
            .contains("fcm-token-secret-0123456789abcdef01234")
    );
    let sent = &emulator.requests()[0];
    assert_eq!(sent.field("FactorType"), Some("push"));
    assert_eq!(
        sent.field("Binding.Alg"),
        Some("ES256"),
        "push defaults to ES256"
    );
    assert_eq!(sent.field("Config.AppId"), Some("com.example.app"));
    assert_eq!(
        sent.field("Config.NotificationToken"),
        Some("fcm-token-secret-0123456789abcdef01234")
    );
    assert_eq!(sent.field("Config.SdkVersion"), Some("1.2.3"));
    assert_eq!(sent.field("Metadata"), Some(r#"{"os":"Android"}"#));

    let sid = target.run(&[&create[..], &["--json"]].concat()).json()["sid"]
        .as_str()
        .unwrap()
        .to_owned();
    let fetch = [
        "factors",
        "fetch",
        "--identity",
        IDENTITY,
        "--sid",
        &sid,
        "--json",
    ];
    let hidden = target.run(&fetch).json();
    assert_eq!(hidden["config"]["notification_token"], "[redacted]");
    assert!(
        !hidden
            .to_string()
            .contains("fcm-token-secret-0123456789abcdef01234")
    );
    let shown = target
        .run(&[&fetch[..], &["--show-secrets"]].concat())
        .json();
    assert_eq!(
        shown["config"]["notification_token"],
        "fcm-token-secret-0123456789abcdef01234"
    );
    let line = target.run(&["factors", "list", "--identity", IDENTITY]);
    assert!(
        !line
            .stdout
            .contains("fcm-token-secret-0123456789abcdef01234"),
        "{}",
        line.stdout
    );
}

#[test]
fn challenges_create_list_fetch_notify_with_every_option_sent() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let phone = enrolled_phone(&emulator);
    let factor = phone.factor_sid().as_str();
    emulator.clear_requests();
    let created = target
        .run(&[
            "challenges",
            "create",
            "--identity",
            IDENTITY,
            "--factor",
            factor,
            "--message",
            "Log in from Chrome?",
            "--field",
            "Location=Berlin",
            "--field",
            "IP=203.0.113.7",
            "--hidden-detail",
            "ip=203.0.113.7",
            "--expires-in",
            "600",
            "--json",
        ])
        .json();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["details"]["message"], "Log in from Chrome?");
    assert_eq!(created["details"]["fields"][1]["value"], "203.0.113.7");
    assert_eq!(created["hidden_details"]["ip"], "203.0.113.7");
    let request = &emulator.requests()[0];
    assert_eq!(
        request.field("Details.Message"),
        Some("Log in from Chrome?")
    );
    assert_eq!(request.field("FactorSid"), Some(factor));
    assert!(request.field("ExpirationDate").unwrap().ends_with('Z'));
    let sid = created["sid"].as_str().unwrap();

    let fetched = target.run(&["challenges", "fetch", "--identity", IDENTITY, "--sid", sid]);
    assert_eq!(fetched.field("status"), "pending");
    assert_eq!(fetched.field("message"), "Log in from Chrome?");
    assert_eq!(fetched.field("field"), "Location: Berlin");

    let listed = target
        .run(&[
            "challenges",
            "list",
            "--identity",
            IDENTITY,
            "--factor",
            factor,
            "--status",
            "pending",
            "--order",
            "desc",
            "--limit",
            "5",
            "--json",
        ])
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["sid"], sid);
    let list_request = emulator.requests().pop().unwrap();
    assert_eq!(list_request.method, "GET");
    assert!(
        list_request.path.ends_with("/Challenges"),
        "{}",
        list_request.path
    );

    let none = target
        .run(&[
            "challenges",
            "list",
            "--identity",
            IDENTITY,
            "--status",
            "approved",
            "--json",
        ])
        .json();
    assert_eq!(none, serde_json::json!([]));

    let notified = target.run(&[
        "challenges",
        "notify",
        "--identity",
        IDENTITY,
        "--sid",
        sid,
        "--ttl",
        "150",
    ]);
    assert_eq!(notified.code, 0, "{notified:?}");
    assert_eq!(notified.field("ttl"), "150 s");
}

/// Runs `challenges wait` on `sid` with a short interval.
fn wait(target: &Target<'_>, sid: &str, timeout: &str) -> Run {
    target.run(&[
        "challenges",
        "wait",
        "--identity",
        IDENTITY,
        "--sid",
        sid,
        "--timeout",
        timeout,
        "--interval",
        "0.05",
    ])
}

#[test]
fn challenges_wait_exits_0_approved_3_denied_4_expired_5_timed_out() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let phone = enrolled_phone(&emulator);
    let challenges = emulator
        .client()
        .challenges(emulator.service_sid(), IDENTITY)
        .unwrap();
    let new = || {
        challenges
            .create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))
            .unwrap()
            .sid
    };

    // The phone approves `sid` from another thread, after `delay_ms`.
    let approve_later = |sid: &twilio_verify::ChallengeSid, delay_ms: u64| {
        let (phone, sid) = (phone.clone(), sid.clone());
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(delay_ms));
            phone.approve(&sid).unwrap();
        })
    };

    // Approved while waiting.
    let approved = new();
    let answer = approve_later(&approved, 300);
    let run = wait(&target, approved.as_str(), "30");
    answer.join().unwrap();
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.field("status"), "approved");
    assert_eq!(run.stderr, "");

    // A timeout too long for the clock (1e19 s) is no deadline, not a panic.
    let approved_later = new();
    let answer = approve_later(&approved_later, 200);
    let run = wait(&target, approved_later.as_str(), "1e19");
    answer.join().unwrap();
    assert_eq!(run.code, 0, "{run:?}");

    let denied = new();
    phone.deny(&denied).unwrap();
    let run = wait(&target, denied.as_str(), "30");
    assert_eq!(run.code, 3, "{run:?}");
    assert_eq!(run.field("status"), "denied");
    assert_eq!(
        run.stderr_lines(),
        [format!("error: challenge {denied} was denied")]
    );

    let pending = new();
    let started = Instant::now();
    let run = wait(&target, pending.as_str(), "0.4");
    assert_eq!(run.code, 5, "{run:?}");
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "error: challenge {pending} is still pending after 0.4 s"
        )]
    );
    let polls = emulator
        .requests()
        .iter()
        .filter(|r| r.path.ends_with(pending.as_str()))
        .count();
    assert!(polls >= 3, "polled {polls} times");

    emulator.advance(Duration::from_secs(301));
    assert_eq!(
        challenges.fetch(&pending).unwrap().status,
        ChallengeStatus::Expired
    );
    let run = wait(&target, pending.as_str(), "30");
    assert_eq!(run.code, 4, "{run:?}");
    assert_eq!(
        run.stderr_lines(),
        [format!("error: challenge {pending} expired")]
    );

    let run = wait(&target, "YC0123456789abcdef0123456789abcdef", "1");
    assert_eq!(run.code, 1, "an unknown challenge is an API error: {run:?}");
}

#[test]
fn challenges_update_with_a_totp_code_approves() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let factor = target
        .run(&[
            "factors",
            "create",
            "--identity",
            IDENTITY,
            "--type",
            "totp",
            "--friendly-name",
            "app",
            "--json",
        ])
        .json();
    let factor = factor["sid"].as_str().unwrap();
    let code = emulator.totp_code(factor).unwrap();
    assert_eq!(
        target
            .run(&[
                "factors",
                "verify",
                "--identity",
                IDENTITY,
                "--sid",
                factor,
                "--code",
                &code
            ])
            .code,
        0
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let challenge = target
        .run(&[
            "challenges",
            "create",
            "--identity",
            IDENTITY,
            "--factor",
            factor,
            "--auth-payload",
            wrong,
            "--json",
        ])
        .json();
    assert_eq!(challenge["status"], "pending");
    let sid = challenge["sid"].as_str().unwrap();
    let code = emulator.totp_code(factor).unwrap();
    let updated = target
        .run(&[
            "challenges",
            "update",
            "--identity",
            IDENTITY,
            "--sid",
            sid,
            "--auth-payload",
            &code,
            "--json",
        ])
        .json();
    assert_eq!(updated["status"], "approved");
    assert_eq!(
        emulator.requests().last().unwrap().field("AuthPayload"),
        Some(code.as_str())
    );
}

#[test]
fn webhooks_create_list_fetch_update_delete() {
    let emulator = Emulator::start().unwrap();
    let target = Target::new(&emulator);
    let created = target
        .run(&[
            "webhooks",
            "create",
            "--friendly-name",
            "backend events",
            "--url",
            "https://example.com/verify-events",
            "--event",
            "challenge.approved",
            "--event",
            "challenge.denied",
            "--version",
            "v2",
            "--json",
        ])
        .json();
    assert_eq!(
        created["event_types"],
        serde_json::json!(["challenge.approved", "challenge.denied"])
    );
    assert_eq!(created["status"], "enabled");
    let sid = created["sid"].as_str().unwrap();
    let sent = &emulator.requests()[0];
    assert_eq!(sent.field("FriendlyName"), Some("backend events"));
    assert_eq!(sent.field("Version"), Some("v2"));

    let updated = target.run(&["webhooks", "update", "--sid", sid, "--status", "disabled"]);
    assert_eq!(updated.code, 0, "{updated:?}");
    assert_eq!(updated.field("status"), "disabled");
    let fetched = target.run(&["webhooks", "fetch", "--sid", sid]);
    assert_eq!(
        fetched.field("events"),
        "challenge.approved,challenge.denied"
    );
    assert_eq!(fetched.field("url"), "https://example.com/verify-events");
    let listed = target.run(&["webhooks", "list"]);
    assert_eq!(
        listed.stdout,
        format!(
            "{sid}  disabled  challenge.approved,challenge.denied  https://example.com/verify-events\n"
        )
    );
    let deleted = target
        .run(&["webhooks", "delete", "--sid", sid, "--json"])
        .json();
    assert_eq!(deleted, serde_json::json!({"deleted": true, "sid": sid}));
    assert_eq!(
        target.run(&["webhooks", "list", "--json"]).json(),
        serde_json::json!([])
    );
}

/// A `twilio-verify emulator` child process, killed on drop if still running.
struct Server {
    child: Child,
    base_url: String,
    lines: Vec<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = command(&[&["emulator"][..], args].concat(), &[])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        for _ in 0..6 {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            lines.push(line.trim_end_matches('\n').to_owned());
        }
        Server {
            child,
            base_url: lines[0].clone(),
            lines,
        }
    }

    fn value(&self, label: &str) -> &str {
        self.lines
            .iter()
            .find_map(|line| line.strip_prefix(label)?.strip_prefix(' '))
            .unwrap_or_else(|| panic!("no {label} in {:?}", self.lines))
    }

    /// Sends SIGTERM (with the `kill` command) and waits up to 5 s for the exit code.
    fn terminate(mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_server_mode_prints_its_url_first_serves_other_processes_and_stops_on_sigterm() {
    let account = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let service = "VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    let server = Server::start(&[
        "--port",
        "0",
        "--account-sid",
        account,
        "--auth-token",
        "TOKEN",
        "--service",
        service,
    ]);
    let port = server
        .base_url
        .strip_prefix("http://127.0.0.1:")
        .expect("line 1 is the URL alone");
    assert!(port.parse::<u16>().unwrap() > 0, "{}", server.base_url);
    assert_eq!(server.value("account_sid"), account);
    assert_eq!(server.value("auth_token"), "TOKEN");
    assert_eq!(server.value("service_sid"), service);
    assert!(server.value("api_key_sid").starts_with("SK"));

    let env = [
        ("TWILIO_ACCOUNT_SID", account),
        ("TWILIO_AUTH_TOKEN", "TOKEN"),
        ("TWILIO_VERIFY_SERVICE_SID", service),
    ];
    let base = server.base_url.clone();
    let cli = |args: &[&str]| run(&[args, &["--base-url", &base]].concat(), &env);

    let entity = cli(&[
        "entities",
        "create",
        "--identity",
        "user-0001-abcd",
        "--json",
    ])
    .json();
    assert_eq!(entity["service_sid"], service);

    // A push login end to end: token, phone enrolls, backend asks, phone approves, wait sees it.
    let token = cli(&[
        "access-tokens",
        "create",
        "--identity",
        IDENTITY,
        "--json",
        "--show-secrets",
    ])
    .json();
    let jwt = token["token"].as_str().unwrap();
    let enrolled = run_with_stdin(
        &[
            "phone",
            "enroll",
            "--token",
            "-",
            "--json",
            "--base-url",
            &base,
        ],
        &env,
        jwt,
    )
    .json();
    assert_eq!(enrolled["status"], "verified");
    let factor = enrolled["sid"].as_str().unwrap();
    let challenge = cli(&[
        "challenges",
        "create",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--message",
        "Log in?",
        "--field",
        "City=Oslo",
        "--json",
    ])
    .json();
    let sid = challenge["sid"].as_str().unwrap();
    let pending = cli(&[
        "phone",
        "challenges",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--json",
    ])
    .json();
    assert_eq!(pending[0]["sid"], sid);
    assert_eq!(pending[0]["message"], "Log in?");
    assert_eq!(pending[0]["fields"][0]["value"], "Oslo");
    let approved = cli(&[
        "phone",
        "approve",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--challenge",
        sid,
    ]);
    assert_eq!(
        approved.stdout,
        format!("challenge {sid} approved\n"),
        "{approved:?}"
    );
    assert_eq!(
        cli(&[
            "challenges",
            "wait",
            "--identity",
            IDENTITY,
            "--sid",
            sid,
            "--timeout",
            "5"
        ])
        .code,
        0
    );
    let again = cli(&[
        "phone",
        "deny",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--challenge",
        sid,
    ]);
    assert_eq!(again.code, 1, "{again:?}");
    assert!(
        again
            .stderr
            .starts_with("error: the emulator answered HTTP 409 with error 20409: "),
        "{}",
        again.stderr
    );

    // A denied one, and one the clock expires.
    let denied = cli(&[
        "challenges",
        "create",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--message",
        "Log in?",
        "--json",
    ])
    .json();
    let denied = denied["sid"].as_str().unwrap();
    assert_eq!(
        cli(&[
            "phone",
            "deny",
            "--identity",
            IDENTITY,
            "--factor",
            factor,
            "--challenge",
            denied
        ])
        .code,
        0
    );
    assert_eq!(
        cli(&[
            "challenges",
            "wait",
            "--identity",
            IDENTITY,
            "--sid",
            denied
        ])
        .code,
        3
    );
    let late = cli(&[
        "challenges",
        "create",
        "--identity",
        IDENTITY,
        "--factor",
        factor,
        "--message",
        "Log in?",
        "--json",
    ])
    .json();
    let late = late["sid"].as_str().unwrap();
    let advanced = cli(&["phone", "advance", "--seconds", "301", "--json"]).json();
    assert_eq!(advanced["now"].as_str().unwrap().len(), 20);
    assert_eq!(
        cli(&["challenges", "wait", "--identity", IDENTITY, "--sid", late]).code,
        4
    );

    // TOTP: the phone's authenticator shows the code that verifies the factor.
    let totp = cli(&[
        "factors",
        "create",
        "--identity",
        IDENTITY,
        "--type",
        "totp",
        "--friendly-name",
        "app",
        "--json",
    ])
    .json();
    let totp = totp["sid"].as_str().unwrap();
    let code = cli(&["phone", "totp", "--identity", IDENTITY, "--factor", totp]);
    assert_eq!(code.code, 0, "{code:?}");
    let code = code.stdout.trim();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let verified = cli(&[
        "factors",
        "verify",
        "--identity",
        IDENTITY,
        "--sid",
        totp,
        "--code",
        code,
        "--json",
    ])
    .json();
    assert_eq!(verified["status"], "verified");

    let bad = run_with_stdin(
        &["phone", "enroll", "--token", "-", "--base-url", &base],
        &env,
        "not.a.jwt",
    );
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(
        bad.stderr
            .starts_with("error: the emulator answered HTTP 400 with error 60200: "),
        "{}",
        bad.stderr
    );

    // A JWT given without `--token` is taken as the token, never echoed in a usage error.
    let positional = run(
        &[
            "phone",
            "enroll",
            "eyJ0eXAi.c2VjcmV0LXBheWxvYWQ.c2ln",
            "--base-url",
            &base,
        ],
        &env,
    );
    assert_eq!(positional.code, 1, "{positional:?}");
    assert!(
        positional
            .stderr
            .starts_with("error: the emulator answered HTTP 400 with error 60200: "),
        "{}",
        positional.stderr
    );
    assert!(
        !positional.stderr.contains("c2VjcmV0LXBheWxvYWQ"),
        "{positional:?}"
    );

    assert_eq!(server.terminate(), Some(0), "exits 0 on SIGTERM");
}

#[test]
fn the_server_mode_listens_on_the_port_given() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let server = Server::start(&["--port", &port.to_string()]);
    assert_eq!(server.base_url, format!("http://127.0.0.1:{port}"));
    assert!(server.value("account_sid").starts_with("AC"));
    assert_eq!(server.value("auth_token").len(), 32);
    let listed = run(
        &[
            "entities",
            "list",
            "--json",
            "--base-url",
            &server.base_url,
            "--service",
            server.value("service_sid"),
        ],
        &[
            ("TWILIO_API_KEY", server.value("api_key_sid")),
            ("TWILIO_API_SECRET", server.value("api_key_secret")),
        ],
    );
    assert_eq!(
        listed.json(),
        serde_json::json!([]),
        "the API key is accepted too"
    );

    // The port is taken now: a second server on it fails with exit 1.
    let taken = run(&["emulator", "--port", &port.to_string()], &[]);
    assert_eq!(taken.code, 1, "{taken:?}");
    assert!(
        taken.stderr.starts_with(&format!(
            "error: could not start the emulator on 127.0.0.1:{port}: "
        )),
        "{}",
        taken.stderr
    );
    assert_eq!(server.terminate(), Some(0));
}
