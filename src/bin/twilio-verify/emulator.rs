//! `emulator`: a long-running emulator on 127.0.0.1 for other processes; and the in-process
//! one of `--emulator`.
//!
//! The server prints its base URL alone on the first line of stdout once it accepts
//! connections (`http://127.0.0.1:4010`), then `account_sid …`, `auth_token …`,
//! `api_key_sid …`, `api_key_secret …` and one `service_sid …` line per service: the
//! emulator's own throwaway credentials, printed on purpose. It serves until Ctrl-C or
//! SIGTERM, then stops (closing its connections) and exits 0. Its clock is the wall clock,
//! moved forward only by `phone advance`.

use std::sync::mpsc;

use twilio_verify::ServiceSid;
use twilio_verify::emulator::Emulator;

use crate::exit::Failure;

/// `emulator`: where it listens and what it accepts; random values for what is not given.
#[derive(clap::Args)]
pub struct Args {
    /// The port on 127.0.0.1 (0: a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The account SID it accepts (AC + 32 hex digits)
    #[arg(long, value_name = "AC…")]
    account_sid: Option<String>,
    /// The auth token it accepts
    #[arg(long, value_name = "TOKEN")]
    auth_token: Option<String>,
    /// An API key SID it accepts (SK + 32 hex digits), with --api-secret
    #[arg(long, value_name = "SK…", requires = "api_secret")]
    api_key: Option<String>,
    /// The API key's secret
    #[arg(long, value_name = "SECRET", requires = "api_key")]
    api_secret: Option<String>,
    /// A service it serves (VA + 32 hex digits); repeatable, the first is the default
    #[arg(long, value_name = "VA…")]
    service: Vec<String>,
}

/// Starts the in-process emulator of `--emulator`, serving `service` when given.
pub fn in_process(service: Option<&str>) -> Result<Emulator, Failure> {
    let mut builder = Emulator::builder();
    if let Some(service) = service {
        // A malformed SID is refused like any other: exit 2, naming service_sid.
        builder = builder.service(service.parse::<ServiceSid>()?.as_str());
    }
    builder
        .start()
        .map_err(|e| Failure::Failed(format!("could not start the emulator: {e}")))
}

/// Runs `emulator`: serves until Ctrl-C or SIGTERM.
pub fn run(args: &Args) -> Result<(), Failure> {
    let (stop, stopped) = mpsc::channel();
    // Set before the server starts, so a signal as soon as the URL is printed is not lost.
    ctrlc::set_handler(move || {
        // The receiver only goes away when main is leaving anyway.
        let _ = stop.send(());
    })
    .map_err(|e| Failure::Failed(format!("could not catch Ctrl-C and SIGTERM: {e}")))?;

    let mut builder = Emulator::builder().port(args.port);
    if let Some(sid) = &args.account_sid {
        builder = builder.account_sid(sid);
    }
    if let Some(token) = &args.auth_token {
        builder = builder.auth_token(token);
    }
    if let (Some(key), Some(secret)) = (&args.api_key, &args.api_secret) {
        builder = builder.api_key(key, secret);
    }
    for service in &args.service {
        builder = builder.service(service);
    }
    let emulator = builder.start().map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidInput => Failure::Usage(e.to_string()),
        _ => Failure::Failed(format!(
            "could not start the emulator on 127.0.0.1:{}: {e}",
            args.port
        )),
    })?;

    let mut lines = vec![
        emulator.base_url().to_owned(),
        format!("account_sid {}", emulator.account_sid()),
        format!("auth_token {}", emulator.auth_token()),
        format!("api_key_sid {}", emulator.api_key_sid()),
        format!("api_key_secret {}", emulator.api_key_secret()),
    ];
    let services = if args.service.is_empty() {
        vec![emulator.service_sid().to_string()]
    } else {
        args.service.clone()
    };
    lines.extend(services.iter().map(|sid| format!("service_sid {sid}")));
    print_flushed(&lines)?;
    eprintln!("serving until Ctrl-C or SIGTERM");

    // Err: the handler is gone, which cannot happen while it is installed; stop either way.
    let _ = stopped.recv();
    drop(emulator);
    eprintln!("stopped");
    Ok(())
}

/// Prints `lines` and flushes, so a script reading the first line sees it at once.
fn print_flushed(lines: &[String]) -> Result<(), Failure> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in lines {
        writeln!(out, "{line}")
            .map_err(|e| Failure::Failed(format!("could not write to stdout: {e}")))?;
    }
    out.flush()
        .map_err(|e| Failure::Failed(format!("could not write to stdout: {e}")))
}
