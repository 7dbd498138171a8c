//! The simulated phone: what the Verify Push SDK does on the device — enroll a push factor
//! with an access token's JWT and verify it, see the factor's pending challenges, approve or
//! deny one — acting directly on the emulator's state.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::api::factors;
use super::delivery::events::{
    self, CHALLENGE_APPROVED, CHALLENGE_DENIED, FACTOR_CREATED, FACTOR_VERIFIED, Occurrence, Scope,
};
use super::error::EmulatorError;
use super::state::State;
use super::store::FactorKind;
use super::store::challenges::Status;
use super::{Emulator, ids, otp};
use crate::challenges::model::ChallengeField;
use crate::sid::{ChallengeSid, FactorSid, ServiceSid};

/// The friendly name of a factor enrolled with a token that has none.
pub(crate) const DEFAULT_DEVICE_NAME: &str = "Emulated phone";

/// A challenge waiting on the phone, as the SDK shows it to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PendingChallenge {
    /// The challenge's SID.
    pub sid: ChallengeSid,
    /// `details.message`, shown when the push arrives.
    pub message: Option<String>,
    /// `details.fields`, in the order given.
    pub fields: Vec<ChallengeField>,
    /// When it was created, by the emulator's clock.
    pub date_created: SystemTime,
    /// When it expires, by the emulator's clock.
    pub expiration_date: SystemTime,
}

/// A simulated phone with one enrolled, verified push factor; made by
/// [`Emulator::phone`](super::Emulator::phone) or [`Emulator::phone_for`](super::Emulator::phone_for).
///
/// Cheap to clone, `Send` and `Sync`; it keeps the emulator's state (not its server) alive.
/// Its `Debug` shows the service and factor, not the identity.
#[derive(Clone)]
pub struct Phone {
    state: Arc<State>,
    service_sid: ServiceSid,
    identity: String,
    factor_sid: FactorSid,
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Phone")
            .field("service_sid", &self.service_sid)
            .field("factor_sid", &self.factor_sid)
            .finish_non_exhaustive()
    }
}

/// Enrolls a push factor as the SDK would with `jwt` (and, over HTTP, for `service` only):
/// creates it with the token's identity and friendly name, then verifies it.
pub(crate) fn enroll(
    state: &Arc<State>,
    jwt: &str,
    service: Option<&str>,
) -> Result<Phone, EmulatorError> {
    let now = state.clock.now();
    let mut store = state.store();
    let token = store
        .services
        .iter()
        .filter(|(sid, _)| service.is_none_or(|s| sid.as_str() == s))
        .find_map(|(_, s)| s.tokens.values().find(|t| t.token == jwt))
        .cloned()
        .ok_or(EmulatorError::UnknownToken)?;
    if !token.is_live(now) {
        return Err(EmulatorError::ExpiredToken);
    }
    if token.factor_type != "push" {
        return Err(EmulatorError::NotPushToken);
    }
    let key: Vec<u8> = ids::hex32().into_bytes();
    let kind = FactorKind::Push {
        binding_alg: Some("ES256".into()),
        public_key: Some(STANDARD.encode(key)),
        app_id: Some("com.twilio.verify.emulator".into()),
        platform: Some("none".into()),
        token: None,
        sdk_version: Some("emulator".into()),
    };
    let name = token
        .factor_friendly_name
        .clone()
        .unwrap_or_else(|| DEFAULT_DEVICE_NAME.into());
    let new = factors::NewFactor {
        friendly_name: name,
        kind,
        metadata: None,
    };
    let (base, service, identity) = (&state.base_url, &token.service_sid, &token.entity_identity);
    let sid = factors::insert(&mut store, base, service, identity, new, now)
        .ok_or(EmulatorError::UnknownToken)?;
    let scope = Scope {
        service_sid: service,
        identity,
        now,
    };
    factors::factor_event(state, &store, scope, &sid, FACTOR_CREATED);
    let factor = store
        .entity_mut(service, identity)
        .and_then(|e| e.factor_mut(&sid))
        .expect("just inserted");
    factor.verified = true;
    factors::factor_event(state, &store, scope, &sid, FACTOR_VERIFIED);
    Ok(Phone {
        state: Arc::clone(state),
        service_sid: service
            .parse()
            .expect("a stored service SID is well formed"),
        identity: identity.clone(),
        factor_sid: sid.parse().expect("a generated SID is well formed"),
    })
}

/// A phone for the existing push factor `factor_sid` of `identity` in `service`.
pub(crate) fn existing(
    state: &Arc<State>,
    service: &str,
    identity: &str,
    factor_sid: &str,
) -> Result<Phone, EmulatorError> {
    let store = state.store();
    let factor = store
        .entity(service, identity)
        .and_then(|e| e.factor(factor_sid))
        .ok_or(EmulatorError::UnknownFactor)?;
    if factor.factor_type() != "push" {
        return Err(EmulatorError::UnknownFactor);
    }
    Ok(Phone {
        state: Arc::clone(state),
        service_sid: service.parse().map_err(|_| EmulatorError::UnknownFactor)?,
        identity: identity.to_owned(),
        factor_sid: factor_sid
            .parse()
            .map_err(|_| EmulatorError::UnknownFactor)?,
    })
}

/// The current code of the TOTP factor `sid`, wherever it is, by the emulator's clock.
pub(crate) fn totp_code(state: &State, sid: &str) -> Result<String, EmulatorError> {
    let store = state.store();
    let (service, identity) = store.find_factor(sid).ok_or(EmulatorError::UnknownFactor)?;
    let factor = store
        .entity(service.as_str(), &identity)
        .and_then(|e| e.factor(sid))
        .ok_or(EmulatorError::UnknownFactor)?;
    let totp = factor.totp().ok_or(EmulatorError::NotTotp)?;
    Ok(otp::code(totp, state.clock.now()))
}

/// The phone, the clock and TOTP codes on [`Emulator`].
impl Emulator {
    /// Enrolls a simulated phone with an access token's JWT, as the Verify Push SDK would: a
    /// push factor for the token's identity (named by its `factor_friendly_name`, else
    /// `Emulated phone`), verified at once.
    ///
    /// # Errors
    /// [`EmulatorError::UnknownToken`] for a JWT this emulator did not mint;
    /// [`EmulatorError::ExpiredToken`] when its `ttl` has passed by the emulator's clock.
    pub fn phone(&self, jwt: &str) -> Result<Phone, EmulatorError> {
        enroll(&self.state, jwt, None)
    }

    /// A simulated phone for an existing push factor (created through the API, say).
    ///
    /// # Errors
    /// [`EmulatorError::UnknownFactor`] unless `factor_sid` is a push factor of the entity
    /// `identity` of `service_sid`.
    pub fn phone_for(
        &self,
        service_sid: impl AsRef<str>,
        identity: impl AsRef<str>,
        factor_sid: impl AsRef<str>,
    ) -> Result<Phone, EmulatorError> {
        existing(
            &self.state,
            service_sid.as_ref(),
            identity.as_ref(),
            factor_sid.as_ref(),
        )
    }

    /// The current code of the TOTP factor `sid` by the emulator's clock, as the user's
    /// authenticator app would show it.
    ///
    /// # Errors
    /// [`EmulatorError::UnknownFactor`] for an unknown (or deleted) factor;
    /// [`EmulatorError::NotTotp`] for a push factor.
    pub fn totp_code(&self, sid: impl AsRef<str>) -> Result<String, EmulatorError> {
        totp_code(&self.state, sid.as_ref())
    }

    /// Moves the emulator's clock forward by `by` (saturating at 1000 years in all): tokens,
    /// challenges and TOTP codes see the new time at once.
    pub fn advance(&self, by: Duration) {
        self.state.clock.advance(by);
    }

    /// The emulator's current time, to the whole second: the wall clock plus every
    /// [`advance`](Self::advance).
    pub fn now(&self) -> SystemTime {
        self.state.clock.now()
    }

    /// Adds entities with these identities to `service_sid` directly (no requests), in order;
    /// returns how many were added (existing identities and a malformed or unknown service
    /// add none). For tests that need many entities quickly.
    #[doc(hidden)]
    pub fn insert_entities<I, S>(&self, service_sid: &ServiceSid, identities: I) -> usize
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let now = self.now();
        let mut store = self.state.store();
        let mut added = 0;
        for identity in identities {
            let identity = identity.as_ref();
            if crate::rules::identity(identity).is_err()
                || store.entity(service_sid.as_str(), identity).is_some()
            {
                continue;
            }
            let base = &self.state.base_url;
            if super::api::entities::insert(&mut store, base, service_sid.as_str(), identity, now)
                .is_some()
            {
                added += 1;
            }
        }
        added
    }
}

impl Phone {
    /// The enrolled push factor (`YF…`).
    pub fn factor_sid(&self) -> &FactorSid {
        &self.factor_sid
    }

    /// The identity of the entity the factor belongs to.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The service the factor belongs to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// The factor's pending challenges, oldest first (none once the factor is deleted).
    /// A challenge past its expiration date by the emulator's clock is no longer pending.
    pub fn pending_challenges(&self) -> Vec<PendingChallenge> {
        let now = self.state.clock.now();
        let mut store = self.state.store();
        let Some(entity) = store.entity_mut(self.service_sid.as_str(), &self.identity) else {
            return Vec::new();
        };
        if entity.factor(self.factor_sid.as_str()).is_none() {
            return Vec::new();
        }
        entity.refresh(now);
        entity
            .challenges
            .values()
            .filter(|c| c.factor_sid == self.factor_sid.as_str() && c.status == Status::Pending)
            .map(|c| PendingChallenge {
                sid: c.sid.parse().expect("a generated SID is well formed"),
                message: c.message.clone(),
                fields: c
                    .fields
                    .iter()
                    .map(|(label, value)| ChallengeField {
                        label: label.clone(),
                        value: value.clone(),
                    })
                    .collect(),
                date_created: c.date_created,
                expiration_date: c.expiration_date,
            })
            .collect()
    }

    /// Approves the challenge `sid`: it reads `approved`, with `date_responded` now.
    ///
    /// # Errors
    /// [`EmulatorError::UnknownFactor`] when the factor is gone;
    /// [`EmulatorError::UnknownChallenge`] for a challenge not of this factor;
    /// [`EmulatorError::NotPending`] for one already answered or expired.
    pub fn approve(&self, sid: impl AsRef<str>) -> Result<(), EmulatorError> {
        answer(
            &self.state,
            self.service_sid.as_str(),
            &self.identity,
            self.factor_sid.as_str(),
            sid.as_ref(),
            true,
        )
    }

    /// Denies the challenge `sid`: it reads `denied`, with `date_responded` now.
    ///
    /// # Errors
    /// As [`approve`](Phone::approve).
    pub fn deny(&self, sid: impl AsRef<str>) -> Result<(), EmulatorError> {
        answer(
            &self.state,
            self.service_sid.as_str(),
            &self.identity,
            self.factor_sid.as_str(),
            sid.as_ref(),
            false,
        )
    }
}

/// Answers the challenge `sid` of the push factor `factor` on the device.
pub(crate) fn answer(
    state: &State,
    service: &str,
    identity: &str,
    factor: &str,
    sid: &str,
    approve: bool,
) -> Result<(), EmulatorError> {
    let now = state.clock.now();
    let mut store = state.store();
    let entity = store
        .entity_mut(service, identity)
        .ok_or(EmulatorError::UnknownFactor)?;
    if entity
        .factor(factor)
        .is_none_or(|f| f.factor_type() != "push")
    {
        return Err(EmulatorError::UnknownFactor);
    }
    let challenge = entity
        .challenge_mut(sid, now)
        .filter(|c| c.factor_sid == factor)
        .ok_or(EmulatorError::UnknownChallenge)?;
    if challenge.status != Status::Pending {
        return Err(EmulatorError::NotPending(challenge.status.as_str()));
    }
    let status = if approve {
        Status::Approved
    } else {
        Status::Denied
    };
    challenge.respond(status, now);
    let challenge = challenge.clone();
    let event_type = if approve {
        CHALLENGE_APPROVED
    } else {
        CHALLENGE_DENIED
    };
    let scope = Scope {
        service_sid: service,
        identity,
        now,
    };
    let event = entity
        .factor(factor)
        .map(|f| Occurrence::challenge(event_type, state, scope, f, &challenge));
    if let Some(event) = event {
        events::emit(state, &store, &event);
    }
    Ok(())
}
