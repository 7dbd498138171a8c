//! `challenges create|list|fetch|update|notify|wait`.
//!
//! `wait` fetches the challenge every `--interval` until it is no longer pending or
//! `--timeout` runs out, prints it, and exits 0 when it was approved, 3 denied, 4 expired,
//! 5 still pending at the timeout, 6 in a status this version does not know (see
//! [`crate::exit`]).

use std::time::{Duration, Instant};

use clap::Subcommand;
use twilio_verify::{
    Challenge, ChallengeStatus, CreateChallenge, CreateNotification, ListOrder, Notification,
    UpdateChallenge,
};

use crate::exit::{self, Failure};
use crate::output::{Record, Row, date, text};
use crate::{Context, EntityScope, Paging, key_value};

/// `challenges`: its service, identity and operation.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: EntityScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Create a challenge: a push login request, or a TOTP check with --auth-payload
    Create {
        /// The factor to challenge (YF…)
        #[arg(long, value_name = "YF…")]
        factor: String,
        /// The message the push shows (required for push, up to 256 characters)
        #[arg(long)]
        message: Option<String>,
        /// A detail shown with it, LABEL=VALUE (repeatable, in order)
        #[arg(long, value_name = "LABEL=VALUE", value_parser = key_value)]
        field: Vec<(String, String)>,
        /// Context kept from the user, KEY=VALUE (repeatable)
        #[arg(long, value_name = "KEY=VALUE", value_parser = key_value)]
        hidden_detail: Vec<(String, String)>,
        /// TOTP: the code the user typed
        #[arg(long, value_name = "CODE")]
        auth_payload: Option<String>,
        /// Expire it this many seconds from now (up to 3600; Twilio's default is 300)
        #[arg(long, value_name = "SECONDS")]
        expires_in: Option<u64>,
    },
    /// List the entity's challenges
    List {
        /// Only the challenges of this factor (YF…)
        #[arg(long, value_name = "YF…")]
        factor: Option<String>,
        /// Only those in this status: pending, expired, approved or denied
        #[arg(long)]
        status: Option<ChallengeStatus>,
        /// By creation date: asc or desc
        #[arg(long)]
        order: Option<ListOrder>,
        #[command(flatten)]
        paging: Paging,
    },
    /// Fetch a challenge
    Fetch {
        /// The challenge's SID (YC…)
        #[arg(long, value_name = "YC…")]
        sid: String,
    },
    /// Answer a challenge (TOTP: --auth-payload with the code)
    Update {
        /// The challenge's SID (YC…)
        #[arg(long, value_name = "YC…")]
        sid: String,
        /// The code or signed payload
        #[arg(long, value_name = "PAYLOAD")]
        auth_payload: Option<String>,
        /// What the device adds, KEY=VALUE (repeatable)
        #[arg(long, value_name = "KEY=VALUE", value_parser = key_value)]
        metadata: Vec<(String, String)>,
    },
    /// Push a pending challenge to the device again
    Notify {
        /// The challenge's SID (YC…)
        #[arg(long, value_name = "YC…")]
        sid: String,
        /// How long delivery is attempted, in seconds (0 to 300; Twilio's default is 300)
        #[arg(long, value_name = "SECONDS")]
        ttl: Option<u32>,
    },
    /// Wait until a challenge is answered or expires; exit 0 approved, 3 denied, 4 expired,
    /// 5 still pending after --timeout, 6 another status
    Wait {
        /// The challenge's SID (YC…)
        #[arg(long, value_name = "YC…")]
        sid: String,
        /// Give up after this many seconds
        #[arg(long, value_name = "SECONDS", default_value = "300", value_parser = seconds)]
        timeout: Duration,
        /// Fetch it every this many seconds (at least 0.05)
        #[arg(long, value_name = "SECONDS", default_value = "2", value_parser = seconds)]
        interval: Duration,
    },
}

/// Seconds, whole or decimal (`0.5`), as a duration.
fn seconds(raw: &str) -> Result<Duration, String> {
    raw.parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| format!("{raw:?} is not a number of seconds"))
}

/// Runs `challenges …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    let (service, identity) = args.scope.resolve(context)?;
    let challenges = context.client()?.challenges(service, identity)?;
    let out = &context.out;
    match &args.op {
        Op::Create {
            factor,
            message,
            field,
            hidden_detail,
            auth_payload,
            expires_in,
        } => {
            let mut params = CreateChallenge::new(factor);
            if let Some(message) = message {
                params = params.message(message);
            }
            for (label, value) in field {
                params = params.field(label, value);
            }
            for (key, value) in hidden_detail {
                params = params.hidden_detail(key, value);
            }
            if let Some(payload) = auth_payload {
                params = params.auth_payload(payload);
            }
            if let Some(secs) = expires_in {
                params = params.expires_in(Duration::from_secs(*secs));
            }
            out.record(&challenges.create(&params)?)
        }
        Op::List {
            factor,
            status,
            order,
            paging,
        } => {
            let mut list = challenges.list();
            if let Some(factor) = factor {
                list = list.factor_sid(factor);
            }
            if let Some(status) = status {
                list = list.status(status.clone());
            }
            if let Some(order) = order {
                list = list.order(order.clone());
            }
            out.list(paging.apply(list), "challenges")
        }
        Op::Fetch { sid } => out.record(&challenges.fetch(sid)?),
        Op::Update {
            sid,
            auth_payload,
            metadata,
        } => {
            let mut params = UpdateChallenge::new();
            if let Some(payload) = auth_payload {
                params = params.auth_payload(payload);
            }
            if !metadata.is_empty() {
                params = params.metadata(metadata.iter().cloned());
            }
            out.record(&challenges.update(sid, &params)?)
        }
        Op::Notify { sid, ttl } => {
            let mut params = CreateNotification::new();
            if let Some(ttl) = ttl {
                params = params.ttl(*ttl);
            }
            out.record(&challenges.notify(sid, &params)?)
        }
        Op::Wait {
            sid,
            timeout,
            interval,
        } => {
            let interval = (*interval).max(Duration::from_millis(50));
            // A timeout too long for the clock to add is no deadline at all.
            let deadline = Instant::now().checked_add(*timeout);
            let challenge = loop {
                let challenge = challenges.fetch(sid)?;
                let now = Instant::now();
                let timed_out = deadline.is_some_and(|deadline| now >= deadline);
                if challenge.status != ChallengeStatus::Pending || timed_out {
                    break challenge;
                }
                let left = deadline.map_or(interval, |deadline| deadline - now);
                std::thread::sleep(interval.min(left));
            };
            out.record(&challenge)?;
            outcome(&challenge, *timeout)
        }
    }
}

/// The exit of `wait` for the challenge it ended with.
fn outcome(challenge: &Challenge, timeout: Duration) -> Result<(), Failure> {
    let sid = &challenge.sid;
    let (code, message) = match &challenge.status {
        ChallengeStatus::Approved => return Ok(()),
        ChallengeStatus::Denied => (exit::DENIED, format!("challenge {sid} was denied")),
        ChallengeStatus::Expired => (exit::EXPIRED, format!("challenge {sid} expired")),
        ChallengeStatus::Pending => (
            exit::TIMED_OUT,
            format!(
                "challenge {sid} is still pending after {} s",
                timeout.as_secs_f64()
            ),
        ),
        other => (
            exit::UNKNOWN_STATUS,
            format!("challenge {sid} ended in status {other}"),
        ),
    };
    Err(Failure::Wait { message, code })
}

impl Record for Challenge {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = vec![text("sid", &self.sid), text("identity", &self.identity)];
        if let Some(factor) = &self.factor_sid {
            rows.push(text("factor", factor));
        }
        rows.push(text("type", &self.factor_type));
        rows.push(text("status", &self.status));
        if let Some(reason) = &self.responded_reason {
            rows.push(text("reason", reason));
        }
        rows.push(text("created", date(self.date_created)));
        if let Some(when) = self.expiration_date {
            rows.push(text("expires", date(when)));
        }
        if let Some(when) = self.date_responded {
            rows.push(text("responded", date(when)));
        }
        if let Some(details) = &self.details {
            if let Some(message) = &details.message {
                rows.push(text("message", message));
            }
            for field in &details.fields {
                rows.push(text("field", format!("{}: {}", field.label, field.value)));
            }
        }
        for (key, value) in self.hidden_details.iter().flatten() {
            rows.push(text("hidden", format!("{key}={value}")));
        }
        for (key, value) in self.metadata.iter().flatten() {
            rows.push(text("metadata", format!("{key}={value}")));
        }
        rows
    }

    fn line(&self) -> String {
        let factor = self.factor_sid.as_ref().map_or("", |f| f.as_str());
        format!(
            "{}  {}  {}  {factor}  created {}",
            self.sid,
            self.status,
            self.factor_type,
            date(self.date_created)
        )
    }
}

impl Record for Notification {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = vec![text("sid", &self.sid)];
        if let Some(challenge) = &self.challenge_sid {
            rows.push(text("challenge", challenge));
        }
        rows.push(text("identity", &self.identity));
        if let Some(priority) = &self.priority {
            rows.push(text("priority", priority));
        }
        rows.push(text("ttl", format!("{} s", self.ttl)));
        rows.push(text("created", date(self.date_created)));
        rows
    }

    fn line(&self) -> String {
        format!("{}  ttl {} s", self.sid, self.ttl)
    }
}
