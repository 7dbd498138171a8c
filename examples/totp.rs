//! TOTP: enroll an authenticator app, verify it with a code, then log in with a code.
//!
//! ```text
//! cargo run --example totp --features emulator                              # no account
//! cargo run --example totp --features emulator -- --identity ff483d1f-5b7e-4c1a   # Twilio
//! ```
//!
//! With no `TWILIO_*` variables set, it runs on a local emulator, which also plays the
//! authenticator app: it computes each code (RFC 6238) from the factor's secret.
//!
//! With `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` (or `TWILIO_API_KEY` + `TWILIO_API_SECRET`)
//! and `TWILIO_VERIFY_SERVICE_SID` set, it creates the factor at Twilio, prints the
//! `otpauth://` URI to add to an authenticator app (as a QR code in a real UI), and reads the
//! codes the app shows from standard input.
//!
//! Exit status: 0 when the login was approved, 3 when a code was refused, 2 usage or
//! configuration errors (nothing sent), 1 an error from Twilio or the network.

#[path = "support/target.rs"]
mod target;

use std::io::BufRead;
use std::process::ExitCode;

use clap::Parser;
use target::{Target, missing_message, target_from_env, twilio_client};
use twilio_verify::emulator::Emulator;
use twilio_verify::{
    ChallengeStatus, CreateChallenge, CreateFactor, Error, FactorStatus, NewFactor, TotpAlgorithm,
    VerifyClient,
};

/// Enroll a TOTP factor and log in with it.
#[derive(Parser)]
#[command(name = "totp")]
struct Args {
    /// The user: 8 to 64 ASCII letters and digits in dash-separated groups
    #[arg(long, default_value = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f")]
    identity: String,
    /// Print the otpauth:// URI (it holds the secret) instead of redacting it
    #[arg(long)]
    show_secret: bool,
    /// Send requests to this server instead of Twilio (needs the TWILIO_* variables)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match target_from_env() {
        Err(missing) => {
            eprintln!("{}", missing_message(&missing));
            return ExitCode::from(2);
        }
        Ok(Target::Emulator) => match Emulator::start() {
            Ok(emulator) => {
                println!(
                    "No TWILIO_* variables set: a local emulator at {} plays Twilio and the app.",
                    emulator.base_url()
                );
                let client = emulator.client();
                let service = emulator.service_sid().as_str().to_owned();
                run(&client, &service, &args, &mut |factor: &NewFactor| {
                    emulator.totp_code(&factor.sid).map_err(|e| e.to_string())
                })
            }
            Err(e) => {
                eprintln!("error: could not start the local emulator: {e}");
                return ExitCode::from(1);
            }
        },
        Ok(Target::Twilio { service_sid }) => match twilio_client(args.base_url.as_deref()) {
            Ok(client) => run(&client, &service_sid, &args, &mut |_: &NewFactor| {
                read_code()
            }),
            Err(e) => Err(e),
        },
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(3),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if matches!(e, Error::InvalidInput(_)) {
                2
            } else {
                1
            })
        }
    }
}

/// The code the user's app shows now, typed on standard input.
fn read_code() -> Result<String, String> {
    println!("Type the code your authenticator app shows:");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim().to_owned())
}

/// The flow, the same on the emulator and on Twilio; `code` is what the app shows now.
/// `Ok(false)` when a code was refused.
fn run(
    client: &VerifyClient,
    service: &str,
    args: &Args,
    code: &mut dyn FnMut(&NewFactor) -> Result<String, String>,
) -> Result<bool, Error> {
    let factors = client.factors(service, &args.identity)?;
    let factor = factors.create(
        &CreateFactor::totp("Owl Bank authenticator")
            .time_step(30)
            .code_length(6)
            .algorithm(TotpAlgorithm::Sha1),
    )?;
    println!("1. Created TOTP factor {} ({}).", factor.sid, factor.status);
    if let Some(uri) = factor.binding.as_ref().and_then(|b| b.uri.as_ref()) {
        if args.show_secret {
            println!("2. Add it to the app: {}", uri.expose_secret());
        } else {
            println!("2. Add it to the app: {uri} (--show-secret prints its otpauth:// URI)");
        }
    }
    let typed = match code(&factor) {
        Ok(typed) => typed,
        Err(e) => {
            eprintln!("error: no code: {e}");
            return Ok(false);
        }
    };
    let verified = factors.verify(&factor.sid, &typed)?;
    println!("3. Verified with the app's code: {}.", verified.status);
    if verified.status != FactorStatus::Verified {
        return Ok(false);
    }
    let typed = match code(&factor) {
        Ok(typed) => typed,
        Err(e) => {
            eprintln!("error: no code: {e}");
            return Ok(false);
        }
    };
    let challenges = client.challenges(service, &args.identity)?;
    let login = challenges.create(&CreateChallenge::new(&factor.sid).auth_payload(typed))?;
    println!(
        "4. Logged in with a code: challenge {} is {}.",
        login.sid, login.status
    );
    Ok(login.status == ChallengeStatus::Approved)
}
