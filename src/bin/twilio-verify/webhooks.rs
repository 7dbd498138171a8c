//! `webhooks create|list|fetch|update|delete`.

use clap::Subcommand;
use serde_json::json;
use twilio_verify::{
    CreateWebhook, UpdateWebhook, Webhook, WebhookEvent, WebhookStatus, WebhookVersion,
};

use crate::exit::Failure;
use crate::output::{Record, Row, date, text};
use crate::{Context, Paging, ServiceScope};

/// `webhooks`: its service and operation.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: ServiceScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Create a webhook
    Create {
        /// Your description of it (1 to 64 characters)
        #[arg(long, value_name = "NAME")]
        friendly_name: String,
        /// The http(s) URL Twilio calls
        #[arg(long, value_name = "URL")]
        url: String,
        /// An event it is called on (repeatable): factor.created, factor.verified,
        /// factor.deleted, challenge.approved, challenge.denied, or * for all
        #[arg(long, value_name = "EVENT", required = true)]
        event: Vec<WebhookEvent>,
        /// enabled or disabled (Twilio's default: enabled)
        #[arg(long)]
        status: Option<WebhookStatus>,
        /// The payload version: v1 or v2
        #[arg(long)]
        version: Option<WebhookVersion>,
    },
    /// List the service's webhooks
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Fetch a webhook
    Fetch {
        /// The webhook's SID (YW…)
        #[arg(long, value_name = "YW…")]
        sid: String,
    },
    /// Update a webhook
    Update {
        /// The webhook's SID (YW…)
        #[arg(long, value_name = "YW…")]
        sid: String,
        /// A new description
        #[arg(long, value_name = "NAME")]
        friendly_name: Option<String>,
        /// A new URL
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// The events, replacing the old ones (repeatable)
        #[arg(long, value_name = "EVENT")]
        event: Vec<WebhookEvent>,
        /// enabled or disabled
        #[arg(long)]
        status: Option<WebhookStatus>,
        /// v1 or v2
        #[arg(long)]
        version: Option<WebhookVersion>,
    },
    /// Delete a webhook
    Delete {
        /// The webhook's SID (YW…)
        #[arg(long, value_name = "YW…")]
        sid: String,
    },
}

/// Runs `webhooks …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    let service = context.service(args.scope.service.as_deref())?;
    let webhooks = context.client()?.webhooks(service)?;
    let out = &context.out;
    match &args.op {
        Op::Create {
            friendly_name,
            url,
            event,
            status,
            version,
        } => {
            let mut params = CreateWebhook::new(friendly_name, url, event.iter().cloned());
            if let Some(status) = status {
                params = params.status(status.clone());
            }
            if let Some(version) = version {
                params = params.version(version.clone());
            }
            out.record(&webhooks.create(&params)?)
        }
        Op::List { paging } => out.list(paging.apply(webhooks.list()), "webhooks"),
        Op::Fetch { sid } => out.record(&webhooks.fetch(sid)?),
        Op::Update {
            sid,
            friendly_name,
            url,
            event,
            status,
            version,
        } => {
            let mut params = UpdateWebhook::new();
            if let Some(name) = friendly_name {
                params = params.friendly_name(name);
            }
            if let Some(url) = url {
                params = params.webhook_url(url);
            }
            if !event.is_empty() {
                params = params.event_types(event.iter().cloned());
            }
            if let Some(status) = status {
                params = params.status(status.clone());
            }
            if let Some(version) = version {
                params = params.version(version.clone());
            }
            out.record(&webhooks.update(sid, &params)?)
        }
        Op::Delete { sid } => {
            webhooks.delete(sid)?;
            out.message(
                json!({ "deleted": true, "sid": sid }),
                &[format!("deleted webhook {sid}")],
            );
            Ok(())
        }
    }
}

fn events(hook: &Webhook) -> String {
    let names: Vec<&str> = hook.event_types.iter().map(WebhookEvent::as_str).collect();
    names.join(",")
}

impl Record for Webhook {
    fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = vec![text("sid", &self.sid), text("service", &self.service_sid)];
        if let Some(name) = &self.friendly_name {
            rows.push(text("friendly name", name));
        }
        rows.push(text("status", &self.status));
        rows.push(text("events", events(self)));
        if let Some(url) = &self.webhook_url {
            rows.push(text("url", url));
        }
        if let Some(method) = &self.webhook_method {
            rows.push(text("method", method));
        }
        if let Some(version) = &self.version {
            rows.push(text("version", version));
        }
        rows.push(text("created", date(self.date_created)));
        rows.push(text("updated", date(self.date_updated)));
        rows
    }

    fn line(&self) -> String {
        let url = self.webhook_url.as_deref().unwrap_or("");
        format!("{}  {}  {}  {url}", self.sid, self.status, events(self))
    }
}
