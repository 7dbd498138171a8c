//! The factor resource as Twilio returns it, and its enums.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::enums::{FactorType, wire_enum};
use crate::secret::Secret;
use crate::sid::{AccountSid, EntitySid, FactorSid, ServiceSid};
use crate::timestamp;

wire_enum!(
    /// Whether a factor has been verified (`status`).
    FactorStatus {
        /// Created, not yet verified: it cannot be challenged yet.
        Unverified => "unverified",
        /// Verified: challenges can be created for it.
        Verified => "verified",
    }
);

wire_enum!(
    /// The HMAC hash of a TOTP factor's codes (`Config.Alg`, `config.alg`).
    TotpAlgorithm {
        /// HMAC-SHA1, what most authenticator apps support.
        Sha1 => "sha1",
        /// HMAC-SHA256.
        Sha256 => "sha256",
        /// HMAC-SHA512.
        Sha512 => "sha512",
    }
);

wire_enum!(
    /// How a push factor's device is reached (`Config.NotificationPlatform`).
    NotificationPlatform {
        /// Apple Push Notification service; the token is the APNs device token.
        Apn => "apn",
        /// Firebase Cloud Messaging; the token is the FCM registration token.
        Fcm => "fcm",
        /// No push notifications: the app polls for challenges.
        None => "none",
    }
);

/// A factor as fetch, list and update answer it (the spec's `factor` schema): no `binding`.
///
/// Its `Debug` shows `config.notification_token` only as `Secret([redacted])`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Factor {
    /// The factor's SID (`YF…`).
    pub sid: FactorSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// The entity it belongs to.
    pub entity_sid: EntitySid,
    /// Your identifier for the user (personal data per Twilio: never logged by this crate).
    pub identity: String,
    /// When it was created.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_created: SystemTime,
    /// When it was last updated.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_updated: SystemTime,
    /// Its human-readable name (a device name, say), up to 64 characters.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// Whether it has been verified.
    pub status: FactorStatus,
    /// Push, TOTP or passkeys.
    pub factor_type: FactorType,
    /// The settings of its type.
    #[serde(default)]
    pub config: Option<FactorConfig>,
    /// The device information the SDK attached (`{"os": "Android"}`); personal data per Twilio.
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    /// The URL of this resource.
    pub url: String,
}

/// A factor as create answers it (the spec's `new_factor` schema): a [`Factor`] plus its
/// `binding` and `options`.
///
/// For a TOTP factor, `binding.secret` and `binding.uri` are answered here and never again;
/// its `Debug` shows both only as `Secret([redacted])`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[non_exhaustive]
pub struct NewFactor {
    /// The factor's SID (`YF…`).
    pub sid: FactorSid,
    /// The account that owns it.
    pub account_sid: AccountSid,
    /// The Verify Service it belongs to.
    pub service_sid: ServiceSid,
    /// The entity it belongs to (created with the factor if it was new).
    pub entity_sid: EntitySid,
    /// Your identifier for the user (personal data per Twilio: never logged by this crate).
    pub identity: String,
    /// The type's secret and key material, answered only by create.
    #[serde(default)]
    pub binding: Option<FactorBinding>,
    /// Type-specific options; the spec does not describe their shape.
    #[serde(default)]
    pub options: Option<serde_json::Value>,
    /// When it was created.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_created: SystemTime,
    /// When it was last updated.
    #[serde(
        deserialize_with = "timestamp::required",
        serialize_with = "timestamp::serialize"
    )]
    pub date_updated: SystemTime,
    /// Its human-readable name; for TOTP, the account name in `binding.uri`.
    #[serde(default)]
    pub friendly_name: Option<String>,
    /// Whether it has been verified (`unverified` on creation).
    pub status: FactorStatus,
    /// Push, TOTP or passkeys.
    pub factor_type: FactorType,
    /// The settings of its type.
    #[serde(default)]
    pub config: Option<FactorConfig>,
    /// The device information attached on creation; personal data per Twilio.
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
    /// The URL of this resource.
    pub url: String,
}

/// A factor's `config`: the settings of its type. Every key is optional, since each type
/// answers only its own; keys this version of the crate does not know are ignored (never
/// printed, so a future secret there cannot leak through `Debug`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FactorConfig {
    /// Push: the Verify Push SDK version that configured the factor.
    #[serde(default)]
    pub sdk_version: Option<String>,
    /// Push: the app's store ID (`com.example.myapp`).
    #[serde(default)]
    pub app_id: Option<String>,
    /// Push: how the device is reached.
    #[serde(default)]
    pub notification_platform: Option<NotificationPlatform>,
    /// Push: the APNs device token or FCM registration token (a secret: redacted in `Debug`).
    #[serde(default)]
    pub notification_token: Option<Secret>,
    /// TOTP: seconds per code.
    #[serde(default)]
    pub time_step: Option<u32>,
    /// TOTP: how many time steps before and after now are accepted.
    #[serde(default)]
    pub skew: Option<u32>,
    /// TOTP: digits per code.
    #[serde(default)]
    pub code_length: Option<u32>,
    /// TOTP: the codes' HMAC hash.
    #[serde(default)]
    pub alg: Option<TotpAlgorithm>,
    /// Passkeys: the WebAuthn relying party.
    #[serde(default)]
    pub relying_party: Option<RelyingParty>,
    /// Passkeys: `platform` or `cross-platform` (WebAuthn `authenticatorAttachment`).
    #[serde(default)]
    pub authenticator_attachment: Option<String>,
    /// Passkeys: whether discoverable credentials are `required`, `preferred` or `discouraged`.
    #[serde(default)]
    pub discoverable_credentials: Option<String>,
    /// Passkeys: whether user verification is `required`, `preferred` or `discouraged`.
    #[serde(default)]
    pub user_verification: Option<String>,
}

/// A passkeys factor's WebAuthn relying party (`config.relying_party`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct RelyingParty {
    /// The relying party ID, a domain (`example.com`).
    #[serde(default)]
    pub id: Option<String>,
    /// Its display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The origins passkeys may be used from (`https://example.com`).
    #[serde(default)]
    pub origins: Option<Vec<String>>,
}

/// A new factor's `binding`: answered by create only.
///
/// TOTP answers `secret` and `uri` (both secrets: whoever has either can make codes; redacted
/// in `Debug`, read with [`Secret::expose_secret`] to show the QR code once); push answers
/// the device's public key and its algorithm, which are not secret.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[non_exhaustive]
pub struct FactorBinding {
    /// TOTP: the shared secret, base32.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// TOTP: the `otpauth://totp/…` key URI for a QR code (it contains the secret).
    #[serde(default)]
    pub uri: Option<Secret>,
    /// Push: the device's ECDSA public key, base64 of its PKIX DER encoding.
    #[serde(default)]
    pub public_key: Option<String>,
    /// Push: the key's algorithm (`ES256`).
    #[serde(default)]
    pub alg: Option<String>,
}
