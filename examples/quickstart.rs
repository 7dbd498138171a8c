//! The quickstart: create an access token for an identity and fetch it back.
//!
//! ```text
//! cargo run --example quickstart --features emulator
//! ```
//!
//! With no `TWILIO_*` variables set it starts a local emulator and runs against it: no account
//! and no network needed. With `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` (or `TWILIO_API_KEY` +
//! `TWILIO_API_SECRET`) and `TWILIO_VERIFY_SERVICE_SID` all set, it runs the same code against
//! Twilio. With only some of them set it names the missing ones and exits 2.
//!
//! The JWT is printed only with `--show-token`. Exit status: 0 on success, 2 for a usage or
//! configuration error (nothing sent), 1 for an error from Twilio or the network.

use std::process::ExitCode;

#[path = "support/target.rs"]
mod target;

use clap::Parser;
use target::{Target, missing_message, rfc3339, target_from_env, twilio_client};
use twilio_verify::emulator::Emulator;
use twilio_verify::{AccessToken, CreateAccessToken, Error, FactorType, VerifyClient};

/// Create a Verify access token and fetch it back.
#[derive(Parser)]
#[command(name = "quickstart")]
struct Args {
    /// Your identifier for the user the token is for (immutable, not PII): 8 to 64 ASCII
    /// letters and digits in groups separated by single dashes, like a UUID
    #[arg(long, default_value = "quickstart-user")]
    identity: String,
    /// Print the JWT instead of redacting it
    #[arg(long)]
    show_token: bool,
    /// Send requests to this server instead of Twilio (needs the TWILIO_* variables)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let target = match target_from_env() {
        Ok(target) => target,
        Err(missing) => {
            eprintln!("{}", missing_message(&missing));
            return ExitCode::from(2);
        }
    };
    let result = match target {
        Target::Emulator => {
            if args.base_url.is_some() {
                eprintln!("error: --base-url needs the TWILIO_* variables set");
                return ExitCode::from(2);
            }
            let emulator = match Emulator::start() {
                Ok(emulator) => emulator,
                Err(e) => {
                    eprintln!("error: could not start the local emulator: {e}");
                    return ExitCode::from(1);
                }
            };
            println!(
                "No TWILIO_* variables set: running against a local emulator at {} (no account needed).",
                emulator.base_url()
            );
            create_and_fetch(&emulator.client(), emulator.service_sid().as_str(), &args)
        }
        Target::Twilio { service_sid } => {
            twilio_client(args.base_url.as_deref()).and_then(|client| {
                println!("Using {} with service {service_sid}.", client.base_url());
                create_and_fetch(&client, &service_sid, &args)
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                Error::InvalidInput(_) => 2,
                _ => 1,
            })
        }
    }
}

/// The quickstart itself: the same code for the emulator and for Twilio.
fn create_and_fetch(client: &VerifyClient, service_sid: &str, args: &Args) -> Result<(), Error> {
    let tokens = client.access_tokens(service_sid)?;
    let created = tokens.create(
        &CreateAccessToken::new(&args.identity, FactorType::Push)
            .factor_friendly_name("Quickstart device")
            .ttl(120),
    )?;
    let fetched = tokens.fetch(&created.sid)?;
    assert_eq!(fetched.sid, created.sid, "fetch returned another token");
    print_summary(&fetched, args.show_token);
    Ok(())
}

fn print_summary(token: &AccessToken, show_token: bool) {
    println!("Created an access token and fetched it back:");
    println!("  sid       {}", token.sid);
    println!("  identity  {}", token.entity_identity);
    println!("  ttl       {} s", token.ttl);
    println!("  created   {}", rfc3339(token.date_created));
    if show_token {
        println!("  token     {}", token.token.expose_secret());
    } else {
        println!(
            "  token     {} (run with --show-token to print the JWT)",
            token.token
        );
    }
}
