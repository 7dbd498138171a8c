//! Entities: one user of a service, with its factors and challenges (deleted with it).

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::{ChallengeRec, FactorRec};
use crate::emulator::clock::iso;

/// An entity and everything under it.
#[derive(Debug, Clone)]
pub(crate) struct EntityRec {
    pub(crate) sid: String,
    pub(crate) identity: String,
    pub(crate) date_created: SystemTime,
    pub(crate) date_updated: SystemTime,
    /// `{base}/v2/Services/{VA}/Entities/{identity}`.
    pub(crate) url: String,
    /// Factors by sequence number (creation order).
    pub(crate) factors: BTreeMap<u64, FactorRec>,
    /// Challenges by sequence number (creation order).
    pub(crate) challenges: BTreeMap<u64, ChallengeRec>,
}

impl EntityRec {
    pub(crate) fn new(sid: String, identity: String, url: String, now: SystemTime) -> EntityRec {
        EntityRec {
            sid,
            identity,
            date_created: now,
            date_updated: now,
            url,
            factors: BTreeMap::new(),
            challenges: BTreeMap::new(),
        }
    }

    pub(crate) fn factor(&self, sid: &str) -> Option<&FactorRec> {
        self.factors.values().find(|f| f.sid == sid)
    }

    pub(crate) fn factor_mut(&mut self, sid: &str) -> Option<&mut FactorRec> {
        self.factors.values_mut().find(|f| f.sid == sid)
    }

    /// The challenge `sid`, its status brought up to `now` (a pending one past its expiration
    /// date reads expired).
    pub(crate) fn challenge_mut(
        &mut self,
        sid: &str,
        now: SystemTime,
    ) -> Option<&mut ChallengeRec> {
        let challenge = self.challenges.values_mut().find(|c| c.sid == sid)?;
        challenge.refresh(now);
        Some(challenge)
    }

    /// Brings every challenge's status up to `now`.
    pub(crate) fn refresh(&mut self, now: SystemTime) {
        for challenge in self.challenges.values_mut() {
            challenge.refresh(now);
        }
    }

    /// The entity as the API answers it.
    pub(crate) fn json(&self, account_sid: &str, service_sid: &str) -> Value {
        json!({
            "sid": self.sid,
            "identity": self.identity,
            "account_sid": account_sid,
            "service_sid": service_sid,
            "date_created": iso(self.date_created),
            "date_updated": iso(self.date_updated),
            "url": self.url,
            "links": {
                "factors": format!("{}/Factors", self.url),
                "new_factors": format!("{}/Factors", self.url),
                "challenges": format!("{}/Challenges", self.url),
            },
        })
    }
}
