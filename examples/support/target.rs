//! Shared by the examples: run against Twilio when the environment says so, else against a
//! local emulator; and dates for display.

#![allow(dead_code)]

use twilio_verify::{Error, VerifyClient};

pub const ACCOUNT_SID: &str = "TWILIO_ACCOUNT_SID";
pub const AUTH_TOKEN: &str = "TWILIO_AUTH_TOKEN";
pub const API_KEY: &str = "TWILIO_API_KEY";
pub const API_SECRET: &str = "TWILIO_API_SECRET";
pub const SERVICE_SID: &str = "TWILIO_VERIFY_SERVICE_SID";

/// Where an example runs, decided from the environment.
pub enum Target {
    /// No variable set: a local emulator.
    Emulator,
    /// Every variable needed is set: Twilio (or `--base-url`).
    Twilio {
        /// `TWILIO_VERIFY_SERVICE_SID`.
        service_sid: String,
    },
}

/// A variable's value, with an empty one counted as unset (as `VerifyClient::from_env` does).
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The emulator when no variable is set, Twilio when all that is needed is set, or else the
/// missing variables, named.
pub fn target_from_env() -> Result<Target, String> {
    let set = |name| var(name).is_some();
    let token_pair = set(ACCOUNT_SID) && set(AUTH_TOKEN);
    let key_pair = set(API_KEY) && set(API_SECRET);
    let service_sid = var(SERVICE_SID);
    if !(set(ACCOUNT_SID) || set(AUTH_TOKEN) || set(API_KEY) || set(API_SECRET))
        && service_sid.is_none()
    {
        return Ok(Target::Emulator);
    }
    if let (true, Some(service_sid)) = (token_pair || key_pair, &service_sid) {
        return Ok(Target::Twilio {
            service_sid: service_sid.clone(),
        });
    }
    let mut missing: Vec<&str> = Vec::new();
    if !(token_pair || key_pair) {
        if set(API_KEY) || set(API_SECRET) {
            missing.extend([API_KEY, API_SECRET].into_iter().filter(|n| !set(n)));
        } else if set(ACCOUNT_SID) || set(AUTH_TOKEN) {
            missing.extend([ACCOUNT_SID, AUTH_TOKEN].into_iter().filter(|n| !set(n)));
        } else {
            missing.push(
                "TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (or TWILIO_API_KEY + TWILIO_API_SECRET)",
            );
        }
    }
    if service_sid.is_none() {
        missing.push(SERVICE_SID);
    }
    Err(missing.join(", "))
}

/// The message for [`target_from_env`]'s error.
pub fn missing_message(missing: &str) -> String {
    format!(
        "error: missing {missing}: set {ACCOUNT_SID} + {AUTH_TOKEN} (or {API_KEY} + \
         {API_SECRET}) and {SERVICE_SID} to use Twilio, or none of them to use the local emulator"
    )
}

/// A client from the environment, aimed at `base_url` when one is given.
pub fn twilio_client(base_url: Option<&str>) -> Result<VerifyClient, Error> {
    let mut builder = VerifyClient::builder_from_env()?;
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    builder.build()
}

/// `when` as RFC 3339 in UTC (`2015-07-30T20:00:00Z`), for display.
pub fn rfc3339(when: std::time::SystemTime) -> String {
    let utc = time::OffsetDateTime::from(when);
    utc.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| format!("{when:?}"))
}
