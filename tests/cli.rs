//! Runs the two example binaries — the `access_tokens` CLI and the quickstart — and pins their
//! output and exit codes: 0 on success, 2 for usage errors and input refused before sending,
//! 1 for errors from the API or the transport.

#![cfg(feature = "emulator")]

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use support::ACCESS_TOKEN_FIELDS;
use twilio_verify::emulator::{Emulator, Fault};

/// Every variable the examples read: cleared before each run so the machine's own do not leak in.
const TWILIO_VARS: [&str; 7] = [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_VERIFY_SERVICE_SID",
    "TWILIO_REGION",
    "TWILIO_EDGE",
];

/// The path of an example binary, built once per test run with the features of this test.
///
/// `cargo test` builds examples too, but not when asked for one test target, and it may have
/// built an older one; asking cargo is cheap when they are up to date.
fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let mut features = vec!["emulator"];
        if cfg!(feature = "native-roots") {
            features.push("native-roots");
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        // Cargo sets these for this test process; build scripts (ring's) watch some of them, so
        // passing them on would make the nested build rebuild everything, twice.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with("CARGO_PKG_")
                || name.starts_with("CARGO_BIN_")
                || [
                    "CARGO_MANIFEST_DIR",
                    "CARGO_MANIFEST_PATH",
                    "CARGO_MANIFEST_LINKS",
                    "CARGO_CRATE_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "CARGO_RUSTC_CURRENT_DIR",
                    "OUT_DIR",
                ]
                .contains(&&*name)
            {
                command.env_remove(&*name);
            }
        }
        command
            .args(["build", "--quiet", "--message-format=json"])
            .args(["--example", "access_tokens", "--example", "quickstart"])
            .args(["--features", &features.join(",")])
            .arg("--manifest-path")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .stderr(Stdio::inherit());
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        let output = command.output().expect("cargo runs");
        assert!(output.status.success(), "building the examples failed");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|message| message["reason"] == "compiler-artifact")
            .filter_map(|message| {
                let name = message["target"]["name"].as_str()?.to_owned();
                let path = message["executable"].as_str()?.into();
                Some((name, path))
            })
            .collect()
    });
    built
        .iter()
        .find(|(built, _)| built == name)
        .map(|(_, path)| path.clone())
        .unwrap_or_else(|| panic!("example {name} was not built"))
}

/// What a run printed and how it exited.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(example(name));
    command.args(args).stdin(Stdio::null());
    for var in TWILIO_VARS {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the example runs");
    Run {
        code: status.code().expect("exited, not killed"),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn cli(args: &[&str]) -> Run {
    run("access_tokens", args, &[])
}

/// Runs the CLI with `args`, asserts it succeeded and returns the JSON it printed.
fn cli_json(args: &[&str]) -> Value {
    let run = cli(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// The environment that points the CLI at `emulator` as if it were Twilio.
fn credentials(emulator: &Emulator) -> [(&str, &str); 2] {
    [
        ("TWILIO_ACCOUNT_SID", emulator.account_sid()),
        ("TWILIO_AUTH_TOKEN", emulator.auth_token()),
    ]
}

/// The CLI's arguments `command --base-url base --service service`, then `rest`.
fn aimed<'a>(command: &'a str, base: &'a str, service: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![command, "--base-url", base, "--service", service];
    args.extend_from_slice(rest);
    args
}

/// Runs the CLI's `create` against `emulator`'s own service with `args` and `env`.
fn create_on(emulator: &Emulator, args: &[&str], env: &[(&str, &str)]) -> Run {
    let service = emulator.service_sid().to_string();
    let all = aimed("create", emulator.base_url(), &service, args);
    run("access_tokens", &all, env)
}

/// Asserts the human summary of a token: a well-formed SID, `identity`, `ttl`, a creation date
/// of 20 characters and the `token` line.
#[track_caller]
fn assert_summary(stdout: &str, identity: &str, ttl: &str, token: &str) {
    let sid = field(stdout, "sid");
    assert!(sid.starts_with("YK") && sid.len() == 34, "{sid}");
    assert_eq!(field(stdout, "identity"), identity);
    assert_eq!(field(stdout, "ttl"), ttl);
    assert_eq!(field(stdout, "created").len(), 20);
    assert_eq!(field(stdout, "token"), token);
}

/// The value printed after `label` in the human output.
fn field<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|line| line.trim_start().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{stdout}"))
        .trim()
}

const UNKNOWN_TOKEN: &str = "YK0123456789abcdef0123456789abcdef";

#[test]
fn create_with_emulator_prints_a_summary_with_the_token_redacted() {
    let run = cli(&["create", "--emulator", "--identity", "alice-0001"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_summary(
        &run.stdout,
        "alice-0001",
        "60 s",
        "[redacted] (--show-token prints it)",
    );
    assert!(field(&run.stdout, "service").starts_with("VA"));
    assert_eq!(field(&run.stdout, "factor type"), "push");
    assert!(!run.stdout.contains("friendly name"));
    assert!(!run.stdout.contains("eyJ"), "no JWT without --show-token");
    let notes = run.stderr_lines();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(notes[0].starts_with("note: using an in-process emulator at http://127.0.0.1:"));
}

#[test]
fn global_options_work_before_and_after_the_subcommand() {
    for args in [
        &[
            "--json",
            "create",
            "--emulator",
            "--identity",
            "bob-0001",
            "--ttl",
            "90",
        ][..],
        &[
            "create",
            "--identity",
            "bob-0001",
            "--ttl",
            "90",
            "--json",
            "--emulator",
        ][..],
        &[
            "--emulator",
            "create",
            "--json",
            "--identity",
            "bob-0001",
            "--ttl",
            "90",
        ][..],
    ] {
        let json = cli_json(args);
        assert_eq!(json["entity_identity"], "bob-0001", "{args:?}");
        assert_eq!(json["ttl"], 90, "{args:?}");
    }
}

#[test]
fn json_prints_the_whole_resource_with_the_jwt_redacted_unless_asked() {
    let json = cli_json(&[
        "create",
        "--emulator",
        "--json",
        "--identity",
        "bob-0001",
        "--friendly-name",
        "Bob's phone",
    ]);
    let mut keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ACCESS_TOKEN_FIELDS);
    assert_eq!(json["token"], "[redacted]");
    assert_eq!(json["factor_friendly_name"], "Bob's phone");
    assert_eq!(json["factor_type"], "push");

    let json = cli_json(&[
        "create",
        "--emulator",
        "--json",
        "--show-token",
        "--identity",
        "bob-0001",
    ]);
    let jwt = json["token"].as_str().unwrap();
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");
    assert!(jwt.starts_with("eyJ"), "{jwt}");
    assert_eq!(json["factor_friendly_name"], Value::Null);
}

#[test]
fn show_token_prints_the_jwt_in_the_summary() {
    let run = cli(&[
        "create",
        "--emulator",
        "--show-token",
        "--identity",
        "alice-0001",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let jwt = field(&run.stdout, "token");
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");
}

#[test]
fn create_and_fetch_against_a_server_given_by_base_url_with_env_credentials() {
    let emulator = Emulator::start().unwrap();
    let service = emulator.service_sid().to_string();
    let env = credentials(&emulator);
    let created = create_on(
        &emulator,
        &[
            "--identity",
            "carol-0001",
            "--ttl",
            "300",
            "--friendly-name",
            "Carol's tablet",
            "--json",
        ],
        &env,
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert_eq!(created.stderr, "");
    let created: Value = serde_json::from_str(&created.stdout).unwrap();
    let sid = created["sid"].as_str().unwrap();

    let fetched = run(
        "access_tokens",
        &[
            "fetch",
            "--service",
            &service,
            "--sid",
            sid,
            "--base-url",
            emulator.base_url(),
        ],
        &env,
    );
    assert_eq!(fetched.code, 0, "{}", fetched.stderr);
    assert_eq!(field(&fetched.stdout, "sid"), sid);
    assert_eq!(field(&fetched.stdout, "identity"), "carol-0001");
    assert_eq!(field(&fetched.stdout, "friendly name"), "Carol's tablet");
    assert_eq!(field(&fetched.stdout, "ttl"), "300 s");

    let requests = emulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].field("Identity"), Some("carol-0001"));
    assert_eq!(requests[0].field("Ttl"), Some("300"));
    assert_eq!(
        requests[0].field("FactorFriendlyName"),
        Some("Carol's tablet")
    );
    assert_eq!(requests[1].method, "GET");
    assert_eq!(
        requests[1].path,
        format!("/v2/Services/{service}/AccessTokens/{sid}")
    );
}

#[test]
fn usage_errors_exit_2_with_the_parsers_usage() {
    for args in [
        &["create", "--emulator"][..],
        &["create", "--identity", "alice-0001"][..],
        &[
            "create",
            "--emulator",
            "--identity",
            "user-0001",
            "--ttl",
            "ten",
        ][..],
        &[
            "create",
            "--emulator",
            "--base-url",
            "http://127.0.0.1:1",
            "--identity",
            "user-0001",
        ][..],
        &["fetch", "--emulator"][..],
        &["delete", "--emulator"][..],
    ] {
        let run = cli(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
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
    let run = cli(&[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("Usage: access_tokens [OPTIONS] <COMMAND>"),
        "{}",
        run.stderr
    );
    let run = cli(&["create", "--identity", "alice-0001"]);
    assert!(
        run.stderr
            .contains("--service <VA…> is required unless --emulator is given"),
        "{}",
        run.stderr
    );
}

#[test]
fn input_refused_before_sending_exits_2_and_sends_nothing() {
    let emulator = Emulator::start().unwrap();
    let service = emulator.service_sid().to_string();
    let env = credentials(&emulator);
    let base = emulator.base_url();
    let cases: [(Vec<&str>, &str); 5] = [
        (
            aimed(
                "create",
                base,
                &service,
                &["--identity", "user-0001", "--ttl", "30"],
            ),
            "error: invalid input: ttl 30 is out of range: must be 60..=300 seconds",
        ),
        (
            aimed("create", base, &service, &["--identity", ""]),
            "error: invalid input: identity is malformed (0 characters): must be 8 to 64 ASCII \
             letters and digits, in groups separated by single dashes (like a UUID), and not \
             personal data",
        ),
        (
            aimed(
                "create",
                base,
                &service,
                &["--identity", "alice@example.com"],
            ),
            "error: invalid input: identity is malformed (17 characters): must be 8 to 64 ASCII \
             letters and digits, in groups separated by single dashes (like a UUID), and not \
             personal data",
        ),
        (
            aimed("create", base, "VAnope", &["--identity", "user-0001"]),
            "error: invalid input: service_sid is malformed (6 characters starting \"VA\"): must be \"VA\" followed by 32 hex digits",
        ),
        (
            aimed("fetch", base, &service, &["--sid", "YKnope"]),
            "error: invalid input: access_token_sid is malformed (6 characters starting \"YK\"): must be \"YK\" followed by 32 hex digits",
        ),
    ];
    for (args, line) in cases {
        let run = run("access_tokens", &args, &env);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr_lines(), [line]);
        assert_eq!(run.stdout, "");
    }
    assert_eq!(emulator.request_count(), 0);
}

#[test]
fn missing_credentials_exit_2_naming_the_variables() {
    let run = cli(&[
        "create",
        "--service",
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "--identity",
        "user-0001",
    ]);
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
    let run = cli(&["fetch", "--emulator", "--sid", UNKNOWN_TOKEN]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    let error = lines[1];
    assert!(
        error.starts_with("error: Twilio answered HTTP 404 with error 20404: The requested resource /v2/Services/VA"),
        "{error}"
    );
    assert!(
        error.contains(&format!("/AccessTokens/{UNKNOWN_TOKEN} was not found")),
        "{error}"
    );
    assert!(
        error.contains("(see https://www.twilio.com/docs/errors/20404) [request RQ"),
        "{error}"
    );
}

#[test]
fn wrong_credentials_exit_1_with_code_20003() {
    let emulator = Emulator::start().unwrap();
    let run = create_on(
        &emulator,
        &["--identity", "user-0001"],
        &[
            ("TWILIO_ACCOUNT_SID", emulator.account_sid()),
            ("TWILIO_AUTH_TOKEN", "wrong"),
        ],
    );
    assert_eq!(run.code, 1);
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with(
            "error: Twilio answered HTTP 401 with error 20003: Authenticate \
             (see https://www.twilio.com/docs/errors/20003) [request RQ"
        ),
        "{}",
        lines[0]
    );
    assert!(!run.stderr.contains(emulator.auth_token()));
    assert_eq!(emulator.request_count(), 1);
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
    let run = create_on(
        &emulator,
        &["--identity", "user-0001"],
        &credentials(&emulator),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: Twilio answered HTTP 500 with error 20500: Internal Server Error"),
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
    let base = format!("http://127.0.0.1:{port}");
    let run = run(
        "access_tokens",
        &[
            "fetch",
            "--base-url",
            &base,
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
fn quickstart_without_twilio_variables_runs_on_the_emulator() {
    let run = run("quickstart", &[], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "No TWILIO_* variables set: running against a local emulator at http://127.0.0.1:"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(" (no account needed)."), "{}", lines[0]);
    assert_eq!(lines[1], "Created an access token and fetched it back:");
    assert_summary(
        &run.stdout,
        "quickstart-user",
        "120 s",
        "[redacted] (run with --show-token to print the JWT)",
    );
    assert_eq!(lines.len(), 7, "{}", run.stdout);
}

#[test]
fn quickstart_prints_the_jwt_only_when_asked() {
    let run = run(
        "quickstart",
        &["--show-token", "--identity", "dave-0001"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(field(&run.stdout, "identity"), "dave-0001");
    let jwt = field(&run.stdout, "token");
    assert_eq!(jwt.split('.').count(), 3, "{jwt}");
    assert!(jwt.starts_with("eyJ"), "{jwt}");
}

#[test]
fn quickstart_refuses_an_identity_that_breaks_the_rule_exits_2_and_sends_nothing() {
    let emulator = Emulator::start().unwrap();
    let service = emulator.service_sid().to_string();
    let [account, token] = credentials(&emulator);
    let env = [account, token, ("TWILIO_VERIFY_SERVICE_SID", &service)];
    let run = run(
        "quickstart",
        &["--identity", "alice", "--base-url", emulator.base_url()],
        &env,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr_lines(),
        [
            "error: invalid input: identity is malformed (5 characters): must be 8 to 64 ASCII \
          letters and digits, in groups separated by single dashes (like a UUID), and not \
          personal data"
        ]
    );
    assert_eq!(emulator.request_count(), 0);
}

#[test]
fn quickstart_with_some_variables_names_the_missing_ones_and_exits_2() {
    let service = (
        "TWILIO_VERIFY_SERVICE_SID",
        "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    let account = ("TWILIO_ACCOUNT_SID", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    let token = ("TWILIO_AUTH_TOKEN", "token");
    let key = ("TWILIO_API_KEY", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    let secret = ("TWILIO_API_SECRET", "secret");
    let both_pairs =
        "TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or TWILIO_API_KEY + TWILIO_API_SECRET)";
    let cases: [(&[(&str, &str)], String); 6] = [
        (
            &[account],
            "TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SERVICE_SID".into(),
        ),
        (&[account, token], "TWILIO_VERIFY_SERVICE_SID".into()),
        (&[token, service], "TWILIO_ACCOUNT_SID".into()),
        (&[key, service], "TWILIO_API_SECRET".into()),
        (
            &[secret],
            "TWILIO_API_KEY, TWILIO_VERIFY_SERVICE_SID".into(),
        ),
        (&[service], both_pairs.into()),
    ];
    for (env, missing) in cases {
        let run = run("quickstart", &[], env);
        assert_eq!(run.code, 2, "{env:?}");
        assert_eq!(run.stdout, "", "{env:?}");
        assert_eq!(
            run.stderr_lines(),
            [format!(
                "error: missing {missing}: set {both_pairs} and TWILIO_VERIFY_SERVICE_SID to use \
                 Twilio, or none of them to use the local emulator"
            )],
            "{env:?}"
        );
    }
}

#[test]
fn quickstart_with_every_variable_set_uses_them_and_not_an_emulator() {
    let emulator = Emulator::start().unwrap();
    let service = emulator.service_sid().to_string();
    let mut env = credentials(&emulator).to_vec();
    env.push(("TWILIO_VERIFY_SERVICE_SID", &service));
    let run = run("quickstart", &["--base-url", emulator.base_url()], &env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().next(),
        Some(format!("Using {} with service {service}.", emulator.base_url()).as_str())
    );
    let requests = emulator.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        (requests[0].method.as_str(), requests[1].method.as_str()),
        ("POST", "GET")
    );
    assert_eq!(requests[0].field("Identity"), Some("quickstart-user"));
    assert_eq!(
        requests[0].username.as_deref(),
        Some(emulator.account_sid())
    );
}

#[test]
fn quickstart_accepts_an_api_key_pair_as_credentials() {
    let emulator = Emulator::start().unwrap();
    let service = emulator.service_sid().to_string();
    let run = run(
        "quickstart",
        &["--base-url", emulator.base_url()],
        &[
            ("TWILIO_API_KEY", "SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ("TWILIO_API_SECRET", "secret"),
            ("TWILIO_VERIFY_SERVICE_SID", &service),
        ],
    );
    // The emulator knows only its account's auth token, so the key reaches it and is refused.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("with error 20003"), "{}", run.stderr);
    assert_eq!(
        emulator.requests()[0].username.as_deref(),
        Some("SKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}
