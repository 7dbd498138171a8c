//! `…/Entities/{Identity}/Challenges`: create, list, fetch, update (answer with
//! `AuthPayload`) and notifications. A challenge belongs to one factor of one entity; a pending
//! one reads expired from its `expiration_date` on, by the emulator's clock.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::json;

use super::fields::{Fields, Refusal, rule};
use super::{Answer, Call, created, ok};
use crate::challenges::notifications::NOTIFICATION_TTL_RANGE;
use crate::challenges::params::{
    MAX_CHALLENGE_EXPIRY, MAX_CHALLENGE_FIELDS, MAX_CHALLENGE_MESSAGE_CHARS, MAX_FIELD_LABEL_CHARS,
    MAX_FIELD_VALUE_CHARS,
};
use crate::emulator::clock::iso;
use crate::emulator::delivery::events::{self, CHALLENGE_APPROVED, Occurrence, Scope};
use crate::emulator::paging::{self, PageQuery};
use crate::emulator::store::challenges::Status;
use crate::emulator::store::factors::Owner;
use crate::emulator::store::{ChallengeRec, EntityRec};
use crate::emulator::{ids, otp};
use crate::rules;
use crate::sid::FactorSid;

/// A challenge's lifetime when `ExpirationDate` is not given: 5 minutes.
pub(crate) const DEFAULT_EXPIRY: Duration = Duration::from_secs(300);

/// One `Details.Fields` value: `{"label": …, "value": …}`, any JSON spacing or escapes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldJson {
    label: String,
    value: String,
}

fn owner<'a>(call: &'a Call<'_>, service: &'a str, entity: &'a EntityRec) -> Owner<'a> {
    Owner {
        account_sid: &call.state.account_sid,
        service_sid: service,
        entity_sid: &entity.sid,
        identity: &entity.identity,
    }
}

/// A create's checked fields.
struct CreateFields<'a> {
    factor_sid: &'a str,
    expiration: Option<SystemTime>,
    message: Option<&'a str>,
    fields: Vec<(String, String)>,
    hidden: Option<std::collections::BTreeMap<String, String>>,
    payload: Option<&'a str>,
}

fn create_fields<'a>(form: Fields<'a>, now: SystemTime) -> Result<CreateFields<'a>, Refusal> {
    let factor_sid = form.required("FactorSid")?;
    rule("FactorSid", FactorSid::check(factor_sid, "factor_sid"))?;
    let expiration = form
        .get("ExpirationDate")
        .map(|text| {
            crate::timestamp::parse(text)
                .filter(|when| *when > now && *when <= now + MAX_CHALLENGE_EXPIRY)
                .ok_or_else(|| Refusal::invalid("ExpirationDate"))
        })
        .transpose()?;
    let message = form.get("Details.Message");
    if let Some(message) = message {
        rule(
            "Details.Message",
            rules::max_chars("message", message, MAX_CHALLENGE_MESSAGE_CHARS),
        )?;
    }
    let raw_fields = form.all("Details.Fields");
    if raw_fields.len() > MAX_CHALLENGE_FIELDS {
        return Err(Refusal::invalid("Details.Fields"));
    }
    let mut fields = Vec::new();
    for raw in raw_fields {
        let field: FieldJson =
            serde_json::from_str(raw).map_err(|_| Refusal::invalid("Details.Fields"))?;
        let fits = field.label.chars().count() <= MAX_FIELD_LABEL_CHARS
            && field.value.chars().count() <= MAX_FIELD_VALUE_CHARS;
        if !fits {
            return Err(Refusal::invalid("Details.Fields"));
        }
        fields.push((field.label, field.value));
    }
    let hidden = form.json_map("HiddenDetails")?;
    let payload = form.get("AuthPayload");
    if let Some(payload) = payload {
        rule("AuthPayload", rules::auth_payload(payload))?;
    }
    Ok(CreateFields {
        factor_sid,
        expiration,
        message,
        fields,
        hidden,
        payload,
    })
}

/// `POST …/Challenges`: `201`. The factor must be one of the entity's (else `404`) and
/// verified (else `400`, `Invalid parameter: FactorSid`); a push challenge needs
/// `Details.Message`. A TOTP challenge with the right `AuthPayload` is approved at once; with a
/// wrong one it stays pending (and can be answered by an update until it expires).
pub(crate) fn create(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let mut store = call.state.store();
    let seq = store.seq();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    let form = create_fields(call.form, call.now)?;
    let factor = entity.factor(form.factor_sid).ok_or_else(|| {
        Refusal::not_found(&format!(
            "/v2/Services/{service}/Entities/{identity}/Factors/{}",
            form.factor_sid
        ))
    })?;
    if !factor.verified {
        return Err(Refusal::invalid("FactorSid"));
    }
    if factor.factor_type() == "push" && form.message.is_none() {
        return Err(Refusal::missing("Details.Message"));
    }
    let approved = match (factor.totp(), form.payload) {
        (Some(totp), Some(code)) => otp::verify(totp, call.now, code),
        _ => false,
    };
    let sid = ids::sid("YC");
    let mut challenge = ChallengeRec {
        url: format!("{}/Challenges/{sid}", entity.url),
        sid,
        factor_sid: factor.sid.clone(),
        factor_type: factor.factor_type(),
        status: Status::Pending,
        message: form.message.map(str::to_owned),
        fields: form.fields,
        hidden_details: form.hidden,
        metadata: None,
        date_created: call.now,
        date_updated: call.now,
        date_responded: None,
        expiration_date: form.expiration.unwrap_or(call.now + DEFAULT_EXPIRY),
    };
    let event = approved.then(|| {
        challenge.respond(Status::Approved, call.now);
        let scope = Scope {
            service_sid: service,
            identity,
            now: call.now,
        };
        Occurrence::challenge(CHALLENGE_APPROVED, call.state, scope, factor, &challenge)
    });
    let body = challenge.json(owner(call, service, entity));
    entity.challenges.insert(seq, challenge);
    if let Some(event) = event {
        events::emit(call.state, &store, &event);
    }
    created(&body)
}

/// `GET …/Challenges`, filtered by `FactorSid`, `Status`, ordered by `Order` (`asc` default).
pub(crate) fn list(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let mut store = call.state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    entity.refresh(call.now);
    let query = Fields(call.query);
    let factor = query.get("FactorSid");
    if let Some(factor) = factor {
        rule("FactorSid", FactorSid::check(factor, "factor_sid"))?;
    }
    let status = query.one_of("Status", &["pending", "expired", "approved", "denied"])?;
    let order = query.one_of("Order", &["asc", "desc"])?;
    let page = PageQuery::parse(call.query)?;
    let descending = order == Some("desc");
    let matching = |c: &&ChallengeRec| {
        factor.is_none_or(|f| c.factor_sid == f) && status.is_none_or(|s| c.status.as_str() == s)
    };
    let all: Vec<(u64, &ChallengeRec)> = entity
        .challenges
        .iter()
        .map(|(seq, c)| (*seq, c))
        .filter(|(_, c)| matching(c))
        .collect();
    let (records, next) = if descending {
        page.cut(all.into_iter().rev(), true)
    } else {
        page.cut(all.into_iter(), false)
    };
    let owner = owner(call, service, entity);
    let records = records.into_iter().map(|c| c.json(owner)).collect();
    let mut filters = Vec::new();
    filters.extend(factor.map(|f| ("FactorSid", f)));
    filters.extend(status.map(|s| ("Status", s)));
    filters.extend(order.map(|o| ("Order", o)));
    ok(&paging::answer(
        &call.state.base_url,
        call.path,
        "challenges",
        &filters,
        &page,
        records,
        next,
    ))
}

/// `GET …/Challenges/{Sid}`.
pub(crate) fn fetch(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    entity
        .challenge_mut(sid, call.now)
        .ok_or_else(|| call.not_found())?;
    let challenge = entity
        .challenges
        .values()
        .find(|c| c.sid == sid)
        .expect("found above");
    ok(&challenge.json(owner(call, service, entity)))
}

/// `POST …/Challenges/{Sid}` with `AuthPayload` and/or `Metadata`. A pending TOTP challenge
/// with the right code is approved, with a wrong one stays pending (`200` either way); a
/// pending push challenge with any payload is approved (the emulator cannot check the device's
/// signature: use the [`Phone`](crate::emulator::Phone) to deny). A challenge no longer
/// pending is `400` (`Invalid parameter: AuthPayload`) when a payload is sent.
pub(crate) fn update(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    let payload = call.form.get("AuthPayload");
    if let Some(payload) = payload {
        rule("AuthPayload", rules::auth_payload(payload))?;
    }
    let metadata = call.form.json_map("Metadata")?;
    let totp = {
        let factor_sid = entity
            .challenges
            .values()
            .find(|c| c.sid == sid)
            .map(|c| c.factor_sid.clone())
            .ok_or_else(|| call.not_found())?;
        entity.factor(&factor_sid).and_then(|f| f.totp().cloned())
    };
    let challenge = entity.challenge_mut(sid, call.now).expect("found above");
    let mut approved = false;
    if let Some(payload) = payload {
        if challenge.status != Status::Pending {
            return Err(Refusal::invalid("AuthPayload"));
        }
        let right = match (&totp, challenge.factor_type) {
            (Some(totp), _) => otp::verify(totp, call.now, payload),
            (None, "push") => true,
            _ => false,
        };
        if right {
            challenge.respond(Status::Approved, call.now);
        }
        approved = right;
    }
    if metadata.is_some() {
        challenge.metadata = metadata;
    }
    challenge.date_updated = call.now;
    let challenge = challenge.clone();
    let body = challenge.json(owner(call, service, entity));
    let scope = Scope {
        service_sid: service,
        identity,
        now: call.now,
    };
    let event = entity
        .factor(&challenge.factor_sid)
        .filter(|_| approved)
        .map(|factor| {
            Occurrence::challenge(CHALLENGE_APPROVED, call.state, scope, factor, &challenge)
        });
    if let Some(event) = event {
        events::emit(call.state, &store, &event);
    }
    ok(&body)
}

/// `POST …/Challenges/{Sid}/Notifications` with `Ttl` (0..=300, default 300): `201` for a
/// pending push challenge; any other is `400` (`Invalid parameter: ChallengeSid`).
pub(crate) fn notify(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    let challenge = entity
        .challenge_mut(sid, call.now)
        .ok_or_else(|| call.not_found())?;
    let ttl = call.form.int("Ttl", NOTIFICATION_TTL_RANGE)?.unwrap_or(300);
    if challenge.status != Status::Pending || challenge.factor_type != "push" {
        return Err(Refusal::invalid("ChallengeSid"));
    }
    let challenge_sid = challenge.sid.clone();
    created(&json!({
        "sid": ids::sid("NT"),
        "account_sid": call.state.account_sid,
        "service_sid": service,
        "entity_sid": entity.sid,
        "identity": entity.identity,
        "challenge_sid": challenge_sid,
        "priority": "high",
        "ttl": ttl,
        "date_created": iso(call.now),
    }))
}
