//! The parameters of a factor update (`UpdateFactor`), which also verifies a factor.

use super::checks::{known_platform, notification_token, totp_config};
use super::model::{NotificationPlatform, TotpAlgorithm};
use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};
use crate::secret::Secret;

/// The parameters of [`Factors::update`](crate::Factors::update): every field optional; an
/// update with nothing set sends an empty body.
///
/// `Debug` shows the auth payload and the notification token as `Secret([redacted])`.
///
/// ```
/// use twilio_verify::{TotpAlgorithm, UpdateFactor};
///
/// let rename = UpdateFactor::new().friendly_name("Alice's new phone");
/// let retune = UpdateFactor::new().code_length(8).algorithm(TotpAlgorithm::Sha256);
/// # let _ = (rename, retune);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct UpdateFactor {
    auth_payload: Option<Secret>,
    friendly_name: Option<String>,
    notification_token: Option<Secret>,
    sdk_version: Option<String>,
    time_step: Option<u32>,
    skew: Option<u32>,
    code_length: Option<u32>,
    algorithm: Option<TotpAlgorithm>,
    notification_platform: Option<NotificationPlatform>,
}

impl UpdateFactor {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        UpdateFactor::default()
    }

    /// The payload that verifies an unverified factor (`AuthPayload`): for TOTP the current
    /// code, for push the payload the device signed. Kept as a [`Secret`].
    ///
    /// The factor's type is not known here, so the rule is read from the value: all ASCII
    /// digits is a TOTP code and must be 3 to 8 digits; anything else is a push payload and may
    /// be up to 5456 characters. An empty payload is refused.
    pub fn auth_payload(mut self, payload: impl Into<String>) -> Self {
        self.auth_payload = Some(Secret::new(payload));
        self
    }

    /// A new human-readable name, up to 64 characters (`FriendlyName`).
    pub fn friendly_name(mut self, name: impl Into<String>) -> Self {
        self.friendly_name = Some(name.into());
        self
    }

    /// Push: a new APNs device token or FCM registration token, 32 to 255 characters
    /// (`Config.NotificationToken`); kept as a [`Secret`].
    pub fn notification_token(mut self, token: impl Into<String>) -> Self {
        self.notification_token = Some(Secret::new(token));
        self
    }

    /// Push: the Verify Push SDK version now on the device (`Config.SdkVersion`).
    pub fn sdk_version(mut self, version: impl Into<String>) -> Self {
        self.sdk_version = Some(version.into());
        self
    }

    /// TOTP: seconds per code, 20 to 60 (`Config.TimeStep`).
    pub fn time_step(mut self, seconds: u32) -> Self {
        self.time_step = Some(seconds);
        self
    }

    /// TOTP: time steps accepted before and after now, 0 to 2 (`Config.Skew`).
    pub fn skew(mut self, steps: u32) -> Self {
        self.skew = Some(steps);
        self
    }

    /// TOTP: digits per code, 3 to 8 (`Config.CodeLength`).
    pub fn code_length(mut self, digits: u32) -> Self {
        self.code_length = Some(digits);
        self
    }

    /// TOTP: the codes' HMAC hash (`Config.Alg`).
    pub fn algorithm(mut self, algorithm: TotpAlgorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Push: how the device is now reached (`Config.NotificationPlatform`).
    pub fn notification_platform(mut self, platform: NotificationPlatform) -> Self {
        self.notification_platform = Some(platform);
        self
    }

    /// Checks every rule this crate knows before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        if let Some(payload) = &self.auth_payload {
            rules::auth_payload(payload.expose_secret())?;
        }
        if let Some(name) = &self.friendly_name {
            rules::max_chars("friendly_name", name, MAX_FRIENDLY_NAME_CHARS)?;
        }
        if let Some(token) = &self.notification_token {
            notification_token(token)?;
        }
        totp_config(self.time_step, self.skew, self.code_length, &self.algorithm)?;
        if let Some(platform) = &self.notification_platform {
            known_platform(platform)?;
        }
        Ok(())
    }

    /// The `application/x-www-form-urlencoded` body, in the spec's order; empty when nothing
    /// is set.
    pub(crate) fn to_form(&self) -> String {
        Form::new()
            .opt(
                "AuthPayload",
                self.auth_payload.as_ref().map(Secret::expose_secret),
            )
            .opt("FriendlyName", self.friendly_name.as_deref())
            .opt(
                "Config.NotificationToken",
                self.notification_token.as_ref().map(Secret::expose_secret),
            )
            .opt("Config.SdkVersion", self.sdk_version.as_deref())
            .opt_display("Config.TimeStep", self.time_step)
            .opt_display("Config.Skew", self.skew)
            .opt_display("Config.CodeLength", self.code_length)
            .opt_display("Config.Alg", self.algorithm.as_ref())
            .opt_display(
                "Config.NotificationPlatform",
                self.notification_platform.as_ref(),
            )
            .finish()
    }
}
