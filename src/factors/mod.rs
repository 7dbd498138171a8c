//! Factors: the handle for one entity's factors (create, list, fetch, update, verify, delete),
//! their parameters and their model.

pub(crate) mod checks;
pub(crate) mod model;
pub(crate) mod params;
pub(crate) mod update;

use std::fmt;

use crate::client::VerifyClient;
use crate::error::Error;
use crate::rules;
use crate::sid::{FactorSid, ServiceSid};
use crate::transport::list::List;
use model::{Factor, NewFactor};
use params::CreateFactor;
use update::UpdateFactor;

/// The factors of one entity (user) of a Verify Service; made by [`VerifyClient::factors`].
///
/// It holds its own cheap clone of the client, so it can be stored in a struct. Its `Debug`
/// shows the service SID only: the identity is personal data per Twilio.
///
/// ```no_run
/// use twilio_verify::{CreateFactor, FactorStatus, TotpAlgorithm, VerifyClient};
///
/// let client = VerifyClient::from_env()?;
/// let factors = client.factors("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ff483d1f-5b7e-4c1a")?;
/// let totp = factors.create(
///     &CreateFactor::totp("Alice's authenticator app")
///         .time_step(30)
///         .code_length(6)
///         .algorithm(TotpAlgorithm::Sha1),
/// )?;
/// if let Some(uri) = totp.binding.as_ref().and_then(|b| b.uri.as_ref()) {
///     let _qr_code_payload: &str = uri.expose_secret(); // show once, never log
/// }
/// let verified = factors.verify(&totp.sid, "123456")?;
/// assert_eq!(verified.status, FactorStatus::Verified);
/// # Ok::<(), twilio_verify::Error>(())
/// ```
#[derive(Clone)]
pub struct Factors {
    client: VerifyClient,
    service_sid: ServiceSid,
    /// `/v2/Services/{ServiceSid}/Entities/{Identity}/Factors`, below the base URL.
    path: String,
    /// The same with the base URL in front, made once.
    url: String,
}

impl fmt::Debug for Factors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Factors")
            .field("service_sid", &self.service_sid)
            .finish_non_exhaustive()
    }
}

impl VerifyClient {
    /// The factors of the entity `identity` of one Verify Service.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `service_sid` does not match `^VA[0-9a-fA-F]{32}$` or
    /// `identity` is not 8 to 64 dash-separated ASCII letters and digits.
    pub fn factors(
        &self,
        service_sid: impl AsRef<str>,
        identity: impl AsRef<str>,
    ) -> Result<Factors, Error> {
        let service_sid = ServiceSid::parse_as(service_sid.as_ref(), "service_sid")?;
        let identity = identity.as_ref();
        rules::identity(identity)?;
        let path = format!("/v2/Services/{service_sid}/Entities/{identity}/Factors");
        Ok(Factors {
            url: format!("{}{path}", self.base_url()),
            client: self.clone(),
            service_sid,
            path,
        })
    }
}

impl Factors {
    /// The service these factors belong to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Creates a factor: `POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors`
    /// (the entity is created with it if new).
    ///
    /// The answer carries the `binding` — for TOTP the secret and the `otpauth://` URI — this
    /// once only. Retried only when Twilio provably did not process it (a `429`, or no
    /// connection made), since a retried create could make a second factor.
    ///
    /// # Errors
    /// - [`Error::InvalidInput`], with nothing sent, when a parameter breaks its rule (see
    ///   [`CreateFactor`]'s setters) or a push factor lacks its key, app ID, platform or token;
    /// - [`Error::Api`] when Twilio answers non-2xx;
    /// - [`Error::Transport`] when no answer could be had;
    /// - [`Error::Decode`] when a 2xx body is not a new factor.
    pub fn create(&self, params: &CreateFactor) -> Result<NewFactor, Error> {
        params.validate()?;
        self.client.post_json(&self.url, &params.to_form())
    }

    /// Lists the entity's factors: `GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors`,
    /// a page at a time.
    ///
    /// Errors arrive through the iterator: see [`List`].
    pub fn list(&self) -> List<Factor> {
        List::new(self.client.clone(), self.path.clone(), "factors")
    }

    /// Fetches a factor: `GET /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}`.
    ///
    /// Accepts a [`FactorSid`] or a `&str`. Retried on `429`, `5xx` gateway errors and
    /// transport failures, since a fetch changes nothing.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, when `sid` does not match
    /// `^YF[0-9a-fA-F]{32}$`; [`Error::Api`] (`404`, code 20404, for an unknown factor);
    /// [`Error::Transport`]; [`Error::Decode`] when a 2xx body is not a factor.
    pub fn fetch(&self, sid: impl AsRef<str>) -> Result<Factor, Error> {
        let sid = sid.as_ref();
        FactorSid::check(sid, "factor_sid")?;
        self.client.fetch_json(&format!("{}/{sid}", self.url))
    }

    /// Updates a factor: `POST /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}`;
    /// with an auth payload it also verifies it.
    ///
    /// Retried only when Twilio provably did not process it: a retried update could consume a
    /// one-time code.
    ///
    /// # Errors
    /// - [`Error::InvalidInput`], with nothing sent, for a malformed `sid` or a parameter that
    ///   breaks its rule (see [`UpdateFactor`]'s setters);
    /// - [`Error::Api`] when Twilio answers non-2xx (a wrong code, say);
    /// - [`Error::Transport`] when no answer could be had;
    /// - [`Error::Decode`] when a 2xx body is not a factor.
    pub fn update(&self, sid: impl AsRef<str>, params: &UpdateFactor) -> Result<Factor, Error> {
        let sid = sid.as_ref();
        FactorSid::check(sid, "factor_sid")?;
        params.validate()?;
        self.client
            .post_json(&format!("{}/{sid}", self.url), &params.to_form())
    }

    /// Verifies a new factor with `code` — the TOTP code the app shows, or a push device's
    /// signed payload: an [`update`](Factors::update) with only `AuthPayload`. The answer's
    /// `status` is [`FactorStatus::Verified`](crate::FactorStatus::Verified) when it was right.
    ///
    /// Retried only when Twilio provably did not process it.
    ///
    /// # Errors
    /// As [`update`](Factors::update); `code` is refused, with nothing sent, when empty, when
    /// all digits but not 3 to 8 of them, or when over 5456 characters.
    pub fn verify(&self, sid: impl AsRef<str>, code: impl AsRef<str>) -> Result<Factor, Error> {
        self.update(sid, &UpdateFactor::new().auth_payload(code.as_ref()))
    }

    /// Deletes a factor: `DELETE /v2/Services/{ServiceSid}/Entities/{Identity}/Factors/{Sid}`.
    ///
    /// Retried like a fetch; a retry that finds the factor gone (`404` after an attempt that
    /// may have deleted it) has succeeded.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed `sid`; [`Error::Api`]
    /// (`404`) for an unknown factor; [`Error::Transport`].
    pub fn delete(&self, sid: impl AsRef<str>) -> Result<(), Error> {
        let sid = sid.as_ref();
        FactorSid::check(sid, "factor_sid")?;
        self.client.delete_at(&format!("{}/{sid}", self.url))
    }
}
