//! `factors create|list|fetch|update|verify|delete`.

use clap::Subcommand;
use serde_json::json;
use twilio_verify::{
    CreateFactor, Factor, FactorBinding, FactorConfig, FactorType, NewFactor, NotificationPlatform,
    Secret, TotpAlgorithm, UpdateFactor,
};

use crate::exit::Failure;
use crate::output::{Cell, Record, Row, date, text};
use crate::{Context, EntityScope, Paging, key_value};

/// `factors`: its service, identity and operation.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: EntityScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Create a factor (a TOTP app, or a push device with its own key pair)
    Create(Box<Create>),
    /// List the entity's factors
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Fetch a factor
    Fetch {
        /// The factor's SID (YF…)
        #[arg(long, value_name = "YF…")]
        sid: String,
    },
    /// Update a factor's settings, or verify it with --auth-payload
    Update(Box<Update>),
    /// Verify a new factor with a code from it (TOTP) or its signed payload (push)
    Verify {
        /// The factor's SID (YF…)
        #[arg(long, value_name = "YF…")]
        sid: String,
        /// The code (TOTP: 3 to 8 digits)
        #[arg(long)]
        code: String,
    },
    /// Delete a factor
    Delete {
        /// The factor's SID (YF…)
        #[arg(long, value_name = "YF…")]
        sid: String,
    },
}

#[derive(clap::Args)]
struct Create {
    /// `totp` or `push`
    #[arg(long = "type", value_name = "TYPE")]
    factor_type: FactorType,
    /// Its name: the device's name, or for TOTP the account name the app shows
    #[arg(long, value_name = "NAME")]
    friendly_name: String,
    /// TOTP: the shared secret, base32 (Twilio makes one when absent)
    #[arg(long, value_name = "BASE32")]
    binding_secret: Option<String>,
    /// TOTP: seconds per code (20 to 60)
    #[arg(long, value_name = "SECONDS")]
    time_step: Option<u32>,
    /// TOTP: time steps accepted before and after now (0 to 2)
    #[arg(long, value_name = "STEPS")]
    skew: Option<u32>,
    /// TOTP: digits per code (3 to 8)
    #[arg(long, value_name = "DIGITS")]
    code_length: Option<u32>,
    /// TOTP: sha1, sha256 or sha512
    #[arg(long, value_name = "ALG")]
    algorithm: Option<TotpAlgorithm>,
    /// Push: the device's ECDSA P-256 public key, base64 of its DER encoding
    #[arg(long, value_name = "BASE64")]
    binding_public_key: Option<String>,
    /// Push: the key's algorithm (default ES256)
    #[arg(long, value_name = "ALG")]
    binding_alg: Option<String>,
    /// Push: the app's store ID (com.example.myapp)
    #[arg(long, value_name = "ID")]
    app_id: Option<String>,
    /// Push: apn, fcm or none
    #[arg(long, value_name = "PLATFORM")]
    notification_platform: Option<NotificationPlatform>,
    /// Push: the APNs device token or FCM registration token
    #[arg(long, value_name = "TOKEN")]
    notification_token: Option<String>,
    /// Push: the Verify Push SDK version
    #[arg(long, value_name = "VERSION")]
    sdk_version: Option<String>,
    /// Device information, KEY=VALUE (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = key_value)]
    metadata: Vec<(String, String)>,
}

#[derive(clap::Args)]
struct Update {
    /// The factor's SID (YF…)
    #[arg(long, value_name = "YF…")]
    sid: String,
    /// A code or signed payload: verifies the factor
    #[arg(long, value_name = "PAYLOAD")]
    auth_payload: Option<String>,
    /// A new name
    #[arg(long, value_name = "NAME")]
    friendly_name: Option<String>,
    /// Push: a new APNs/FCM token
    #[arg(long, value_name = "TOKEN")]
    notification_token: Option<String>,
    /// Push: the Verify Push SDK version
    #[arg(long, value_name = "VERSION")]
    sdk_version: Option<String>,
    /// Push: apn, fcm or none
    #[arg(long, value_name = "PLATFORM")]
    notification_platform: Option<NotificationPlatform>,
    /// TOTP: seconds per code
    #[arg(long, value_name = "SECONDS")]
    time_step: Option<u32>,
    /// TOTP: time steps accepted before and after now
    #[arg(long, value_name = "STEPS")]
    skew: Option<u32>,
    /// TOTP: digits per code
    #[arg(long, value_name = "DIGITS")]
    code_length: Option<u32>,
    /// TOTP: sha1, sha256 or sha512
    #[arg(long, value_name = "ALG")]
    algorithm: Option<TotpAlgorithm>,
}

/// Runs `factors …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    let (service, identity) = args.scope.resolve(context)?;
    let factors = context.client()?.factors(service, identity)?;
    let out = &context.out;
    match &args.op {
        Op::Create(create) => out.record(&factors.create(&create.params())?),
        Op::List { paging } => out.list(paging.apply(factors.list()), "factors"),
        Op::Fetch { sid } => out.record(&factors.fetch(sid)?),
        Op::Update(update) => out.record(&factors.update(&update.sid, &update.params())?),
        Op::Verify { sid, code } => out.record(&factors.verify(sid, code)?),
        Op::Delete { sid } => {
            factors.delete(sid)?;
            out.message(
                json!({ "deleted": true, "sid": sid }),
                &[format!("deleted factor {sid}")],
            );
            Ok(())
        }
    }
}

impl Create {
    fn params(&self) -> CreateFactor {
        let mut params = CreateFactor::new(&self.friendly_name, self.factor_type.clone());
        let alg = match (&self.binding_alg, &self.factor_type) {
            (Some(alg), _) => Some(alg.as_str()),
            (None, FactorType::Push) => Some("ES256"),
            (None, _) => None,
        };
        if let Some(alg) = alg {
            params = params.binding_alg(alg);
        }
        if let Some(v) = &self.binding_secret {
            params = params.binding_secret(v);
        }
        if let Some(v) = self.time_step {
            params = params.time_step(v);
        }
        if let Some(v) = self.skew {
            params = params.skew(v);
        }
        if let Some(v) = self.code_length {
            params = params.code_length(v);
        }
        if let Some(v) = &self.algorithm {
            params = params.algorithm(v.clone());
        }
        if let Some(v) = &self.binding_public_key {
            params = params.binding_public_key(v);
        }
        if let Some(v) = &self.app_id {
            params = params.app_id(v);
        }
        if let Some(v) = &self.notification_platform {
            params = params.notification_platform(v.clone());
        }
        if let Some(v) = &self.notification_token {
            params = params.notification_token(v);
        }
        if let Some(v) = &self.sdk_version {
            params = params.sdk_version(v);
        }
        if !self.metadata.is_empty() {
            params = params.metadata(self.metadata.iter().cloned());
        }
        params
    }
}

impl Update {
    fn params(&self) -> UpdateFactor {
        let mut params = UpdateFactor::new();
        if let Some(v) = &self.auth_payload {
            params = params.auth_payload(v);
        }
        if let Some(v) = &self.friendly_name {
            params = params.friendly_name(v);
        }
        if let Some(v) = &self.notification_token {
            params = params.notification_token(v);
        }
        if let Some(v) = &self.sdk_version {
            params = params.sdk_version(v);
        }
        if let Some(v) = &self.notification_platform {
            params = params.notification_platform(v.clone());
        }
        if let Some(v) = self.time_step {
            params = params.time_step(v);
        }
        if let Some(v) = self.skew {
            params = params.skew(v);
        }
        if let Some(v) = self.code_length {
            params = params.code_length(v);
        }
        if let Some(v) = &self.algorithm {
            params = params.algorithm(v.clone());
        }
        params
    }
}

/// The rows every factor shows, before its binding (a new factor's) and config.
fn head<'a>(
    sid: &dyn ToString,
    identity: &str,
    factor_type: &FactorType,
    status: &dyn ToString,
    friendly_name: &Option<String>,
    created: std::time::SystemTime,
    updated: std::time::SystemTime,
) -> Vec<Row<'a>> {
    let mut rows = vec![
        text("sid", sid.to_string()),
        text("identity", identity),
        text("type", factor_type),
        text("status", status.to_string()),
    ];
    if let Some(name) = friendly_name {
        rows.push(text("friendly name", name));
    }
    rows.push(text("created", date(created)));
    rows.push(text("updated", date(updated)));
    rows
}

fn binding_rows(binding: &FactorBinding) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    if let Some(secret) = &binding.secret {
        rows.push(("secret", Cell::Secret(secret)));
    }
    if let Some(uri) = &binding.uri {
        rows.push(("uri", Cell::Secret(uri)));
    }
    if let Some(key) = &binding.public_key {
        rows.push(text("public key", key));
    }
    if let Some(alg) = &binding.alg {
        rows.push(text("key alg", alg));
    }
    rows
}

fn config_rows(config: &FactorConfig) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    let mut add = |label, value: Option<String>| {
        if let Some(value) = value {
            rows.push(text(label, value));
        }
    };
    add("app id", config.app_id.clone());
    add("sdk version", config.sdk_version.clone());
    add(
        "platform",
        config.notification_platform.as_ref().map(|p| p.to_string()),
    );
    add("time step", config.time_step.map(|s| format!("{s} s")));
    add("skew", config.skew.map(|s| s.to_string()));
    add("code length", config.code_length.map(|s| s.to_string()));
    add("algorithm", config.alg.as_ref().map(|a| a.to_string()));
    if let Some(token) = &config.notification_token {
        rows.push(("push token", Cell::Secret(token)));
    }
    rows
}

fn config_secrets(config: &Option<FactorConfig>) -> Vec<(&'static str, &Secret)> {
    config
        .as_ref()
        .and_then(|c| c.notification_token.as_ref())
        .map(|token| ("/config/notification_token", token))
        .into_iter()
        .collect()
}

impl Record for Factor {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = head(
            &self.sid,
            &self.identity,
            &self.factor_type,
            &self.status,
            &self.friendly_name,
            self.date_created,
            self.date_updated,
        );
        if let Some(config) = &self.config {
            rows.extend(config_rows(config));
        }
        rows
    }

    fn line(&self) -> String {
        let name = self.friendly_name.as_deref().unwrap_or("");
        format!(
            "{}  {}  {}  {name}",
            self.sid, self.factor_type, self.status
        )
    }

    fn secrets(&self) -> Vec<(&'static str, &Secret)> {
        config_secrets(&self.config)
    }
}

impl Record for NewFactor {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = head(
            &self.sid,
            &self.identity,
            &self.factor_type,
            &self.status,
            &self.friendly_name,
            self.date_created,
            self.date_updated,
        );
        if let Some(binding) = &self.binding {
            rows.extend(binding_rows(binding));
        }
        if let Some(config) = &self.config {
            rows.extend(config_rows(config));
        }
        rows
    }

    fn line(&self) -> String {
        format!("{}  {}  {}", self.sid, self.factor_type, self.status)
    }

    fn secrets(&self) -> Vec<(&'static str, &Secret)> {
        let mut secrets = config_secrets(&self.config);
        if let Some(binding) = &self.binding {
            if let Some(secret) = &binding.secret {
                secrets.push(("/binding/secret", secret));
            }
            if let Some(uri) = &binding.uri {
                secrets.push(("/binding/uri", uri));
            }
        }
        secrets
    }
}
