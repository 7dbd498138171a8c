//! Access tokens as the emulator stores and serves them.

use std::time::{Duration, SystemTime};

use serde::{Serialize, Serializer};

use crate::emulator::clock::iso;

/// serde: a date as Twilio writes it.
fn rfc3339<S: Serializer>(when: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&iso(*when))
}

/// An access token, in the spec's field order; it serializes as the API answers it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TokenRecord {
    pub(crate) sid: String,
    pub(crate) account_sid: String,
    pub(crate) service_sid: String,
    pub(crate) entity_identity: String,
    pub(crate) factor_type: String,
    pub(crate) factor_friendly_name: Option<String>,
    pub(crate) ttl: u32,
    #[serde(serialize_with = "rfc3339")]
    pub(crate) date_created: SystemTime,
    pub(crate) token: String,
    pub(crate) url: String,
}

impl TokenRecord {
    /// Whether the token can still enroll a factor at `now` (before `date_created + ttl`).
    pub(crate) fn is_live(&self, now: SystemTime) -> bool {
        now < self.date_created + Duration::from_secs(u64::from(self.ttl))
    }
}
