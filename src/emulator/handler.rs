//! One request, in Twilio's order: record it, authenticate it, apply a fault, then route it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hyper::Method;
use hyper::header::{AUTHORIZATION, CONNECTION, CONTENT_TYPE, HeaderMap, HeaderValue};

use super::api::Call;
use super::api::fields::Fields;
use super::auth;
use super::faults::Fault;
use super::responses::{self, Reply};
use super::routes;
use super::state::{RecordedRequest, State};

/// A request whose body has been read (or found too large to keep).
pub(crate) struct Received {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The query string (without `?`), empty when there is none.
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    /// The body; empty when it was too large.
    pub(crate) body: Vec<u8>,
    /// The body was over `limit` bytes, the largest the emulator keeps.
    pub(crate) too_large: Option<TooLarge>,
}

/// A body over the emulator's limit.
pub(crate) struct TooLarge {
    /// The limit, in bytes.
    pub(crate) limit: usize,
    /// Whether the whole body was read (and thrown away): if not, the connection is closed after
    /// the answer.
    pub(crate) drained: bool,
}

/// A [`Fault::Delay`] longer than this never ends: the request waits until its connection or
/// the emulator goes (no timer is set, so no deadline can overflow).
const LONGEST_DELAY: Duration = Duration::from_secs(365 * 24 * 3600);

/// The service's error: hyper closes the connection without answering.
#[derive(Debug)]
pub(crate) struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Answers `request`, or drops the connection; a too-large body is answered `413` before
/// authentication.
///
/// # Errors
/// [`Dropped`] when a [`Fault::DropConnection`] applies.
pub(crate) async fn handle(state: &Arc<State>, request: Received) -> Result<Reply, Dropped> {
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
        body_too_large: request.too_large.is_some(),
    });
    if let Some(too_large) = request.too_large {
        let mut reply = responses::payload_too_large(too_large.limit);
        if !too_large.drained {
            reply
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        return Ok(reply);
    }
    let authorized = authorization
        .and_then(auth::basic)
        .is_some_and(|(user, password)| state.accepts(&user, &password));
    if !authorized {
        return Ok(responses::unauthorized());
    }
    match state.next_fault() {
        Some(Fault::Status {
            status,
            code,
            retry_after,
        }) => return Ok(responses::fault(status, code, retry_after)),
        Some(Fault::Delay(delay)) if delay > LONGEST_DELAY => std::future::pending().await,
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::DropConnection) => return Err(Dropped),
        None => {}
    }
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(&request.query).unwrap_or_default();
    let call = Call {
        state,
        path: &request.path,
        query: &query,
        form: Fields(&form),
        now: state.clock.now(),
    };
    Ok(routes::answer(&call, &request.method))
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
