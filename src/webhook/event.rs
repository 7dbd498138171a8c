//! A typed view of a Verify Push webhook event.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::FormParam;
use crate::enums::FactorType;
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
    /// `account_sid`: the account (`AC…`) the service belongs to.
    pub account_sid: Option<String>,
    /// `service_sid`: the Verify service (`VA…`).
    pub service_sid: Option<String>,
    /// `entity_identity`: your identifier for the user.
    pub entity_identity: Option<String>,
    /// `factor_sid`: the factor (`YF…`).
    pub factor_sid: Option<String>,
    /// `factor_type`: the factor's type (`push`, `totp`).
    pub factor_type: Option<FactorType>,
    /// `factor_friendly_name`: the factor's friendly name (often the device's name).
    pub factor_friendly_name: Option<String>,
    /// `factor_metadata`: the factor's metadata, JSON text (an object of strings).
    pub factor_metadata: Option<String>,
    /// `challenge_sid`: the challenge (`YC…`), for `challenge.*` events.
    pub challenge_sid: Option<String>,
    /// `challenge_details`: the challenge's details shown to the user, JSON text
    /// (`{"message":…,"fields":[{"label":…,"value":…}],…}`).
    pub challenge_details: Option<String>,
    /// `challenge_hidden_details`: the challenge's hidden details, JSON text.
    pub challenge_hidden_details: Option<String>,
    /// `challenge_metadata`: the challenge's metadata, JSON text.
    pub challenge_metadata: Option<String>,
    /// `status`: the factor's or challenge's status after the event (`verified`, `approved`,
    /// `denied`, …).
    pub status: Option<String>,
    /// `date_created`, when present: the resource's creation time as Twilio wrote it.
    pub date_created: Option<String>,
    /// `date_updated`, when present: the resource's last update as Twilio wrote it.
    pub date_updated: Option<String>,
    /// Every other field, by name. From a form body a value is a JSON string, or an array of
    /// strings when the name was repeated; from a JSON body it is the value as sent.
    pub extra: BTreeMap<String, Value>,
}

/// The fields that hold JSON text. In a JSON body Twilio may send them as nested JSON; they
/// are kept as their compact JSON text either way.
const JSON_TEXT_FIELDS: [&str; 4] = [
    "factor_metadata",
    "challenge_details",
    "challenge_hidden_details",
    "challenge_metadata",
];

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
    /// or a field this type names is neither a string nor null (the JSON-text fields may also
    /// be objects or arrays).
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

    fn from_fields(mut fields: BTreeMap<String, Value>) -> Result<Event, EventError> {
        let mut take = |name: &str| take_string(&mut fields, name);
        let event_type = take("type")?
            .filter(|t| !t.is_empty())
            .ok_or(EventError::new(EventProblem::MissingType))?;
        let event_type = WebhookEvent::from_wire(&event_type);
        Ok(Event {
            event_type,
            uuid: take("uuid")?,
            account_sid: take("account_sid")?,
            service_sid: take("service_sid")?,
            entity_identity: take("entity_identity")?,
            factor_sid: take("factor_sid")?,
            factor_type: take("factor_type")?.map(|t| FactorType::from_wire(&t)),
            factor_friendly_name: take("factor_friendly_name")?,
            factor_metadata: take("factor_metadata")?,
            challenge_sid: take("challenge_sid")?,
            challenge_details: take("challenge_details")?,
            challenge_hidden_details: take("challenge_hidden_details")?,
            challenge_metadata: take("challenge_metadata")?,
            status: take("status")?,
            date_created: take("date_created")?,
            date_updated: take("date_updated")?,
            extra: fields,
        })
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

fn take_string(
    fields: &mut BTreeMap<String, Value>,
    name: &str,
) -> Result<Option<String>, EventError> {
    match fields.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(v @ (Value::Object(_) | Value::Array(_))) if JSON_TEXT_FIELDS.contains(&name) => {
            Ok(Some(v.to_string()))
        }
        Some(_) => Err(EventError::new(EventProblem::NotAString(name.to_owned()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_field_is_read_and_not_left_in_extra() {
        let pairs: Vec<(String, String)> = KNOWN_FIELDS
            .iter()
            .map(|f| (f.to_string(), format!("{f}-value")))
            .collect();
        let event = Event::from_form(pairs).unwrap();
        assert!(event.extra.is_empty(), "{:?}", event.extra);
        assert_eq!(event.event_type.as_str(), "type-value");
        assert_eq!(event.date_updated.as_deref(), Some("date_updated-value"));
    }
}
