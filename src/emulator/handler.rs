//! One request, in Twilio's order: record it, authenticate it, apply a fault, then route it.

use std::fmt;

use hyper::Method;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap};

use super::auth;
use super::faults::Fault;
use super::responses::{self, Reply};
use super::routes;
use super::state::{RecordedRequest, State};

/// A request whose body has been read.
pub(crate) struct Received {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// The service's error: hyper closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Answers `request`, or drops the connection.
///
/// # Errors
/// [`Dropped`] when a [`Fault::DropConnection`] applies.
pub(crate) async fn handle(state: &State, request: Received) -> Result<Reply, Dropped> {
    let authorization = request
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let form = form_fields(&request.headers, &request.body);
    state.record(RecordedRequest {
        method: request.method.to_string(),
        path: request.path.clone(),
        form: form.clone(),
        username: auth::username(authorization),
    });
    if !auth::is_authorized(authorization, &state.account_sid, &state.auth_token) {
        return Ok(responses::unauthorized());
    }
    match state.next_fault() {
        Some(Fault::Status {
            status,
            code,
            retry_after,
        }) => return Ok(responses::fault(status, code, retry_after)),
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::DropConnection) => return Err(Dropped),
        None => {}
    }
    Ok(routes::answer(state, &request.method, &request.path, &form))
}

/// The decoded fields of an `application/x-www-form-urlencoded` body; none for another type.
fn form_fields(headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let is_form = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return Vec::new();
    }
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}
