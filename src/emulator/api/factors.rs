//! `…/Entities/{Identity}/Factors`: create (which creates the entity on its first factor),
//! list, fetch, update (verify with `AuthPayload`), delete.

use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::entities::get_or_insert;
use super::fields::{Fields, Refusal, rule};
use super::{Answer, Call, created, deleted, ok};
use crate::emulator::delivery::events::{
    self, FACTOR_CREATED, FACTOR_DELETED, FACTOR_VERIFIED, Occurrence, Scope,
};
use crate::emulator::paging::{self, PageQuery};
use crate::emulator::store::factors::Owner;
use crate::emulator::store::{FactorKind, FactorRec, Store, TotpSettings};
use crate::emulator::totp::Algorithm;
use crate::emulator::{ids, otp};
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};

// The limits the client checks, from the same constants.
pub(crate) use crate::factors::checks::{CODE_LENGTH, SKEW, TIME_STEP};
use crate::factors::checks::{MAX_APP_ID_CHARS, NOTIFICATION_TOKEN_CHARS};
const PLATFORMS: &[&str] = &["apn", "fcm", "none"];
const ALGORITHMS: &[&str] = &["sha1", "sha256", "sha512"];

/// A new factor's JSON (`new_factor`, with `binding`) or a stored one's (`factor`).
pub(crate) fn json(
    store: &Store,
    account: &str,
    service: &str,
    identity: &str,
    sid: &str,
    new: bool,
) -> Option<Value> {
    let entity = store.entity(service, identity)?;
    let factor = entity.factor(sid)?;
    let owner = Owner {
        account_sid: account,
        service_sid: service,
        entity_sid: &entity.sid,
        identity,
    };
    Some(if new {
        factor.new_json(owner, otp::ISSUER)
    } else {
        factor.json(owner)
    })
}

/// What a new factor is made of.
pub(crate) struct NewFactor {
    pub(crate) friendly_name: String,
    pub(crate) kind: FactorKind,
    pub(crate) metadata: Option<std::collections::BTreeMap<String, String>>,
}

/// Where a call's events happen.
fn scope<'a>(call: &Call<'_>, service: &'a str, identity: &'a str) -> Scope<'a> {
    Scope {
        service_sid: service,
        identity,
        now: call.now,
    }
}

/// Emits `event_type` for the factor `sid` of `scope`'s entity, as it is now.
pub(crate) fn factor_event(
    state: &crate::emulator::state::State,
    store: &Store,
    scope: Scope<'_>,
    sid: &str,
    event_type: &'static str,
) {
    let factor = store
        .entity(scope.service_sid, scope.identity)
        .and_then(|e| e.factor(sid));
    if let Some(factor) = factor {
        let event = Occurrence::factor(event_type, state, scope, factor);
        events::emit(state, store, &event);
    }
}

/// Adds a factor to the entity `identity` (created if new) of an existing service; its SID.
pub(crate) fn insert(
    store: &mut Store,
    base_url: &str,
    service: &str,
    identity: &str,
    new: NewFactor,
    now: SystemTime,
) -> Option<String> {
    let NewFactor {
        friendly_name,
        kind,
        metadata,
    } = new;
    let seq = store.seq();
    let entity = get_or_insert(store, base_url, service, identity, now)?;
    let sid = ids::sid("YF");
    entity.factors.insert(
        seq,
        FactorRec {
            url: format!("{}/Factors/{sid}", entity.url),
            sid: sid.clone(),
            friendly_name,
            verified: false,
            kind,
            metadata,
            date_created: now,
            date_updated: now,
        },
    );
    Some(sid)
}

fn totp_settings(form: Fields<'_>) -> Result<TotpSettings, Refusal> {
    let secret = match form.get("Binding.Secret") {
        Some(text) => otp::from_base32(text).ok_or_else(|| Refusal::invalid("Binding.Secret"))?,
        None => otp::new_secret(),
    };
    Ok(TotpSettings {
        secret,
        alg: algorithm(form)?.unwrap_or_default(),
        time_step: form.int("Config.TimeStep", TIME_STEP)?.unwrap_or(30),
        skew: form.int("Config.Skew", SKEW)?.unwrap_or(1),
        code_length: form.int("Config.CodeLength", CODE_LENGTH)?.unwrap_or(6),
    })
}

fn algorithm(form: Fields<'_>) -> Result<Option<Algorithm>, Refusal> {
    Ok(form
        .one_of("Config.Alg", ALGORITHMS)?
        .and_then(Algorithm::from_wire))
}

fn notification_token(form: Fields<'_>) -> Result<Option<&str>, Refusal> {
    let token = form.get("Config.NotificationToken");
    if let Some(token) = token {
        rule(
            "Config.NotificationToken",
            rules::chars_in("token", token, NOTIFICATION_TOKEN_CHARS),
        )?;
    }
    Ok(token)
}

/// The fields of a create, in the spec's order, into the factor's name, kind and metadata.
fn create_fields(form: Fields<'_>) -> Result<NewFactor, Refusal> {
    let name = form.required("FriendlyName")?;
    rule(
        "FriendlyName",
        rules::max_chars("name", name, MAX_FRIENDLY_NAME_CHARS),
    )?;
    let factor_type = form.required("FactorType")?;
    let factor_type = form
        .one_of("FactorType", &["push", "totp"])?
        .unwrap_or(factor_type);
    let binding_alg = form.get("Binding.Alg");
    let public_key = form.get("Binding.PublicKey");
    if public_key.is_some_and(|key| STANDARD.decode(key).is_err()) {
        return Err(Refusal::invalid("Binding.PublicKey"));
    }
    let app_id = form.get("Config.AppId");
    if let Some(app_id) = app_id {
        rule(
            "Config.AppId",
            rules::max_chars("app_id", app_id, MAX_APP_ID_CHARS),
        )?;
    }
    let platform = form.one_of("Config.NotificationPlatform", PLATFORMS)?;
    let token = notification_token(form)?;
    let totp = totp_settings(form)?;
    let metadata = form.json_map("Metadata")?;
    let kind = if factor_type == "push" {
        if public_key.is_none() {
            return Err(Refusal::missing("Binding.PublicKey"));
        }
        if app_id.is_none() {
            return Err(Refusal::missing("Config.AppId"));
        }
        let Some(platform) = platform else {
            return Err(Refusal::missing("Config.NotificationPlatform"));
        };
        if platform != "none" && token.is_none() {
            return Err(Refusal::missing("Config.NotificationToken"));
        }
        FactorKind::Push {
            binding_alg: binding_alg.map(str::to_owned),
            public_key: public_key.map(str::to_owned),
            app_id: app_id.map(str::to_owned),
            platform: Some(platform.to_owned()),
            token: token.map(str::to_owned),
            sdk_version: form.get("Config.SdkVersion").map(str::to_owned),
        }
    } else {
        FactorKind::Totp(totp)
    };
    Ok(NewFactor {
        friendly_name: name.to_owned(),
        kind,
        metadata,
    })
}

/// `POST …/Factors`: `201` with the `new_factor` (a TOTP factor's `binding.secret` and
/// `binding.uri` are answered only here).
pub(crate) fn create(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let mut store = call.state.store();
    if store.service(service).is_none() {
        return Err(call.not_found());
    }
    rule("Identity", rules::identity(identity))?;
    let new = create_fields(call.form)?;
    let base = &call.state.base_url;
    let sid =
        insert(&mut store, base, service, identity, new, call.now).expect("the service exists");
    factor_event(
        call.state,
        &store,
        scope(call, service, identity),
        &sid,
        FACTOR_CREATED,
    );
    created(
        &json(
            &store,
            &call.state.account_sid,
            service,
            identity,
            &sid,
            true,
        )
        .expect("just inserted"),
    )
}

/// `GET …/Factors`: a page, in creation order.
pub(crate) fn list(call: &Call<'_>, service: &str, identity: &str) -> Answer {
    let store = call.state.store();
    let entity = store
        .entity(service, identity)
        .ok_or_else(|| call.not_found())?;
    let query = PageQuery::parse(call.query)?;
    let owner = Owner {
        account_sid: &call.state.account_sid,
        service_sid: service,
        entity_sid: &entity.sid,
        identity,
    };
    let (page, next) = query.cut(entity.factors.iter().map(|(s, f)| (*s, f)), false);
    let records = page.into_iter().map(|f| f.json(owner)).collect();
    ok(&paging::answer(
        &call.state.base_url,
        call.path,
        "factors",
        &[],
        &query,
        records,
        next,
    ))
}

/// `GET …/Factors/{Sid}`.
pub(crate) fn fetch(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let store = call.state.store();
    let body = json(
        &store,
        &call.state.account_sid,
        service,
        identity,
        sid,
        false,
    )
    .ok_or_else(|| call.not_found())?;
    ok(&body)
}

/// `POST …/Factors/{Sid}`: changes what is set; an `AuthPayload` verifies an unverified factor
/// when right (a TOTP code of now, within the skew; any payload for push, whose signature the
/// emulator cannot check) and leaves it unverified otherwise, answering `200` either way.
pub(crate) fn update(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let factor = store
        .entity_mut(service, identity)
        .and_then(|e| e.factor_mut(sid))
        .ok_or_else(|| call.not_found())?;
    let form = call.form;
    let payload = form.get("AuthPayload");
    if let Some(payload) = payload {
        rule("AuthPayload", rules::auth_payload(payload))?;
    }
    let name = form.get("FriendlyName");
    if let Some(name) = name {
        rule(
            "FriendlyName",
            rules::max_chars("name", name, MAX_FRIENDLY_NAME_CHARS),
        )?;
    }
    let token = notification_token(form)?;
    let sdk_version = form.get("Config.SdkVersion");
    let time_step = form.int("Config.TimeStep", TIME_STEP)?;
    let skew = form.int("Config.Skew", SKEW)?;
    let code_length = form.int("Config.CodeLength", CODE_LENGTH)?;
    let alg = algorithm(form)?;
    let platform = form.one_of("Config.NotificationPlatform", PLATFORMS)?;
    if let Some(name) = name {
        name.clone_into(&mut factor.friendly_name);
    }
    match &mut factor.kind {
        FactorKind::Push {
            token: t,
            sdk_version: v,
            platform: p,
            ..
        } => {
            let set = |slot: &mut Option<String>, value: Option<&str>| {
                if let Some(value) = value {
                    *slot = Some(value.to_owned());
                }
            };
            set(t, token);
            set(v, sdk_version);
            set(p, platform);
        }
        FactorKind::Totp(totp) => {
            totp.time_step = time_step.unwrap_or(totp.time_step);
            totp.skew = skew.unwrap_or(totp.skew);
            totp.code_length = code_length.unwrap_or(totp.code_length);
            totp.alg = alg.unwrap_or(totp.alg);
        }
    }
    let was_verified = factor.verified;
    if let Some(payload) = payload {
        if !factor.verified {
            factor.verified = match factor.totp() {
                Some(totp) => otp::verify(totp, call.now, payload),
                None => true,
            };
        }
    }
    factor.date_updated = call.now;
    if factor.verified && !was_verified {
        factor_event(
            call.state,
            &store,
            scope(call, service, identity),
            sid,
            FACTOR_VERIFIED,
        );
    }
    ok(&json(
        &store,
        &call.state.account_sid,
        service,
        identity,
        sid,
        false,
    )
    .expect("it exists"))
}

/// `DELETE …/Factors/{Sid}`: `204`; the factor leaves every list.
pub(crate) fn delete(call: &Call<'_>, service: &str, identity: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or_else(|| call.not_found())?;
    let seq = entity
        .factors
        .iter()
        .find(|(_, f)| f.sid == sid)
        .map(|(seq, _)| *seq)
        .ok_or_else(|| call.not_found())?;
    let factor = entity.factors.remove(&seq).expect("found above");
    let event = Occurrence::factor(
        FACTOR_DELETED,
        call.state,
        scope(call, service, identity),
        &factor,
    );
    events::emit(call.state, &store, &event);
    deleted()
}
