//! Access tokens: the handle for one service's tokens (create and fetch), its parameters and
//! its model.

pub(crate) mod model;
pub(crate) mod params;

use crate::client::VerifyClient;
use crate::error::Error;
use crate::sid::{AccessTokenSid, ServiceSid};
use model::AccessToken;
use params::CreateAccessToken;

/// The Access Tokens of one Verify Service; made by [`VerifyClient::access_tokens`].
///
/// It holds its own cheap clone of the client, so it can be stored in a struct or returned
/// from a function.
#[derive(Debug, Clone)]
pub struct AccessTokens {
    client: VerifyClient,
    service_sid: ServiceSid,
    /// `{base}/v2/Services/{ServiceSid}/AccessTokens`, made once.
    list_url: String,
}

impl AccessTokens {
    pub(crate) fn new(client: VerifyClient, service_sid: ServiceSid) -> Self {
        let list_url = format!(
            "{}/v2/Services/{service_sid}/AccessTokens",
            client.base_url()
        );
        AccessTokens {
            client,
            service_sid,
            list_url,
        }
    }

    /// The service these tokens belong to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Creates an access token: `POST /v2/Services/{ServiceSid}/AccessTokens`.
    ///
    /// Retried only when Twilio provably did not process it (a `429`, or no connection made),
    /// since a retried create could mint a second token.
    ///
    /// ```no_run
    /// use twilio_verify::{CreateAccessToken, FactorType, VerifyClient};
    ///
    /// let tokens = VerifyClient::from_env()?.access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
    /// let token = tokens.create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push).ttl(120))?;
    /// println!("{} expires in {}s", token.sid, token.ttl);
    /// # Ok::<(), twilio_verify::Error>(())
    /// ```
    ///
    /// # Errors
    /// - [`Error::InvalidInput`], with nothing sent, when `ttl` is outside 60..=300, the identity
    ///   breaks its rule (8 to 64 dash-separated ASCII letters and digits), the friendly name is over 64 characters or the factor type is not `push`;
    /// - [`Error::Api`] when Twilio answers non-2xx;
    /// - [`Error::Transport`] when no answer could be had;
    /// - [`Error::Decode`] when a 2xx body is not an access token.
    pub fn create(&self, params: &CreateAccessToken) -> Result<AccessToken, Error> {
        params.validate()?;
        self.client.post_json(&self.list_url, &params.to_form())
    }

    /// Fetches an access token: `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}`.
    ///
    /// Accepts an [`AccessTokenSid`] or a `&str`. Retried on `429`, `5xx` gateway errors and
    /// transport failures, since a fetch changes nothing.
    ///
    /// # Errors
    /// - [`Error::InvalidInput`], with nothing sent, when `sid` does not match
    ///   `^YK[0-9a-fA-F]{32}$`;
    /// - [`Error::Api`] when Twilio answers non-2xx (`404` with code 20404 for an unknown token);
    /// - [`Error::Transport`] when no answer could be had;
    /// - [`Error::Decode`] when a 2xx body is not an access token.
    pub fn fetch(&self, sid: impl AsRef<str>) -> Result<AccessToken, Error> {
        let sid = sid.as_ref();
        AccessTokenSid::check(sid, "access_token_sid")?;
        self.client.fetch_json(&format!("{}/{sid}", self.list_url))
    }
}
