//! Challenges: one request to approve a login, for one factor of one entity.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::factors::Owner;
use crate::emulator::clock::iso;

/// A challenge's status, as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Pending,
    Expired,
    Approved,
    Denied,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Expired => "expired",
            Status::Approved => "approved",
            Status::Denied => "denied",
        }
    }
}

/// A challenge as stored.
#[derive(Debug, Clone)]
pub(crate) struct ChallengeRec {
    pub(crate) sid: String,
    pub(crate) factor_sid: String,
    pub(crate) factor_type: &'static str,
    pub(crate) status: Status,
    pub(crate) message: Option<String>,
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) hidden_details: Option<BTreeMap<String, String>>,
    pub(crate) metadata: Option<BTreeMap<String, String>>,
    pub(crate) date_created: SystemTime,
    pub(crate) date_updated: SystemTime,
    pub(crate) date_responded: Option<SystemTime>,
    pub(crate) expiration_date: SystemTime,
    pub(crate) url: String,
}

impl ChallengeRec {
    /// A pending challenge whose expiration date has come reads expired from then on.
    pub(crate) fn refresh(&mut self, now: SystemTime) {
        if self.status == Status::Pending && now >= self.expiration_date {
            self.status = Status::Expired;
            self.date_updated = self.expiration_date;
        }
    }

    /// Answers the challenge at `now` (it must be pending; the caller checks).
    pub(crate) fn respond(&mut self, status: Status, now: SystemTime) {
        self.status = status;
        self.date_responded = Some(now);
        self.date_updated = now;
    }

    /// The challenge as the API answers it.
    pub(crate) fn json(&self, owner: Owner<'_>) -> Value {
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|(label, value)| json!({ "label": label, "value": value }))
            .collect();
        let details = json!({
            "message": self.message,
            "fields": fields,
            "date": iso(self.date_created),
        });
        json!({
            "sid": self.sid,
            "account_sid": owner.account_sid,
            "service_sid": owner.service_sid,
            "entity_sid": owner.entity_sid,
            "identity": owner.identity,
            "factor_sid": self.factor_sid,
            "date_created": iso(self.date_created),
            "date_updated": iso(self.date_updated),
            "date_responded": self.date_responded.map(iso),
            "expiration_date": iso(self.expiration_date),
            "status": self.status.as_str(),
            "responded_reason": "none",
            "details": details,
            "hidden_details": self.hidden_details,
            "metadata": self.metadata,
            "factor_type": self.factor_type,
            "url": self.url,
            "links": { "notifications": format!("{}/Notifications", self.url) },
        })
    }
}
