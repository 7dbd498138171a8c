//! The parameters of a challenge create and update.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules;
use crate::secret::Secret;
use crate::sid::FactorSid;
use crate::timestamp;

/// The most label/value fields a challenge may show (`Details.Fields`).
pub const MAX_CHALLENGE_FIELDS: usize = 20;
/// The longest `Details.Message`, in characters.
pub const MAX_CHALLENGE_MESSAGE_CHARS: usize = 256;
/// The longest field label, in characters.
pub const MAX_FIELD_LABEL_CHARS: usize = 36;
/// The longest field value, in characters.
pub const MAX_FIELD_VALUE_CHARS: usize = 128;
/// The soonest expiration accepted: the date is sent to the whole second, so anything sooner
/// could arrive already past.
const MIN_CHALLENGE_EXPIRY: Duration = Duration::from_secs(1);
/// The furthest ahead a challenge may expire: 60 minutes.
pub const MAX_CHALLENGE_EXPIRY: Duration = Duration::from_secs(60 * 60);

/// When a challenge expires, as it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expiration {
    In(Duration),
    At(SystemTime),
}

/// The parameters of [`Challenges::create`](crate::Challenges::create).
///
/// Nothing is checked until `create` is called, which refuses bad values with
/// [`Error::InvalidInput`](crate::Error::InvalidInput) before sending anything.
///
/// ```
/// use std::time::Duration;
/// use twilio_verify::CreateChallenge;
///
/// let push = CreateChallenge::new("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .message("Approve the login from Chrome on macOS?")
///     .field("Location", "Berlin")
///     .field("IP", "203.0.113.7")
///     .hidden_detail("session", "s-42")
///     .expires_in(Duration::from_secs(300));
/// let totp = CreateChallenge::new("YFbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").auth_payload("123456");
/// # let _ = (push, totp);
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct CreateChallenge {
    factor_sid: String,
    expiration: Option<Expiration>,
    message: Option<String>,
    fields: Vec<(String, String)>,
    hidden_details: Option<BTreeMap<String, String>>,
    auth_payload: Option<Secret>,
}

/// One `Details.Fields` value, written by serde_json: `{"label":"…","value":"…"}`.
#[derive(Serialize)]
struct FieldJson<'a> {
    label: &'a str,
    value: &'a str,
}

impl CreateChallenge {
    /// A challenge for the factor `factor_sid` (`YF…`; a [`FactorSid`] or a `&str`).
    pub fn new(factor_sid: impl AsRef<str>) -> Self {
        CreateChallenge {
            factor_sid: factor_sid.as_ref().to_owned(),
            expiration: None,
            message: None,
            fields: Vec::new(),
            hidden_details: None,
            auth_payload: None,
        }
    }

    /// The message shown when the push arrives (`Details.Message`), up to 256 characters.
    /// Twilio requires it for a push factor.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Adds a label/value field shown with the message (`Details.Fields`): up to 20 fields,
    /// labels up to 36 and values up to 128 characters. Fields are sent in the order added.
    pub fn field(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fields.push((label.into(), value.into()));
        self
    }

    /// Context not shown to the user (`HiddenDetails`), replacing any set before: string
    /// pairs (a `BTreeMap`, a `HashMap` or an array of pairs), at most 1024 characters as JSON.
    pub fn hidden_details<K, V>(mut self, details: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.hidden_details = Some(rules::string_map(details));
        self
    }

    /// Adds one hidden detail (see [`hidden_details`](CreateChallenge::hidden_details)).
    pub fn hidden_detail(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.hidden_details
            .get_or_insert_with(BTreeMap::new)
            .insert(key.into(), value.into());
        self
    }

    /// The code to check at once (`AuthPayload`), for a TOTP factor: a challenge with the
    /// right code is answered `approved`. A secret: it never prints.
    ///
    /// An all-digit payload is a TOTP code and must be 3 to 8 digits; any other must be 1 to
    /// 5456 characters (Twilio's limit for a push payload).
    pub fn auth_payload(mut self, payload: impl Into<String>) -> Self {
        self.auth_payload = Some(Secret::new(payload));
        self
    }

    /// Expires `duration` after it is sent (`ExpirationDate` = the send time plus `duration`):
    /// at least 1 second and at most 60 minutes. Twilio's default is 5 minutes. Replaces an
    /// [`expiration_date`](CreateChallenge::expiration_date).
    pub fn expires_in(mut self, duration: Duration) -> Self {
        self.expiration = Some(Expiration::In(duration));
        self
    }

    /// Expires at `when` (`ExpirationDate`, sent in UTC to the second): at send time it must be
    /// at least 1 second (so that the whole second sent is still ahead) and at most 60 minutes
    /// ahead. Replaces an
    /// [`expires_in`](CreateChallenge::expires_in).
    pub fn expiration_date(mut self, when: SystemTime) -> Self {
        self.expiration = Some(Expiration::At(when));
        self
    }

    /// Checks every rule this crate knows, with `now` as the time of sending.
    pub(crate) fn validate(&self, now: SystemTime) -> Result<(), InvalidInput> {
        FactorSid::check(&self.factor_sid, "factor_sid")?;
        self.expiration_text(now)?;
        if let Some(message) = &self.message {
            rules::max_chars("message", message, MAX_CHALLENGE_MESSAGE_CHARS)?;
        }
        if self.fields.len() > MAX_CHALLENGE_FIELDS {
            return Err(InvalidInput::new(
                "field",
                format!(
                    "field was added {} times: a challenge has at most {MAX_CHALLENGE_FIELDS} fields",
                    self.fields.len()
                ),
            ));
        }
        for (at, (label, value)) in self.fields.iter().enumerate() {
            field_part(at, "label", label, MAX_FIELD_LABEL_CHARS)?;
            field_part(at, "value", value, MAX_FIELD_VALUE_CHARS)?;
        }
        if let Some(details) = &self.hidden_details {
            rules::json_map("hidden_details", details)?;
        }
        if let Some(payload) = &self.auth_payload {
            rules::auth_payload(payload.expose_secret())?;
        }
        Ok(())
    }

    /// The `ExpirationDate` to send, with `now` as the time of sending.
    fn expiration_text(&self, now: SystemTime) -> Result<Option<String>, InvalidInput> {
        let when = match self.expiration {
            None => return Ok(None),
            Some(Expiration::In(duration)) => {
                if duration < MIN_CHALLENGE_EXPIRY || duration > MAX_CHALLENGE_EXPIRY {
                    return Err(InvalidInput::new(
                        "expires_in",
                        format!(
                            "expires_in is {duration:?}: must be at least 1 second and at most \
                             60 minutes"
                        ),
                    ));
                }
                now.checked_add(duration)
            }
            Some(Expiration::At(when)) => {
                // Sent to the whole second, so at least a second ahead to stay in the future.
                if now
                    .checked_add(MIN_CHALLENGE_EXPIRY)
                    .is_none_or(|soonest| when < soonest)
                {
                    return Err(InvalidInput::new(
                        "expiration_date",
                        "expiration_date is not in the future: must be at least 1 second and at \
                         most 60 minutes ahead",
                    ));
                }
                let ahead = when.duration_since(now).unwrap_or_default();
                if ahead > MAX_CHALLENGE_EXPIRY {
                    return Err(InvalidInput::new(
                        "expiration_date",
                        format!(
                            "expiration_date is {}s ahead: must be at most 60 minutes (3600s) ahead",
                            ahead.as_secs()
                        ),
                    ));
                }
                Some(when)
            }
        };
        let parameter = match self.expiration {
            Some(Expiration::In(_)) => "expires_in",
            _ => "expiration_date",
        };
        when.and_then(timestamp::format).map(Some).ok_or_else(|| {
            InvalidInput::new(
                parameter,
                format!("{parameter} falls outside the years RFC 3339 can write (0000 to 9999)"),
            )
        })
    }

    /// The `application/x-www-form-urlencoded` body Twilio expects, with `now` as the time of
    /// sending (`ExpirationDate` of [`expires_in`](CreateChallenge::expires_in) counts from it).
    pub(crate) fn to_form(&self, now: SystemTime) -> Result<String, InvalidInput> {
        let expiration = self.expiration_text(now)?;
        let fields = self.fields.iter().map(|(label, value)| {
            serde_json::to_string(&FieldJson { label, value })
                .expect("two strings always serialize")
        });
        let hidden = match &self.hidden_details {
            Some(details) => Some(rules::json_map("hidden_details", details)?),
            None => None,
        };
        Ok(Form::new()
            .text("FactorSid", &self.factor_sid)
            .opt("ExpirationDate", expiration)
            .opt("Details.Message", self.message.as_deref())
            .each("Details.Fields", fields)
            .opt("HiddenDetails", hidden)
            .opt(
                "AuthPayload",
                self.auth_payload.as_ref().map(Secret::expose_secret),
            )
            .finish())
    }
}

/// The parameters of [`Challenges::update`](crate::Challenges::update): the answer to a
/// challenge. With nothing set the body is empty.
///
/// ```
/// use twilio_verify::UpdateChallenge;
///
/// let answer = UpdateChallenge::new()
///     .auth_payload("123456")
///     .metadata([("os", "Android")]);
/// # let _ = answer;
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct UpdateChallenge {
    auth_payload: Option<Secret>,
    metadata: Option<BTreeMap<String, String>>,
}

impl UpdateChallenge {
    /// An update with nothing set.
    pub fn new() -> Self {
        UpdateChallenge::default()
    }

    /// The answer (`AuthPayload`): a TOTP code of 3 to 8 digits, or a push payload (any
    /// payload not all digits) of 1 to 5456 characters. A secret: it never prints.
    pub fn auth_payload(mut self, payload: impl Into<String>) -> Self {
        self.auth_payload = Some(Secret::new(payload));
        self
    }

    /// Device information (`Metadata`), replacing any set before: string pairs, at most 1024
    /// characters as JSON.
    pub fn metadata<K, V>(mut self, metadata: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.metadata = Some(rules::string_map(metadata));
        self
    }

    /// Checks every rule this crate knows.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        if let Some(payload) = &self.auth_payload {
            rules::auth_payload(payload.expose_secret())?;
        }
        if let Some(metadata) = &self.metadata {
            rules::json_map("metadata", metadata)?;
        }
        Ok(())
    }

    /// The form body: `AuthPayload`, `Metadata`; empty when nothing is set.
    pub(crate) fn to_form(&self) -> Result<String, InvalidInput> {
        let metadata = match &self.metadata {
            Some(metadata) => Some(rules::json_map("metadata", metadata)?),
            None => None,
        };
        Ok(Form::new()
            .opt(
                "AuthPayload",
                self.auth_payload.as_ref().map(Secret::expose_secret),
            )
            .opt("Metadata", metadata)
            .finish())
    }
}

/// Refuses the label or value of field number `at` (from 0) when over `max` characters; the
/// text is not echoed (challenge details are personal data).
fn field_part(at: usize, part: &str, text: &str, max: usize) -> Result<(), InvalidInput> {
    let chars = text.chars().count();
    if chars > max {
        return Err(InvalidInput::new(
            "field",
            format!(
                "field {} {part} is {chars} characters long: must be at most {max}",
                at + 1
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
