//! Creates an access token for an identity with credentials from the environment, then fetches
//! it back.
//!
//! ```text
//! TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… TWILIO_VERIFY_SERVICE_SID=VA… \
//!     cargo run --example create_and_fetch -- user-8f3a2b
//! ```
//! `TWILIO_API_KEY` + `TWILIO_API_SECRET` work instead of the account SID and auth token;
//! `TWILIO_REGION` and `TWILIO_EDGE` are honoured.

#[path = "support/target.rs"]
mod target;

use std::process::ExitCode;

use target::rfc3339;
use twilio_verify::{CreateAccessToken, Error, FactorType, VerifyClient};

fn main() -> ExitCode {
    let identity = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "user-8f3a2b".to_owned());
    let Ok(service_sid) = std::env::var("TWILIO_VERIFY_SERVICE_SID") else {
        eprintln!("error: TWILIO_VERIFY_SERVICE_SID is not set");
        return ExitCode::from(2);
    };
    match run(&service_sid, &identity) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ Error::InvalidInput(_)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(service_sid: &str, identity: &str) -> Result<(), Error> {
    let client = VerifyClient::builder_from_env()?
        .user_agent_extension("create_and_fetch-example")
        .build()?;
    let tokens = client.access_tokens(service_sid)?;
    let created = tokens.create(&CreateAccessToken::new(identity, FactorType::Push).ttl(120))?;
    println!(
        "created {} for {} (ttl {}s, created {})",
        created.sid,
        created.entity_identity,
        created.ttl,
        rfc3339(created.date_created)
    );
    let fetched = tokens.fetch(&created.sid)?;
    println!("fetched {} (token {})", fetched.sid, fetched.token);
    Ok(())
}
