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

use clap::Parser;
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

const ACCOUNT_SID: &str = "TWILIO_ACCOUNT_SID";
const AUTH_TOKEN: &str = "TWILIO_AUTH_TOKEN";
const API_KEY: &str = "TWILIO_API_KEY";
const API_SECRET: &str = "TWILIO_API_SECRET";
const SERVICE_SID: &str = "TWILIO_VERIFY_SERVICE_SID";

/// Where the quickstart runs, decided from the environment.
enum Target {
    /// No variable set: a local emulator.
    Emulator,
    /// Every variable needed is set: Twilio (or `--base-url`).
    Twilio { service_sid: String },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let target = match target_from_env() {
        Ok(target) => target,
        Err(missing) => {
            eprintln!(
                "error: missing {missing}: set {ACCOUNT_SID} + {AUTH_TOKEN} (or {API_KEY} + \
                 {API_SECRET}) and {SERVICE_SID} to use Twilio, or none of them to use the local \
                 emulator"
            );
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
        Target::Twilio { service_sid } => twilio_client(&args).and_then(|client| {
            println!("Using {} with service {service_sid}.", client.base_url());
            create_and_fetch(&client, &service_sid, &args)
        }),
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

/// A variable's value, with an empty one counted as unset (as `VerifyClient::from_env` does).
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The emulator when no variable is set, Twilio when all that is needed is set, or else the
/// missing variables, named.
fn target_from_env() -> Result<Target, String> {
    let set = |name| var(name).is_some();
    let token_pair = set(ACCOUNT_SID) && set(AUTH_TOKEN);
    let key_pair = set(API_KEY) && set(API_SECRET);
    let service_sid = var(SERVICE_SID);
    if !(set(ACCOUNT_SID) || set(AUTH_TOKEN) || set(API_KEY) || set(API_SECRET))
        && service_sid.is_none()
    {
        return Ok(Target::Emulator);
    }
    if let (true, Some(service_sid)) = (token_pair || key_pair, &service_sid) {
        return Ok(Target::Twilio {
            service_sid: service_sid.clone(),
        });
    }
    let mut missing: Vec<&str> = Vec::new();
    if !(token_pair || key_pair) {
        if set(API_KEY) || set(API_SECRET) {
            missing.extend([API_KEY, API_SECRET].into_iter().filter(|n| !set(n)));
        } else if set(ACCOUNT_SID) || set(AUTH_TOKEN) {
            missing.extend([ACCOUNT_SID, AUTH_TOKEN].into_iter().filter(|n| !set(n)));
        } else {
            missing.push(
                "TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or TWILIO_API_KEY + TWILIO_API_SECRET)",
            );
        }
    }
    if service_sid.is_none() {
        missing.push(SERVICE_SID);
    }
    Err(missing.join(", "))
}

fn twilio_client(args: &Args) -> Result<VerifyClient, Error> {
    let mut builder = VerifyClient::builder_from_env()?;
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url);
    }
    builder.build()
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

/// `when` as RFC 3339 in UTC (`2015-07-30T20:00:00Z`), for display.
fn rfc3339(when: std::time::SystemTime) -> String {
    let utc = time::OffsetDateTime::from(when);
    utc.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| format!("{when:?}"))
}
