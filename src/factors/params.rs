//! The parameters of a factor create (`CreateNewFactor`).

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::checks::{base32_secret, known, known_platform, notification_token, totp_config};
use super::model::{NotificationPlatform, TotpAlgorithm};
use crate::enums::FactorType;
use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};
use crate::secret::Secret;

/// The only `Binding.Alg` Twilio supports for push.
const PUSH_BINDING_ALG: &str = "ES256";

/// The parameters of [`Factors::create`](crate::Factors::create).
///
/// [`CreateFactor::totp`] and [`CreateFactor::push`] take what each type requires; every
/// other field is a chained setter. Nothing is checked until `create` is called, which
/// refuses bad values with [`Error::InvalidInput`](crate::Error::InvalidInput) before sending
/// anything. `Debug` shows the binding secret and the notification token as
/// `Secret([redacted])`.
///
/// Fields of the other type (a `time_step` on a push factor, say) are sent as set: Twilio
/// documents them as "used when" their type is created, not as refused otherwise.
///
/// ```
/// use twilio_verify::{CreateFactor, NotificationPlatform, TotpAlgorithm};
///
/// let totp = CreateFactor::totp("Alice's authenticator app")
///     .time_step(30)
///     .code_length(6)
///     .algorithm(TotpAlgorithm::Sha1);
/// let push = CreateFactor::push(
///     "Alice's iPhone",
///     "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8GdwtibWe0kpgsFl6xPQBwhtwUEyeJkeozFmi2jiJDzxFSMwVy3kVR1h/dPVYOfgkC0EkfBRJ0J/6xW47FD5vA==",
///     "com.example.myapp",
///     NotificationPlatform::Apn,
/// )
/// .notification_token("0123456789abcdef0123456789abcdef")
/// .sdk_version("2.1.0")
/// .metadata([("os", "iOS")]);
/// # let _ = (totp, push);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateFactor {
    friendly_name: String,
    factor_type: FactorType,
    binding_alg: Option<String>,
    binding_public_key: Option<String>,
    app_id: Option<String>,
    notification_platform: Option<NotificationPlatform>,
    notification_token: Option<Secret>,
    sdk_version: Option<String>,
    binding_secret: Option<Secret>,
    time_step: Option<u32>,
    skew: Option<u32>,
    code_length: Option<u32>,
    algorithm: Option<TotpAlgorithm>,
    metadata: Option<BTreeMap<String, String>>,
}

impl CreateFactor {
    /// A factor of `factor_type` named `friendly_name` (up to 64 characters; for TOTP it is the
    /// account name the authenticator app shows). Prefer [`totp`](CreateFactor::totp) or
    /// [`push`](CreateFactor::push), which take what their type requires.
    pub fn new(friendly_name: impl Into<String>, factor_type: FactorType) -> Self {
        CreateFactor {
            friendly_name: friendly_name.into(),
            factor_type,
            binding_alg: None,
            binding_public_key: None,
            app_id: None,
            notification_platform: None,
            notification_token: None,
            sdk_version: None,
            binding_secret: None,
            time_step: None,
            skew: None,
            code_length: None,
            algorithm: None,
            metadata: None,
        }
    }

    /// A TOTP factor. Twilio generates the secret (answered once, in
    /// [`NewFactor::binding`](crate::NewFactor::binding)) unless
    /// [`binding_secret`](CreateFactor::binding_secret) gives one; time step, skew, code length
    /// and algorithm default to the service's settings.
    pub fn totp(friendly_name: impl Into<String>) -> Self {
        CreateFactor::new(friendly_name, FactorType::Totp)
    }

    /// A push factor created by your server for a device that has its own key pair — normally
    /// the Verify Push SDK on the device creates it with an access token instead.
    ///
    /// `binding_public_key` is the device's ECDSA P-256 public key, base64 of its PKIX (ASN.1
    /// DER) encoding; `Binding.Alg` is set to `ES256`, the only algorithm Twilio supports.
    /// `app_id` is the app's store ID (`com.example.myapp`, up to 100 characters). With `apn` or
    /// `fcm`, also set [`notification_token`](CreateFactor::notification_token); Twilio also
    /// asks for [`sdk_version`](CreateFactor::sdk_version).
    pub fn push(
        friendly_name: impl Into<String>,
        binding_public_key: impl Into<String>,
        app_id: impl Into<String>,
        notification_platform: NotificationPlatform,
    ) -> Self {
        CreateFactor::new(friendly_name, FactorType::Push)
            .binding_public_key(binding_public_key)
            .binding_alg(PUSH_BINDING_ALG)
            .app_id(app_id)
            .notification_platform(notification_platform)
    }

    /// Push: the key's algorithm (`Binding.Alg`); [`push`](CreateFactor::push) sets `ES256`.
    pub fn binding_alg(mut self, alg: impl Into<String>) -> Self {
        self.binding_alg = Some(alg.into());
        self
    }

    /// Push: the device's public key, base64 of its PKIX DER encoding (`Binding.PublicKey`).
    pub fn binding_public_key(mut self, public_key: impl Into<String>) -> Self {
        self.binding_public_key = Some(public_key.into());
        self
    }

    /// Push: the app's store ID, up to 100 characters (`Config.AppId`).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Push: how the device is reached (`Config.NotificationPlatform`).
    pub fn notification_platform(mut self, platform: NotificationPlatform) -> Self {
        self.notification_platform = Some(platform);
        self
    }

    /// Push: the APNs device token or FCM registration token, 32 to 255 characters
    /// (`Config.NotificationToken`); kept as a [`Secret`].
    pub fn notification_token(mut self, token: impl Into<String>) -> Self {
        self.notification_token = Some(Secret::new(token));
        self
    }

    /// Push: the Verify Push SDK version (`Config.SdkVersion`).
    pub fn sdk_version(mut self, version: impl Into<String>) -> Self {
        self.sdk_version = Some(version.into());
        self
    }

    /// TOTP: your own shared secret, base32 (RFC 4648 letters `A`–`Z`, digits `2`–`7`, either
    /// case, optional `=` padding) (`Binding.Secret`); kept as a [`Secret`]. Without it Twilio
    /// generates one.
    pub fn binding_secret(mut self, secret: impl Into<String>) -> Self {
        self.binding_secret = Some(Secret::new(secret));
        self
    }

    /// TOTP: seconds per code, 20 to 60 (`Config.TimeStep`).
    pub fn time_step(mut self, seconds: u32) -> Self {
        self.time_step = Some(seconds);
        self
    }

    /// TOTP: time steps accepted before and after now, 0 to 2 (`Config.Skew`).
    pub fn skew(mut self, steps: u32) -> Self {
        self.skew = Some(steps);
        self
    }

    /// TOTP: digits per code, 3 to 8 (`Config.CodeLength`).
    pub fn code_length(mut self, digits: u32) -> Self {
        self.code_length = Some(digits);
        self
    }

    /// TOTP: the codes' HMAC hash (`Config.Alg`).
    pub fn algorithm(mut self, algorithm: TotpAlgorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// Device information as string pairs, sent as one JSON object of at most 1024 characters
    /// (`Metadata`); replaces any earlier metadata. Personal data per Twilio.
    pub fn metadata<K, V>(mut self, pairs: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.metadata = Some(rules::string_map(pairs));
        self
    }

    /// Checks every rule this crate knows before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        rules::required("friendly_name", &self.friendly_name)?;
        rules::max_chars(
            "friendly_name",
            &self.friendly_name,
            MAX_FRIENDLY_NAME_CHARS,
        )?;
        known("factor_type", self.factor_type.as_str(), FactorType::KNOWN)?;
        if let Some(alg) = &self.binding_alg {
            rules::required("binding_alg", alg)?;
        }
        if let Some(key) = &self.binding_public_key {
            rules::required("binding_public_key", key)?;
            if STANDARD.decode(key).is_err() {
                return Err(InvalidInput::new(
                    "binding_public_key",
                    "binding_public_key is not base64: must be the PKIX (ASN.1 DER) public key \
                     encoded in standard base64",
                ));
            }
        }
        if let Some(app_id) = &self.app_id {
            rules::required("app_id", app_id)?;
            rules::max_chars("app_id", app_id, super::checks::MAX_APP_ID_CHARS)?;
        }
        if let Some(platform) = &self.notification_platform {
            known_platform(platform)?;
        }
        if let Some(token) = &self.notification_token {
            notification_token(token)?;
        }
        if let Some(secret) = &self.binding_secret {
            base32_secret(secret)?;
        }
        totp_config(self.time_step, self.skew, self.code_length, &self.algorithm)?;
        if let Some(metadata) = &self.metadata {
            rules::json_map("metadata", metadata)?;
        }
        if self.factor_type.as_str() == FactorType::Push.as_str() {
            self.validate_push_requirements()?;
        }
        Ok(())
    }

    /// What Twilio documents as "required when `factor_type` is `push`" and cannot be had
    /// otherwise: the key, the app, the platform, and a token unless the platform is `none`.
    fn validate_push_requirements(&self) -> Result<(), InvalidInput> {
        let missing = |parameter: &'static str| {
            InvalidInput::new(
                parameter,
                format!("{parameter} is missing: it is required for a push factor"),
            )
        };
        if self.binding_public_key.is_none() {
            return Err(missing("binding_public_key"));
        }
        if self.app_id.is_none() {
            return Err(missing("app_id"));
        }
        let Some(platform) = &self.notification_platform else {
            return Err(missing("notification_platform"));
        };
        if platform.as_str() != NotificationPlatform::None.as_str()
            && self.notification_token.is_none()
        {
            return Err(InvalidInput::new(
                "notification_token",
                format!(
                    "notification_token is missing: it is required for a push factor on {platform}"
                ),
            ));
        }
        Ok(())
    }

    /// The `application/x-www-form-urlencoded` body, in the spec's order. Call after
    /// [`validate`](CreateFactor::validate).
    pub(crate) fn to_form(&self) -> String {
        let metadata = self
            .metadata
            .as_ref()
            .and_then(|m| rules::json_map("metadata", m).ok());
        Form::new()
            .text("FriendlyName", &self.friendly_name)
            .text("FactorType", self.factor_type.as_str())
            .opt("Binding.Alg", self.binding_alg.as_deref())
            .opt("Binding.PublicKey", self.binding_public_key.as_deref())
            .opt("Config.AppId", self.app_id.as_deref())
            .opt_display(
                "Config.NotificationPlatform",
                self.notification_platform.as_ref(),
            )
            .opt(
                "Config.NotificationToken",
                self.notification_token.as_ref().map(Secret::expose_secret),
            )
            .opt("Config.SdkVersion", self.sdk_version.as_deref())
            .opt(
                "Binding.Secret",
                self.binding_secret.as_ref().map(Secret::expose_secret),
            )
            .opt_display("Config.TimeStep", self.time_step)
            .opt_display("Config.Skew", self.skew)
            .opt_display("Config.CodeLength", self.code_length)
            .opt_display("Config.Alg", self.algorithm.as_ref())
            .opt("Metadata", metadata)
            .finish()
    }
}
