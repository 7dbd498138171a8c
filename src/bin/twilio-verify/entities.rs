//! `entities create|list|fetch|delete`.

use clap::Subcommand;
use serde_json::json;
use twilio_verify::Entity;

use crate::exit::Failure;
use crate::output::{Record, Row, date, text};
use crate::{Context, Paging, ServiceScope};

/// `entities`: its service and operation.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub scope: ServiceScope,
    #[command(subcommand)]
    op: Op,
}

#[derive(Subcommand)]
enum Op {
    /// Create an entity (a user) by its identity
    Create {
        /// Your identifier for the user (8 to 64 letters and digits in dash-separated groups)
        #[arg(long)]
        identity: String,
    },
    /// List the service's entities
    List {
        #[command(flatten)]
        paging: Paging,
    },
    /// Fetch an entity by its identity
    Fetch {
        /// Your identifier for the user
        #[arg(long)]
        identity: String,
    },
    /// Delete an entity and all its factors and challenges
    Delete {
        /// Your identifier for the user
        #[arg(long)]
        identity: String,
    },
}

/// Runs `entities …`.
pub fn run(context: &Context, args: &Args) -> Result<(), Failure> {
    let service = context.service(args.scope.service.as_deref())?;
    let entities = context.client()?.entities(service)?;
    match &args.op {
        Op::Create { identity } => context.out.record(&entities.create(identity)?),
        Op::List { paging } => context.out.list(paging.apply(entities.list()), "entities"),
        Op::Fetch { identity } => context.out.record(&entities.fetch(identity)?),
        Op::Delete { identity } => {
            entities.delete(identity)?;
            context.out.message(
                json!({ "deleted": true, "identity": identity }),
                &[format!("deleted entity {identity}")],
            );
            Ok(())
        }
    }
}

impl Record for Entity {
    fn rows(&self) -> Vec<Row<'_>> {
        vec![
            text("sid", &self.sid),
            text("identity", &self.identity),
            text("service", &self.service_sid),
            text("created", date(self.date_created)),
            text("updated", date(self.date_updated)),
        ]
    }

    fn line(&self) -> String {
        format!(
            "{}  {}  created {}",
            self.sid,
            self.identity,
            date(self.date_created)
        )
    }
}
