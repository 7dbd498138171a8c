//! Access tokens as the emulator stores and serves them.

use std::time::{Duration, SystemTime};

use serde::Serialize;

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
    #[serde(serialize_with = "crate::timestamp::serialize")]
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
