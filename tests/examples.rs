//! The flow examples run end to end on the emulator with no account: `push_login` (approved,
//! and denied with `--deny`) and `totp`, with their exit codes and the steps they print.
#![cfg(feature = "emulator")]

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// An example binary: `cargo test` builds the examples beside the test binaries.
fn example(name: &str) -> PathBuf {
    let test = std::env::current_exe().expect("the test binary's path");
    let dir = test
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/{profile}/deps");
    let path = dir.join("examples").join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo test --all-features` (it builds the examples)",
        path.display()
    );
    path
}

/// Runs an example with no `TWILIO_*` variable (so on the emulator): exit code and stdout.
fn run(name: &str, args: &[&str]) -> (i32, String) {
    let mut command = Command::new(example(name));
    command.args(args).stdin(Stdio::null());
    for (var, _) in std::env::vars() {
        if var.starts_with("TWILIO_") {
            command.env_remove(var);
        }
    }
    let output = command.output().expect("the example runs");
    assert!(
        output.stderr.is_empty(),
        "{name} wrote to stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn push_login_enrolls_the_simulated_phone_and_logs_in_approved_exit_0() {
    let (code, out) = run("push_login", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2. The phone enrolled push factor YF"),
        "{out}"
    );
    assert!(out.contains("(verified)"), "{out}");
    assert!(
        out.contains("4. The phone shows: \"Approve the login to Owl Bank?\""),
        "{out}"
    );
    assert!(
        out.ends_with("The backend reads the challenge: approved\n"),
        "{out}"
    );
    // The JWT is handed over, never printed.
    assert!(!out.contains("eyJ"), "{out}");
}

#[test]
fn push_login_with_deny_reads_denied_and_exits_3() {
    let (code, out) = run("push_login", &["--deny"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("5. The user tapped Deny."), "{out}");
    assert!(
        out.ends_with("The backend reads the challenge: denied\n"),
        "{out}"
    );
}

#[test]
fn totp_verifies_the_factor_and_logs_in_with_codes_from_the_emulator_exit_0() {
    let (code, out) = run("totp", &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(unverified)"), "{out}");
    assert!(out.contains("2. Add it to the app: [redacted]"), "{out}");
    assert!(
        !out.contains("otpauth://totp"),
        "the URI holds the secret: {out}"
    );
    assert!(
        out.contains("3. Verified with the app's code: verified."),
        "{out}"
    );
    assert!(out.contains("is approved."), "{out}");
}

#[test]
fn totp_prints_the_otpauth_uri_only_when_asked() {
    let (code, out) = run("totp", &["--show-secret"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("2. Add it to the app: otpauth://totp/"),
        "{out}"
    );
}

#[test]
fn an_identity_that_breaks_the_rule_exits_2() {
    let output = Command::new(example("push_login"))
        .args(["--identity", "alice@example.com"])
        .env_remove("TWILIO_ACCOUNT_SID")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: invalid input: identity is malformed"),
        "{stderr}"
    );
}
