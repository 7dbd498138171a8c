//! The client: credentials, configuration and one connection pool, shared by every handle.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::Agent;
use ureq::http::HeaderValue;

use crate::access_tokens::AccessTokens;
use crate::config::builder::VerifyClientBuilder;
use crate::config::credentials::Credentials;
use crate::error::Error;
use crate::sid::ServiceSid;
use crate::transport::retry::RetryPolicy;

/// A blocking client for Twilio Verify v2: access tokens, entities, factors, challenges,
/// notifications and webhooks.
///
/// It owns the credentials and one connection pool. It is cheap to clone (the state is shared
/// behind an `Arc`) and `Send + Sync`: build one and share it between threads.
///
/// ```no_run
/// use twilio_verify::VerifyClient;
///
/// let client = VerifyClient::new("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "your_auth_token")?;
/// let tokens = client.access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
/// # Ok::<(), twilio_verify::Error>(())
/// ```
#[derive(Clone)]
pub struct VerifyClient {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) agent: Agent,
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: String,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) retry_policy: RetryPolicy,
    pub(crate) proxy: Option<String>,
}

impl VerifyClient {
    /// A builder with every option; see [`VerifyClientBuilder`].
    pub fn builder() -> VerifyClientBuilder {
        VerifyClientBuilder::default()
    }

    /// A client for `https://verify.twilio.com` with an account SID and auth token and the
    /// default timeouts and retry policy.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the account SID is malformed or the auth token is empty.
    pub fn new(
        account_sid: impl Into<String>,
        auth_token: impl Into<String>,
    ) -> Result<Self, Error> {
        Self::builder()
            .account_sid(account_sid)
            .auth_token(auth_token)
            .build()
    }

    /// A client configured from the environment; see [`VerifyClient::builder_from_env`].
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the variables that are missing or malformed.
    pub fn from_env() -> Result<Self, Error> {
        Self::builder_from_env()?.build()
    }

    /// A builder preset from the environment, to adjust before building:
    /// `TWILIO_ACCOUNT_SID` + `TWILIO_AUTH_TOKEN`, or `TWILIO_API_KEY` + `TWILIO_API_SECRET`
    /// (preferred when set; `TWILIO_ACCOUNT_SID` then optional), plus `TWILIO_REGION` and
    /// `TWILIO_EDGE` when set.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the variables that are missing.
    pub fn builder_from_env() -> Result<VerifyClientBuilder, Error> {
        crate::config::env::builder_from(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// The Access Tokens of one Verify Service.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `service_sid` does not match `^VA[0-9a-fA-F]{32}$`.
    pub fn access_tokens(&self, service_sid: impl AsRef<str>) -> Result<AccessTokens, Error> {
        let service_sid = ServiceSid::parse_as(service_sid.as_ref(), "service_sid")?;
        Ok(AccessTokens::new(self.clone(), service_sid))
    }

    /// The base URL requests go to, after region and edge.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The path part of the base URL (`""` for `https://verify.twilio.com`).
    pub(crate) fn base_path(&self) -> &str {
        let url = self.base_url();
        let after_scheme = url.find("://").map_or(0, |at| at + 3);
        url[after_scheme..]
            .find('/')
            .map_or("", |at| &url[after_scheme + at..])
    }

    /// The credentials (their secrets redacted in `Debug`).
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }
}

impl fmt::Debug for VerifyClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("VerifyClient")
            .field("base_url", &inner.base_url)
            .field("credentials", &inner.credentials)
            .field("user_agent", &inner.user_agent)
            .field("connect_timeout", &inner.connect_timeout)
            .field("timeout", &inner.timeout)
            .field("retry_policy", &inner.retry_policy)
            .field("proxy", &inner.proxy)
            .finish()
    }
}
