//! A 2xx answer that is not the expected resource, named without quoting the body.

use std::error::Error as StdError;
use std::fmt;

use super::api::{OneLine, REQUEST_ID_CHARS};

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
