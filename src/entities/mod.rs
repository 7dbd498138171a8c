//! Entities: the handle for one service's users (create, list, fetch, delete) and the model.

mod model;

pub use model::Entity;

use crate::client::VerifyClient;
use crate::error::Error;
use crate::form::Form;
use crate::rules;
use crate::sid::ServiceSid;
use crate::transport::list::List;

/// The entities (users) of one Verify Service; made by [`VerifyClient::entities`].
///
/// It holds its own cheap clone of the client, so it can be stored in a struct.
///
/// ```no_run
/// use twilio_verify::VerifyClient;
///
/// let entities = VerifyClient::from_env()?.entities("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
/// let entity = entities.create("ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f")?;
/// for entity in entities.list().page_size(100) {
///     println!("{}", entity?.sid);
/// }
/// entities.delete(&entity.identity)?;
/// # Ok::<(), twilio_verify::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Entities {
    client: VerifyClient,
    service_sid: ServiceSid,
    /// `/v2/Services/{ServiceSid}/Entities`, below the base URL.
    path: String,
    /// The same with the base URL in front, made once.
    url: String,
}

impl VerifyClient {
    /// The entities (users) of one Verify Service.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `service_sid` does not match `^VA[0-9a-fA-F]{32}$`.
    pub fn entities(&self, service_sid: impl AsRef<str>) -> Result<Entities, Error> {
        let service_sid = ServiceSid::parse_as(service_sid.as_ref(), "service_sid")?;
        let path = format!("/v2/Services/{service_sid}/Entities");
        Ok(Entities {
            url: format!("{}{path}", self.base_url()),
            client: self.clone(),
            service_sid,
            path,
        })
    }
}

impl Entities {
    /// The service these entities belong to.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Creates an entity: `POST /v2/Services/{ServiceSid}/Entities` with `Identity`.
    ///
    /// Retried only when Twilio provably did not process it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, when `identity` is not 8 to 64 dash-separated
    /// ASCII letters and digits; [`Error::Api`] when Twilio answers non-2xx (an existing
    /// identity, say); [`Error::Transport`], [`Error::Decode`] as for any call.
    pub fn create(&self, identity: impl AsRef<str>) -> Result<Entity, Error> {
        let identity = identity.as_ref();
        rules::identity(identity)?;
        let form = Form::new().text("Identity", identity).finish();
        self.client.post_json(&self.url, &form)
    }

    /// Lists the service's entities: `GET /v2/Services/{ServiceSid}/Entities`, a page at a time.
    ///
    /// Errors arrive through the iterator: see [`List`].
    pub fn list(&self) -> List<Entity> {
        List::new(self.client.clone(), self.path.clone(), "entities")
    }

    /// Fetches an entity: `GET /v2/Services/{ServiceSid}/Entities/{Identity}`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed identity; [`Error::Api`]
    /// (`404`, code 20404) for an unknown one; [`Error::Transport`], [`Error::Decode`].
    pub fn fetch(&self, identity: impl AsRef<str>) -> Result<Entity, Error> {
        let identity = identity.as_ref();
        rules::identity(identity)?;
        self.client.fetch_json(&format!("{}/{identity}", self.url))
    }

    /// Deletes an entity and, with it, its factors and challenges:
    /// `DELETE /v2/Services/{ServiceSid}/Entities/{Identity}`.
    ///
    /// Retried like a fetch; a retry that finds the entity gone (`404` after an attempt that may
    /// have deleted it) has succeeded.
    ///
    /// # Errors
    /// [`Error::InvalidInput`], with nothing sent, for a malformed identity; [`Error::Api`]
    /// (`404`) for an unknown one; [`Error::Transport`].
    pub fn delete(&self, identity: impl AsRef<str>) -> Result<(), Error> {
        let identity = identity.as_ref();
        rules::identity(identity)?;
        self.client.delete_at(&format!("{}/{identity}", self.url))
    }
}
