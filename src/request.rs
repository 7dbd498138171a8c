//! The one request path that create and fetch share: send, read, retry, decode.

use std::thread;
use std::time::Instant;

use ureq::Body;
use ureq::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use ureq::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};

use crate::client::VerifyClient;
use crate::error::{ApiError, Error, TransportError, TransportKind};
use crate::error_body::api_error;
use crate::model::AccessToken;
use crate::retry::parse_retry_after;

/// The largest answer body read, in bytes.
pub(crate) const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// The header Twilio names each request with.
static REQUEST_ID: HeaderName = HeaderName::from_static("twilio-request-id");

/// The body type of a create.
static FORM: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");

/// One operation: its method, full URL and form body.
pub(crate) enum Call<'a> {
    /// `POST` with a form body: not idempotent.
    Create { url: &'a str, form: &'a str },
    /// `GET`: idempotent.
    Fetch { url: &'a str },
}

impl Call<'_> {
    fn method(&self) -> &'static str {
        match self {
            Call::Create { .. } => "POST",
            Call::Fetch { .. } => "GET",
        }
    }

    fn url(&self) -> &str {
        match self {
            Call::Create { url, .. } | Call::Fetch { url } => url,
        }
    }

    fn is_idempotent(&self) -> bool {
        matches!(self, Call::Fetch { .. })
    }

    /// Whether a non-2xx status may be retried.
    fn retries_status(&self, status: u16) -> bool {
        status == 429 || (self.is_idempotent() && matches!(status, 500 | 502 | 503 | 504))
    }

    /// Whether a transport failure may be retried: for a `POST` only when nothing was sent.
    fn retries_transport(&self, error: &ureq::Error) -> bool {
        use std::io::ErrorKind;
        match TransportKind::of(error) {
            // A certificate or TLS mismatch is the same on the next attempt.
            TransportKind::Tls => return false,
            // No address, so nothing was sent.
            TransportKind::Dns => return true,
            _ => {}
        }
        let before_sending = match error {
            ureq::Error::Io(e) => e.kind() == ErrorKind::ConnectionRefused,
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => true,
            // No connection to Twilio was made: not found, or the proxy refused the tunnel.
            ureq::Error::HostNotFound
            | ureq::Error::ConnectionFailed
            | ureq::Error::ConnectProxyFailed(_) => true,
            _ => false,
        };
        before_sending
            || (self.is_idempotent()
                && matches!(
                    error,
                    ureq::Error::Io(_)
                        | ureq::Error::Timeout(_)
                        | ureq::Error::BodyStalled
                        | ureq::Error::Protocol(_)
                ))
    }
}

/// A failed attempt, and the delay the server asked for before another.
enum Failure {
    Api(Box<ApiError>),
    Transport(ureq::Error),
}

impl VerifyClient {
    /// Sends `call`, retrying as the policy and the call's safety allow, and decodes the answer.
    pub(crate) fn execute(&self, call: &Call<'_>) -> Result<AccessToken, Error> {
        let policy = self.inner.retry_policy;
        let mut attempt = 1;
        loop {
            let failure = match self.attempt(call) {
                Ok(answer) => {
                    return AccessToken::decode(&answer.body, answer.status.as_u16(), || {
                        request_id(&answer.headers)
                    })
                    .map_err(Error::Decode);
                }
                Err(failure) => failure,
            };
            let (retryable, retry_after) = match &failure {
                Failure::Api(e) => (call.retries_status(e.status), e.retry_after),
                Failure::Transport(e) => (call.retries_transport(e), None),
            };
            let delay = retryable
                .then(|| policy.delay(attempt, retry_after))
                .flatten();
            let Some(delay) = delay else {
                return Err(match failure {
                    Failure::Api(mut e) => {
                        e.attempts = attempt;
                        Error::Api(e)
                    }
                    Failure::Transport(e) => Error::Transport(TransportError::new(e, attempt)),
                });
            };
            let reason = match &failure {
                Failure::Api(e) => format!("HTTP {}", e.status),
                Failure::Transport(e) => format!("transport error ({e})"),
            };
            log::warn!(
                "{} {}: {reason} on attempt {attempt} of {}; retrying in {delay:?}",
                call.method(),
                self.path_of(call),
                policy.attempts(),
            );
            thread::sleep(delay);
            attempt += 1;
        }
    }

    /// The path of `call`'s URL below the base URL, for log lines.
    fn path_of<'a>(&self, call: &'a Call<'_>) -> &'a str {
        let url = call.url();
        url.get(self.inner.base_url.len()..).unwrap_or(url)
    }

    /// One attempt: a 2xx answer, or why it failed.
    fn attempt(&self, call: &Call<'_>) -> Result<Answer, Failure> {
        let inner = &self.inner;
        // The clock is read only when the request log is on.
        let started = log::log_enabled!(log::Level::Debug).then(Instant::now);
        let sent = match call {
            Call::Create { url, form } => inner
                .agent
                .post(*url)
                .header(AUTHORIZATION, inner.authorization.clone())
                .header(CONTENT_TYPE, FORM.clone())
                .send(*form),
            Call::Fetch { url } => inner
                .agent
                .get(*url)
                .header(AUTHORIZATION, inner.authorization.clone())
                .call(),
        };
        let answer = sent.and_then(read);
        if let Some(started) = started {
            let path = self.path_of(call);
            match &answer {
                Ok(a) => log::debug!(
                    "{} {path} -> {} in {:?} (request {})",
                    call.method(),
                    a.status.as_u16(),
                    started.elapsed(),
                    request_id(&a.headers).as_deref().unwrap_or("-"),
                ),
                Err(e) => log::debug!(
                    "{} {path} failed after {:?}: {e}",
                    call.method(),
                    started.elapsed()
                ),
            }
        }
        let answer = answer.map_err(Failure::Transport)?;
        if answer.status.is_success() {
            return Ok(answer);
        }
        let retry_after = header(&answer.headers, &RETRY_AFTER).and_then(parse_retry_after);
        Err(Failure::Api(Box::new(api_error(
            answer.status.as_u16(),
            &answer.body,
            request_id(&answer.headers),
            retry_after,
        ))))
    }
}

/// An answer read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// Reads the whole body (bounded), so the connection goes back to the pool.
fn read(response: Response<Body>) -> Result<Answer, ureq::Error> {
    let (parts, mut body) = response.into_parts();
    let body = body.with_config().limit(MAX_BODY_BYTES).read_to_vec()?;
    Ok(Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

fn header<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    header(headers, &REQUEST_ID).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::Call;

    #[test]
    fn create_retries_only_429_and_fetch_also_5xx() {
        let create = Call::Create { url: "/", form: "" };
        let fetch = Call::Fetch { url: "/" };
        for status in [400, 401, 404, 500, 502, 503, 504] {
            assert!(!create.retries_status(status), "{status}");
        }
        assert!(create.retries_status(429));
        for status in [429, 500, 502, 503, 504] {
            assert!(fetch.retries_status(status), "{status}");
        }
        for status in [400, 401, 404, 501] {
            assert!(!fetch.retries_status(status), "{status}");
        }
    }

    #[test]
    fn create_retries_only_failures_before_sending() {
        use std::io::{Error, ErrorKind};
        let create = Call::Create { url: "/", form: "" };
        let fetch = Call::Fetch { url: "/" };
        let refused = || ureq::Error::Io(Error::from(ErrorKind::ConnectionRefused));
        let reset = || ureq::Error::Io(Error::from(ErrorKind::ConnectionReset));
        assert!(create.retries_transport(&refused()));
        assert!(create.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Connect)));
        assert!(create.retries_transport(&ureq::Error::ConnectProxyFailed("403".into())));
        assert!(!create.retries_transport(&reset()));
        assert!(!create.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Global)));
        assert!(fetch.retries_transport(&reset()));
        assert!(fetch.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Global)));
        assert!(!fetch.retries_transport(&ureq::Error::BodyExceedsLimit(1)));
    }

    #[test]
    fn a_dns_failure_is_retried_even_for_create_and_a_tls_failure_never() {
        use std::io::{Error, ErrorKind};
        let create = Call::Create { url: "/", form: "" };
        let fetch = Call::Fetch { url: "/" };
        let dns = || {
            ureq::Error::Other(Box::new(crate::error::NameResolution(Error::other(
                "failed to lookup address information: Name or service not known",
            ))))
        };
        let untrusted = || {
            ureq::Error::Io(Error::new(
                ErrorKind::InvalidData,
                rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
            ))
        };
        assert!(create.retries_transport(&dns()));
        assert!(fetch.retries_transport(&dns()));
        assert!(!create.retries_transport(&untrusted()));
        assert!(!fetch.retries_transport(&untrusted()));
        assert!(!fetch.retries_transport(&ureq::Error::Tls("Rustls invalid dns name error")));
    }
}
