//! The webhook resource as Twilio returns it, and its enums.

use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize};

use crate::enums::wire_enum;
use crate::sid::{AccountSid, ServiceSid, WebhookSid};
use crate::timestamp;

wire_enum!(
    /// An event a webhook is subscribed to (`EventTypes`).
    WebhookEvent {
        /// A factor was created (`factor.created`).
        FactorCreated => "factor.created",
        /// A factor was verified (`factor.verified`).
        FactorVerified => "factor.verified",
        /// A factor was deleted (`factor.deleted`).
        FactorDeleted => "factor.deleted",
        /// A challenge was approved on the device (`challenge.approved`).
        ChallengeApproved => "challenge.approved",
        /// A challenge was denied on the device (`challenge.denied`).
        ChallengeDenied => "challenge.denied",
        /// Every event (`*`).
        All => "*",
    }
);

wire_enum!(
    /// Whether a webhook is called (`Status`).
    WebhookStatus {
        /// Twilio calls it.
        Enabled => "enabled",
        /// Twilio does not call it.
        Disabled => "disabled",
    }
);

wire_enum!(
    /// The version of the payload Twilio sends to a webhook (`Version`).
    WebhookVersion {
        /// The first version.
        V1 => "v1",
        /// The second version (the spec examples' choice).
        V2 => "v2",
    }
);

wire_enum!(
    /// The HTTP method Twilio calls a webhook with (`webhook_method`).
    WebhookMethod {
        /// `GET`.
        Get => "GET",
        /// `POST`.
        Post => "POST",
    }
);

/// A webhook of a Verify Service: a URL Twilio calls on factor and challenge events.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Webhook {
    /// The webhook's SID (`YW…`).
    pub sid: WebhookSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// Your description of it.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// The events it is subscribed to (empty when Twilio sent `null` or nothing).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub event_types: Vec<WebhookEvent>,
    /// Whether Twilio calls it.
    pub status: WebhookStatus,
    /// The payload version it receives.
    #[serde(default)]
    pub version: Option<WebhookVersion>,
    /// The URL Twilio calls.
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// The HTTP method Twilio calls it with.
    #[serde(default)]
    pub webhook_method: Option<WebhookMethod>,
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
    /// The URL of this resource.
    pub url: String,
}

/// serde: a nullable array, `null` read as empty.
fn null_as_empty<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<WebhookEvent>, D::Error> {
    Ok(Option::<Vec<WebhookEvent>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_use_twilios_spelling_and_unknown_ones_decode_as_other() {
        let spelled: Vec<&str> = WebhookEvent::KNOWN
            .iter()
            .map(WebhookEvent::as_str)
            .collect();
        assert_eq!(
            spelled,
            [
                "factor.created",
                "factor.verified",
                "factor.deleted",
                "challenge.approved",
                "challenge.denied",
                "*"
            ]
        );
        assert_eq!(
            serde_json::from_str::<WebhookEvent>("\"challenge.expired\"").unwrap(),
            WebhookEvent::Other("challenge.expired".into())
        );
        assert_eq!(WebhookMethod::Post.as_str(), "POST");
        assert_eq!(WebhookStatus::Disabled.as_str(), "disabled");
        assert_eq!(WebhookVersion::V2.as_str(), "v2");
    }

    #[test]
    fn null_or_absent_event_types_are_empty_and_only_the_required_fields_must_be_there() {
        let json = r#"{"sid":"YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "service_sid":"VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "account_sid":"ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "event_types":null,"status":"enabled",
            "date_created":"2015-07-30T20:00:00Z","date_updated":"2015-07-30T20:00:00Z",
            "url":"u"}"#;
        let hook: Webhook = serde_json::from_str(json).unwrap();
        assert!(hook.event_types.is_empty());
        assert_eq!(hook.friendly_name, None);
        assert_eq!(hook.webhook_method, None);
        let absent = json.replace(r#""event_types":null,"#, "");
        let hook: Webhook = serde_json::from_str(&absent).unwrap();
        assert!(hook.event_types.is_empty());
    }
}
