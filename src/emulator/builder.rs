//! [`EmulatorBuilder`]: an emulator on a fixed port with fixed credentials and services, so
//! another process can be configured to reach it.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::server::Server;
use super::state::State;
use super::{Emulator, ids};
use crate::client::VerifyClient;
use crate::secret::Secret;
use crate::sid::{AccountSid, ApiKeySid, ServiceSid};

/// Configures an [`Emulator`] before starting it; made by [`Emulator::builder`].
///
/// Whatever is not set is random (a free port, an `AC…` account SID, a 32-hex auth token, an
/// `SK…` API key with a 32-hex secret, one `VA…` service). Its `Debug` redacts the auth
/// token and API secret.
///
/// ```
/// use twilio_verify::emulator::Emulator;
///
/// let emulator = Emulator::builder()
///     .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
///     .auth_token("test-auth-token")
///     .api_key("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "test-api-secret")
///     .service("VAcccccccccccccccccccccccccccccccc")
///     .service("VAdddddddddddddddddddddddddddddddd")
///     .start()?;
/// assert_eq!(emulator.account_sid(), "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
/// assert_eq!(emulator.service_sid().as_str(), "VAcccccccccccccccccccccccccccccccc");
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct EmulatorBuilder {
    port: u16,
    account_sid: Option<String>,
    auth_token: Option<Secret>,
    api_key: Option<(String, Secret)>,
    services: Vec<String>,
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what)
}

impl EmulatorBuilder {
    /// Listens on `127.0.0.1:{port}` (0, the default, picks a free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The account SID accepted as the Basic user name (`AC` + 32 hex digits).
    pub fn account_sid(mut self, sid: impl Into<String>) -> Self {
        self.account_sid = Some(sid.into());
        self
    }

    /// The auth token accepted as the Basic password with the account SID.
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth_token = Some(Secret::new(token));
        self
    }

    /// The API key accepted instead of the account's auth token: its `SK…` SID and secret.
    pub fn api_key(mut self, sid: impl Into<String>, secret: impl Into<String>) -> Self {
        self.api_key = Some((sid.into(), Secret::new(secret)));
        self
    }

    /// Adds a service (`VA` + 32 hex digits); repeatable. The first is
    /// [`Emulator::service_sid`]. Without any, one random service exists.
    pub fn service(mut self, sid: impl Into<String>) -> Self {
        self.services.push(sid.into());
        self
    }

    /// Starts the emulator.
    ///
    /// # Errors
    /// [`io::ErrorKind::InvalidInput`] for a malformed account, API key or service SID, or an
    /// auth token or secret the client would refuse (empty, or over 1024 bytes) or holding a
    /// control character; any error binding `127.0.0.1:{port}` (in use, say) or
    /// starting the server's thread.
    pub fn start(self) -> io::Result<Emulator> {
        let account_sid = match self.account_sid {
            Some(sid) => AccountSid::parse_as(&sid, "account_sid")
                .map_err(|e| invalid(e.to_string()))?
                .to_string(),
            None => ids::sid("AC"),
        };
        let auth_token = self
            .auth_token
            .map_or_else(ids::hex32, |t| t.expose_secret().to_owned());
        let (key_sid, key_secret) = match self.api_key {
            Some((sid, secret)) => {
                ApiKeySid::check(&sid, "api_key_sid").map_err(|e| invalid(e.to_string()))?;
                (sid, secret.expose_secret().to_owned())
            }
            None => (ids::sid("SK"), ids::hex32()),
        };
        if auth_token.is_empty() || key_secret.is_empty() {
            return Err(invalid(
                "the auth token and API secret must not be empty".into(),
            ));
        }
        // Printed one per line by `twilio-verify emulator`, and typed into other programs.
        if auth_token
            .chars()
            .chain(key_secret.chars())
            .any(char::is_control)
        {
            return Err(invalid(
                "the auth token and API secret must not hold control characters".into(),
            ));
        }
        // Only credentials the client accepts (length, shape), so `client()` cannot fail.
        for builder in [
            VerifyClient::builder()
                .account_sid(&account_sid)
                .auth_token(&auth_token),
            VerifyClient::builder().api_key(&key_sid, &key_secret),
        ] {
            builder
                .base_url("http://127.0.0.1:1")
                .build()
                .map_err(|e| invalid(e.to_string()))?;
        }
        let mut services = Vec::new();
        for sid in &self.services {
            services.push(
                ServiceSid::parse_as(sid, "service_sid").map_err(|e| invalid(e.to_string()))?,
            );
        }
        if services.is_empty() {
            services.push(
                ids::sid("VA")
                    .parse()
                    .expect("a generated SID is well formed"),
            );
        }
        let socket = tokio::net::TcpSocket::new_v4()?;
        // Its accepted connections inherit this, so the ones it closed itself (TIME_WAIT after
        // a drop) do not keep the port from being bound again, by a restart or anything else.
        socket.set_reuseaddr(true)?;
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))?;
        let base_url = format!("http://{}", socket.local_addr()?);
        let mut state = State::new(base_url, account_sid, auth_token);
        state.api_key = Some((key_sid, key_secret));
        let state = Arc::new(state);
        for sid in &services {
            state.add_service(sid.clone());
        }
        let server = Server::start(socket, Arc::clone(&state))?;
        Ok(Emulator {
            state,
            service_sid: services[0].clone(),
            server,
        })
    }
}
