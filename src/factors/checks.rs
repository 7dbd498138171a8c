//! Checks shared by a factor's create and update; none echoes a secret.

use std::ops::RangeInclusive;

use super::model::{NotificationPlatform, TotpAlgorithm};
use crate::error::InvalidInput;
use crate::rules;
use crate::secret::Secret;

/// `Config.TimeStep`: seconds per TOTP code.
pub(crate) const TIME_STEP: RangeInclusive<u32> = 20..=60;
/// `Config.Skew`: time steps accepted before and after now.
pub(crate) const SKEW: RangeInclusive<u32> = 0..=2;
/// `Config.CodeLength`: digits per TOTP code.
pub(crate) const CODE_LENGTH: RangeInclusive<u32> = 3..=8;
/// `Config.AppId`: the app's store ID, in characters.
pub(crate) const MAX_APP_ID_CHARS: usize = 100;
/// `Config.NotificationToken`, in characters.
pub(crate) const NOTIFICATION_TOKEN_CHARS: RangeInclusive<usize> = 32..=255;

/// Refuses a value the spec's enum does not list (an `Other` spelled unlike any known value).
pub(crate) fn known<T: std::fmt::Display>(
    parameter: &'static str,
    value: &str,
    known: &[T],
) -> Result<(), InvalidInput> {
    if known.iter().any(|k| k.to_string() == value) {
        return Ok(());
    }
    let listed: Vec<String> = known.iter().map(ToString::to_string).collect();
    let shown: String = value.chars().take(40).collect();
    Err(InvalidInput::new(
        parameter,
        format!(
            "{parameter} {shown:?} is not supported: must be one of {}",
            listed.join(", ")
        ),
    ))
}

/// `Config.NotificationPlatform`: one of the spec's values.
pub(crate) fn known_platform(platform: &NotificationPlatform) -> Result<(), InvalidInput> {
    known(
        "notification_platform",
        platform.as_str(),
        NotificationPlatform::KNOWN,
    )
}

/// `Config.NotificationToken`: 32 to 255 characters (not echoed: it is a secret).
pub(crate) fn notification_token(token: &Secret) -> Result<(), InvalidInput> {
    rules::chars_in(
        "notification_token",
        token.expose_secret(),
        NOTIFICATION_TOKEN_CHARS,
    )
}

/// The TOTP settings shared by create and update.
pub(crate) fn totp_config(
    time_step: Option<u32>,
    skew: Option<u32>,
    code_length: Option<u32>,
    algorithm: &Option<TotpAlgorithm>,
) -> Result<(), InvalidInput> {
    if let Some(time_step) = time_step {
        rules::in_range("time_step", time_step, TIME_STEP, "seconds")?;
    }
    if let Some(skew) = skew {
        rules::in_range("skew", skew, SKEW, "time steps")?;
    }
    if let Some(code_length) = code_length {
        rules::in_range("code_length", code_length, CODE_LENGTH, "digits")?;
    }
    if let Some(algorithm) = algorithm {
        known("algorithm", algorithm.as_str(), TotpAlgorithm::KNOWN)?;
    }
    Ok(())
}

/// `Binding.Secret`: RFC 4648 base32, either case, `=` only as trailing padding. The value is
/// not echoed.
pub(crate) fn base32_secret(secret: &Secret) -> Result<(), InvalidInput> {
    let value = secret.expose_secret();
    rules::required("binding_secret", value)?;
    let data = value.trim_end_matches('=');
    let ok = !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || (b'2'..=b'7').contains(&b));
    if ok {
        return Ok(());
    }
    Err(InvalidInput::new(
        "binding_secret",
        "binding_secret is not base32: must be the letters A-Z and digits 2-7 \
         (RFC 4648), with optional trailing = padding",
    ))
}
