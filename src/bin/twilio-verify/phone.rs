//! `phone …`: the emulator's simulated phone, over the emulator-only HTTP API of a running
//! `twilio-verify emulator`.

use crate::Context;
use crate::exit::Failure;

/// `phone`: its operation.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `phone …`.
pub fn run(_context: &Context, _args: &Args) -> Result<(), Failure> {
    Err(Failure::Failed("not yet".into()))
}
