//! Factors: a push device or a TOTP app of one entity.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::emulator::clock::iso;
use crate::emulator::otp;
use crate::emulator::totp::Algorithm;

/// Who a factor or challenge belongs to, for its JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner<'a> {
    pub(crate) account_sid: &'a str,
    pub(crate) service_sid: &'a str,
    pub(crate) entity_sid: &'a str,
    pub(crate) identity: &'a str,
}

/// A TOTP factor's secret and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TotpSettings {
    /// The shared secret, raw bytes.
    pub(crate) secret: Vec<u8>,
    pub(crate) alg: Algorithm,
    pub(crate) time_step: u32,
    pub(crate) skew: u32,
    pub(crate) code_length: u32,
}

/// What differs between factor types.
#[derive(Debug, Clone)]
pub(crate) enum FactorKind {
    Push {
        binding_alg: Option<String>,
        public_key: Option<String>,
        app_id: Option<String>,
        platform: Option<String>,
        token: Option<String>,
        sdk_version: Option<String>,
    },
    Totp(TotpSettings),
}

/// A factor as stored.
#[derive(Debug, Clone)]
pub(crate) struct FactorRec {
    pub(crate) sid: String,
    pub(crate) friendly_name: String,
    pub(crate) verified: bool,
    pub(crate) kind: FactorKind,
    pub(crate) metadata: Option<BTreeMap<String, String>>,
    pub(crate) date_created: SystemTime,
    pub(crate) date_updated: SystemTime,
    pub(crate) url: String,
}

impl FactorRec {
    pub(crate) fn factor_type(&self) -> &'static str {
        match self.kind {
            FactorKind::Push { .. } => "push",
            FactorKind::Totp(_) => "totp",
        }
    }

    pub(crate) fn status(&self) -> &'static str {
        if self.verified {
            "verified"
        } else {
            "unverified"
        }
    }

    pub(crate) fn totp(&self) -> Option<&TotpSettings> {
        match &self.kind {
            FactorKind::Totp(settings) => Some(settings),
            FactorKind::Push { .. } => None,
        }
    }

    fn config(&self) -> Value {
        match &self.kind {
            FactorKind::Push {
                app_id,
                platform,
                token,
                sdk_version,
                ..
            } => json!({
                "sdk_version": sdk_version,
                "app_id": app_id,
                "notification_platform": platform,
                "notification_token": token,
            }),
            FactorKind::Totp(totp) => json!({
                "alg": totp.alg.wire_name(),
                "skew": totp.skew,
                "code_length": totp.code_length,
                "time_step": totp.time_step,
            }),
        }
    }

    /// The `factor` schema: fetch, list and update answers.
    pub(crate) fn json(&self, owner: Owner<'_>) -> Value {
        json!({
            "sid": self.sid,
            "account_sid": owner.account_sid,
            "service_sid": owner.service_sid,
            "entity_sid": owner.entity_sid,
            "identity": owner.identity,
            "date_created": iso(self.date_created),
            "date_updated": iso(self.date_updated),
            "friendly_name": self.friendly_name,
            "status": self.status(),
            "factor_type": self.factor_type(),
            "config": self.config(),
            "metadata": self.metadata,
            "url": self.url,
        })
    }

    /// The `new_factor` schema: the create answer, with `binding` (a TOTP factor's secret and
    /// `otpauth://` URI, answered only here) and `options`.
    pub(crate) fn new_json(&self, owner: Owner<'_>, issuer: &str) -> Value {
        let binding = match &self.kind {
            FactorKind::Push {
                binding_alg,
                public_key,
                ..
            } => json!({ "alg": binding_alg, "public_key": public_key }),
            FactorKind::Totp(totp) => json!({
                "secret": otp::base32(&totp.secret),
                "uri": otp::uri(totp, issuer, &self.friendly_name),
            }),
        };
        let mut value = self.json(owner);
        let map = value.as_object_mut().expect("a factor is a JSON object");
        map.insert("binding".into(), binding);
        map.insert("options".into(), Value::Null);
        value
    }
}
