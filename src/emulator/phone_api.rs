//! The emulator-only HTTP API under `/emulator/v1`: the simulated phone's actions and the
//! clock, for a test in another process (same Basic auth, faults and recording as Twilio's
//! paths). Errors use Twilio's body: `400` code 60200 for a bad field or token, `404` code
//! 20404 for an unknown factor or challenge, `409` code 20409 for a challenge not pending.

use std::time::Duration;

use hyper::StatusCode;
use serde_json::json;

use super::api::fields::Refusal;
use super::api::{Answer, Call, created, factors, ok};
use super::clock::iso;
use super::error::EmulatorError;
use super::phone;

fn refusal(call: &Call<'_>, error: &EmulatorError) -> Refusal {
    match error {
        EmulatorError::UnknownToken | EmulatorError::ExpiredToken | EmulatorError::NotPushToken => {
            Refusal {
                status: StatusCode::BAD_REQUEST,
                code: 60200,
                message: format!("Invalid parameter: Token ({error})"),
            }
        }
        EmulatorError::NotTotp => Refusal {
            status: StatusCode::BAD_REQUEST,
            code: 60200,
            message: error.to_string(),
        },
        EmulatorError::UnknownFactor | EmulatorError::UnknownChallenge => call.not_found(),
        EmulatorError::NotPending(_) => Refusal {
            status: StatusCode::CONFLICT,
            code: 20409,
            message: error.to_string(),
        },
    }
}

/// `POST /emulator/v1/Services/{VA}/Phone` with `Token=<jwt>`: enrolls and verifies a push
/// factor, `201` with the factor as `GET …/Factors/{Sid}` answers it.
pub(crate) fn enroll(call: &Call<'_>, service: &str) -> Answer {
    if call.state.store().service(service).is_none() {
        return Err(call.not_found());
    }
    let jwt = call.form.required("Token")?;
    let phone = phone::enroll(call.state, jwt, Some(service)).map_err(|e| refusal(call, &e))?;
    let store = call.state.store();
    let body = factors::json(
        &store,
        &call.state.account_sid,
        service,
        phone.identity(),
        phone.factor_sid().as_str(),
        false,
    )
    .expect("just enrolled");
    created(&body)
}

/// `GET …/Entities/{Identity}/Factors/{YF}/Challenges`: the pending challenges,
/// `{"challenges": [{"sid", "message", "fields": [{"label", "value"}], "date_created",
/// "expiration_date"}]}`.
pub(crate) fn pending(call: &Call<'_>, service: &str, identity: &str, factor: &str) -> Answer {
    let phone =
        phone::existing(call.state, service, identity, factor).map_err(|e| refusal(call, &e))?;
    let challenges: Vec<_> = phone
        .pending_challenges()
        .into_iter()
        .map(|c| {
            let fields: Vec<_> = c
                .fields
                .iter()
                .map(|f| json!({"label": f.label, "value": f.value}))
                .collect();
            json!({
                "sid": c.sid,
                "message": c.message,
                "fields": fields,
                "date_created": iso(c.date_created),
                "expiration_date": iso(c.expiration_date),
            })
        })
        .collect();
    ok(&json!({ "challenges": challenges }))
}

/// `POST …/Challenges/{YC}/Approve` (or `/Deny`): `200` with `{"sid", "status"}`.
pub(crate) fn answer(
    call: &Call<'_>,
    service: &str,
    identity: &str,
    factor: &str,
    challenge: &str,
    approve: bool,
) -> Answer {
    phone::answer(call.state, service, identity, factor, challenge, approve)
        .map_err(|e| refusal(call, &e))?;
    let status = if approve { "approved" } else { "denied" };
    ok(&json!({ "sid": challenge, "status": status }))
}

/// `GET …/Entities/{Identity}/Factors/{YF}/TotpCode`: `{"code": "…"}` now.
pub(crate) fn totp_code(call: &Call<'_>, service: &str, identity: &str, factor: &str) -> Answer {
    let store = call.state.store();
    if store
        .entity(service, identity)
        .and_then(|e| e.factor(factor))
        .is_none()
    {
        return Err(call.not_found());
    }
    drop(store);
    let code = phone::totp_code(call.state, factor).map_err(|e| refusal(call, &e))?;
    ok(&json!({ "code": code }))
}

/// `POST /emulator/v1/Clock` with optional `Advance=<seconds>`: moves the clock forward,
/// `200` with `{"now": "…"}`.
pub(crate) fn clock(call: &Call<'_>) -> Answer {
    if let Some(seconds) = call.form.get("Advance") {
        let seconds = super::paging::decimal(seconds).ok_or_else(|| Refusal::invalid("Advance"))?;
        call.state.clock.advance(Duration::from_secs(seconds));
    }
    ok(&json!({ "now": iso(call.state.clock.now()) }))
}
