//! The events: what happened, as the fields Twilio documents, and their hand-over to each
//! matching webhook.

use std::time::SystemTime;

use serde_json::{Map, Value, json};

use super::{Delivery, DeliveryStatus, Job, send};
use crate::emulator::clock::iso;
use crate::emulator::ids;
use crate::emulator::state::State;
use crate::emulator::store::{ChallengeRec, FactorRec, Store, WebhookRec};
use crate::webhook::{BODY_SHA256_PARAM, Event, hex_sha256, sign_url_and_params};
use crate::webhooks::model::WebhookEvent;

/// `factor.created`, `factor.verified`, `factor.deleted`.
pub(crate) const FACTOR_CREATED: &str = "factor.created";
pub(crate) const FACTOR_VERIFIED: &str = "factor.verified";
pub(crate) const FACTOR_DELETED: &str = "factor.deleted";
/// `challenge.approved`, `challenge.denied`.
pub(crate) const CHALLENGE_APPROVED: &str = "challenge.approved";
pub(crate) const CHALLENGE_DENIED: &str = "challenge.denied";

/// One event: its service and time, and its fields in the order they are posted.
pub(crate) struct Occurrence {
    service_sid: String,
    event_type: &'static str,
    time: SystemTime,
    fields: Vec<(&'static str, String)>,
}

/// Who and where: the service and the entity's identity.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) service_sid: &'a str,
    pub(crate) identity: &'a str,
    pub(crate) now: SystemTime,
}

/// A random UUID (version 4 layout) from the emulator's random hex.
fn uuid() -> String {
    let hex = ids::hex32();
    let variant = ["8", "9", "a", "b"][usize::from(hex.as_bytes()[16] % 4)];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

fn map_text(map: Option<&std::collections::BTreeMap<String, String>>) -> Option<String> {
    map.map(|m| json!(m).to_string())
}

impl Occurrence {
    fn new(event_type: &'static str, state: &State, scope: Scope<'_>) -> Occurrence {
        Occurrence {
            service_sid: scope.service_sid.to_owned(),
            event_type,
            time: scope.now,
            fields: vec![
                ("uuid", uuid()),
                ("type", event_type.to_owned()),
                ("account_sid", state.account_sid.clone()),
                ("service_sid", scope.service_sid.to_owned()),
                ("entity_identity", scope.identity.to_owned()),
            ],
        }
    }

    fn push(&mut self, name: &'static str, value: Option<String>) {
        if let Some(value) = value {
            self.fields.push((name, value));
        }
    }

    fn factor_fields(&mut self, factor: &FactorRec) {
        self.push("factor_sid", Some(factor.sid.clone()));
        self.push("factor_type", Some(factor.factor_type().to_owned()));
        self.push("factor_friendly_name", Some(factor.friendly_name.clone()));
        self.push("factor_metadata", map_text(factor.metadata.as_ref()));
    }

    /// A `factor.*` event; `status` is the factor's after it (none for a deleted one).
    pub(crate) fn factor(
        event_type: &'static str,
        state: &State,
        scope: Scope<'_>,
        factor: &FactorRec,
    ) -> Occurrence {
        let mut event = Occurrence::new(event_type, state, scope);
        event.factor_fields(factor);
        if event_type != FACTOR_DELETED {
            event.push("status", Some(factor.status().to_owned()));
        }
        event.push("date_created", Some(iso(factor.date_created)));
        event.push("date_updated", Some(iso(scope.now)));
        event
    }

    /// A `challenge.*` event for `challenge` of `factor`, after it was answered.
    pub(crate) fn challenge(
        event_type: &'static str,
        state: &State,
        scope: Scope<'_>,
        factor: &FactorRec,
        challenge: &ChallengeRec,
    ) -> Occurrence {
        let mut event = Occurrence::new(event_type, state, scope);
        event.factor_fields(factor);
        let fields: Vec<Value> = challenge
            .fields
            .iter()
            .map(|(label, value)| json!({ "label": label, "value": value }))
            .collect();
        let details = json!({
            "message": challenge.message,
            "fields": fields,
            "date": iso(challenge.date_created),
        });
        event.push("challenge_sid", Some(challenge.sid.clone()));
        event.push("challenge_details", Some(details.to_string()));
        event.push(
            "challenge_hidden_details",
            map_text(challenge.hidden_details.as_ref()),
        );
        event.push("challenge_metadata", map_text(challenge.metadata.as_ref()));
        event.push("status", Some(challenge.status.as_str().to_owned()));
        event.push("date_created", Some(iso(challenge.date_created)));
        event.push("date_updated", Some(iso(challenge.date_updated)));
        event
    }
}

fn matches(hook: &WebhookRec, event_type: &str) -> bool {
    hook.status == "enabled" && hook.event_types.iter().any(|e| e == "*" || e == event_type)
}

/// Hands `event` to each enabled webhook of its service whose `EventTypes` match, without
/// waiting: called with the store locked, so events queue in the order they happened.
pub(crate) fn emit(state: &State, store: &Store, event: &Occurrence) {
    let Some(service) = store.service(&event.service_sid) else {
        return;
    };
    for hook in service.webhooks.values() {
        if matches(hook, event.event_type) {
            deliver(state, hook, event);
        }
    }
}

/// Builds, signs and queues (or refuses) one delivery of `event` to `hook`.
fn deliver(state: &State, hook: &WebhookRec, event: &Occurrence) {
    let json = hook.version != "v1";
    let (body, url, signature) = if json {
        let body: Map<String, Value> = event
            .fields
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Value::String(value.clone())))
            .collect();
        let body = Value::Object(body).to_string();
        let separator = if hook.webhook_url.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!(
            "{}{separator}{BODY_SHA256_PARAM}={}",
            hook.webhook_url,
            hex_sha256(body.as_bytes())
        );
        let no_params: [(&str, &str); 0] = [];
        let signature = sign_url_and_params(&state.auth_token, &url, no_params);
        (body, url, signature)
    } else {
        let body = serde_urlencoded::to_string(&event.fields).unwrap_or_default();
        let url = hook.webhook_url.clone();
        let params: Vec<(&str, &str)> =
            event.fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let signature = sign_url_and_params(&state.auth_token, &url, params);
        (body, url, signature)
    };
    let parsed = if json {
        Event::from_json(body.as_bytes())
    } else {
        Event::from_form_body(body.as_bytes())
    };
    let Ok(parsed) = parsed else {
        return;
    };
    let delivery = Delivery {
        webhook_sid: hook.sid.clone(),
        url: url.clone(),
        event_type: WebhookEvent::from_wire(event.event_type),
        event: parsed,
        body,
        time: event.time,
        status: DeliveryStatus::NotDelivered {
            reason: String::new(),
        },
    };
    let Some(uri) = send::loopback(&url) else {
        return state.deliveries.refuse(delivery, "not a loopback URL");
    };
    let uuid = delivery.event.uuid.clone().unwrap_or_default();
    state.deliveries.submit(Job {
        uri,
        content_type: if json {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        },
        signature,
        idempotency_token: format!("{uuid}-{}", hook.sid),
        delivery,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_version_4_layout_and_differ() {
        let a = uuid();
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert!(a.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()));
        assert_ne!(a, uuid());
    }
}
