//! The handlers of Twilio's operations, one file per resource. Each runs after authentication,
//! faults, route and method; it checks the resource (`404`), then the fields (`400`), then
//! answers from the store.

pub(crate) mod access_tokens;
pub(crate) mod challenges;
pub(crate) mod entities;
pub(crate) mod factors;
pub(crate) mod fields;
pub(crate) mod webhooks;

use std::sync::Arc;
use std::time::SystemTime;

use hyper::StatusCode;
use serde_json::Value;

use super::responses::{self, Reply};
use super::state::State;
use fields::{Fields, Refusal};

/// One authenticated, routed request.
pub(crate) struct Call<'a> {
    pub(crate) state: &'a Arc<State>,
    /// The path as sent, for `404` messages and list URLs.
    pub(crate) path: &'a str,
    /// The decoded query parameters.
    pub(crate) query: &'a [(String, String)],
    pub(crate) form: Fields<'a>,
    /// The emulator clock's time, read once per request.
    pub(crate) now: SystemTime,
}

impl Call<'_> {
    /// `404` for this request's path.
    pub(crate) fn not_found(&self) -> Refusal {
        Refusal::not_found(self.path)
    }

    /// `{base_url}{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.state.base_url)
    }
}

/// What a handler returns: an answer, or a refusal to turn into Twilio's error body.
pub(crate) type Answer = Result<Reply, Refusal>;

/// `200` with `body`.
pub(crate) fn ok(body: &Value) -> Answer {
    Ok(responses::json(StatusCode::OK, body))
}

/// `201` with `body`.
pub(crate) fn created(body: &Value) -> Answer {
    Ok(responses::json(StatusCode::CREATED, body))
}

/// `204` with no body.
pub(crate) fn deleted() -> Answer {
    Ok(responses::no_content())
}
