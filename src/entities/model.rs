//! The entity resource as Twilio returns it.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::sid::{AccountSid, EntitySid, ServiceSid};
use crate::timestamp;

/// An entity: one user of a Verify Service, named by your identity for them. It appears when
/// its first factor is created, or by [`Entities::create`](crate::Entities::create).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Entity {
    /// The entity's SID (`YE…`).
    pub sid: EntitySid,
    /// Your identifier for the user (personal data per Twilio: never logged by this crate).
    pub identity: String,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
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
    /// The URLs of its sub-resources (`factors`, `challenges`, `webhooks`).
    #[serde(default)]
    pub links: Option<BTreeMap<String, String>>,
}
