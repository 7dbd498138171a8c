//! The access token resource as Twilio returns it.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::enums::FactorType;
use crate::secret::Secret;
use crate::sid::{AccessTokenSid, AccountSid, ServiceSid};
use crate::timestamp;

/// An access token: what create and fetch return.
///
/// Hand [`token`](AccessToken::token) (through [`Secret::expose_secret`]) to the mobile app that
/// enrolls the push factor; it is a bearer secret and never prints.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token's SID (`YK…`).
    pub sid: AccessTokenSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// Your identifier for the user it was minted for.
    pub entity_identity: String,
    /// The type of factor it enrolls.
    pub factor_type: FactorType,
    /// The factor's friendly name, when one was given.
    #[serde(default)]
    pub factor_friendly_name: Option<String>,
    /// The JWT the app enrolls with: a secret.
    pub token: Secret,
    /// The URL of this resource.
    pub url: String,
    /// How long it is valid, in seconds.
    pub ttl: u32,
    /// When it was created.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_created: SystemTime,
}
