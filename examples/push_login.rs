//! A whole Verify Push login: enroll a phone, then log in with a challenge it approves.
//!
//! ```text
//! cargo run --example push_login --features emulator                 # no account, no phone
//! cargo run --example push_login --features emulator -- --deny       # the phone says no
//! cargo run --example push_login --features emulator -- --identity ff483d1f-5b7e-4c1a   # Twilio
//! ```
//!
//! With no `TWILIO_*` variables set, it runs on a local emulator, whose simulated phone plays
//! the Verify Push SDK: the backend mints an access token, the phone enrolls and verifies a
//! push factor with its JWT, the backend creates a challenge, the phone approves it (or denies
//! it with `--deny`), and the backend reads the answer.
//!
//! With `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN` (or `TWILIO_API_KEY` + `TWILIO_API_SECRET`)
//! and `TWILIO_VERIFY_SERVICE_SID` set, it logs in `--identity` against Twilio: it picks the
//! identity's first verified push factor (enrolled by your app with the Verify Push SDK),
//! creates the challenge and waits for the real phone's answer, polling every 2 seconds until
//! the challenge is no longer pending (it expires after 5 minutes).
//!
//! Exit status: 0 approved, 3 denied, 4 expired, 2 usage or configuration errors (nothing
//! sent), 1 an error from Twilio or the network.

#[path = "support/target.rs"]
mod target;

use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use target::{Target, missing_message, target_from_env, twilio_client};
use twilio_verify::emulator::Emulator;
use twilio_verify::{
    Challenge, ChallengeStatus, CreateAccessToken, CreateChallenge, Error, FactorStatus,
    FactorType, VerifyClient,
};

/// Log a user in with Verify Push.
#[derive(Parser)]
#[command(name = "push_login")]
struct Args {
    /// The user to log in: 8 to 64 ASCII letters and digits in dash-separated groups
    #[arg(long, default_value = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f")]
    identity: String,
    /// On the emulator: the phone denies the login instead of approving it
    #[arg(long)]
    deny: bool,
    /// Send requests to this server instead of Twilio (needs the TWILIO_* variables)
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match target_from_env() {
        Err(missing) => {
            eprintln!("{}", missing_message(&missing));
            return ExitCode::from(2);
        }
        Ok(Target::Emulator) => on_emulator(&args),
        Ok(Target::Twilio { service_sid }) => twilio_client(args.base_url.as_deref())
            .map_err(Failure::from)
            .and_then(|client| on_twilio(&client, &service_sid, &args.identity)),
    };
    match result {
        Ok(challenge) => {
            println!("The backend reads the challenge: {}", challenge.status);
            ExitCode::from(match challenge.status {
                ChallengeStatus::Approved => 0,
                ChallengeStatus::Denied => 3,
                _ => 4,
            })
        }
        Err(e) => {
            eprintln!("error: {e}");
            let refused = e.downcast_ref::<Usage>().is_some()
                || matches!(e.downcast_ref::<Error>(), Some(Error::InvalidInput(_)));
            ExitCode::from(if refused { 2 } else { 1 })
        }
    }
}

type Failure = Box<dyn std::error::Error>;

/// A usage problem found before the login could start (exit status 2).
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The login's challenge: the same for the emulator's phone and a real one.
fn login_challenge(factor_sid: &str) -> CreateChallenge {
    CreateChallenge::new(factor_sid)
        .message("Approve the login to Owl Bank?")
        .field("Location", "Berlin, Germany")
        .field("Browser", "Firefox on Linux")
        .expires_in(Duration::from_secs(300))
}

fn on_emulator(args: &Args) -> Result<Challenge, Failure> {
    let emulator = Emulator::start()?;
    println!(
        "No TWILIO_* variables set: a local emulator at {} plays Twilio and the phone.",
        emulator.base_url()
    );
    let client = emulator.client();
    let service = emulator.service_sid();

    // 1. Enroll: the backend mints a token and hands its JWT to the app.
    let token = client.access_tokens(service)?.create(
        &CreateAccessToken::new(&args.identity, FactorType::Push)
            .factor_friendly_name("Alice's phone"),
    )?;
    println!(
        "1. The backend minted access token {} (the JWT goes to the app).",
        token.sid
    );
    let phone = emulator.phone(token.token.expose_secret())?;
    let factor = client
        .factors(service, &args.identity)?
        .fetch(phone.factor_sid())?;
    assert_eq!(factor.status, FactorStatus::Verified);
    println!(
        "2. The phone enrolled push factor {} ({}).",
        factor.sid, factor.status
    );

    // 2. Log in: the backend asks, the phone answers, the backend reads the answer.
    let challenges = client.challenges(service, &args.identity)?;
    let challenge = challenges.create(&login_challenge(phone.factor_sid().as_str()))?;
    println!(
        "3. The backend created challenge {} ({}).",
        challenge.sid, challenge.status
    );
    for pending in phone.pending_challenges() {
        println!(
            "4. The phone shows: {:?}",
            pending.message.as_deref().unwrap_or("")
        );
    }
    if args.deny {
        phone.deny(&challenge.sid)?;
        println!("5. The user tapped Deny.");
    } else {
        phone.approve(&challenge.sid)?;
        println!("5. The user tapped Approve.");
    }
    Ok(challenges.fetch(&challenge.sid)?)
}

fn on_twilio(client: &VerifyClient, service: &str, identity: &str) -> Result<Challenge, Failure> {
    println!("Using {} with service {service}.", client.base_url());
    let mut verified_push = None;
    for factor in client.factors(service, identity)?.list() {
        let factor = factor?;
        if factor.factor_type == FactorType::Push && factor.status == FactorStatus::Verified {
            verified_push = Some(factor);
            break;
        }
    }
    let Some(factor) = verified_push else {
        return Err(Usage(format!(
            "{identity} has no verified push factor: enroll one with the Verify Push SDK first"
        ))
        .into());
    };
    let challenges = client.challenges(service, identity)?;
    let challenge = challenges.create(&login_challenge(factor.sid.as_str()))?;
    println!(
        "Challenge {} sent to factor {} ({}): approve or deny it on the phone.",
        challenge.sid,
        factor.sid,
        factor.friendly_name.as_deref().unwrap_or("unnamed")
    );
    let deadline = Instant::now() + Duration::from_secs(310);
    loop {
        let now = challenges.fetch(&challenge.sid)?;
        if now.status != ChallengeStatus::Pending || Instant::now() >= deadline {
            return Ok(now);
        }
        thread::sleep(Duration::from_secs(2));
    }
}
