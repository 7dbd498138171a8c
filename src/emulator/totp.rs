//! RFC 6238 TOTP for the emulator's `totp` factors: codes, verification with skew, secrets,
//! their base32 and the `otpauth://` URI, as Twilio answers them.
//!
//! The HMAC is ring's (`HMAC-SHA1/256/512`), base32 is `data-encoding`'s (RFC 4648, no
//! padding) and the URI's components are percent-encoded by `percent-encoding`; nothing here
//! encodes or hashes by hand. Checked against every RFC 6238 Appendix B vector.
//!
//! Every function takes any input without panicking: a configuration outside Twilio's ranges
//! never makes [`verify`] accept a code, and times near `0` or `u64::MAX` only shorten the
//! window of steps that exist.

use std::ops::RangeInclusive;

use data_encoding::BASE32_NOPAD;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ring::hmac;
use ring::rand::{SecureRandom as _, SystemRandom};

/// `Config.TimeStep`: seconds per code, as Twilio accepts them.
pub(crate) const TIME_STEPS: RangeInclusive<u64> = 20..=60;
/// `Config.CodeLength`: digits per code, as Twilio accepts them.
pub(crate) const CODE_LENGTHS: RangeInclusive<u32> = 3..=8;
/// `Config.Skew`: steps before and after the current one that are accepted too.
pub(crate) const SKEWS: RangeInclusive<u32> = 0..=2;
/// Bytes of a generated secret: Twilio's secrets are 32 base32 characters, i.e. 160 bits.
pub(crate) const SECRET_LEN: usize = 20;

/// Everything but RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded,
/// so a space is `%20` (not `+`) and a `:` inside the issuer or account cannot split the label.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The HMAC of a TOTP factor (`Config.Alg` / `config.alg`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Algorithm {
    /// HMAC-SHA1, Twilio's default and RFC 4226's.
    #[default]
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Algorithm {
    /// The algorithm Twilio's form value names: exactly `sha1`, `sha256` or `sha512`.
    pub(crate) fn from_wire(value: &str) -> Option<Self> {
        match value {
            "sha1" => Some(Self::Sha1),
            "sha256" => Some(Self::Sha256),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The name Twilio answers in `config.alg`: `sha1`, `sha256` or `sha512`.
    pub(crate) fn wire_name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Sha512 => "sha512",
        }
    }

    /// The `algorithm` parameter of an `otpauth://` URI: `SHA1`, `SHA256` or `SHA512`.
    pub(crate) fn otpauth_name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    fn hmac(self) -> hmac::Algorithm {
        match self {
            Self::Sha1 => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => hmac::HMAC_SHA256,
            Self::Sha512 => hmac::HMAC_SHA512,
        }
    }
}

/// A TOTP factor's configuration (`config` of a factor). Holds no secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TotpConfig {
    /// The HMAC.
    pub(crate) algorithm: Algorithm,
    /// Seconds per code; Twilio accepts [`TIME_STEPS`].
    pub(crate) time_step: u64,
    /// Digits per code; Twilio accepts [`CODE_LENGTHS`].
    pub(crate) code_length: u32,
    /// Steps before and after the current one whose codes are accepted too; Twilio accepts
    /// [`SKEWS`].
    pub(crate) skew: u32,
}

impl Default for TotpConfig {
    /// Twilio's defaults when neither the factor nor the service sets them: SHA1, 30 s, 6
    /// digits, skew 1.
    fn default() -> Self {
        Self {
            algorithm: Algorithm::Sha1,
            time_step: 30,
            code_length: 6,
            skew: 1,
        }
    }
}

impl TotpConfig {
    /// The first form parameter that is outside Twilio's range, in the order
    /// `Config.TimeStep`, `Config.CodeLength`, `Config.Skew`; `None` when all are in range.
    pub(crate) fn invalid_parameter(&self) -> Option<&'static str> {
        if !TIME_STEPS.contains(&self.time_step) {
            Some("Config.TimeStep")
        } else if !CODE_LENGTHS.contains(&self.code_length) {
            Some("Config.CodeLength")
        } else if !SKEWS.contains(&self.skew) {
            Some("Config.Skew")
        } else {
            None
        }
    }

    /// `code_length` brought into [`CODE_LENGTHS`].
    fn digits(&self) -> u32 {
        self.code_length
            .clamp(*CODE_LENGTHS.start(), *CODE_LENGTHS.end())
    }
}

/// The code of `secret` at `unix_seconds`: RFC 4226's dynamic truncation of the HMAC of the
/// step number (`unix_seconds / time_step`, big-endian), zero-padded to `code_length` digits.
///
/// Out-of-range values are brought into range rather than refused (`code_length` is clamped
/// to 3..=8, a `time_step` of 0 counts as 1), so this never panics; [`verify`] accepts no code
/// under such a configuration.
pub(crate) fn code(secret: &[u8], config: &TotpConfig, unix_seconds: u64) -> String {
    let step = unix_seconds / config.time_step.max(1);
    step_code(
        &hmac::Key::new(config.algorithm.hmac(), secret),
        step,
        config.digits(),
    )
}

fn step_code(key: &hmac::Key, step: u64, digits: u32) -> String {
    let tag = hmac::sign(key, &step.to_be_bytes());
    let mac = tag.as_ref();
    // RFC 4226 §5.3: the low 4 bits of the last byte pick 4 bytes; the top bit is dropped.
    // `offset` is at most 15 and the shortest tag (SHA1) has 20 bytes: indexing cannot fail.
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        mac[offset],
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]) & 0x7fff_ffff;
    let value = word % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// Whether `candidate` is the code of the step of `unix_seconds` or of one up to `skew` steps
/// before or after it.
///
/// A configuration outside Twilio's ranges ([`TotpConfig::invalid_parameter`]) accepts
/// nothing, and so does a candidate that is not exactly `code_length` ASCII digits. Steps that
/// would fall before 0 or past `u64::MAX` are left out. Every step of the window is computed
/// and compared, each in constant time (the candidate's HMAC-SHA256 under the secret is checked
/// against each expected code by `ring::hmac::verify`), so the time taken does not depend on which step matched or on how
/// much of the code was right.
pub(crate) fn verify(
    secret: &[u8],
    config: &TotpConfig,
    unix_seconds: u64,
    candidate: &str,
) -> bool {
    if config.invalid_parameter().is_some()
        || candidate.len() != config.code_length as usize
        || !candidate.bytes().all(|byte| byte.is_ascii_digit())
    {
        return false;
    }
    let key = hmac::Key::new(config.algorithm.hmac(), secret);
    let compare = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let candidate_tag = hmac::sign(&compare, candidate.as_bytes());
    let step = unix_seconds / config.time_step;
    let first = step.saturating_sub(u64::from(config.skew));
    let last = step.saturating_add(u64::from(config.skew));
    (first..=last).fold(false, |accepted, step| {
        let expected = step_code(&key, step, config.code_length);
        let matches = hmac::verify(&compare, expected.as_bytes(), candidate_tag.as_ref()).is_ok();
        accepted | matches
    })
}

/// A fresh secret of [`SECRET_LEN`] bytes from the operating system's random number generator
/// (`ring::rand::SystemRandom`); `None` only if that generator fails.
pub(crate) fn new_secret() -> Option<Vec<u8>> {
    let mut secret = vec![0; SECRET_LEN];
    SystemRandom::new().fill(&mut secret).ok()?;
    Some(secret)
}

/// RFC 4648 base32 of `secret`, upper case, without `=` padding (Twilio's `binding.secret`).
pub(crate) fn base32(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// The bytes of a base32 secret (`Binding.Secret`), read leniently: any case, with or without
/// trailing `=` padding. `None` when it is not base32 (another character, an impossible length,
/// or non-zero bits after the last byte).
pub(crate) fn from_base32(value: &str) -> Option<Vec<u8>> {
    let unpadded = value.trim_end_matches('=').to_ascii_uppercase();
    BASE32_NOPAD.decode(unpadded.as_bytes()).ok()
}

/// The `otpauth://` URI of a factor (Twilio's `binding.uri`), in Google Authenticator's Key Uri
/// Format and in Twilio's order:
/// `otpauth://totp/{issuer}:{account}?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`.
///
/// Issuer, account and secret are percent-encoded (UTF-8, everything but `A-Z a-z 0-9 - . _ ~`,
/// so a space is `%20` as in Twilio's example). `digits` and `period` are the configuration's
/// values as given.
pub(crate) fn otpauth_uri(
    issuer: &str,
    account: &str,
    secret_b32: &str,
    config: &TotpConfig,
) -> String {
    let issuer = utf8_percent_encode(issuer, COMPONENT);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm={algorithm}&digits={digits}&period={period}",
        account = utf8_percent_encode(account, COMPONENT),
        secret = utf8_percent_encode(secret_b32, COMPONENT),
        algorithm = config.algorithm.otpauth_name(),
        digits = config.code_length,
        period = config.time_step,
    )
}

#[cfg(test)]
mod tests;
