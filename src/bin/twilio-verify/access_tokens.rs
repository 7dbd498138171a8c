//! `access-tokens create|fetch`.

use clap::Subcommand;
use twilio_verify::{AccessToken, CreateAccessToken, FactorType, Secret};

use crate::exit::Failure;
use crate::output::{Cell, Record, Row, date, text};
use crate::{Context, ServiceScope};

/// `access-tokens`: its service and operation.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: ServiceScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Create an access token for an identity
    Create {
        /// Your identifier for the user (immutable, not PII): 8 to 64 ASCII letters and digits
        /// in groups separated by single dashes, like a UUID
        #[arg(long)]
        identity: String,
        /// The type of factor it enrolls (only `push` today)
        #[arg(long, value_name = "TYPE", default_value = "push")]
        factor_type: FactorType,
        /// How long the token is valid, in seconds (60 to 300; Twilio's default is 60)
        #[arg(long, value_name = "SECONDS")]
        ttl: Option<u32>,
        /// A name for the factor, such as the device's name (up to 64 characters)
        #[arg(long, value_name = "NAME")]
        friendly_name: Option<String>,
    },
    /// Fetch an access token by its SID
    Fetch {
        /// The access token's SID (YK…)
        #[arg(long, value_name = "YK…")]
        sid: String,
    },
}

/// Runs `access-tokens …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    let service = context.service(args.scope.service.as_deref())?;
    let tokens = context.client()?.access_tokens(service)?;
    let token = match &args.op {
        Op::Create {
            identity,
            factor_type,
            ttl,
            friendly_name,
        } => {
            let mut params = CreateAccessToken::new(identity, factor_type.clone());
            if let Some(ttl) = ttl {
                params = params.ttl(*ttl);
            }
            if let Some(name) = friendly_name {
                params = params.factor_friendly_name(name);
            }
            tokens.create(&params)?
        }
        Op::Fetch { sid } => tokens.fetch(sid)?,
    };
    context.out.record(&token)
}

impl Record for AccessToken {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = vec![
            text("sid", &self.sid),
            text("service", &self.service_sid),
            text("identity", &self.entity_identity),
            text("factor type", &self.factor_type),
        ];
        if let Some(name) = &self.factor_friendly_name {
            rows.push(text("friendly name", name));
        }
        rows.push(text("ttl", format!("{} s", self.ttl)));
        rows.push(text("created", date(self.date_created)));
        rows.push(("token", Cell::Secret(&self.token)));
        rows
    }

    fn line(&self) -> String {
        format!(
            "{}  {}  {}",
            self.sid, self.entity_identity, self.factor_type
        )
    }

    fn secrets(&self) -> Vec<(&'static str, &Secret)> {
        vec![("/token", &self.token)]
    }
}
