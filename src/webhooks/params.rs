//! The parameters of a webhook create and update, and the rules checked before sending.

use ureq::http::Uri;
use ureq::http::uri::Scheme;

use super::model::{WebhookEvent, WebhookStatus, WebhookVersion};
use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};

/// The parameters of [`Webhooks::create`](crate::Webhooks::create).
///
/// The name, URL and events are required ([`CreateWebhook::new`]); the status and payload
/// version are chained setters. Nothing is checked until `create` is called, which refuses bad
/// values with [`Error::InvalidInput`](crate::Error::InvalidInput) before sending anything.
///
/// ```
/// use twilio_verify::{CreateWebhook, WebhookEvent, WebhookStatus, WebhookVersion};
///
/// let params = CreateWebhook::new(
///     "backend events",
///     "https://example.com/verify-events",
///     [WebhookEvent::ChallengeApproved, WebhookEvent::ChallengeDenied],
/// )
/// .status(WebhookStatus::Enabled)
/// .version(WebhookVersion::V2);
/// # let _ = params;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CreateWebhook {
    friendly_name: String,
    webhook_url: String,
    event_types: Vec<WebhookEvent>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl CreateWebhook {
    /// A webhook named `friendly_name` (1 to 64 characters, not personal data) that Twilio
    /// calls at `webhook_url` (an absolute `http` or `https` URL, as `http::Uri` parses it) on each of `event_types` (at least one; [`WebhookEvent::All`] for all).
    pub fn new(
        friendly_name: impl Into<String>,
        webhook_url: impl Into<String>,
        event_types: impl IntoIterator<Item = WebhookEvent>,
    ) -> Self {
        CreateWebhook {
            friendly_name: friendly_name.into(),
            webhook_url: webhook_url.into(),
            event_types: event_types.into_iter().collect(),
            status: None,
            version: None,
        }
    }

    /// Whether Twilio calls it (Twilio's default: `enabled`).
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// The payload version it receives.
    pub fn version(mut self, version: WebhookVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Checks every rule this crate knows before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        friendly_name(&self.friendly_name)?;
        if self.event_types.is_empty() {
            return Err(InvalidInput::new(
                "event_types",
                "event_types is empty: at least one event is required (WebhookEvent::All for every event)",
            ));
        }
        webhook_url(&self.webhook_url)
    }

    /// The form body: `FriendlyName`, one `EventTypes` per event, `WebhookUrl`, then the
    /// optional `Status` and `Version`.
    pub(crate) fn to_form(&self) -> String {
        Form::new()
            .text("FriendlyName", &self.friendly_name)
            .each(
                "EventTypes",
                self.event_types.iter().map(WebhookEvent::as_str),
            )
            .text("WebhookUrl", &self.webhook_url)
            .opt("Status", self.status.as_ref().map(WebhookStatus::as_str))
            .opt("Version", self.version.as_ref().map(WebhookVersion::as_str))
            .finish()
    }
}

/// The parameters of [`Webhooks::update`](crate::Webhooks::update): only what is set is sent.
///
/// With nothing set the body is empty (Twilio then changes nothing). An empty list of events
/// is refused rather than sent: it would put nothing on the wire and leave the events as
/// they were, which is not what a caller asking for "no events" means — disable the webhook
/// with [`status`](UpdateWebhook::status) or delete it instead.
///
/// ```
/// use twilio_verify::{UpdateWebhook, WebhookEvent, WebhookStatus};
///
/// let params = UpdateWebhook::new()
///     .event_types([WebhookEvent::All])
///     .status(WebhookStatus::Disabled);
/// # let _ = params;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct UpdateWebhook {
    friendly_name: Option<String>,
    event_types: Option<Vec<WebhookEvent>>,
    webhook_url: Option<String>,
    status: Option<WebhookStatus>,
    version: Option<WebhookVersion>,
}

impl UpdateWebhook {
    /// An update that changes nothing until a setter is called.
    pub fn new() -> Self {
        UpdateWebhook::default()
    }

    /// A new name, 1 to 64 characters.
    pub fn friendly_name(mut self, friendly_name: impl Into<String>) -> Self {
        self.friendly_name = Some(friendly_name.into());
        self
    }

    /// The new set of events, replacing the old one: at least one.
    pub fn event_types(mut self, event_types: impl IntoIterator<Item = WebhookEvent>) -> Self {
        self.event_types = Some(event_types.into_iter().collect());
        self
    }

    /// A new absolute `http` or `https` URL.
    pub fn webhook_url(mut self, webhook_url: impl Into<String>) -> Self {
        self.webhook_url = Some(webhook_url.into());
        self
    }

    /// Enables or disables it.
    pub fn status(mut self, status: WebhookStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// A new payload version.
    pub fn version(mut self, version: WebhookVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Checks every rule this crate knows before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        if let Some(name) = &self.friendly_name {
            friendly_name(name)?;
        }
        if self.event_types.as_ref().is_some_and(Vec::is_empty) {
            return Err(InvalidInput::new(
                "event_types",
                "event_types is empty: an empty list would send nothing and keep the old events; \
                 leave it unset, or disable or delete the webhook",
            ));
        }
        if let Some(url) = &self.webhook_url {
            webhook_url(url)?;
        }
        Ok(())
    }

    /// The form body of what is set, in the spec's order; empty when nothing is.
    pub(crate) fn to_form(&self) -> String {
        let events = self.event_types.iter().flatten().map(WebhookEvent::as_str);
        Form::new()
            .opt("FriendlyName", self.friendly_name.as_deref())
            .each("EventTypes", events)
            .opt("WebhookUrl", self.webhook_url.as_deref())
            .opt("Status", self.status.as_ref().map(WebhookStatus::as_str))
            .opt("Version", self.version.as_ref().map(WebhookVersion::as_str))
            .finish()
    }
}

/// Required, at most 64 characters.
fn friendly_name(value: &str) -> Result<(), InvalidInput> {
    rules::required("friendly_name", value)?;
    rules::max_chars("friendly_name", value, MAX_FRIENDLY_NAME_CHARS)
}

/// Required, and an absolute `http`/`https` URL with a host that parses as a URI. The value is
/// not echoed: webhook URLs often carry a token of their own.
fn webhook_url(value: &str) -> Result<(), InvalidInput> {
    rules::required("webhook_url", value)?;
    let absolute = value.parse::<Uri>().ok().is_some_and(|uri| {
        let web = uri.scheme() == Some(&Scheme::HTTPS) || uri.scheme() == Some(&Scheme::HTTP);
        web && uri.host().is_some_and(|host| !host.is_empty())
    });
    if absolute {
        return Ok(());
    }
    Err(InvalidInput::new(
        "webhook_url",
        format!(
            "webhook_url is not an absolute http or https URL ({} characters): must look like \
             https://example.com/verify-events",
            value.chars().count()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://example.com/hook";

    fn create(url: &str) -> CreateWebhook {
        CreateWebhook::new("name", url, [WebhookEvent::All])
    }

    #[test]
    fn urls_that_are_absolute_http_or_https_pass() {
        for ok in [
            URL,
            "http://127.0.0.1:8080/verify",
            "HTTPS://EXAMPLE.COM",
            "https://example.com/a%20b?x=1&y=a+b#frag",
            "https://[::1]:8443/hook",
            "https://example.com/ü",
        ] {
            webhook_url(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        }
    }

    #[test]
    fn urls_that_are_relative_not_web_or_do_not_parse_are_refused_without_echo() {
        for bad in [
            "",
            "example.com/hook",
            "/hook",
            "ftp://example.com/hook",
            "mailto:ops@example.com",
            "https://",
            "https:///path",
            "https://exa mple.com/",
            "https://example.com/\n",
            "javascript:alert(1)",
        ] {
            let err = create(bad)
                .validate()
                .expect_err(&format!("{bad:?} passed"));
            assert_eq!(err.parameter(), "webhook_url", "{bad:?}");
        }
        assert_eq!(
            webhook_url("https://exa mple.com/?token=s3cret")
                .unwrap_err()
                .to_string(),
            "webhook_url is not an absolute http or https URL (34 characters): must look like \
             https://example.com/verify-events"
        );
        assert_eq!(
            webhook_url("").unwrap_err().to_string(),
            "webhook_url is empty: it is required"
        );
    }

    #[test]
    fn friendly_names_must_be_1_to_64_characters() {
        CreateWebhook::new("é".repeat(64), URL, [WebhookEvent::All])
            .validate()
            .unwrap();
        let long = CreateWebhook::new("é".repeat(65), URL, [WebhookEvent::All]);
        assert_eq!(
            long.validate().unwrap_err().to_string(),
            "friendly_name is 65 characters long: must be at most 64"
        );
        let empty = CreateWebhook::new("", URL, [WebhookEvent::All]);
        assert_eq!(
            empty.validate().unwrap_err().to_string(),
            "friendly_name is empty: it is required"
        );
        let update = UpdateWebhook::new().friendly_name("x".repeat(65));
        assert_eq!(update.validate().unwrap_err().parameter(), "friendly_name");
    }

    #[test]
    fn a_create_without_events_is_refused() {
        let err = CreateWebhook::new("name", URL, []).validate().unwrap_err();
        assert_eq!(err.parameter(), "event_types");
        assert_eq!(
            err.to_string(),
            "event_types is empty: at least one event is required (WebhookEvent::All for every event)"
        );
    }

    #[test]
    fn an_update_with_an_empty_event_list_is_refused_but_an_empty_update_is_not() {
        let err = UpdateWebhook::new().event_types([]).validate().unwrap_err();
        assert_eq!(err.parameter(), "event_types");
        UpdateWebhook::new().validate().unwrap();
        assert_eq!(UpdateWebhook::new().to_form(), "");
    }

    #[test]
    fn forms_repeat_event_types_in_the_order_given() {
        let params = CreateWebhook::new(
            "name",
            URL,
            [WebhookEvent::FactorDeleted, WebhookEvent::FactorVerified],
        )
        .version(WebhookVersion::V2);
        assert_eq!(
            params.to_form(),
            "FriendlyName=name&EventTypes=factor.deleted&EventTypes=factor.verified\
             &WebhookUrl=https%3A%2F%2Fexample.com%2Fhook&Version=v2"
        );
        let update = UpdateWebhook::new()
            .version(WebhookVersion::V1)
            .status(WebhookStatus::Enabled);
        assert_eq!(update.to_form(), "Status=enabled&Version=v1");
    }
}
