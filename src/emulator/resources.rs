//! The resources behind the routes: a service's access tokens, created and fetched.

use hyper::StatusCode;

use super::fields::create_fields;
use super::responses::{self, Reply};
use super::state::{State, TokenRecord};
use super::{clock, ids};
use crate::sid::{AccessTokenSid, ServiceSid};

/// The service named by a path segment, if it is a well-formed SID the emulator knows.
fn known_service(state: &State, segment: &str) -> Option<ServiceSid> {
    let sid: ServiceSid = segment.parse().ok()?;
    state.has_service(&sid).then_some(sid)
}

/// `POST …/AccessTokens`: `404` for an unknown service, `400` for invalid fields, else `201`
/// with the stored token.
pub(crate) fn create(state: &State, path: &str, service: &str, form: &[(String, String)]) -> Reply {
    let Some(service) = known_service(state, service) else {
        return responses::not_found(path);
    };
    let fields = match create_fields(form) {
        Ok(fields) => fields,
        Err(message) => return responses::invalid_parameter(&message),
    };
    let sid = ids::sid("YK");
    let now = clock::unix_now();
    let token = ids::jwt_shaped(&ids::TokenClaims {
        sid: &sid,
        account_sid: &state.account_sid,
        service_sid: service.as_str(),
        identity: &fields.identity,
        factor_type: &fields.factor_type,
        issued_at: now,
        ttl: u64::from(fields.ttl),
    });
    let record = TokenRecord {
        url: format!("{}{path}/{sid}", state.base_url),
        sid: sid.clone(),
        account_sid: state.account_sid.clone(),
        service_sid: service.to_string(),
        entity_identity: fields.identity,
        factor_type: fields.factor_type,
        factor_friendly_name: fields.friendly_name,
        ttl: fields.ttl,
        date_created: clock::iso8601(now),
        token,
    };
    let reply = responses::json(StatusCode::CREATED, &record);
    let sid: AccessTokenSid = sid.parse().expect("a generated SID is well formed");
    state.store_token(&service, sid, record);
    reply
}

/// `GET …/AccessTokens/{Sid}`: `404` for an unknown service or token, else `200` with it.
pub(crate) fn fetch(state: &State, path: &str, service: &str, sid: &str) -> Reply {
    let record = known_service(state, service).and_then(|service| {
        let sid: AccessTokenSid = sid.parse().ok()?;
        state.token(&service, &sid)
    });
    match record {
        Some(record) => responses::json(StatusCode::OK, &record),
        None => responses::not_found(path),
    }
}
