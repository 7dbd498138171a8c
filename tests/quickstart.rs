//! Runs the quickstart example and pins its output and exit codes: 0 on success, 2 for usage
//! errors and input refused before sending, 1 for errors from the API or the transport.
//! (The `twilio-verify` binary has its own tests, in tests/cli.rs.)

#![cfg(feature = "emulator")]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use twilio_verify::emulator::Emulator;

/// Every variable the example reads: cleared before each run so the machine's own do not leak in.
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
            .args(["--example", "quickstart"])
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

/// The environment that points the example at `emulator` as if it were Twilio.
fn credentials(emulator: &Emulator) -> [(&str, &str); 2] {
    [
        ("TWILIO_ACCOUNT_SID", emulator.account_sid()),
        ("TWILIO_AUTH_TOKEN", emulator.auth_token()),
    ]
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
