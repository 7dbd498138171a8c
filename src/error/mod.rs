//! The crate's one error type, split by where a call failed: our own checks (here), Twilio's
//! answer ([`api`]), the transport ([`transport`]) and decoding ([`decode`]).

mod api;
mod decode;
mod transport;

use std::error::Error as StdError;
use std::fmt;

pub use api::ApiError;
pub(crate) use api::OneLine;
pub use decode::DecodeError;
pub use transport::TransportError;
pub(crate) use transport::{NameResolution, TransportKind};

/// Everything a call to this crate can fail with.
///
/// The variant says where it failed: in our own checks before anything was sent
/// ([`Error::InvalidInput`]), in Twilio's answer ([`Error::Api`]), on the way there and back
/// ([`Error::Transport`]), or in reading a successful answer ([`Error::Decode`]).
///
/// `Display` is one line and never repeats [`source()`](StdError::source); no variant ever holds
/// a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused by this crate; nothing was sent.
    InvalidInput(InvalidInput),
    /// Twilio (or something in between) answered with a status other than 2xx.
    Api(Box<ApiError>),
    /// No answer could be had: connect, TLS, timeout or I/O failure.
    Transport(TransportError),
    /// Twilio answered 2xx with a body this crate could not read as the expected resource.
    Decode(DecodeError),
}

impl Error {
    /// True when the call failed because a timeout expired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// The HTTP status of an [`Error::Api`], if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status()),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(e) => write!(f, "invalid input: {e}"),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::InvalidInput(_) | Error::Api(_) => None,
            Error::Transport(e) => e.source(),
            Error::Decode(e) => e.source(),
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(e)
    }
}

/// Input refused before any request was sent. It names the parameter and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    parameter: &'static str,
    message: String,
}

impl InvalidInput {
    pub(crate) fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        InvalidInput {
            parameter,
            message: message.into(),
        }
    }

    /// A refused SID, described without echoing it: a wrong value is often a secret pasted in
    /// the wrong place (an auth token is 32 hex digits too), so only its length and, when they
    /// are two capital letters like every SID prefix, its first two characters are shown.
    pub(crate) fn malformed_sid(parameter: &'static str, value: &str, prefix: &str) -> Self {
        let chars = value.chars().count();
        let head = value
            .get(..2)
            .filter(|h| h.bytes().all(|b| b.is_ascii_uppercase()));
        let shape = match (chars, head) {
            (0, _) => "empty".to_owned(),
            (n, Some(head)) => format!("{n} characters starting {head:?}"),
            (1, None) => "1 character".to_owned(),
            (n, None) => format!("{n} characters"),
        };
        InvalidInput::new(
            parameter,
            format!(
                "{parameter} is malformed ({shape}): must be {prefix:?} followed by 32 hex digits"
            ),
        )
    }

    /// The parameter that was refused, as this crate names it (`ttl`, `identity`, `service_sid`…).
    pub fn parameter(&self) -> &str {
        self.parameter
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for InvalidInput {}

#[cfg(test)]
mod tests;
