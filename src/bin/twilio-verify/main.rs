//! `twilio-verify`: Twilio Verify v2 from the command line, and a local emulator of it.
//!
//! ```text
//! cargo install --path . --features cli
//! twilio-verify --emulator access-tokens create --identity user-8f3a2b
//! twilio-verify factors list --service VA… --identity user-8f3a2b --json
//! twilio-verify challenges wait --service VA… --identity user-8f3a2b --sid YC… --timeout 120
//! twilio-verify emulator --port 4010
//! ```
//!
//! Credentials come from the same environment variables as `VerifyClient::from_env()`
//! (`TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET`,
//! and `TWILIO_REGION` / `TWILIO_EDGE`), the service from `--service` or
//! `TWILIO_VERIFY_SERVICE_SID`. With `--emulator` none are needed: the command runs against
//! an emulator inside its own process (whatever it creates is gone when the command exits).
//!
//! Output is a human-readable summary, or one JSON document with `--json` (a list is a JSON
//! array, written as the pages arrive). Secrets (JWTs, TOTP secrets and URIs, notification
//! tokens) print as `[redacted]` unless `--show-secrets`. Errors go to stderr as one line,
//! with Twilio's code, `more_info` link and request id when there are some. Exit codes: see
//! [`exit`].

#![forbid(unsafe_code)]

mod access_tokens;
mod challenges;
mod emulator;
mod entities;
mod exit;
mod factors;
mod output;
mod phone;
mod webhooks;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};
use twilio_verify::VerifyClient;
use twilio_verify::emulator::Emulator;

use exit::Failure;
use output::Output;

/// Twilio Verify v2 from the command line: access tokens, entities, factors, challenges and
/// webhooks, a simulated phone, and a local emulator.
///
/// Exit status: 0 done; 1 an error from the API, the transport or decoding; 2 a usage error or
/// input refused before anything was sent; `challenges wait`: 3 denied, 4 expired, 5 timed
/// out, 6 an unknown status.
#[derive(Parser)]
#[command(name = "twilio-verify", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Options accepted before or after the subcommand.
#[derive(Args)]
pub struct Global {
    /// Send requests to this server instead of https://verify.twilio.com
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
    /// Run against an emulator inside this process: no account needed, --service may be omitted
    #[arg(long, global = true, conflicts_with = "base_url")]
    emulator: bool,
    /// Print JSON (one document; a list as an array) instead of a summary
    #[arg(long, global = true)]
    json: bool,
    /// Print secrets (JWTs, TOTP secrets and URIs, notification tokens) instead of [redacted]
    #[arg(long, global = true)]
    show_secrets: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Access tokens: what the app enrolls a push factor with
    AccessTokens(access_tokens::Args),
    /// Entities: the users of a service
    Entities(entities::Args),
    /// Factors of an entity: push devices and TOTP apps
    Factors(factors::Args),
    /// Challenges of an entity: push login requests and TOTP checks
    Challenges(challenges::Args),
    /// Webhooks of a service
    Webhooks(webhooks::Args),
    /// The emulator's simulated phone, over its HTTP API (a running `twilio-verify emulator`)
    Phone(phone::Args),
    /// Serve an emulator on 127.0.0.1 until Ctrl-C or SIGTERM
    Emulator(emulator::Args),
}

/// What every command runs with: how to reach the API and how to print.
pub struct Context {
    global: Global,
    /// The in-process emulator of `--emulator`.
    emulator: Option<Emulator>,
    /// How to print.
    pub out: Output,
}

impl Context {
    /// The service to use: `given` (`--service` or `TWILIO_VERIFY_SERVICE_SID`), else the
    /// in-process emulator's.
    pub fn service(&self, given: Option<&str>) -> Result<String, Failure> {
        match (given, &self.emulator) {
            (Some(service), _) => Ok(service.to_owned()),
            (None, Some(emulator)) => Ok(emulator.service_sid().to_string()),
            (None, None) => Err(Failure::Usage(
                "--service <VA…> (or TWILIO_VERIFY_SERVICE_SID) is required unless --emulator \
                 is given"
                    .into(),
            )),
        }
    }

    /// A client for the in-process emulator, or from the environment and `--base-url`.
    pub fn client(&self) -> Result<VerifyClient, Failure> {
        if let Some(emulator) = &self.emulator {
            // Here rather than at start, so a usage error found first comes alone.
            eprintln!(
                "note: using an in-process emulator at {} (what it creates is gone when this \
                 command exits)",
                emulator.base_url()
            );
            return Ok(emulator.client());
        }
        let mut builder = VerifyClient::builder_from_env()?;
        if let Some(url) = &self.global.base_url {
            builder = builder.base_url(url);
        }
        Ok(builder.build()?)
    }

    /// `--base-url`, for the commands that need one given (`phone`).
    pub fn base_url(&self) -> Option<&str> {
        self.global.base_url.as_deref()
    }
}

/// `value` as a required option: a usage error naming `flag` when it is absent.
pub fn required<'a>(value: &'a Option<String>, flag: &str) -> Result<&'a str, Failure> {
    value
        .as_deref()
        .ok_or_else(|| Failure::Usage(format!("{flag} is required")))
}

/// A usage error with clap's usage line, exit code 2.
pub fn usage_error(message: &str) -> clap::Error {
    Cli::command().error(ErrorKind::MissingRequiredArgument, message)
}

/// `KEY=VALUE` (split at the first `=`) for repeatable options like `--field Label=Value`.
pub fn key_value(raw: &str) -> Result<(String, String), String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key.to_owned(), value.to_owned())),
        _ => Err(format!("{raw:?} is not KEY=VALUE")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let out = Output {
        json: cli.global.json,
        show_secrets: cli.global.show_secrets,
    };
    if let Command::Emulator(args) = &cli.command {
        if cli.global.emulator || cli.global.base_url.is_some() || cli.global.json {
            return Err(Failure::Usage(
                "`emulator` serves its own emulator and prints lines: --emulator, --base-url \
                 and --json do not apply"
                    .into(),
            ));
        }
        return emulator::run(args);
    }
    let emulator = if cli.global.emulator {
        if matches!(cli.command, Command::Phone(_)) {
            return Err(Failure::Usage(
                "`phone` talks to a running `twilio-verify emulator`: give its --base-url, not \
                 --emulator"
                    .into(),
            ));
        }
        Some(emulator::in_process(cli.command.service())?)
    } else {
        None
    };
    let context = Context {
        global: cli.global,
        emulator,
        out,
    };
    match &cli.command {
        Command::AccessTokens(args) => access_tokens::run(&context, args),
        Command::Entities(args) => entities::run(&context, args),
        Command::Factors(args) => factors::run(&context, args),
        Command::Challenges(args) => challenges::run(&context, args),
        Command::Webhooks(args) => webhooks::run(&context, args),
        Command::Phone(args) => phone::run(&context, args),
        Command::Emulator(_) => unreachable!("served above"),
    }
}

impl Command {
    /// The `--service` given to the command, if any.
    fn service(&self) -> Option<&str> {
        match self {
            Command::AccessTokens(args) => args.scope.service.as_deref(),
            Command::Entities(args) => args.scope.service.as_deref(),
            Command::Factors(args) => args.scope.service.as_deref(),
            Command::Challenges(args) => args.scope.service.as_deref(),
            Command::Webhooks(args) => args.scope.service.as_deref(),
            Command::Phone(_) | Command::Emulator(_) => None,
        }
    }
}

/// `--service`, for the groups under a service.
#[derive(Args)]
pub struct ServiceScope {
    /// The Verify Service SID (VA…); optional with --emulator
    #[arg(
        long,
        global = true,
        env = "TWILIO_VERIFY_SERVICE_SID",
        value_name = "VA…"
    )]
    pub service: Option<String>,
}

/// `--service` and `--identity`, for the groups under an entity.
#[derive(Args)]
pub struct EntityScope {
    /// The Verify Service SID (VA…); optional with --emulator
    #[arg(
        long,
        global = true,
        env = "TWILIO_VERIFY_SERVICE_SID",
        value_name = "VA…"
    )]
    pub service: Option<String>,
    /// Your identifier for the user: 8 to 64 ASCII letters and digits in groups separated by
    /// single dashes, like a UUID
    #[arg(long, global = true)]
    pub identity: Option<String>,
}

impl EntityScope {
    /// The service and identity, or a usage error.
    pub fn resolve(&self, context: &Context) -> Result<(String, String), Failure> {
        let service = context.service(self.service.as_deref())?;
        let identity = required(&self.identity, "--identity <IDENTITY>")?;
        Ok((service, identity.to_owned()))
    }
}

/// `--limit` and `--page-size`, for every list.
#[derive(clap::Args)]
pub struct Paging {
    /// Stop after this many records in all
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Records per page, 1 to 1000 (Twilio's default is 50)
    #[arg(long, value_name = "N")]
    pub page_size: Option<u32>,
}

impl Paging {
    /// `list` with the limit and page size applied.
    pub fn apply<T: serde::de::DeserializeOwned>(
        &self,
        mut list: twilio_verify::List<T>,
    ) -> twilio_verify::List<T> {
        if let Some(limit) = self.limit {
            list = list.limit(limit);
        }
        if let Some(size) = self.page_size {
            list = list.page_size(size);
        }
        list
    }
}
