//! Webhooks of a service.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::emulator::clock::iso;

/// A webhook as stored.
#[derive(Debug, Clone)]
pub(crate) struct WebhookRec {
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    pub(crate) event_types: Vec<String>,
    pub(crate) webhook_url: String,
    pub(crate) status: String,
    pub(crate) version: String,
    pub(crate) date_created: SystemTime,
    pub(crate) date_updated: SystemTime,
    pub(crate) url: String,
}

impl WebhookRec {
    /// The webhook as the API answers it.
    pub(crate) fn json(&self, account_sid: &str, service_sid: &str) -> Value {
        json!({
            "url": self.url,
            "sid": self.sid,
            "account_sid": account_sid,
            "service_sid": service_sid,
            "friendly_name": self.friendly_name,
            "event_types": self.event_types,
            "webhook_method": "POST",
            "webhook_url": self.webhook_url,
            "status": self.status,
            "version": self.version,
            "date_created": iso(self.date_created),
            "date_updated": iso(self.date_updated),
        })
    }
}
