//! A non-2xx answer: Twilio's error body, read into one bounded line.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

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
pub(crate) const LINK_CHARS: usize = 200;
/// The most characters of a request id that `Display` shows (Twilio's are 34).
pub(crate) const REQUEST_ID_CHARS: usize = 64;

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
