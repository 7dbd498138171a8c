//! Exit codes and error lines, in one place.
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | done (for `challenges wait`: the challenge was approved) |
//! | 1 | an error from the API, the transport or decoding, or the emulator could not start |
//! | 2 | a usage error, or input refused before anything was sent |
//! | 3 | `challenges wait`: the challenge was denied |
//! | 4 | `challenges wait`: the challenge expired |
//! | 5 | `challenges wait`: still pending when `--timeout` ran out |
//! | 6 | `challenges wait`: it ended in a status this version does not know |

use std::process::ExitCode;

use twilio_verify::Error;

/// How a command failed; [`Failure::report`] prints it and gives the exit code.
#[derive(Debug)]
pub enum Failure {
    /// An error of the SDK: 2 when nothing was sent (its own checks refused the input), else 1.
    Sdk(Error),
    /// A usage error found after parsing (a missing `--service`, say): exit 2 with the usage.
    Usage(String),
    /// Another failure (the emulator could not start, stdin could not be read): exit 1.
    Failed(String),
    /// A finished `challenges wait` that was not approved: its message and exit code.
    Wait {
        /// One line for stderr.
        message: String,
        /// One of [`DENIED`], [`EXPIRED`], [`TIMED_OUT`], [`UNKNOWN_STATUS`].
        code: u8,
    },
}

/// `challenges wait`: the challenge was denied.
pub const DENIED: u8 = 3;
/// `challenges wait`: the challenge expired.
pub const EXPIRED: u8 = 4;
/// `challenges wait`: still pending when the timeout ran out.
pub const TIMED_OUT: u8 = 5;
/// `challenges wait`: it ended in a status this version does not know.
pub const UNKNOWN_STATUS: u8 = 6;

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Sdk(error)
    }
}

impl From<twilio_verify::InvalidInput> for Failure {
    fn from(error: twilio_verify::InvalidInput) -> Self {
        Failure::Sdk(Error::InvalidInput(error))
    }
}

impl Failure {
    /// Prints the failure to stderr as one line (usage errors with clap's usage) and returns
    /// the exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Sdk(error) => {
                eprintln!("error: {}", one_line(&error));
                ExitCode::from(match error {
                    Error::InvalidInput(_) => 2,
                    _ => 1,
                })
            }
            Failure::Usage(message) => {
                let error = crate::usage_error(&message);
                // Printing to stderr fails only when stderr is gone: nothing left to tell.
                let _ = error.print();
                ExitCode::from(2)
            }
            Failure::Failed(message) => {
                eprintln!("error: {}", message.replace(['\n', '\r'], " "));
                ExitCode::from(1)
            }
            Failure::Wait { message, code } => {
                eprintln!("error: {message}");
                ExitCode::from(code)
            }
        }
    }
}

/// The error and its causes on one line (an error's `Display` never repeats its source): for
/// an API error, Twilio's code, `more_info` link and request id are in its `Display`.
pub fn one_line(error: &Error) -> String {
    let mut line = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        line.push_str(": ");
        line.push_str(&cause.to_string());
        source = cause.source();
    }
    line.replace(['\n', '\r'], " ")
}
