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

    /// A refused SID, described without echoing it: a wrong value is often a secret pasted in
    /// the wrong place (an auth token is 32 hex digits too), so only its length and, when they
    /// are two capital letters like every SID prefix, its first two characters are shown.
    pub(crate) fn malformed_sid(parameter: &'static str, value: &str, prefix: &str) -> Self {
        let chars = value.chars().count();
        let head = value
            .get(..2)
            .filter(|h| h.bytes().all(|b| b.is_ascii_uppercase()));
        let shape = match (chars, head) {
            (0, _) => "empty".to_owned(),
            (n, Some(head)) => format!("{n} characters starting {head:?}"),
            (1, None) => "1 character".to_owned(),
            (n, None) => format!("{n} characters"),
        };
        InvalidInput::new(
            parameter,
            format!(
                "{parameter} is malformed ({shape}): must be {prefix:?} followed by 32 hex digits"
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
            write!(f, ": {}", OneLine(&self.message, MESSAGE_CHARS))?;
        }
        if let Some(more_info) = &self.more_info {
            write!(f, " (see {})", OneLine(more_info, LINK_CHARS))?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request {}]", OneLine(request_id, REQUEST_ID_CHARS))?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

/// The most characters of Twilio's message that `Display` shows.
const MESSAGE_CHARS: usize = 200;
/// The most characters of a `more_info` link or problem `type` that `Display` shows.
const LINK_CHARS: usize = 200;
/// The most characters of a request id that `Display` shows (Twilio's are 34).
const REQUEST_ID_CHARS: usize = 64;

/// A value from the server, written on one line: whitespace runs folded to one space, control
/// and format characters dropped, cut after `.1` characters with `…`.
pub(crate) struct OneLine<'a>(pub(crate) &'a str, pub(crate) usize);

impl fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let mut written = 0;
        let mut words = self.0.split_whitespace().peekable();
        while let Some(word) = words.next() {
            for c in word.chars().filter(|c| !is_hidden(*c)) {
                if written == self.1 {
                    return f.write_char('…');
                }
                f.write_char(c)?;
                written += 1;
            }
            if words.peek().is_some() {
                if written == self.1 {
                    return f.write_char('…');
                }
                f.write_char(' ')?;
                written += 1;
            }
        }
        Ok(())
    }
}

/// Control characters, and the format characters that reorder or hide text (bidi overrides,
/// zero-width joiners), which could make a log line read as something else.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
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
    Dns,
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
        matches!(self.kind, TransportKind::Connect | TransportKind::Dns)
    }

    /// True when TLS failed: the server's certificate was not trusted (or not for this host), or
    /// the TLS handshake or records failed. Such a failure is never retried.
    pub fn is_tls(&self) -> bool {
        self.kind == TransportKind::Tls
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
    pub(crate) fn of(error: &ureq::Error) -> Self {
        use std::io::ErrorKind;
        match error {
            ureq::Error::Timeout(_) => TransportKind::Timeout,
            ureq::Error::Other(e) if e.is::<NameResolution>() => TransportKind::Dns,
            ureq::Error::HostNotFound => TransportKind::Dns,
            // rustls reports a failed handshake or record (an untrusted certificate, say) as an
            // I/O error of kind `InvalidData` that carries the `rustls::Error`.
            ureq::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
                TransportKind::Tls
            }
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
            ureq::Error::ConnectionFailed => TransportKind::Connect,
            ureq::Error::ConnectProxyFailed(_) | ureq::Error::InvalidProxyUrl => {
                TransportKind::Connect
            }
            ureq::Error::Tls(_)
            | ureq::Error::Rustls(_)
            | ureq::Error::Pem(_)
            | ureq::Error::TlsRequired => TransportKind::Tls,
            ureq::Error::BodyExceedsLimit(_) => TransportKind::TooLarge,
            _ => TransportKind::Io,
        }
    }
}

/// A failed name lookup, as the resolver reports it (ureq gives the system's error as plain
/// I/O, which says nothing of DNS).
#[derive(Debug)]
pub(crate) struct NameResolution(pub(crate) std::io::Error);

impl fmt::Display for NameResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("name resolution failed")
    }
}

impl StdError for NameResolution {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.kind {
            TransportKind::Timeout => "request to Twilio timed out",
            TransportKind::Dns => "could not connect to Twilio: name resolution failed",
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
            write!(f, " [request {}]", OneLine(request_id, REQUEST_ID_CHARS))?;
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
        let e = Error::Transport(TransportError::new(ureq::Error::ConnectionFailed, 3));
        assert_eq!(
            e.to_string(),
            "could not connect to Twilio after 3 attempts"
        );
        let source = e.source().unwrap().to_string();
        assert!(!e.to_string().contains(&source));
    }

    #[test]
    fn a_dns_failure_is_a_connect_error_that_says_name_resolution() {
        let failed = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        let source = ureq::Error::Other(Box::new(NameResolution(failed)));
        let e = TransportError::new(source, 1);
        assert!(e.is_connect());
        assert!(!e.is_timeout() && !e.is_tls());
        assert_eq!(
            e.to_string(),
            "could not connect to Twilio: name resolution failed"
        );
        let e = TransportError::new(ureq::Error::HostNotFound, 2);
        assert!(e.is_connect());
        assert_eq!(
            e.to_string(),
            "could not connect to Twilio: name resolution failed after 2 attempts"
        );
    }

    #[test]
    fn a_certificate_failure_is_named_tls() {
        let untrusted = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        );
        let e = TransportError::new(ureq::Error::Io(untrusted), 1);
        assert!(e.is_tls());
        assert!(!e.is_connect());
        assert_eq!(e.to_string(), "TLS with Twilio failed");
        let reset = std::io::Error::from(std::io::ErrorKind::InvalidData);
        assert!(!TransportError::new(ureq::Error::Io(reset), 1).is_tls());
    }

    fn problem(more_info: &str, request_id: &str) -> String {
        let e = ApiError {
            status: 400,
            code: None,
            message: "bad\nrequest".into(),
            more_info: Some(more_info.into()),
            details: None,
            request_id: Some(request_id.into()),
            retry_after: None,
            attempts: 1,
        };
        e.to_string()
    }

    #[test]
    fn api_error_display_folds_and_bounds_every_field() {
        assert_eq!(
            problem(
                "https://x.example/a\n2024-01-01 INFO forged line",
                "RQ1\r\nX: y\u{202e}"
            ),
            "Twilio answered HTTP 400: bad request (see https://x.example/a 2024-01-01 INFO \
             forged line) [request RQ1 X: y]"
        );
        let long = problem(&"t".repeat(500_000), &"r".repeat(10_000));
        assert!(!long.contains('\n'));
        assert!(
            long.chars().count() < 400,
            "{} characters",
            long.chars().count()
        );
        assert!(long.contains(&format!("(see {}…)", "t".repeat(LINK_CHARS))));
        assert!(long.contains(&format!("[request {}…]", "r".repeat(REQUEST_ID_CHARS))));
    }
}
