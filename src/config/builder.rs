//! Configuring and building a [`VerifyClient`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ureq::Agent;
use ureq::tls::{PemItem, RootCerts, TlsConfig};

use crate::client::{ClientInner, VerifyClient};
use crate::config::credentials::{Credentials, credential_sid};
use crate::config::endpoint::{DEFAULT_BASE_URL, Endpoint};
use crate::error::{Error, InvalidInput};
use crate::secret::Secret;
use crate::transport::resolver::CachingResolver;
use crate::transport::retry::RetryPolicy;

/// The default bound on connecting.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default bound on one whole attempt (connect, send, answer, body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default number of idle connections kept for reuse.
pub const DEFAULT_MAX_IDLE_CONNECTIONS: usize = 16;

/// A timeout at least this long means "no limit" (a year: longer than any call could wait, and
/// far from the overflow that `Duration::MAX` would cause).
const NO_LIMIT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// The longest user agent extension accepted.
const MAX_USER_AGENT_EXTENSION_BYTES: usize = 256;

/// The longest auth token or API secret accepted (Twilio's are 32 characters).
const MAX_SECRET_BYTES: usize = 1024;

/// Builds a [`VerifyClient`]. Start with [`VerifyClient::builder`].
///
/// Nothing is checked until [`build`](VerifyClientBuilder::build), which refuses bad settings
/// with [`Error::InvalidInput`] naming the setting.
#[derive(Clone, Default)]
#[must_use]
pub struct VerifyClientBuilder {
    account_sid: Option<String>,
    auth_token: Option<Secret>,
    api_key: Option<(String, Secret)>,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    user_agent_extension: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    proxy: Option<Secret>,
    ca_certificates_pem: Option<Vec<u8>>,
    max_idle_connections: Option<usize>,
}

impl VerifyClientBuilder {
    /// The account SID (`AC…`): the Basic user name with [`auth_token`](Self::auth_token), or
    /// the owner of the API key with [`api_key`](Self::api_key) (optional there).
    pub fn account_sid(mut self, account_sid: impl Into<String>) -> Self {
        self.account_sid = Some(account_sid.into());
        self
    }

    /// The account's auth token.
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> Self {
        self.auth_token = Some(Secret::new(auth_token));
        self
    }

    /// An API key SID (`SK…`) and its secret, used instead of the auth token. Twilio recommends
    /// API keys in production.
    pub fn api_key(
        mut self,
        api_key_sid: impl Into<String>,
        api_secret: impl Into<String>,
    ) -> Self {
        self.api_key = Some((api_key_sid.into(), Secret::new(api_secret)));
        self
    }

    /// Where requests go; default `https://verify.twilio.com`. Plain `http` is accepted only for
    /// a loopback host (`127.0.0.1`, `::1`, `localhost`), as used by tests and local emulators;
    /// `localhost` always resolves to `127.0.0.1` / `::1`, whatever the system's resolver says.
    /// At most 2048 bytes; no user info, query, or port outside 1–65535.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The Twilio region (`au1`, `ie1`, …): `verify.twilio.com` becomes
    /// `verify.{edge}.{region}.twilio.com`. Ignored for hosts outside `twilio.com`. Letters,
    /// digits and `-`, at most 63 characters (as for the edge).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The Twilio edge location (`sydney`, `dublin`, …); region `us1` when no region is set.
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Appended to the user agent `twilio-verify-rust/{version} ({os} {arch})`, e.g. `myapp/1.2`:
    /// printable ASCII (no control characters), at most 256 bytes.
    pub fn user_agent_extension(mut self, extension: impl Into<String>) -> Self {
        self.user_agent_extension = Some(extension.into());
        self
    }

    /// The bound on connecting (DNS, TCP, a proxy's handshake and TLS); default 10 s.
    /// `Duration::MAX` (or anything from a year up) means no limit.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The bound on each whole attempt, from connect to the last byte of the answer; default 30 s.
    /// A call returns within it per attempt (plus the retry delays), whatever the server, a
    /// proxy or the network do. `Duration::MAX` (or anything from a year up) means no limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed calls are retried; default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// An explicit proxy: an HTTP CONNECT proxy such as `http://user:pass@proxy.internal:3128`,
    /// or SOCKS (`socks4://`, `socks4a://`, `socks5://`, `socks5h://`); user info is kept secret
    /// and must be percent-encoded (`/`, `?`, `#`, `@`, `%`). Nothing may follow `host:port`.
    ///
    /// Without it, the environment applies: `https_proxy` / `HTTPS_PROXY`, else `all_proxy` /
    /// `ALL_PROXY` (lower case first), unless `no_proxy` / `NO_PROXY` names the host or a parent
    /// domain (comma-separated, `*` for all). `HTTP_PROXY` is never read ("httpoxy"). The
    /// environment never applies to a loopback base URL; an explicit proxy does, and must then
    /// be on loopback itself if the base URL is plain `http`.
    pub fn proxy(mut self, proxy_url: impl Into<String>) -> Self {
        self.proxy = Some(Secret::new(proxy_url));
        self
    }

    /// Trust the certificate authorities in this PEM bundle instead of the bundled web PKI roots
    /// (for a corporate proxy that inspects TLS). Certificates are always verified, and each
    /// `CERTIFICATE` block must hold a certificate that parses.
    pub fn ca_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certificates_pem = Some(pem.into());
        self
    }

    /// How many idle connections are kept for reuse; default 16. Size it to the number of
    /// threads that share the client.
    pub fn max_idle_connections(mut self, connections: usize) -> Self {
        self.max_idle_connections = Some(connections);
        self
    }

    /// Checks the settings and builds the client: its agent, `Authorization` value and user
    /// agent are made here, once.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when credentials are missing or malformed, the base URL does not
    /// parse, has user info or a bad port, or is plain `http` to a non-loopback host, the
    /// region, edge or user agent extension is malformed or too long, a timeout is zero, the
    /// proxy URL (explicit,
    /// or from the variable named in the error) does not parse to a proxy, or the CA bundle
    /// holds no certificate or one that does not parse.
    pub fn build(self) -> Result<VerifyClient, Error> {
        let credentials = self.credentials()?;
        let endpoint = Endpoint::new(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.region.as_deref(),
            self.edge.as_deref(),
        )?;
        let user_agent = user_agent(self.user_agent_extension.as_deref())?;
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        for (name, value) in [("connect_timeout", connect_timeout), ("timeout", timeout)] {
            // Zero would fail every call at once, as a timeout: a mistake, not a setting.
            if value.is_zero() {
                return Err(InvalidInput::new(
                    name,
                    format!("{name} is zero: every call would time out at once; give a bound, or Duration::MAX for none"),
                )
                .into());
            }
        }
        let limit = |t: Duration| (t < NO_LIMIT).then_some(t);
        let idle = self
            .max_idle_connections
            .unwrap_or(DEFAULT_MAX_IDLE_CONNECTIONS);
        let proxy = crate::config::proxy::choose(
            self.proxy.as_ref().map(Secret::expose_secret),
            &endpoint,
            |name| std::env::var(name).ok(),
        )?;
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(user_agent.as_str())
            .accept("application/json")
            .timeout_connect(limit(connect_timeout))
            .timeout_global(limit(timeout))
            .max_idle_connections(idle)
            .max_idle_connections_per_host(idle)
            .proxy(proxy.clone())
            .tls_config(self.tls_config()?)
            .build();
        let agent = Agent::with_parts(
            config,
            crate::config::proxy::connector(),
            CachingResolver::default(),
        );
        let authorization = credentials.authorization();
        let mut header = ureq::http::HeaderValue::from_str(authorization.expose_secret())
            .expect("base64 is a valid header value");
        header.set_sensitive(true);
        Ok(VerifyClient {
            inner: Arc::new(ClientInner {
                agent,
                base_url: endpoint.base,
                credentials,
                authorization: header,
                user_agent,
                connect_timeout,
                timeout,
                retry_policy: self.retry_policy.unwrap_or_default(),
                proxy: proxy.map(|p| format!("{}:{}", p.host(), p.port())),
            }),
        })
    }

    fn credentials(&self) -> Result<Credentials, InvalidInput> {
        let secrets = [
            ("auth_token", self.auth_token.as_ref()),
            (
                "api_secret",
                self.api_key.as_ref().map(|(_, secret)| secret),
            ),
        ];
        for (name, secret) in secrets {
            if secret.is_some_and(|s| s.expose_secret().len() > MAX_SECRET_BYTES) {
                return Err(InvalidInput::new(
                    name,
                    format!("{name} is longer than {MAX_SECRET_BYTES} bytes"),
                ));
            }
        }
        if let Some((sid, secret)) = &self.api_key {
            let mut credentials = Credentials::api_key(sid, secret.expose_secret())?;
            if let (Credentials::ApiKey { account_sid, .. }, Some(sid)) =
                (&mut credentials, &self.account_sid)
            {
                *account_sid = Some(credential_sid(sid, "account_sid", "AC")?);
            }
            return Ok(credentials);
        }
        match (&self.account_sid, &self.auth_token) {
            (Some(sid), Some(token)) => Credentials::auth_token(sid, token.expose_secret()),
            (Some(_), None) => Err(InvalidInput::new(
                "auth_token",
                "auth_token is not set: give the account's auth token, or use api_key",
            )),
            (None, Some(_)) => Err(InvalidInput::new(
                "account_sid",
                "account_sid is not set: give the account SID that owns the auth token",
            )),
            (None, None) => Err(InvalidInput::new(
                "credentials",
                "no credentials: set account_sid and auth_token, or api_key",
            )),
        }
    }

    fn tls_config(&self) -> Result<TlsConfig, InvalidInput> {
        let roots = match &self.ca_certificates_pem {
            Some(pem) => {
                let certs: Vec<_> = ureq::tls::parse_pem(pem)
                    .filter_map(|item| match item {
                        Ok(PemItem::Certificate(cert)) => Some(cert),
                        _ => None,
                    })
                    .collect();
                // rustls (through ureq) would skip a certificate it cannot parse, and every
                // call would then fail with an unknown issuer: check each one here.
                for (n, cert) in certs.iter().enumerate() {
                    let der = rustls::pki_types::CertificateDer::from(cert.der());
                    if rustls::RootCertStore::empty().add(der).is_err() {
                        return Err(InvalidInput::new(
                            "ca_certificates_pem",
                            format!(
                                "ca_certificates_pem: certificate {} of {} does not parse as an \
                                 X.509 CA certificate",
                                n + 1,
                                certs.len()
                            ),
                        ));
                    }
                }
                if certs.is_empty() {
                    return Err(InvalidInput::new(
                        "ca_certificates_pem",
                        "ca_certificates_pem holds no PEM certificate",
                    ));
                }
                RootCerts::new_with_certs(&certs)
            }
            None if cfg!(feature = "native-roots") => RootCerts::PlatformVerifier,
            None => RootCerts::WebPki,
        };
        Ok(TlsConfig::builder().root_certs(roots).build())
    }
}

impl fmt::Debug for VerifyClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyClientBuilder")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &self.auth_token)
            .field("api_key", &self.api_key)
            .field("base_url", &self.base_url.as_deref().map(redact_user_info))
            .field("region", &self.region)
            .field("edge", &self.edge)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

/// A base URL for `Debug`: as given, unless it holds an `@` (user info, maybe a token).
fn redact_user_info(url: &str) -> &str {
    if url.contains('@') {
        "<redacted: holds '@'>"
    } else {
        url
    }
}

/// `twilio-verify-rust/{version} ({os} {arch})`, then the extension, checked to be a valid and
/// short header value (ureq would panic on a control character).
fn user_agent(extension: Option<&str>) -> Result<String, InvalidInput> {
    if let Some(extension) = extension {
        if extension.len() > MAX_USER_AGENT_EXTENSION_BYTES {
            return Err(InvalidInput::new(
                "user_agent_extension",
                format!(
                    "user_agent_extension is longer than {MAX_USER_AGENT_EXTENSION_BYTES} bytes"
                ),
            ));
        }
        if !extension.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return Err(InvalidInput::new(
                "user_agent_extension",
                "user_agent_extension must be printable ASCII (like \"myapp/1.2\"): no control \
                 characters or line breaks",
            ));
        }
    }
    let mut agent = format!(
        "twilio-verify-rust/{} ({} {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    if let Some(extension) = extension.filter(|e| !e.is_empty()) {
        agent.push(' ');
        agent.push_str(extension);
    }
    Ok(agent)
}
