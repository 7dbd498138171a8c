//! The emulator's resources, kept as Twilio keeps them: per service, its access tokens, its
//! entities (each with its factors and challenges) and its webhooks, every list in creation
//! order (a sequence number per record, shared by all lists).

pub(crate) mod challenges;
pub(crate) mod entities;
pub(crate) mod factors;
pub(crate) mod tokens;
pub(crate) mod webhooks;

use std::collections::{BTreeMap, HashMap};

use crate::sid::ServiceSid;
pub(crate) use challenges::ChallengeRec;
pub(crate) use entities::EntityRec;
pub(crate) use factors::{FactorKind, FactorRec, TotpSettings};
pub(crate) use tokens::TokenRecord;
pub(crate) use webhooks::WebhookRec;

/// One Verify Service's resources.
#[derive(Debug, Default)]
pub(crate) struct Service {
    pub(crate) tokens: HashMap<String, TokenRecord>,
    /// Entities by sequence number (creation order).
    pub(crate) entities: BTreeMap<u64, EntityRec>,
    /// The sequence number of each entity, by identity.
    pub(crate) by_identity: HashMap<String, u64>,
    /// Webhooks by sequence number.
    pub(crate) webhooks: BTreeMap<u64, WebhookRec>,
}

impl Service {
    pub(crate) fn entity(&self, identity: &str) -> Option<&EntityRec> {
        self.entities.get(self.by_identity.get(identity)?)
    }

    pub(crate) fn entity_mut(&mut self, identity: &str) -> Option<&mut EntityRec> {
        let seq = *self.by_identity.get(identity)?;
        self.entities.get_mut(&seq)
    }
}

/// Every service, and the next sequence number.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) services: HashMap<ServiceSid, Service>,
    next_seq: u64,
}

impl Store {
    /// A fresh sequence number: later records sort after earlier ones in every list.
    pub(crate) fn seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// The service named by a path segment, if it is a well-formed SID the emulator knows.
    pub(crate) fn service(&self, segment: &str) -> Option<&Service> {
        let sid: ServiceSid = segment.parse().ok()?;
        self.services.get(&sid)
    }

    /// As [`Store::service`], mutably.
    pub(crate) fn service_mut(&mut self, segment: &str) -> Option<&mut Service> {
        let sid: ServiceSid = segment.parse().ok()?;
        self.services.get_mut(&sid)
    }

    /// The entity `identity` of the service `service`, if both exist.
    pub(crate) fn entity(&self, service: &str, identity: &str) -> Option<&EntityRec> {
        self.service(service)?.entity(identity)
    }

    /// As [`Store::entity`], mutably.
    pub(crate) fn entity_mut(&mut self, service: &str, identity: &str) -> Option<&mut EntityRec> {
        self.service_mut(service)?.entity_mut(identity)
    }

    /// Where the factor `sid` is: its service and its entity's identity.
    pub(crate) fn find_factor(&self, sid: &str) -> Option<(ServiceSid, String)> {
        self.services.iter().find_map(|(service_sid, service)| {
            service
                .entities
                .values()
                .find(|entity| entity.factor(sid).is_some())
                .map(|entity| (service_sid.clone(), entity.identity.clone()))
        })
    }
}
