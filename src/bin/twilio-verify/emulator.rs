//! `emulator`: a long-running emulator on 127.0.0.1; and the in-process one of `--emulator`.

use twilio_verify::emulator::Emulator;

use crate::exit::Failure;

/// `emulator`: its options.
#[derive(clap::Args)]
pub struct Args {}

/// Starts the in-process emulator of `--emulator`, serving `service` when given.
pub fn in_process(_service: Option<&str>) -> Result<Emulator, Failure> {
    Emulator::start().map_err(|e| Failure::Failed(format!("could not start the emulator: {e}")))
}

/// Runs `emulator`.
pub fn run(_args: &Args) -> Result<(), Failure> {
    Err(Failure::Failed("not yet".into()))
}
