//! `…/Entities`: create, list, fetch, delete (which takes the entity's factors and
//! challenges with it).

use hyper::StatusCode;

use super::fields::{Refusal, rule};
use super::{Answer, Call, created, deleted, ok};
use crate::emulator::delivery::events::{self, FACTOR_DELETED, Occurrence, Scope};
use crate::emulator::ids;
use crate::emulator::paging::{self, PageQuery};
use crate::emulator::store::{EntityRec, Service, Store};
use crate::rules;

/// Adds the entity `identity` to `service` (it must not exist) and returns its sequence number.
pub(crate) fn insert(
    store: &mut Store,
    base_url: &str,
    service: &str,
    identity: &str,
    now: std::time::SystemTime,
) -> Option<u64> {
    let seq = store.seq();
    let entities = store.service_mut(service)?;
    let url = format!("{base_url}/v2/Services/{service}/Entities/{identity}");
    let entity = EntityRec::new(ids::sid("YE"), identity.to_owned(), url, now);
    entities.entities.insert(seq, entity);
    entities.by_identity.insert(identity.to_owned(), seq);
    Some(seq)
}

/// The entity `identity`, created (as Twilio does on a first factor) when it does not exist.
/// The service must exist.
pub(crate) fn get_or_insert<'s>(
    store: &'s mut Store,
    base_url: &str,
    service: &str,
    identity: &str,
    now: std::time::SystemTime,
) -> Option<&'s mut EntityRec> {
    if store.entity(service, identity).is_none() {
        insert(store, base_url, service, identity, now)?;
    }
    store.entity_mut(service, identity)
}

/// `POST …/Entities` with `Identity`: `201`; an identity the service has already is `409`
/// (code 20409, the emulator's choice).
pub(crate) fn create(call: &Call<'_>, service: &str) -> Answer {
    let mut store = call.state.store();
    let Some(existing) = store.service(service) else {
        return Err(call.not_found());
    };
    let identity = call.form.required("Identity")?;
    rule("Identity", rules::identity(identity))?;
    if existing.entity(identity).is_some() {
        return Err(Refusal {
            status: StatusCode::CONFLICT,
            code: 20409,
            message: "An entity with this identity already exists".into(),
        });
    }
    insert(
        &mut store,
        &call.state.base_url,
        service,
        identity,
        call.now,
    );
    let entity = store.entity(service, identity).expect("just inserted");
    created(&entity.json(&call.state.account_sid, service))
}

/// `GET …/Entities`: a page, in creation order.
pub(crate) fn list(call: &Call<'_>, service: &str) -> Answer {
    let store = call.state.store();
    let Some(entities) = store.service(service).map(|s: &Service| &s.entities) else {
        return Err(call.not_found());
    };
    let query = PageQuery::parse(call.query)?;
    let account = &call.state.account_sid;
    let (page, next) = query.cut(entities.iter().map(|(seq, e)| (*seq, e)), false);
    let records = page.into_iter().map(|e| e.json(account, service)).collect();
    ok(&paging::answer(
        &call.state.base_url,
        call.path,
        "entities",
        &[],
        &query,
        records,
        next,
    ))
}

/// `GET …/Entities/{Identity}`.
pub(crate) fn fetch(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let store = call.state.store();
    let entity = store
        .entity(service, identity)
        .ok_or_else(|| call.not_found())?;
    ok(&entity.json(&call.state.account_sid, service))
}

/// `DELETE …/Entities/{Identity}`: `204`, the entity's factors and challenges gone with it.
pub(crate) fn delete(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let mut store = call.state.store();
    let entities = store.service_mut(service).ok_or_else(|| call.not_found())?;
    let seq = entities
        .by_identity
        .remove(identity)
        .ok_or_else(|| call.not_found())?;
    let factors = entities
        .entities
        .remove(&seq)
        .map(|entity| entity.factors)
        .unwrap_or_default();
    let scope = Scope {
        service_sid: service,
        identity,
        now: call.now,
    };
    for factor in factors.values() {
        let event = Occurrence::factor(FACTOR_DELETED, call.state, scope, factor);
        events::emit(call.state, &store, &event);
    }
    deleted()
}
