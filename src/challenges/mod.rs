//! Challenges: the handle for one entity's challenges (create, list, fetch, update, notify),
//! their parameters, notifications and the model.

pub(crate) mod model;
pub(crate) mod notifications;
pub(crate) mod params;

use std::fmt;
use std::time::SystemTime;

use crate::client::VerifyClient;
use crate::enums::ListOrder;
use crate::error::Error;
use crate::rules;
use crate::sid::{ChallengeSid, FactorSid, ServiceSid};
use crate::transport::list::List;
use model::{Challenge, ChallengeStatus};
use notifications::{CreateNotification, Notification};
use params::{CreateChallenge, UpdateChallenge};

/// The challenges of one entity (user) of a Verify Service; made by
/// [`VerifyClient::challenges`].
///
/// It holds its own cheap clone of the client, so it can be stored in a struct. Its `Debug`
/// shows the service but not the identity (personal data).
///
/// ```no_run
/// use std::time::Duration;
/// use twilio_verify::{ChallengeStatus, CreateChallenge, CreateNotification, VerifyClient};
///
/// let client = VerifyClient::from_env()?;
/// let challenges = client.challenges("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ff483d1f-5b7e-4c1a")?;
/// let challenge = challenges.create(
///     &CreateChallenge::new("YFaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///         .message("Approve the login from Chrome on macOS?")
///         .field("Location", "Berlin")
///         .expires_in(Duration::from_secs(300)),
/// )?;
/// challenges.notify(&challenge.sid, &CreateNotification::new().ttl(150))?;
/// match challenges.fetch(&challenge.sid)?.status {
///     ChallengeStatus::Approved => println!("logged in"),
///     ChallengeStatus::Pending => println!("still waiting"),
///     other => println!("refused: {other}"),
/// }
/// for pending in challenges.list().status(ChallengeStatus::Pending).limit(10) {
///     println!("pending {}", pending?.sid);
/// }
/// # Ok::<(), twilio_verify::Error>(())
/// ```
#[derive(Clone)]
pub struct Challenges {
    client: VerifyClient,
    service_sid: ServiceSid,
    /// `/v2/Services/{ServiceSid}/Entities/{Identity}/Challenges`, below the base URL.
    path: String,
    /// The same with the base URL in front, made once.
    url: String,
}

impl fmt::Debug for Challenges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenges")
            .field("service_sid", &self.service_sid)
            .finish_non_exhaustive()
    }
}

impl VerifyClient {
    /// The challenges of the entity `identity` of one Verify Service.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `service_sid` does not match `^VA[0-9a-fA-F]{32}$` or
    /// `identity` is not 8 to 64 dash-separated ASCII letters and digits.
    pub fn challenges(
        &self,
        service_sid: impl AsRef<str>,
        identity: impl AsRef<str>,
    ) -> Result<Challenges, Error> {
        let service_sid = ServiceSid::parse_as(service_sid.as_ref(), "service_sid")?;
        let identity = identity.as_ref();
        rules::identity(identity)?;
        let path = format!("/v2/Services/{service_sid}/Entities/{identity}/Challenges");
        Ok(Challenges {
            url: format!("{}{path}", self.base_url()),
            client: self.clone(),
            service_sid,
            path,
        })
    }
}

impl Challenges {
    /// The service these challenges belong to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Creates a challenge:
    /// `POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges`, answered `201`.
    ///
    /// `ExpirationDate` is computed from the system clock when it is sent. Retried only when
    /// Twilio provably did not process it (a `429`, or no connection made), since a retry
    /// could push a second challenge or consume a TOTP code twice.
    ///
    /// # Errors
    /// - [`Error::InvalidInput`], with nothing sent, when a rule of [`CreateChallenge`] is
    ///   broken: a malformed factor SID, a message over 256 characters, more than 20 fields or
    ///   one too long, hidden details over 1024 characters as JSON, a bad auth payload, or an
    ///   expiration not in the next 60 minutes;
    /// - [`Error::Api`] when Twilio answers non-2xx (an unknown or unverified factor, a push
    ///   challenge without a message);
    /// - [`Error::Transport`], [`Error::Decode`] as for any call.
    pub fn create(&self, params: &CreateChallenge) -> Result<Challenge, Error> {
        let now = SystemTime::now();
        params.validate(now)?;
        let form = params.to_form(now)?;
        self.client.post_json(&self.url, &form)
    }

    /// Lists the entity's challenges:
    /// `GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges`, a page at a time,
    /// optionally filtered with [`List::factor_sid`], [`List::status`] and [`List::order`].
    ///
    /// Errors arrive through the iterator: see [`List`].
    pub fn list(&self) -> List<Challenge> {
        List::new(self.client.clone(), self.path.clone(), "challenges")
    }

    /// Fetches a challenge:
    /// `GET /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}`.
    ///
    /// Accepts a [`ChallengeSid`] or a `&str`. Retried like any fetch.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, when `sid` does not match
    /// `^YC[0-9a-fA-F]{32}$`; [`Error::Api`] (`404`) for an unknown one; [`Error::Transport`],
    /// [`Error::Decode`].
    pub fn fetch(&self, sid: impl AsRef<str>) -> Result<Challenge, Error> {
        let sid = sid.as_ref();
        ChallengeSid::check(sid, "challenge_sid")?;
        self.client.fetch_json(&format!("{}/{sid}", self.url))
    }

    /// Answers a challenge:
    /// `POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{Sid}`.
    ///
    /// Retried only when Twilio provably did not process it (an answer may consume a code).
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed `sid`, an auth payload
    /// that breaks its rule or metadata over 1024 characters as JSON; [`Error::Api`] when
    /// Twilio answers non-2xx; [`Error::Transport`], [`Error::Decode`].
    pub fn update(
        &self,
        sid: impl AsRef<str>,
        params: &UpdateChallenge,
    ) -> Result<Challenge, Error> {
        let sid = sid.as_ref();
        ChallengeSid::check(sid, "challenge_sid")?;
        params.validate()?;
        let form = params.to_form()?;
        self.client.post_json(&format!("{}/{sid}", self.url), &form)
    }

    /// Answers a challenge with a code or payload alone: `update(sid,
    /// &UpdateChallenge::new().auth_payload(payload))`. The answer's
    /// [`status`](Challenge::status) says whether it was accepted.
    ///
    /// # Errors
    /// As [`update`](Challenges::update).
    pub fn verify(
        &self,
        sid: impl AsRef<str>,
        auth_payload: impl Into<String>,
    ) -> Result<Challenge, Error> {
        self.update(sid, &UpdateChallenge::new().auth_payload(auth_payload))
    }

    /// Pushes a challenge to the device again:
    /// `POST /v2/Services/{ServiceSid}/Entities/{Identity}/Challenges/{ChallengeSid}/Notifications`,
    /// answered `201`.
    ///
    /// Retried only when Twilio provably did not process it (a retry could push twice).
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed `challenge_sid` or a `ttl`
    /// over 300; [`Error::Api`] when Twilio answers non-2xx (a challenge that is not pending,
    /// or not of a push factor); [`Error::Transport`], [`Error::Decode`].
    pub fn notify(
        &self,
        challenge_sid: impl AsRef<str>,
        params: &CreateNotification,
    ) -> Result<Notification, Error> {
        let sid = challenge_sid.as_ref();
        ChallengeSid::check(sid, "challenge_sid")?;
        params.validate()?;
        self.client.post_json(
            &format!("{}/{sid}/Notifications", self.url),
            &params.to_form(),
        )
    }
}

/// The filters of a challenge list ([`Challenges::list`]).
impl List<Challenge> {
    /// Only the challenges of the factor `factor_sid` (`FactorSid`). A malformed SID is
    /// refused: the first call yields [`Error::InvalidInput`] and nothing is sent.
    pub fn factor_sid(self, factor_sid: impl AsRef<str>) -> Self {
        let factor_sid = factor_sid.as_ref();
        match FactorSid::check(factor_sid, "factor_sid") {
            Ok(()) => self.filter("FactorSid", factor_sid.to_owned()),
            Err(refused) => self.refuse(refused),
        }
    }

    /// Only the challenges in `status` (`Status`).
    pub fn status(self, status: ChallengeStatus) -> Self {
        self.filter("Status", status.as_str().to_owned())
    }

    /// The order by creation date (`Order`); Twilio's default is oldest first.
    pub fn order(self, order: ListOrder) -> Self {
        self.filter("Order", order.as_str().to_owned())
    }
}
