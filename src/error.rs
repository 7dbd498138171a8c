//! The crate's one error type, split by where a call failed.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

/// Everything a call to this crate can fail with.
///
/// The variant says where it failed: in our own checks before anything was sent
/// ([`Error::InvalidInput`]), in Twilio's answer ([`Error::Api`]), on the way there and back
/// ([`Error::Transport`]), or in reading a successful answer ([`Error::Decode`]).
///
/// `Display` is one line and never repeats [`source()`](StdError::source); no variant ever holds
/// a secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input was refused by this crate; nothing was sent.
    InvalidInput(InvalidInput),
    /// Twilio (or something in between) answered with a status other than 2xx.
    Api(Box<ApiError>),
    /// No answer could be had: connect, TLS, timeout or I/O failure.
    Transport(TransportError),
    /// Twilio answered 2xx with a body this crate could not read as the expected resource.
    Decode(DecodeError),
}

impl Error {
    /// True when the call failed because a timeout expired.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }

    /// The HTTP status of an [`Error::Api`], if this is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status()),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidInput(e) => write!(f, "invalid input: {e}"),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::InvalidInput(_) | Error::Api(_) => None,
            Error::Transport(e) => e.source(),
            Error::Decode(e) => e.source(),
        }
    }
}

impl From<InvalidInput> for Error {
    fn from(e: InvalidInput) -> Self {
        Error::InvalidInput(e)
    }
}

/// Input refused before any request was sent. It names the parameter and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    parameter: &'static str,
    message: String,
}

impl InvalidInput {
    pub(crate) fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        InvalidInput {
            parameter,
            message: message.into(),
        }
    }

    pub(crate) fn malformed_sid(parameter: &'static str, value: &str, prefix: &str) -> Self {
        let shown: String = value.chars().take(40).collect();
        let ellipsis = if shown.len() < value.len() { "…" } else { "" };
        InvalidInput::new(
            parameter,
            format!(
                "{parameter} {shown:?}{ellipsis} is malformed: must be {prefix:?} followed by 32 hex digits"
            ),
        )
    }

    /// The parameter that was refused, as this crate names it (`ttl`, `identity`, `service_sid`…).
    pub fn parameter(&self) -> &str {
        self.parameter
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for InvalidInput {}

/// A non-2xx answer, with Twilio's error details where the body carried them.
///
/// Twilio's error body is `{"code":60200,"message":"Invalid parameter: Ttl","more_info":"…",
/// "status":400}`; RFC 9457 problem bodies (`type`, `title`, `detail`) are read too. Any other
/// body (an HTML page from a proxy, say) gives a short excerpt as the message.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: Option<u32>,
    pub(crate) message: String,
    pub(crate) more_info: Option<String>,
    pub(crate) details: Option<serde_json::Value>,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    pub(crate) attempts: u32,
}

impl ApiError {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Twilio's error code (for example `20404`), when the body gave one.
    pub fn code(&self) -> Option<u32> {
        self.code
    }

    /// Twilio's message, or an excerpt of a body that was not Twilio's JSON.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The link to Twilio's documentation of the error code, when the body gave one.
    pub fn more_info(&self) -> Option<&str> {
        self.more_info.as_deref()
    }

    /// Twilio's `details` object, when the body gave one.
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The `Twilio-Request-Id` header of the answer: quote it to Twilio support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The delay asked for by a `Retry-After` header, when the answer had one.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// How many attempts were made, the first included, before this answer was given up on.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Twilio answered HTTP {}", self.status)?;
        if let Some(code) = self.code {
            write!(f, " with error {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(more_info) = &self.more_info {
            write!(f, " (see {more_info})")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request {request_id}]")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// No answer could be had from Twilio: the connection, TLS, a timeout or I/O failed.
///
/// The underlying transport error is the [`source()`](StdError::source).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    attempts: u32,
    source: ureq::Error,
}

/// What part of the exchange a transport error happened in, for the one-line `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransportKind {
    Timeout,
    Connect,
    Tls,
    TooLarge,
    Io,
}

impl TransportError {
    pub(crate) fn new(source: ureq::Error, attempts: u32) -> Self {
        TransportError {
            kind: TransportKind::of(&source),
            attempts,
            source,
        }
    }

    /// True when a timeout expired (connect, or the bound on the whole request).
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportKind::Timeout
    }

    /// True when no connection could be made (refused, unreachable, DNS failure).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportKind::Connect
    }

    /// True when the answer's body was larger than this crate reads (1 MiB).
    pub fn is_body_too_large(&self) -> bool {
        self.kind == TransportKind::TooLarge
    }

    /// How many attempts were made, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl TransportKind {
    fn of(error: &ureq::Error) -> Self {
        use std::io::ErrorKind;
        match error {
            ureq::Error::Timeout(_) => TransportKind::Timeout,
            ureq::Error::Io(e)
                if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) =>
            {
                TransportKind::Timeout
            }
            ureq::Error::Io(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionRefused
                        | ErrorKind::HostUnreachable
                        | ErrorKind::NetworkUnreachable
                        | ErrorKind::AddrNotAvailable
                ) =>
            {
                TransportKind::Connect
            }
            ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportKind::Connect,
            ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => {
                TransportKind::Connect
            }
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
                TransportKind::Tls
            }
            ureq::Error::BodyExceedsLimit(_) => TransportKind::TooLarge,
            _ => TransportKind::Io,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportKind::Timeout => "request to Twilio timed out",
            TransportKind::Connect => "could not connect to Twilio",
            TransportKind::Tls => "TLS with Twilio failed",
            TransportKind::TooLarge => {
                "Twilio's answer was larger than the 1 MiB this client reads"
            }
            TransportKind::Io => "the exchange with Twilio failed",
        })?;
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

/// Twilio answered 2xx, but the body was not the resource (or page) this crate expected.
///
/// It names the field that failed ([`missing`](DecodeError::missing),
/// [`path`](DecodeError::path)) but never quotes the body: it may hold a JWT, a TOTP secret or
/// personal data.
#[derive(Debug)]
pub struct DecodeError {
    status: u16,
    request_id: Option<String>,
    problem: DecodeProblem,
}

#[derive(Debug)]
enum DecodeProblem {
    MissingField(String),
    Json(JsonError),
    Paging(&'static str),
}

/// Where and how a body failed to parse as JSON. serde_json's own message is not kept: it
/// quotes values from the body, which may hold the JWT or the user's identity.
#[derive(Debug)]
struct JsonError {
    category: serde_json::error::Category,
    line: usize,
    column: usize,
    path: Option<String>,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.category {
            serde_json::error::Category::Eof => "unexpected end of JSON",
            serde_json::error::Category::Syntax => "JSON syntax error",
            serde_json::error::Category::Data => "unexpected JSON value",
            serde_json::error::Category::Io => "I/O error reading JSON",
        };
        write!(f, "{what} at line {} column {}", self.line, self.column)
    }
}

impl StdError for JsonError {}

impl DecodeError {
    pub(crate) fn missing_field(
        status: u16,
        request_id: Option<String>,
        field: impl Into<String>,
    ) -> Self {
        DecodeError {
            status,
            request_id,
            problem: DecodeProblem::MissingField(field.into()),
        }
    }

    pub(crate) fn json(
        status: u16,
        request_id: Option<String>,
        error: &serde_json::Error,
        path: Option<String>,
    ) -> Self {
        DecodeError {
            status,
            request_id,
            problem: DecodeProblem::Json(JsonError {
                category: error.classify(),
                line: error.line(),
                column: error.column(),
                path,
            }),
        }
    }

    /// A page of a list that cannot be followed: `what` says why.
    pub(crate) fn paging(status: u16, request_id: Option<String>, what: &'static str) -> Self {
        DecodeError {
            status,
            request_id,
            problem: DecodeProblem::Paging(what),
        }
    }

    /// The required field that was missing or null, if that was the problem (`sid`, or
    /// `records[2].status` inside a page).
    pub fn missing(&self) -> Option<&str> {
        match &self.problem {
            DecodeProblem::MissingField(field) => Some(field),
            DecodeProblem::Json(_) | DecodeProblem::Paging(_) => None,
        }
    }

    /// The field whose value could not be decoded, when one can be named.
    pub fn path(&self) -> Option<&str> {
        match &self.problem {
            DecodeProblem::MissingField(field) => Some(field),
            DecodeProblem::Json(e) => e.path.as_deref(),
            DecodeProblem::Paging(_) => None,
        }
    }

    /// The HTTP status of the answer (a 2xx).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `Twilio-Request-Id` header of the answer, if it had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode Twilio's HTTP {} answer", self.status)?;
        match &self.problem {
            DecodeProblem::MissingField(field) => {
                write!(f, ": required field `{field}` is missing or null")?
            }
            DecodeProblem::Json(e) => {
                match e.category {
                    serde_json::error::Category::Eof => f.write_str(": the JSON ends early")?,
                    serde_json::error::Category::Syntax => f.write_str(": the body is not JSON")?,
                    serde_json::error::Category::Data => {
                        f.write_str(": a field has an unexpected value")?
                    }
                    serde_json::error::Category::Io => {
                        f.write_str(": the body could not be read")?
                    }
                }
                if let Some(path) = &e.path {
                    write!(f, " (`{path}`)")?;
                }
            }
            DecodeProblem::Paging(what) => write!(f, ": {what}")?,
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request {request_id}]")?;
        }
        Ok(())
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.problem {
            DecodeProblem::MissingField(_) | DecodeProblem::Paging(_) => None,
            DecodeProblem::Json(e) => Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync_static<T: Send + Sync + 'static>() {}

    #[test]
    fn every_error_type_is_send_sync_static() {
        assert_send_sync_static::<Error>();
        assert_send_sync_static::<InvalidInput>();
        assert_send_sync_static::<ApiError>();
        assert_send_sync_static::<TransportError>();
        assert_send_sync_static::<DecodeError>();
    }

    #[test]
    fn error_stays_well_under_clippys_result_large_err_threshold() {
        let size = std::mem::size_of::<Error>();
        assert!(size <= 80, "Error is {size} bytes: box the large variant");
    }

    #[test]
    fn api_error_display_is_one_line_with_code_link_and_request_id() {
        let e = ApiError {
            status: 400,
            code: Some(60200),
            message: "Invalid parameter: Ttl".into(),
            more_info: Some("https://www.twilio.com/docs/errors/60200".into()),
            details: None,
            request_id: Some("RQ0123".into()),
            retry_after: None,
            attempts: 1,
        };
        assert_eq!(
            Error::Api(Box::new(e)).to_string(),
            "Twilio answered HTTP 400 with error 60200: Invalid parameter: Ttl \
             (see https://www.twilio.com/docs/errors/60200) [request RQ0123]"
        );
    }

    #[test]
    fn transport_display_does_not_repeat_its_source() {
        let e = Error::Transport(TransportError::new(ureq::Error::HostNotFound, 3));
        assert_eq!(
            e.to_string(),
            "could not connect to Twilio after 3 attempts"
        );
        let source = e.source().unwrap().to_string();
        assert!(!e.to_string().contains(&source));
    }
}
