//! `phone …`: the simulated phone of a running `twilio-verify emulator`, over the emulator's
//! own HTTP API (`/emulator/v1/…`, beside Twilio's paths, with the same credentials).
//!
//! `phone enroll` plays the Verify Push SDK with an access token's JWT; `challenges`, `approve`
//! and `deny` act on that factor's pending challenges; `totp` prints a TOTP factor's current
//! code; `advance` moves the emulator's clock. Requests go through ureq, with the Basic
//! credentials of the environment and `--base-url` (required: Twilio has no such paths).

use std::io::Read;
use std::time::Duration;

use base64::Engine as _;
use clap::Subcommand;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use twilio_verify::{ChallengeSid, Credentials, Factor, FactorSid};

use crate::exit::Failure;
use crate::output::{Record, Row, text};
use crate::{Context, EntityScope};

/// `phone`: its service (and identity) and action.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: EntityScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Enroll and verify a push factor with an access token's JWT, as the app would
    Enroll {
        /// The JWT of `access-tokens create --show-secrets`, or `-` to read it from stdin
        #[arg(long = "token", value_name = "JWT", id = "token")]
        token: Option<String>,
        /// The same, given without `--token` (accepted so that a JWT typed in the wrong place
        /// is not echoed back in a usage error)
        #[arg(
            value_name = "JWT",
            conflicts_with = "token",
            required_unless_present = "token",
            hide = true
        )]
        positional: Option<String>,
    },
    /// List the pending challenges of the phone's factor
    Challenges {
        /// The phone's factor (YF…)
        #[arg(long, value_name = "YF…")]
        factor: String,
    },
    /// Approve a pending challenge on the phone
    Approve {
        /// The phone's factor (YF…)
        #[arg(long, value_name = "YF…")]
        factor: String,
        /// The challenge (YC…)
        #[arg(long, value_name = "YC…")]
        challenge: String,
    },
    /// Deny a pending challenge on the phone
    Deny {
        /// The phone's factor (YF…)
        #[arg(long, value_name = "YF…")]
        factor: String,
        /// The challenge (YC…)
        #[arg(long, value_name = "YC…")]
        challenge: String,
    },
    /// Print the current code of a TOTP factor, as an authenticator app would show it
    Totp {
        /// The TOTP factor (YF…)
        #[arg(long, value_name = "YF…")]
        factor: String,
    },
    /// Move the emulator's clock forward (0 just prints it)
    Advance {
        /// How far, in whole seconds
        #[arg(long, value_name = "N")]
        seconds: u64,
    },
}

/// Runs `phone …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    if context.base_url().is_none() {
        return Err(Failure::Usage(
            "--base-url <URL> of a running `twilio-verify emulator` is required for `phone`".into(),
        ));
    }
    let api = Api::new(context)?;
    let out = &context.out;
    // The factor's path below the service, after checking identity and SIDs (nothing sent).
    let factor_path = |factor: &str| -> Result<String, Failure> {
        let (service, identity) = args.scope.resolve(context)?;
        let factors = api.client.factors(&service, &identity)?;
        let factor: FactorSid = factor.parse()?;
        let service = factors.service_sid();
        Ok(format!(
            "/emulator/v1/Services/{service}/Entities/{identity}/Factors/{factor}"
        ))
    };
    match &args.op {
        Op::Enroll { token, positional } => {
            let token = token.as_deref().or(positional.as_deref()).unwrap_or("-");
            let service = context.service(args.scope.service.as_deref())?;
            // Checks the service SID before anything is sent.
            let service = api.client.entities(&service)?.service_sid().clone();
            let jwt = read_token(token)?;
            let body = api.post(
                &format!("/emulator/v1/Services/{service}/Phone"),
                &[("Token", jwt.as_str())],
            )?;
            out.record(&decode::<Factor>(body)?)
        }
        Op::Challenges { factor } => {
            let path = factor_path(factor)?;
            let body = api.get(&format!("{path}/Challenges"))?;
            let pending: PendingList = decode(body)?;
            out.list(pending.challenges.into_iter().map(Ok), "pending challenges")
        }
        Op::Approve { factor, challenge } | Op::Deny { factor, challenge } => {
            let path = factor_path(factor)?;
            let challenge: ChallengeSid = challenge.parse()?;
            let action = match &args.op {
                Op::Approve { .. } => "Approve",
                _ => "Deny",
            };
            let body = api.post(&format!("{path}/Challenges/{challenge}/{action}"), &[])?;
            let status = body["status"].as_str().unwrap_or("").to_owned();
            out.message(body, &[format!("challenge {challenge} {status}")]);
            Ok(())
        }
        Op::Totp { factor } => {
            let path = factor_path(factor)?;
            let body = api.get(&format!("{path}/TotpCode"))?;
            let code = body["code"].as_str().unwrap_or("").to_owned();
            out.message(body, &[code]);
            Ok(())
        }
        Op::Advance { seconds } => {
            let seconds = seconds.to_string();
            let body = api.post("/emulator/v1/Clock", &[("Advance", seconds.as_str())])?;
            let now = body["now"].as_str().unwrap_or("").to_owned();
            out.message(body, &[format!("now {now}")]);
            Ok(())
        }
    }
}

/// `--token`, or stdin's first line for `-`.
fn read_token(token: &str) -> Result<String, Failure> {
    if token != "-" {
        return Ok(token.to_owned());
    }
    let mut input = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut input)
        .map_err(|e| Failure::Failed(format!("could not read the token from stdin: {e}")))?;
    Ok(input.trim().to_owned())
}

fn decode<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, Failure> {
    serde_json::from_value(body)
        .map_err(|e| Failure::Failed(format!("the emulator's answer did not decode: {e}")))
}

/// The emulator's HTTP API, reached with ureq.
struct Api {
    client: twilio_verify::VerifyClient,
    agent: ureq::Agent,
    authorization: String,
}

impl Api {
    fn new(context: &Context) -> Result<Self, Failure> {
        let client = context.client()?;
        let (user, password) = match client.credentials() {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => (
                account_sid.to_string(),
                auth_token.expose_secret().to_owned(),
            ),
            Credentials::ApiKey {
                api_key_sid,
                api_secret,
                ..
            } => (
                api_key_sid.to_string(),
                api_secret.expose_secret().to_owned(),
            ),
            _ => return Err(Failure::Failed("unsupported credentials".into())),
        };
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Ok(Api {
            client,
            agent,
            authorization: format!("Basic {basic}"),
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.client.base_url())
    }

    fn get(&self, path: &str) -> Result<Value, Failure> {
        let answer = self
            .agent
            .get(self.url(path))
            .header("Authorization", &self.authorization)
            .call();
        self.read(answer)
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<Value, Failure> {
        let answer = self
            .agent
            .post(self.url(path))
            .header("Authorization", &self.authorization)
            .send_form(form.iter().copied());
        self.read(answer)
    }

    /// The JSON of a 2xx answer, or a one-line error naming Twilio-style code and request id.
    fn read(
        &self,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Value, Failure> {
        let base = self.client.base_url();
        let mut response = answer
            .map_err(|e| Failure::Failed(format!("could not reach the emulator at {base}: {e}")))?;
        let status = response.status().as_u16();
        let request = response
            .headers()
            .get("Twilio-Request-Id")
            .and_then(|v| v.to_str().ok())
            .map(|id| format!(" [request {id}]"))
            .unwrap_or_default();
        let body = response
            .body_mut()
            .with_config()
            .limit(1024 * 1024)
            .read_to_string()
            .map_err(|e| Failure::Failed(format!("could not read the emulator's answer: {e}")))?;
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        if (200..300).contains(&status) {
            return Ok(json);
        }
        let code = json["code"]
            .as_u64()
            .map(|c| format!(" with error {c}"))
            .unwrap_or_default();
        let message = json["message"].as_str().unwrap_or("(no message)");
        let more = json["more_info"]
            .as_str()
            .map(|m| format!(" (see {m})"))
            .unwrap_or_default();
        Err(Failure::Failed(format!(
            "the emulator answered HTTP {status}{code}: {message}{more}{request}"
        )))
    }
}

/// The pending challenges of `GET …/Factors/{YF}/Challenges`.
#[derive(Deserialize)]
struct PendingList {
    challenges: Vec<Pending>,
}

/// One pending challenge as the phone shows it.
#[derive(Deserialize, Serialize)]
struct Pending {
    sid: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    fields: Vec<Field>,
    date_created: String,
    expiration_date: String,
}

#[derive(Deserialize, Serialize)]
struct Field {
    label: String,
    value: String,
}

impl Record for Pending {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = vec![text("sid", &self.sid)];
        if let Some(message) = &self.message {
            rows.push(text("message", message));
        }
        for field in &self.fields {
            rows.push(text("field", format!("{}: {}", field.label, field.value)));
        }
        rows.push(text("created", &self.date_created));
        rows.push(text("expires", &self.expiration_date));
        rows
    }

    fn line(&self) -> String {
        let mut line = format!(
            "{}  expires {}  {}",
            self.sid,
            self.expiration_date,
            self.message.as_deref().unwrap_or("")
        );
        for field in &self.fields {
            line.push_str(&format!("  [{}: {}]", field.label, field.value));
        }
        line
    }
}
