//! The access token resource as Twilio returns it.

use serde::Deserialize;

use crate::error::DecodeError;
use crate::params::FactorType;
use crate::secret::Secret;
use crate::sid::{AccessTokenSid, AccountSid, ServiceSid};

/// An access token: what create and fetch return.
///
/// Hand [`token`](AccessToken::token) (through [`Secret::expose_secret`]) to the mobile app that
/// enrolls the push factor; it is a bearer secret and never prints.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AccessToken {
    /// The token's SID (`YK…`).
    pub sid: AccessTokenSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// Your identifier for the user it was minted for.
    pub entity_identity: String,
    /// The type of factor it enrolls.
    pub factor_type: FactorType,
    /// The factor's friendly name, when one was given.
    pub factor_friendly_name: Option<String>,
    /// The JWT the app enrolls with: a secret.
    pub token: Secret,
    /// The URL of this resource.
    pub url: String,
    /// How long it is valid, in seconds.
    pub ttl: u32,
    /// When it was created, in ISO 8601 as Twilio wrote it (`2015-07-30T20:00:00Z`).
    pub date_created: String,
}

/// The body as the spec describes it: every field nullable.
#[derive(Deserialize)]
struct Wire {
    sid: Option<AccessTokenSid>,
    account_sid: Option<AccountSid>,
    service_sid: Option<ServiceSid>,
    entity_identity: Option<String>,
    factor_type: Option<FactorType>,
    factor_friendly_name: Option<String>,
    token: Option<Secret>,
    url: Option<String>,
    ttl: Option<u32>,
    date_created: Option<String>,
}

impl AccessToken {
    /// Decodes a 2xx body; a missing or null required field is an error that names it.
    pub(crate) fn decode(
        body: &[u8],
        status: u16,
        request_id: impl Fn() -> Option<String>,
    ) -> Result<AccessToken, DecodeError> {
        // Checking UTF-8 once over the whole body is cheaper than serde_json's check of every
        // string; a body that is not UTF-8 goes to `from_slice` for serde_json's own error.
        let parsed = match std::str::from_utf8(body) {
            Ok(text) => serde_json::from_str::<Wire>(text),
            Err(_) => serde_json::from_slice::<Wire>(body),
        };
        let wire = parsed.map_err(|e| DecodeError::json(status, request_id(), e))?;
        let missing = |field| DecodeError::missing_field(status, request_id(), field);
        Ok(AccessToken {
            sid: wire.sid.ok_or_else(|| missing("sid"))?,
            account_sid: wire.account_sid.ok_or_else(|| missing("account_sid"))?,
            service_sid: wire.service_sid.ok_or_else(|| missing("service_sid"))?,
            entity_identity: wire
                .entity_identity
                .ok_or_else(|| missing("entity_identity"))?,
            factor_type: wire.factor_type.ok_or_else(|| missing("factor_type"))?,
            factor_friendly_name: wire.factor_friendly_name,
            token: wire.token.ok_or_else(|| missing("token"))?,
            url: wire.url.ok_or_else(|| missing("url"))?,
            ttl: wire.ttl.ok_or_else(|| missing("ttl"))?,
            date_created: wire.date_created.ok_or_else(|| missing("date_created"))?,
        })
    }
}
