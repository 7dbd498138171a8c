//! A local emulator of the Access Tokens API, for tests and for trying the crate without a
//! Twilio account (cargo feature `emulator`, off by default).
//!
//! [`Emulator::start`] serves the two operations over HTTP/1.1 on `127.0.0.1`, on a free port,
//! from a background thread of the calling process (hyper on a single-threaded tokio runtime,
//! so it works the same from sync and async tests); dropping the [`Emulator`] stops it, closes
//! its connections and frees the port. It behaves like Twilio as far as the OpenAPI spec and Twilio's documented
//! errors say, checking in Twilio's order:
//!
//! 1. **Authentication**: HTTP Basic with [`account_sid`](Emulator::account_sid) and
//!    [`auth_token`](Emulator::auth_token) (random per emulator; API keys are not accepted),
//!    else `401` with code 20003.
//! 2. **Faults**: an [injected](Emulator::inject) [`Fault`] applies here, to authenticated
//!    requests only.
//! 3. **Route and method**: `POST /v2/Services/{ServiceSid}/AccessTokens` and
//!    `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}`; any other path is `404` (code 20404),
//!    another method on these paths `405` (code 20004).
//! 4. **Resource**: a malformed or unknown service SID, or a malformed or unknown token SID
//!    (tokens belong to their service), is `404` with code 20404.
//! 5. **Form fields** of a create: a missing or empty `Identity` or `FactorType`, a
//!    `FactorType` other than `push`, a `FactorFriendlyName` over 64 characters, or a `Ttl`
//!    that is not a decimal integer in 60..=300 is `400` with code 60200 and a message naming
//!    the parameter (`Invalid parameter: Ttl`). Fields are read from an
//!    `application/x-www-form-urlencoded` body; empty values count as absent, unknown names
//!    are ignored.
//!
//! A create stores the token and answers `201` with every field of the spec's schema: a fresh
//! `YK` + 32 hex `sid`, `account_sid`, `service_sid`, `entity_identity`, `factor_type`,
//! `factor_friendly_name` (`null` when not given), `token`, `url`, `ttl` (default 60) and
//! `date_created` (now, ISO 8601 UTC). A fetch answers `200` with the stored record. Every
//! answer carries `Content-Type: application/json` and a `Twilio-Request-Id` (`RQ` + 32 hex);
//! errors have Twilio's body `{"code":…,"message":…,"more_info":…,"status":…}`. State lives in
//! memory only and goes with the emulator.
//!
//! Every request is [recorded](Emulator::requests) as it arrives (method, path, form fields and
//! the Basic user name — never the password), whatever its answer; "a request" is one whose
//! head and body arrived in full (see the limits below).
//!
//! **The `token` is not signed by Twilio.** It is shaped like a JWT (`header.payload.signature`,
//! each base64url) so code that passes it around can be tested, but its signature is random
//! bytes: no Verify Push SDK will accept it and nothing can verify it.
//!
//! # Limits
//! - **Connections** are kept alive, at most 1024 served at once; the kernel queues up to 1024
//!   more (the listen backlog) until one closes.
//! - **Read timeout**: a connection that has not sent a complete request head within 10 seconds
//!   (from when it was accepted, or from the previous answer on a kept-alive connection), or
//!   then the whole body within another 10 seconds, is closed without an answer; a body that
//!   stops short is not recorded (unless over 1 MiB is in already: that one is recorded and
//!   answered `413` as below, then the connection closed). [`Emulator::set_read_timeout`]
//!   changes the 10 seconds.
//! - **Bodies over 1 MiB** are not kept: the request is recorded with an empty `form` and
//!   [`body_too_large`](RecordedRequest::body_too_large) set, and answered `413` with code
//!   20413 (the emulator's choice, after Twilio's `20xxx` = HTTP status codes) before
//!   authentication, using up no fault. The rest of a body up to 16 MiB is read and thrown
//!   away so the client can read the `413` and the connection stays usable; a larger one gets
//!   the `413` with `Connection: close`, and a client still sending it may see the connection
//!   reset instead.
//! - **Faults**: [`Emulator::inject`] takes any count in constant memory; a `Retry-After` is
//!   whole seconds rounded up, saturating at `u64::MAX` (`Duration::MAX` gives
//!   `18446744073709551615`); a [`Fault::Delay`] over a year never ends (the request waits
//!   until the client gives up or the emulator is dropped).
//!
//! # Testing your own code
//! ```
//! use twilio_verify::emulator::{Emulator, Fault};
//! use twilio_verify::{CreateAccessToken, FactorType};
//!
//! let emulator = Emulator::start()?;
//! let tokens = emulator.client().access_tokens(emulator.service_sid())?;
//! let created = tokens.create(&CreateAccessToken::new("user-1", FactorType::Push))?;
//! assert_eq!(tokens.fetch(&created.sid)?.entity_identity, "user-1");
//!
//! // The next request is answered 500: a create is not retried, so it fails after one request.
//! emulator.inject(Fault::Status { status: 500, code: 20500, retry_after: None }, 1);
//! let err = tokens.create(&CreateAccessToken::new("user-1", FactorType::Push)).unwrap_err();
//! assert_eq!(err.status(), Some(500));
//! assert_eq!(emulator.request_count(), 3);
//! assert_eq!(emulator.requests()[2].field("Identity"), Some("user-1"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod auth;
mod clock;
mod faults;
mod fields;
mod handler;
mod ids;
mod resources;
mod responses;
mod routes;
mod server;
mod state;
#[allow(dead_code)] // Not used until TOTP factors are wired into the emulator.
mod totp;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

pub use faults::Fault;
pub use state::RecordedRequest;

use crate::client::VerifyClient;
use crate::config::builder::VerifyClientBuilder;
use crate::sid::ServiceSid;
use server::Server;
use state::State;

/// A running emulator of the Access Tokens API on `127.0.0.1`; see the [module docs](self).
///
/// Dropping it stops the server, closes its connections and frees the port. It is `Send` and
/// `Sync`: share it between the threads of a test.
pub struct Emulator {
    state: Arc<State>,
    service_sid: ServiceSid,
    server: Server,
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` on a free port, with fresh random credentials and one
    /// service, [`service_sid`](Self::service_sid).
    ///
    /// # Errors
    /// When no port can be bound on `127.0.0.1` or the server's thread cannot be started.
    pub fn start() -> std::io::Result<Emulator> {
        let socket = tokio::net::TcpSocket::new_v4()?;
        socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
        let base_url = format!("http://{}", socket.local_addr()?);
        let state = Arc::new(State::new(base_url, ids::sid("AC"), ids::hex32()));
        let service_sid: ServiceSid = ids::sid("VA")
            .parse()
            .expect("a generated SID is well formed");
        state.add_service(service_sid.clone());
        let server = Server::start(socket, Arc::clone(&state))?;
        Ok(Emulator {
            state,
            service_sid,
            server,
        })
    }

    /// Where it listens: `http://127.0.0.1:{port}`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// The account SID it accepts as the Basic user name (random per emulator).
    pub fn account_sid(&self) -> &str {
        &self.state.account_sid
    }

    /// The auth token it accepts as the Basic password (random per emulator).
    pub fn auth_token(&self) -> &str {
        &self.state.auth_token
    }

    /// The service that exists from the start.
    pub fn service_sid(&self) -> &ServiceSid {
        &self.service_sid
    }

    /// Adds another service, with a fresh random SID, and returns its SID.
    pub fn add_service(&self) -> ServiceSid {
        let sid: ServiceSid = ids::sid("VA")
            .parse()
            .expect("a generated SID is well formed");
        self.state.add_service(sid.clone());
        sid
    }

    /// A client builder already pointed at the emulator with its credentials, to adjust (a
    /// retry policy, a timeout) before building.
    pub fn client_builder(&self) -> VerifyClientBuilder {
        VerifyClient::builder()
            .base_url(self.base_url())
            .account_sid(self.account_sid())
            .auth_token(self.auth_token())
    }

    /// A client pointed at the emulator with its credentials and the default settings
    /// (including the default retry policy).
    pub fn client(&self) -> VerifyClient {
        self.client_builder()
            .build()
            .expect("the emulator's URL and credentials are always valid")
    }

    /// Every request received so far, in order of arrival (rejected and faulted ones included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// How many requests have been received so far.
    pub fn request_count(&self) -> usize {
        self.state.request_count()
    }

    /// Forgets the requests received so far (the count starts again from zero).
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// How many TCP connections have been accepted so far.
    pub fn connection_count(&self) -> usize {
        self.state.connection_count()
    }

    /// Sets how long a connection may take to send a complete request head — from when it is
    /// accepted, and again after each answer on a kept-alive connection — and then its body,
    /// before the emulator closes it without answering (default 10 seconds; clamped to
    /// 1 millisecond..=1 hour). It applies to connections accepted after the call; a short one
    /// lets a test see idle connections closed.
    pub fn set_read_timeout(&self, timeout: Duration) {
        self.state.set_read_timeout(timeout);
    }

    /// Applies `fault` to the next `times` authenticated requests, after any faults already
    /// queued. Requests that fail authentication (or whose body is too large) are answered
    /// `401` (`413`) and do not use up a fault; any authenticated request does, whatever its
    /// path, method or fields.
    ///
    /// Any `times` takes the same small memory: `usize::MAX` applies the fault to every request
    /// from now on (in practice), and `0` queues nothing.
    ///
    /// # Panics
    /// When `fault` is a [`Fault::Status`] whose status is outside 200..=599, which no HTTP/1.1
    /// server can send as a final answer: a mistake in the test, reported where it was made
    /// rather than as a confusing answer later. Nothing else about a fault panics.
    pub fn inject(&self, fault: Fault, times: usize) {
        fault.check();
        self.state.inject(fault, times);
    }

    /// How many requests still have a fault waiting for them, saturating at `usize::MAX`.
    pub fn pending_faults(&self) -> usize {
        self.state.pending_faults()
    }

    /// Forgets every fault not yet applied.
    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .field("account_sid", &self.account_sid())
            .field("auth_token", &"[redacted]")
            .field("service_sid", &self.service_sid)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.stop();
    }
}
