//! A command-line tool for scripts and operators: create and fetch Verify access tokens.
//!
//! ```text
//! cargo run --example access_tokens --features emulator -- create --emulator --identity user-8f3a2b
//! cargo run --example access_tokens --features emulator -- create --service VA… --identity user-8f3a2b --ttl 120
//! cargo run --example access_tokens --features emulator -- fetch --service VA… --sid YK… --json
//! ```
//!
//! Credentials come from the same environment variables as `VerifyClient::from_env()`:
//! `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET`, and
//! `TWILIO_REGION` / `TWILIO_EDGE`. With `--emulator` none are needed: the command runs against
//! an emulator inside its own process (its tokens are gone when the command exits).
//!
//! Exit status: 0 on success; 2 for a usage error or input refused before anything was sent;
//! 1 for an error from the API, the transport or decoding. Errors go to stderr as one line,
//! with Twilio's code, `more_info` link and request id when there are some.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use serde_json::json;
use twilio_verify::emulator::Emulator;
use twilio_verify::{AccessToken, CreateAccessToken, Error, FactorType, VerifyClient};

/// Create and fetch Twilio Verify access tokens.
#[derive(Parser)]
#[command(name = "access_tokens", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Options accepted before or after the subcommand.
#[derive(Args)]
struct Global {
    /// Send requests to this server instead of https://verify.twilio.com
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
    /// Run against an in-process emulator: no account needed, --service may be omitted
    #[arg(long, global = true, conflicts_with = "base_url")]
    emulator: bool,
    /// Print the token resource as JSON (the JWT stays redacted unless --show-token)
    #[arg(long, global = true)]
    json: bool,
    /// Print the JWT instead of redacting it
    #[arg(long, global = true)]
    show_token: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Create an access token for an identity
    Create {
        /// The Verify Service SID (VA…); optional with --emulator
        #[arg(long, value_name = "VA…")]
        service: Option<String>,
        /// Your identifier for the user (immutable, not PII): 8 to 64 ASCII letters and digits
        /// in groups separated by single dashes, like a UUID
        #[arg(long)]
        identity: String,
        /// How long the token is valid, in seconds (60 to 300; Twilio's default is 60)
        #[arg(long, value_name = "SECONDS")]
        ttl: Option<u32>,
        /// A name for the factor, such as the device's name (up to 64 characters)
        #[arg(long, value_name = "NAME")]
        friendly_name: Option<String>,
    },
    /// Fetch an access token by its SID
    Fetch {
        /// The Verify Service SID (VA…); optional with --emulator
        #[arg(long, value_name = "VA…")]
        service: Option<String>,
        /// The access token's SID (YK…)
        #[arg(long, value_name = "YK…")]
        sid: String,
    },
}

impl Command {
    fn service(&self) -> Option<&str> {
        match self {
            Command::Create { service, .. } | Command::Fetch { service, .. } => service.as_deref(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.service().is_none() && !cli.global.emulator {
        Cli::command()
            .error(
                ErrorKind::MissingRequiredArgument,
                "--service <VA…> is required unless --emulator is given",
            )
            .exit();
    }
    let emulator = if cli.global.emulator {
        match Emulator::start() {
            Ok(emulator) => {
                eprintln!(
                    "note: using an in-process emulator at {} (its tokens are gone when this command exits)",
                    emulator.base_url()
                );
                Some(emulator)
            }
            Err(e) => {
                eprintln!("error: could not start the emulator: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    match run(&cli, emulator.as_ref()) {
        Ok(token) => {
            print(&token, &cli.global);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::from(exit_status(&e))
        }
    }
}

/// Builds the client and makes the call.
fn run(cli: &Cli, emulator: Option<&Emulator>) -> Result<AccessToken, Error> {
    let client = match emulator {
        Some(emulator) => emulator.client(),
        None => {
            let mut builder = VerifyClient::builder_from_env()?;
            if let Some(url) = &cli.global.base_url {
                builder = builder.base_url(url);
            }
            builder.build()?
        }
    };
    let service = match (cli.command.service(), emulator) {
        (Some(service), _) => service.to_owned(),
        (None, Some(emulator)) => emulator.service_sid().to_string(),
        (None, None) => unreachable!("checked in main"),
    };
    let tokens = client.access_tokens(service)?;
    match &cli.command {
        Command::Create {
            identity,
            ttl,
            friendly_name,
            ..
        } => {
            let mut params = CreateAccessToken::new(identity, FactorType::Push);
            if let Some(ttl) = ttl {
                params = params.ttl(*ttl);
            }
            if let Some(name) = friendly_name {
                params = params.factor_friendly_name(name);
            }
            tokens.create(&params)
        }
        Command::Fetch { sid, .. } => tokens.fetch(sid),
    }
}

/// 2 when nothing was sent (our own checks refused the input), 1 for everything else.
fn exit_status(error: &Error) -> u8 {
    match error {
        Error::InvalidInput(_) => 2,
        _ => 1,
    }
}

/// The error and its causes on one line (an error's `Display` never repeats its source).
fn one_line(error: &Error) -> String {
    let mut line = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line.replace(['\n', '\r'], " ")
}

fn print(token: &AccessToken, options: &Global) {
    let jwt = if options.show_token {
        token.token.expose_secret().to_owned()
    } else {
        token.token.to_string()
    };
    if options.json {
        let resource = json!({
            "sid": token.sid,
            "account_sid": token.account_sid,
            "service_sid": token.service_sid,
            "entity_identity": token.entity_identity,
            "factor_type": token.factor_type,
            "factor_friendly_name": token.factor_friendly_name,
            "token": jwt,
            "url": token.url,
            "ttl": token.ttl,
            "date_created": rfc3339(token.date_created),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&resource).expect("JSON values always print")
        );
        return;
    }
    println!("sid            {}", token.sid);
    println!("service        {}", token.service_sid);
    println!("identity       {}", token.entity_identity);
    println!("factor type    {}", token.factor_type);
    if let Some(name) = &token.factor_friendly_name {
        println!("friendly name  {name}");
    }
    println!("ttl            {} s", token.ttl);
    println!("created        {}", rfc3339(token.date_created));
    if options.show_token {
        println!("token          {jwt}");
    } else {
        println!("token          {jwt} (--show-token prints it)");
    }
}

/// `when` as RFC 3339 in UTC (`2015-07-30T20:00:00Z`), for display.
fn rfc3339(when: std::time::SystemTime) -> String {
    let utc = time::OffsetDateTime::from(when);
    utc.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| format!("{when:?}"))
}
