//! The challenge resource as Twilio returns it, and its enums.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize};

use crate::enums::{FactorType, wire_enum};
use crate::sid::{AccountSid, ChallengeSid, EntitySid, FactorSid, ServiceSid};
use crate::timestamp;

wire_enum!(
    /// Where a challenge stands (`status`), and the `Status` filter of a challenge list.
    ChallengeStatus {
        /// Waiting for the user's answer.
        Pending => "pending",
        /// Not answered before its expiration date.
        Expired => "expired",
        /// Approved on the device, or a correct TOTP code was given.
        Approved => "approved",
        /// Denied on the device.
        Denied => "denied",
    }
);

wire_enum!(
    /// Why a challenge is in its status (`responded_reason`).
    ChallengeReason {
        /// No particular reason.
        None => "none",
        /// An answer was not needed.
        NotNeeded => "not_needed",
        /// An answer was not requested.
        NotRequested => "not_requested",
    }
);

/// A challenge: one request to the user to approve a login (push) or to enter a code (TOTP).
///
/// `identity`, `details`, `hidden_details` and `metadata` are personal data per Twilio: this
/// crate never logs them (its `Debug` shows them, so do not log a `Challenge` yourself).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Challenge {
    /// The challenge's SID (`YC…`).
    pub sid: ChallengeSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// The entity (user) it was made for.
    pub entity_sid: EntitySid,
    /// Your identifier for that user.
    pub identity: String,
    /// The factor it challenges.
    #[serde(default)]
    pub factor_sid: Option<FactorSid>,
    /// When it was created.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_created: SystemTime,
    /// When it was last updated.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_updated: SystemTime,
    /// When the user answered it, once they have.
    #[serde(
        default,
        deserialize_with = "timestamp::optional",
        serialize_with = "timestamp::serialize_optional"
    )]
    pub date_responded: Option<SystemTime>,
    /// When it expires (by default 5 minutes after creation, at most 60).
    #[serde(
        default,
        deserialize_with = "timestamp::optional",
        serialize_with = "timestamp::serialize_optional"
    )]
    pub expiration_date: Option<SystemTime>,
    /// Where it stands.
    pub status: ChallengeStatus,
    /// Why it is in that status.
    #[serde(default)]
    pub responded_reason: Option<ChallengeReason>,
    /// What the user is shown: the message and the label/value fields.
    #[serde(default)]
    pub details: Option<ChallengeDetails>,
    /// Context kept from the user (`HiddenDetails` at creation), or `None` when Twilio wrote
    /// `null`.
    #[serde(default, deserialize_with = "string_map")]
    pub hidden_details: Option<BTreeMap<String, String>>,
    /// What the device added when it answered (`Metadata`), or `None` when Twilio wrote `null`.
    #[serde(default, deserialize_with = "string_map")]
    pub metadata: Option<BTreeMap<String, String>>,
    /// The type of the factor it challenges.
    pub factor_type: FactorType,
    /// The URL of this resource.
    pub url: String,
    /// The URLs of its sub-resources (`notifications`).
    #[serde(default)]
    pub links: Option<BTreeMap<String, String>>,
}

/// What a challenge shows the user (`details`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChallengeDetails {
    /// The message shown when the push arrives (`Details.Message`).
    #[serde(default)]
    pub message: Option<String>,
    /// The label/value fields shown with it (`Details.Fields`), in order; empty when there
    /// are none (or Twilio wrote `null`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub fields: Vec<ChallengeField>,
    /// The date Twilio stamps on the details.
    #[serde(
        default,
        deserialize_with = "timestamp::optional",
        serialize_with = "timestamp::serialize_optional"
    )]
    pub date: Option<SystemTime>,
}

/// One label/value field of a challenge's details.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct ChallengeField {
    /// The label, up to 36 characters (`Location`).
    pub label: String,
    /// The value, up to 128 characters (`Berlin`).
    pub value: String,
}

/// `null` or absent as an empty list.
fn null_as_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<ChallengeField>, D::Error> {
    Ok(Option::<Vec<ChallengeField>>::deserialize(deserializer)?.unwrap_or_default())
}

/// A JSON object meant to hold strings (`hidden_details`, `metadata`), read leniently: `null`
/// is `None`, a string value is kept as is and any other value (a number, say, from a device
/// SDK) as its JSON text, so one odd value cannot fail a fetch.
fn string_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    let Some(raw) = Option::<BTreeMap<String, serde_json::Value>>::deserialize(deserializer)?
    else {
        return Ok(None);
    };
    let map = raw
        .into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => (key, text),
            other => (key, other.to_string()),
        })
        .collect();
    Ok(Some(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_reasons_use_the_specs_spellings() {
        let statuses: Vec<&str> = ChallengeStatus::KNOWN.iter().map(|s| s.as_str()).collect();
        assert_eq!(statuses, ["pending", "expired", "approved", "denied"]);
        let reasons: Vec<&str> = ChallengeReason::KNOWN.iter().map(|r| r.as_str()).collect();
        assert_eq!(reasons, ["none", "not_needed", "not_requested"]);
        assert_eq!(
            serde_json::from_str::<ChallengeStatus>("\"cancelled\"").unwrap(),
            ChallengeStatus::Other("cancelled".into())
        );
    }

    #[test]
    fn details_without_fields_or_with_null_fields_decode_as_no_fields() {
        for json in [r#"{"message":"m"}"#, r#"{"message":"m","fields":null}"#] {
            let details: ChallengeDetails = serde_json::from_str(json).unwrap();
            assert_eq!(details.message.as_deref(), Some("m"));
            assert!(details.fields.is_empty());
            assert_eq!(details.date, None);
        }
    }
}
