//! Notifications: a push of a challenge to the device again; its parameters and its model.

use std::ops::RangeInclusive;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules;
use crate::sid::{AccountSid, ChallengeSid, EntitySid, NotificationSid, ServiceSid};
use crate::timestamp;

/// The `Ttl` a notification may have, in seconds (Twilio's default is 300).
pub const NOTIFICATION_TTL_RANGE: RangeInclusive<u32> = 0..=300;

/// The parameters of [`Challenges::notify`](crate::Challenges::notify). With nothing set the
/// body is empty and Twilio uses a `Ttl` of 300 seconds.
///
/// ```
/// use twilio_verify::CreateNotification;
///
/// let params = CreateNotification::new().ttl(150);
/// # let _ = params;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct CreateNotification {
    ttl: Option<u32>,
}

impl CreateNotification {
    /// A notification with Twilio's defaults.
    pub fn new() -> Self {
        CreateNotification::default()
    }

    /// How long delivery is attempted, in seconds, even while the device is offline: 0 to 300.
    /// `0` means one immediate attempt, not stored for later.
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// Checks every rule this crate knows.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        if let Some(ttl) = self.ttl {
            rules::in_range("ttl", ttl, NOTIFICATION_TTL_RANGE, "seconds")?;
        }
        Ok(())
    }

    /// The form body: `Ttl`, or nothing.
    pub(crate) fn to_form(&self) -> String {
        Form::new().opt_display("Ttl", self.ttl).finish()
    }
}

/// A notification: one push of a challenge to the device.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Notification {
    /// The notification's SID (`NT…`).
    pub sid: NotificationSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// The entity (user) it was sent to.
    pub entity_sid: EntitySid,
    /// Your identifier for that user.
    pub identity: String,
    /// The challenge it pushes.
    #[serde(default)]
    pub challenge_sid: Option<ChallengeSid>,
    /// Its priority: always `high` for push, which wakes a sleeping device.
    #[serde(default)]
    pub priority: Option<String>,
    /// How long delivery is attempted, in seconds (`0` when Twilio leaves it out).
    #[serde(default)]
    pub ttl: u32,
    /// When it was created.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_created: SystemTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_is_sent_in_decimal_and_nothing_set_is_an_empty_body() {
        assert_eq!(CreateNotification::new().to_form(), "");
        assert_eq!(CreateNotification::new().ttl(150).to_form(), "Ttl=150");
    }

    #[test]
    fn ttl_from_0_to_300_passes_and_above_is_refused() {
        for ttl in [0, 1, 300] {
            CreateNotification::new().ttl(ttl).validate().unwrap();
        }
        let err = CreateNotification::new().ttl(301).validate().unwrap_err();
        assert_eq!(err.parameter(), "ttl");
        assert_eq!(
            err.to_string(),
            "ttl 301 is out of range: must be 0..=300 seconds"
        );
        let err = CreateNotification::new()
            .ttl(u32::MAX)
            .validate()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ttl 4294967295 is out of range: must be 0..=300 seconds"
        );
    }
}
