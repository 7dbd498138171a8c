//! The one request path every operation shares: send, read, retry, log.

use std::thread;
use std::time::Instant;

use serde::de::DeserializeOwned;
use ureq::Body;
use ureq::http::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use ureq::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};

use crate::client::VerifyClient;
use crate::error::{ApiError, Error, TransportError, TransportKind};
use crate::transport::decode::decode;
use crate::transport::error_body::api_error;
use crate::transport::retry::parse_retry_after;

/// The largest answer body read, in bytes.
pub(crate) const MAX_BODY_BYTES: u64 = 1024 * 1024;

/// The header Twilio names each request with.
static REQUEST_ID: HeaderName = HeaderName::from_static("twilio-request-id");

/// The body type of a `POST`.
static FORM: HeaderValue = HeaderValue::from_static("application/x-www-form-urlencoded");

/// The HTTP methods Verify uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    /// Fetch and list: idempotent.
    Get,
    /// Create and update: not idempotent (an update may consume a one-time code).
    Post,
    /// Delete: idempotent.
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One operation: its method, full URL and, for a `POST`, its form body.
pub(crate) struct Request<'a> {
    pub(crate) method: Method,
    pub(crate) url: &'a str,
    pub(crate) form: &'a str,
}

impl<'a> Request<'a> {
    pub(crate) fn get(url: &'a str) -> Self {
        Request {
            method: Method::Get,
            url,
            form: "",
        }
    }

    pub(crate) fn post(url: &'a str, form: &'a str) -> Self {
        Request {
            method: Method::Post,
            url,
            form,
        }
    }

    pub(crate) fn delete(url: &'a str) -> Self {
        Request {
            method: Method::Delete,
            url,
            form: "",
        }
    }

    fn is_idempotent(&self) -> bool {
        self.method != Method::Post
    }

    /// Whether a non-2xx status may be retried.
    fn retries_status(&self, status: u16) -> bool {
        status == 429 || (self.is_idempotent() && matches!(status, 500 | 502 | 503 | 504))
    }

    /// Whether a transport failure may be retried: for a `POST` only when nothing was sent.
    fn retries_transport(&self, error: &ureq::Error) -> bool {
        // A certificate or TLS mismatch is the same on the next attempt.
        if TransportKind::of(error) == TransportKind::Tls {
            return false;
        }
        before_sending(error)
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

/// True when the failure provably happened before any byte of the request reached Twilio.
fn before_sending(error: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    // No address, so nothing was sent.
    if TransportKind::of(error) == TransportKind::Dns {
        return true;
    }
    match error {
        ureq::Error::Io(e) => e.kind() == ErrorKind::ConnectionRefused,
        ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve) => true,
        // No connection to Twilio was made: not found, or the proxy refused the tunnel.
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::ConnectProxyFailed(_) => true,
        _ => false,
    }
}

/// A failed attempt.
enum Failure {
    Api(Box<ApiError>),
    Transport(ureq::Error),
}

impl Failure {
    /// Whether the request may have been carried out by Twilio despite the failure.
    fn may_have_been_processed(&self) -> bool {
        match self {
            Failure::Api(e) => e.status != 429,
            Failure::Transport(e) => !before_sending(e),
        }
    }
}

/// A 2xx answer read whole.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The `Twilio-Request-Id` header, if the answer had one.
    pub(crate) fn request_id(&self) -> Option<String> {
        request_id(&self.headers)
    }
}

impl VerifyClient {
    /// `GET url`, decoded as `T`.
    pub(crate) fn fetch_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, Error> {
        let answer = self.send(&Request::get(url))?;
        decode(&answer).map_err(Error::Decode)
    }

    /// `POST url` with `form`, decoded as `T`.
    pub(crate) fn post_json<T: DeserializeOwned>(&self, url: &str, form: &str) -> Result<T, Error> {
        let answer = self.send(&Request::post(url, form))?;
        decode(&answer).map_err(Error::Decode)
    }

    /// `DELETE url`; any 2xx (Twilio answers `204 No Content`) is success.
    pub(crate) fn delete_at(&self, url: &str) -> Result<(), Error> {
        self.send(&Request::delete(url)).map(drop)
    }

    /// Sends `request`, retrying as the policy and the method's safety allow, and returns the
    /// 2xx answer.
    ///
    /// A `DELETE` answered `404` after an earlier attempt that may have been carried out has
    /// succeeded: that attempt deleted it.
    pub(crate) fn send(&self, request: &Request<'_>) -> Result<Answer, Error> {
        let policy = self.inner.retry_policy;
        let mut attempt = 1;
        let mut maybe_done = false;
        loop {
            let failure = match self.attempt(request) {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            if let Failure::Api(e) = &failure {
                if request.method == Method::Delete && e.status == 404 && maybe_done {
                    log::debug!(
                        "DELETE {}: 404 after an attempt that may have deleted it: done",
                        self.log_path(request)
                    );
                    return Ok(Answer {
                        status: StatusCode::NO_CONTENT,
                        headers: HeaderMap::new(),
                        body: Vec::new(),
                    });
                }
            }
            maybe_done |= failure.may_have_been_processed();
            let (retryable, retry_after) = match &failure {
                Failure::Api(e) => (request.retries_status(e.status), e.retry_after),
                Failure::Transport(e) => (request.retries_transport(e), None),
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
                request.method.as_str(),
                self.log_path(request),
                policy.attempts(),
            );
            thread::sleep(delay);
            attempt += 1;
        }
    }

    /// The path of `request`'s URL below the base URL for log lines, with the identity — which
    /// Twilio counts as personal data — replaced by `{identity}`.
    fn log_path(&self, request: &Request<'_>) -> String {
        let url = request.url;
        let path = url.get(self.inner.base_url.len()..).unwrap_or(url);
        redact_identity(path)
    }

    /// One attempt: a 2xx answer, or why it failed.
    fn attempt(&self, request: &Request<'_>) -> Result<Answer, Failure> {
        let inner = &self.inner;
        // The clock is read only when the request log is on.
        let started = log::log_enabled!(log::Level::Debug).then(Instant::now);
        let sent = match request.method {
            Method::Post => inner
                .agent
                .post(request.url)
                .header(AUTHORIZATION, inner.authorization.clone())
                .header(CONTENT_TYPE, FORM.clone())
                .send(request.form),
            Method::Get => inner
                .agent
                .get(request.url)
                .header(AUTHORIZATION, inner.authorization.clone())
                .call(),
            Method::Delete => inner
                .agent
                .delete(request.url)
                .header(AUTHORIZATION, inner.authorization.clone())
                .call(),
        };
        let answer = sent.and_then(read);
        if let Some(started) = started {
            let path = self.log_path(request);
            let method = request.method.as_str();
            match &answer {
                Ok(a) => log::debug!(
                    "{method} {path} -> {} in {:?} (request {})",
                    a.status.as_u16(),
                    started.elapsed(),
                    request_id(&a.headers).as_deref().unwrap_or("-"),
                ),
                Err(e) => log::debug!("{method} {path} failed after {:?}: {e}", started.elapsed()),
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

/// `path` with the segment after `/Entities/` replaced by `{identity}`.
pub(crate) fn redact_identity(path: &str) -> String {
    const MARK: &str = "/Entities/";
    match path.find(MARK) {
        None => path.to_owned(),
        Some(at) => {
            let start = at + MARK.len();
            let rest = &path[start..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            format!("{}{{identity}}{}", &path[..start], &rest[end..])
        }
    }
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
    use super::*;

    #[test]
    fn posts_retry_only_429_and_gets_and_deletes_also_5xx() {
        let post = Request::post("/", "");
        for status in [400, 401, 404, 500, 502, 503, 504] {
            assert!(!post.retries_status(status), "{status}");
        }
        assert!(post.retries_status(429));
        for idempotent in [Request::get("/"), Request::delete("/")] {
            for status in [429, 500, 502, 503, 504] {
                assert!(idempotent.retries_status(status), "{status}");
            }
            for status in [400, 401, 404, 501] {
                assert!(!idempotent.retries_status(status), "{status}");
            }
        }
    }

    #[test]
    fn posts_retry_only_failures_before_sending() {
        use std::io::{Error, ErrorKind};
        let post = Request::post("/", "");
        let get = Request::get("/");
        let refused = || ureq::Error::Io(Error::from(ErrorKind::ConnectionRefused));
        let reset = || ureq::Error::Io(Error::from(ErrorKind::ConnectionReset));
        assert!(post.retries_transport(&refused()));
        assert!(post.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Connect)));
        assert!(post.retries_transport(&ureq::Error::ConnectProxyFailed("403".into())));
        assert!(!post.retries_transport(&reset()));
        assert!(!post.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Global)));
        assert!(get.retries_transport(&reset()));
        assert!(get.retries_transport(&ureq::Error::Timeout(ureq::Timeout::Global)));
        assert!(Request::delete("/").retries_transport(&reset()));
        assert!(!get.retries_transport(&ureq::Error::BodyExceedsLimit(1)));
    }

    #[test]
    fn a_dns_failure_is_retried_even_for_a_post_and_a_tls_failure_never() {
        use std::io::{Error, ErrorKind};
        let post = Request::post("/", "");
        let get = Request::get("/");
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
        assert!(post.retries_transport(&dns()));
        assert!(get.retries_transport(&dns()));
        assert!(!post.retries_transport(&untrusted()));
        assert!(!get.retries_transport(&untrusted()));
        assert!(!get.retries_transport(&ureq::Error::Tls("Rustls invalid dns name error")));
    }

    #[test]
    fn log_paths_never_carry_the_identity() {
        assert_eq!(
            redact_identity("/v2/Services/VA1/Entities/ff483d1f-5b7e/Factors/YF1"),
            "/v2/Services/VA1/Entities/{identity}/Factors/YF1"
        );
        assert_eq!(
            redact_identity("/v2/Services/VA1/Entities/user12345"),
            "/v2/Services/VA1/Entities/{identity}"
        );
        assert_eq!(
            redact_identity("/v2/Services/VA1/Entities?PageSize=5"),
            "/v2/Services/VA1/Entities?PageSize=5"
        );
        assert_eq!(
            redact_identity("/v2/Services/VA1/AccessTokens"),
            "/v2/Services/VA1/AccessTokens"
        );
    }
}
