//! The error of the emulator's own API (the simulated phone, TOTP codes).

use std::fmt;

/// Why a [`Phone`](super::Phone) action or [`Emulator::totp_code`](super::Emulator::totp_code)
/// failed. Its `Display` is one line and never holds a token, code or identity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The JWT is not an access token this emulator minted (for this service, over HTTP).
    UnknownToken,
    /// The access token's `ttl` has passed by the emulator's clock.
    ExpiredToken,
    /// The access token is not for a `push` factor.
    NotPushToken,
    /// No such factor: never created, deleted (or its entity deleted), or of another entity.
    UnknownFactor,
    /// The factor is not a TOTP factor, so it has no codes.
    NotTotp,
    /// No such challenge for this phone's factor: unknown, deleted, or another factor's.
    UnknownChallenge,
    /// The challenge was already answered or has expired; its status as on the wire.
    NotPending(&'static str),
}

impl fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmulatorError::UnknownToken => {
                f.write_str("the JWT is not an access token this emulator minted for the service")
            }
            EmulatorError::ExpiredToken => {
                f.write_str("the access token has expired (its ttl passed on the emulator's clock)")
            }
            EmulatorError::NotPushToken => f.write_str("the access token is not for a push factor"),
            EmulatorError::UnknownFactor => f.write_str("no such factor in the emulator"),
            EmulatorError::NotTotp => f.write_str("the factor is not a TOTP factor"),
            EmulatorError::UnknownChallenge => {
                f.write_str("no such challenge for this phone's factor")
            }
            EmulatorError::NotPending(status) => {
                write!(f, "the challenge is {status}, not pending")
            }
        }
    }
}

impl std::error::Error for EmulatorError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_boxable() {
        let boxed: Box<dyn std::error::Error> = Box::new(EmulatorError::NotPending("approved"));
        assert_eq!(boxed.to_string(), "the challenge is approved, not pending");
        assert_eq!(
            EmulatorError::UnknownToken.to_string(),
            "the JWT is not an access token this emulator minted for the service"
        );
    }
}
