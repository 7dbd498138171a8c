//! A typed view of a Verify Push webhook event.

use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

use serde::Deserialize;
use serde_json::Value;

use super::FormParam;
use crate::challenges::model::{ChallengeDetails, ChallengeStatus};
use crate::enums::FactorType;
use crate::factors::model::FactorStatus;
use crate::sid::{AccountSid, ChallengeSid, FactorSid, ServiceSid};
use crate::timestamp;
use crate::webhooks::model::WebhookEvent;

/// A Verify Push event, as Twilio posts it to a webhook (`factor.created`, `factor.verified`,
/// `factor.deleted`, `challenge.approved`, `challenge.denied`).
///
/// Read from a form body ([`Event::from_form_body`], [`Event::from_form`]) or a JSON body
/// ([`Event::from_json`]). Reading is lenient: only `type` is required, every documented field
/// is optional, and any field this type does not name is kept in [`extra`](Event::extra).
/// Validate the request's signature first ([`SignatureValidator`](super::SignatureValidator)):
/// an event read from an unvalidated request is whatever anyone chose to post.
///
/// # Typed fields
/// The SIDs, the dates, the details and the metadata are typed. A value that cannot be read
/// as its type is **not** an error: the field is `None` and the value is kept, as sent, in
/// [`extra`](Event::extra) under the field's name — so a SID of an unexpected shape or a date
/// in another format is never lost, and never fails the event:
///
/// ```
/// use twilio_verify::webhook::Event;
///
/// let event = Event::from_form([("type", "factor.created"), ("factor_sid", "YF-not-a-sid")])?;
/// assert_eq!(event.factor_sid, None);
/// assert_eq!(event.extra["factor_sid"], "YF-not-a-sid");
/// # Ok::<(), twilio_verify::webhook::EventError>(())
/// ```
///
/// `null`, in a JSON body, is the same as an absent field. The text fields (`type`, `uuid`,
/// `entity_identity`, `factor_type`, `factor_friendly_name`, `status`) are strings as sent;
/// `factor_type` and the status accessors never fail either (an unknown value is `Other`).
///
/// `entity_identity`, the details and the metadata are the user's data (PII): `Debug` shows
/// them, so do not log an event wholesale where PII must not go. This module logs nothing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// `type`: the event type, e.g. [`WebhookEvent::ChallengeApproved`]; a type this version
    /// does not know is [`WebhookEvent::Other`].
    pub event_type: WebhookEvent,
    /// `uuid`: the webhook delivery's unique identifier (use it to drop duplicates).
    pub uuid: Option<String>,
    /// `account_sid`: the account (`AC…`) the service belongs to. `None`, with the value in
    /// [`extra`](Event::extra), when it is not an account SID.
    pub account_sid: Option<AccountSid>,
    /// `service_sid`: the Verify service (`VA…`). `None`, with the value in
    /// [`extra`](Event::extra), when it is not a service SID.
    pub service_sid: Option<ServiceSid>,
    /// `entity_identity`: your identifier for the user.
    pub entity_identity: Option<String>,
    /// `factor_sid`: the factor (`YF…`). `None`, with the value in [`extra`](Event::extra),
    /// when it is not a factor SID.
    pub factor_sid: Option<FactorSid>,
    /// `factor_type`: the factor's type (`push`, `totp`).
    pub factor_type: Option<FactorType>,
    /// `factor_friendly_name`: the factor's friendly name (often the device's name).
    pub factor_friendly_name: Option<String>,
    /// `factor_metadata`: the factor's metadata, an object of strings — JSON text in a form
    /// body, JSON text or a nested object in a JSON body. A value in it that is not a string
    /// is kept as its JSON text (as [`Challenge::metadata`](crate::Challenge::metadata) reads it);
    /// anything but an object is `None`, with the value in [`extra`](Event::extra).
    pub factor_metadata: Option<BTreeMap<String, String>>,
    /// `challenge_sid`: the challenge (`YC…`), for `challenge.*` events. `None`, with the
    /// value in [`extra`](Event::extra), when it is not a challenge SID.
    pub challenge_sid: Option<ChallengeSid>,
    /// `challenge_details`: what the challenge showed the user (message, label/value fields,
    /// date) — JSON text in a form body, JSON text or a nested object in a JSON body. `None`,
    /// with the value in [`extra`](Event::extra), when it is not such an object (including
    /// one whose `date` is not RFC 3339).
    pub challenge_details: Option<ChallengeDetails>,
    /// `challenge_hidden_details`: the challenge's hidden details, read as
    /// [`factor_metadata`](Event::factor_metadata) is.
    pub challenge_hidden_details: Option<BTreeMap<String, String>>,
    /// `challenge_metadata`: the challenge's metadata, read as
    /// [`factor_metadata`](Event::factor_metadata) is.
    pub challenge_metadata: Option<BTreeMap<String, String>>,
    /// `status`, as sent: the factor's status after a `factor.*` event (`unverified`,
    /// `verified`), the challenge's after a `challenge.*` event (`approved`, `denied`). Read
    /// it typed with [`factor_status`](Event::factor_status) or
    /// [`challenge_status`](Event::challenge_status).
    pub status: Option<String>,
    /// `date_created`, when present: the resource's creation time (RFC 3339). `None`, with the
    /// value in [`extra`](Event::extra), when it is not an RFC 3339 date-time.
    pub date_created: Option<SystemTime>,
    /// `date_updated`, when present: the resource's last update (RFC 3339). `None`, with the
    /// value in [`extra`](Event::extra), when it is not an RFC 3339 date-time.
    pub date_updated: Option<SystemTime>,
    /// Every other field, by name, and every typed field whose value could not be read as its
    /// type. From a form body a value is a JSON string, or an array of strings when the name
    /// was repeated; from a JSON body it is the value as sent.
    pub extra: BTreeMap<String, Value>,
}

/// Why a webhook body could not be read as an [`Event`]. `Display` is one line naming the
/// field or the position; it never quotes the body (which holds the user's data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    problem: EventProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum EventProblem {
    MissingType,
    NotAString(String),
    Repeated(String),
    NotAnObject,
    Json { line: usize, column: usize },
}

impl EventError {
    fn new(problem: EventProblem) -> Self {
        EventError { problem }
    }

    /// The field at fault, when the problem is one field (`type` for a missing type).
    pub fn field(&self) -> Option<&str> {
        match &self.problem {
            EventProblem::MissingType => Some("type"),
            EventProblem::NotAString(field) | EventProblem::Repeated(field) => Some(field),
            EventProblem::NotAnObject | EventProblem::Json { .. } => None,
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            EventProblem::MissingType => {
                f.write_str("webhook event has no `type` (missing, null or empty)")
            }
            EventProblem::NotAString(field) => {
                write!(f, "webhook event field `{field}` is not a string")
            }
            EventProblem::Repeated(field) => {
                write!(f, "webhook event field `{field}` is given more than once")
            }
            EventProblem::NotAnObject => f.write_str("webhook event body is not a JSON object"),
            EventProblem::Json { line, column } => write!(
                f,
                "webhook event body is not valid JSON (line {line}, column {column})"
            ),
        }
    }
}

impl std::error::Error for EventError {}

impl Event {
    /// Reads an event from decoded form parameters, as a web framework hands them over
    /// (`&Vec<(String, String)>`, `[(&str, &str); N]`, `map.iter()`, … — see [`FormParam`]).
    ///
    /// # Errors
    /// [`EventError`] when `type` is missing or empty, or a field this type names is given
    /// more than once.
    pub fn from_form<I>(params: I) -> Result<Event, EventError>
    where
        I: IntoIterator,
        I::Item: FormParam,
    {
        let mut fields: BTreeMap<String, Value> = BTreeMap::new();
        for param in params {
            let (name, value) = (param.name(), Value::String(param.value().to_owned()));
            match fields.get_mut(name) {
                None => {
                    fields.insert(name.to_owned(), value);
                }
                Some(_) if is_known(name) => {
                    return Err(EventError::new(EventProblem::Repeated(name.to_owned())));
                }
                Some(Value::Array(values)) => values.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
            }
        }
        Event::from_fields(fields)
    }

    /// Reads an event from a raw `application/x-www-form-urlencoded` body.
    ///
    /// # Errors
    /// As [`from_form`](Self::from_form).
    pub fn from_form_body(body: &[u8]) -> Result<Event, EventError> {
        // Decoding pairs cannot fail: bytes that are not UTF-8 become U+FFFD.
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        Event::from_form(pairs)
    }

    /// Reads an event from a raw `application/json` body (a JSON object).
    ///
    /// # Errors
    /// [`EventError`] when the body is not a JSON object, `type` is missing, null or empty,
    /// or a text field (`type`, `uuid`, `entity_identity`, `factor_type`,
    /// `factor_friendly_name`, `status`) is neither a string nor null. A typed field's value
    /// of any shape is never an error (see [`Event`]'s typed fields).
    pub fn from_json(body: &[u8]) -> Result<Event, EventError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            EventError::new(EventProblem::Json {
                line: e.line(),
                column: e.column(),
            })
        })?;
        match value {
            Value::Object(map) => Event::from_fields(map.into_iter().collect()),
            _ => Err(EventError::new(EventProblem::NotAnObject)),
        }
    }

    fn from_fields(fields: BTreeMap<String, Value>) -> Result<Event, EventError> {
        let mut fields = Fields(fields);
        let event_type = fields
            .text("type")?
            .filter(|t| !t.is_empty())
            .ok_or(EventError::new(EventProblem::MissingType))?;
        Ok(Event {
            event_type: WebhookEvent::from_wire(&event_type),
            uuid: fields.text("uuid")?,
            account_sid: fields.typed("account_sid", sid),
            service_sid: fields.typed("service_sid", sid),
            entity_identity: fields.text("entity_identity")?,
            factor_sid: fields.typed("factor_sid", sid),
            factor_type: fields
                .text("factor_type")?
                .map(|t| FactorType::from_wire(&t)),
            factor_friendly_name: fields.text("factor_friendly_name")?,
            factor_metadata: fields.typed("factor_metadata", string_map),
            challenge_sid: fields.typed("challenge_sid", sid),
            challenge_details: fields.typed("challenge_details", details),
            challenge_hidden_details: fields.typed("challenge_hidden_details", string_map),
            challenge_metadata: fields.typed("challenge_metadata", string_map),
            status: fields.text("status")?,
            date_created: fields.typed("date_created", date),
            date_updated: fields.typed("date_updated", date),
            extra: fields.0,
        })
    }

    /// `status` as a factor's status, for a `factor.*` event (`None` for any other event, or
    /// when there is no `status`). An unknown status is [`FactorStatus::Other`].
    pub fn factor_status(&self) -> Option<FactorStatus> {
        self.status_of("factor.").map(FactorStatus::from_wire)
    }

    /// `status` as a challenge's status, for a `challenge.*` event (`None` for any other
    /// event, or when there is no `status`). An unknown status is [`ChallengeStatus::Other`].
    pub fn challenge_status(&self) -> Option<ChallengeStatus> {
        self.status_of("challenge.").map(ChallengeStatus::from_wire)
    }

    fn status_of(&self, prefix: &str) -> Option<&str> {
        let status = self.status.as_deref()?;
        self.event_type
            .as_str()
            .starts_with(prefix)
            .then_some(status)
    }
}

const KNOWN_FIELDS: [&str; 16] = [
    "type",
    "uuid",
    "account_sid",
    "service_sid",
    "entity_identity",
    "factor_sid",
    "factor_type",
    "factor_friendly_name",
    "factor_metadata",
    "challenge_sid",
    "challenge_details",
    "challenge_hidden_details",
    "challenge_metadata",
    "status",
    "date_created",
    "date_updated",
];

fn is_known(name: &str) -> bool {
    KNOWN_FIELDS.contains(&name)
}

/// The fields not read yet; what is left at the end is [`Event::extra`].
struct Fields(BTreeMap<String, Value>);

impl Fields {
    /// A text field: a string, or absent/null; anything else is an error.
    fn text(&mut self, name: &str) -> Result<Option<String>, EventError> {
        match self.0.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(EventError::new(EventProblem::NotAString(name.to_owned()))),
        }
    }

    /// A typed field: absent/null is `None`; a value `read` cannot read is `None` and stays
    /// in the fields, as sent.
    fn typed<T>(&mut self, name: &str, read: impl FnOnce(&Value) -> Option<T>) -> Option<T> {
        let value = self.0.get(name)?;
        let typed = if value.is_null() { None } else { read(value) };
        if typed.is_some() || value.is_null() {
            self.0.remove(name);
        }
        typed
    }
}

fn sid<T: std::str::FromStr>(value: &Value) -> Option<T> {
    value.as_str()?.parse().ok()
}

fn date(value: &Value) -> Option<SystemTime> {
    timestamp::parse(value.as_str()?)
}

/// A JSON object, sent as itself or as its JSON text (an object in either case).
fn object(value: &Value) -> Option<serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map.clone()),
        Value::String(text) => match serde_json::from_str(text) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        },
        _ => None,
    }
}

fn details(value: &Value) -> Option<ChallengeDetails> {
    ChallengeDetails::deserialize(Value::Object(object(value)?)).ok()
}

/// An object of strings; a value that is not a string is kept as its JSON text.
fn string_map(value: &Value) -> Option<BTreeMap<String, String>> {
    let map = object(value)?
        .into_iter()
        .map(|(key, value)| match value {
            Value::String(text) => (key, text),
            other => (key, other.to_string()),
        })
        .collect();
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_field_is_read_and_only_unreadable_typed_ones_stay_in_extra() {
        let pairs: Vec<(String, String)> = KNOWN_FIELDS
            .iter()
            .map(|f| (f.to_string(), format!("{f}-value")))
            .collect();
        let event = Event::from_form(pairs).unwrap();
        let left: Vec<&str> = event.extra.keys().map(String::as_str).collect();
        assert_eq!(
            left,
            [
                "account_sid",
                "challenge_details",
                "challenge_hidden_details",
                "challenge_metadata",
                "challenge_sid",
                "date_created",
                "date_updated",
                "factor_metadata",
                "factor_sid",
                "service_sid",
            ]
        );
        assert_eq!(event.event_type.as_str(), "type-value");
        assert_eq!(event.status.as_deref(), Some("status-value"));
        assert_eq!(event.extra["date_updated"], "date_updated-value");
    }
}
