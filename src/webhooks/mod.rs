//! Webhooks: the handle for one service's webhooks (create, list, fetch, update, delete), its
//! parameters and its model.

pub(crate) mod model;
pub(crate) mod params;

use crate::client::VerifyClient;
use crate::error::Error;
use crate::sid::{ServiceSid, WebhookSid};
use crate::transport::list::List;
use model::Webhook;
use params::{CreateWebhook, UpdateWebhook};

/// The webhooks of one Verify Service; made by [`VerifyClient::webhooks`].
///
/// It holds its own cheap clone of the client, so it can be stored in a struct.
///
/// ```no_run
/// use twilio_verify::{CreateWebhook, UpdateWebhook, VerifyClient, WebhookEvent, WebhookStatus};
///
/// let webhooks = VerifyClient::from_env()?.webhooks("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
/// let hook = webhooks.create(&CreateWebhook::new(
///     "backend events",
///     "https://example.com/verify-events",
///     [WebhookEvent::ChallengeApproved, WebhookEvent::ChallengeDenied],
/// ))?;
/// webhooks.update(&hook.sid, &UpdateWebhook::new().status(WebhookStatus::Disabled))?;
/// for hook in webhooks.list() {
///     println!("{}", hook?.sid);
/// }
/// webhooks.delete(&hook.sid)?;
/// # Ok::<(), twilio_verify::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Webhooks {
    client: VerifyClient,
    service_sid: ServiceSid,
    /// `/v2/Services/{ServiceSid}/Webhooks`, below the base URL.
    path: String,
    /// The same with the base URL in front, made once.
    url: String,
}

impl VerifyClient {
    /// The webhooks of one Verify Service.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `service_sid` does not match `^VA[0-9a-fA-F]{32}$`.
    pub fn webhooks(&self, service_sid: impl AsRef<str>) -> Result<Webhooks, Error> {
        let service_sid = ServiceSid::parse_as(service_sid.as_ref(), "service_sid")?;
        let path = format!("/v2/Services/{service_sid}/Webhooks");
        Ok(Webhooks {
            url: format!("{}{path}", self.base_url()),
            client: self.clone(),
            service_sid,
            path,
        })
    }
}

impl Webhooks {
    /// The service these webhooks belong to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Creates a webhook: `POST /v2/Services/{ServiceSid}/Webhooks`.
    ///
    /// Retried only when Twilio provably did not process it (a `429`, or no connection made),
    /// since a retried create could make a second webhook.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, when the friendly name is empty or over 64
    /// characters, no event is given, or the URL is not an absolute `http`/`https` URL;
    /// [`Error::Api`] when Twilio answers non-2xx; [`Error::Transport`] when no answer could be
    /// had; [`Error::Decode`] when a 2xx body is not a webhook.
    pub fn create(&self, params: &CreateWebhook) -> Result<Webhook, Error> {
        params.validate()?;
        self.client.post_json(&self.url, &params.to_form())
    }

    /// Lists the service's webhooks: `GET /v2/Services/{ServiceSid}/Webhooks`, a page at a time.
    ///
    /// Errors arrive through the iterator: see [`List`].
    pub fn list(&self) -> List<Webhook> {
        List::new(self.client.clone(), self.path.clone(), "webhooks")
    }

    /// Fetches a webhook: `GET /v2/Services/{ServiceSid}/Webhooks/{Sid}`.
    ///
    /// Accepts a [`WebhookSid`] or a `&str`. Retried on `429`, `5xx` gateway errors and
    /// transport failures, since a fetch changes nothing.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, when `sid` does not match
    /// `^YW[0-9a-fA-F]{32}$`; [`Error::Api`] (`404`, code 20404) for an unknown one;
    /// [`Error::Transport`], [`Error::Decode`] as for any call.
    pub fn fetch(&self, sid: impl AsRef<str>) -> Result<Webhook, Error> {
        let sid = sid.as_ref();
        WebhookSid::check(sid, "webhook_sid")?;
        self.client.fetch_json(&format!("{}/{sid}", self.url))
    }

    /// Updates a webhook: `POST /v2/Services/{ServiceSid}/Webhooks/{Sid}` with only what
    /// `params` sets (an empty body when nothing is).
    ///
    /// Retried only when Twilio provably did not process it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed `sid` or a value
    /// [`UpdateWebhook`] refuses (an empty event list among them); [`Error::Api`] when Twilio
    /// answers non-2xx; [`Error::Transport`], [`Error::Decode`] as for any call.
    pub fn update(&self, sid: impl AsRef<str>, params: &UpdateWebhook) -> Result<Webhook, Error> {
        let sid = sid.as_ref();
        WebhookSid::check(sid, "webhook_sid")?;
        params.validate()?;
        self.client
            .post_json(&format!("{}/{sid}", self.url), &params.to_form())
    }

    /// Deletes a webhook: `DELETE /v2/Services/{ServiceSid}/Webhooks/{Sid}`.
    ///
    /// Retried like a fetch; a retry that finds it gone (`404` after an attempt that may have
    /// deleted it) has succeeded.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed `sid`; [`Error::Api`]
    /// (`404`) for an unknown one; [`Error::Transport`].
    pub fn delete(&self, sid: impl AsRef<str>) -> Result<(), Error> {
        let sid = sid.as_ref();
        WebhookSid::check(sid, "webhook_sid")?;
        self.client.delete_at(&format!("{}/{sid}", self.url))
    }
}
