//! A local emulator of Twilio Verify's Push and TOTP API, for tests and for trying the crate
//! without a Twilio account (cargo feature `emulator`, off by default), with a simulated
//! phone that plays the Verify Push SDK.
//!
//! [`Emulator::start`] serves every operation the client has — access tokens, entities,
//! factors, challenges (and their notifications), webhooks: 21 in all — over HTTP/1.1 on
//! `127.0.0.1`, on a free port, from a background thread of the calling process (hyper on a
//! single-threaded tokio runtime, so it works the same from sync and async tests); dropping
//! the [`Emulator`] stops it, closes its connections and frees the port.
//! [`Emulator::builder`] fixes the port, credentials and services instead, so another process
//! can reach it. It checks each request in Twilio's order:
//!
//! 1. **Authentication**: HTTP Basic with [`account_sid`](Emulator::account_sid) and
//!    [`auth_token`](Emulator::auth_token), or with the API key
//!    [`api_key_sid`](Emulator::api_key_sid) and [`api_key_secret`](Emulator::api_key_secret);
//!    else `401` with code 20003.
//! 2. **Faults**: an [injected](Emulator::inject) [`Fault`] applies here, to authenticated
//!    requests only.
//! 3. **Route and method**: Twilio's paths under `/v2/Services/{ServiceSid}/` (`AccessTokens`,
//!    `Entities`, `…/Factors`, `…/Challenges`, `…/Notifications`, `Webhooks`) and the
//!    emulator's own under `/emulator/v1/` (below); any other path is `404` (code 20404),
//!    another method `405` (code 20004, with `Allow`).
//! 4. **Resource**: an unknown service, entity, factor, challenge, token or webhook (or a
//!    malformed SID or identity in the path) is `404` with code 20404.
//! 5. **Fields**: every rule the client checks before sending (crate::rules and the SID
//!    patterns, the same functions) is checked again, so a caller that bypasses the client
//!    gets `400` with code 60200 and `Invalid parameter: <Name>` (`Missing required parameter
//!    <Name> in the post body` for an absent one). Form bodies are
//!    `application/x-www-form-urlencoded` (`+` or `%20` for a space, repeated keys for lists);
//!    JSON values (`Details.Fields`, `HiddenDetails`, `Metadata`) are read with serde_json, so
//!    spaced JSON and `\u` escapes are accepted as Twilio's official SDKs send them. Empty
//!    values count as absent; unknown names are ignored.
//!
//! Creates answer `201`, deletes `204` with no body, the rest `200`, with every field of the
//! spec's schema (a factor create answers `new_factor` with `binding` and `options`). Every
//! answer carries `Content-Type: application/json` and a `Twilio-Request-Id`; errors have
//! Twilio's body `{"code":…,"message":…,"more_info":…,"status":…}`.
//!
//! # State, as Twilio keeps it
//! Identities are per service. An entity appears when its first factor is created (or by
//! `Entities` create; a second create of the same identity is `409`, code 20409); deleting it
//! removes its factors and challenges. A deleted factor leaves every list. A challenge belongs
//! to one factor of one entity and needs a verified factor (`400`, `Invalid parameter:
//! FactorSid` otherwise); a push challenge needs `Details.Message`.
//!
//! Lists are paged for real, in creation order (challenges also `Order=desc`, and filtered by
//! `FactorSid` and `Status`): `PageSize` 1..=1000 (default 50), `Page`, and `PageToken` (a
//! cursor the emulator mints, `PA` + a sequence number), with `meta.next_page_url` at the
//! emulator's own base URL and `null` on the last page. A reader paging through 10,000
//! entities gets each exactly once.
//!
//! # Time
//! The emulator has its own clock: the wall clock, moved forward only by
//! [`Emulator::advance`] (or `POST /emulator/v1/Clock`), read with [`Emulator::now`].
//! Access tokens stop enrolling after their `ttl`; a pending challenge reads `expired` from
//! its `expiration_date` on (default 5 minutes after creation; an `ExpirationDate` not in the
//! next 60 minutes by this clock is `400` — note the client computes `expires_in` from the
//! system clock); TOTP codes roll over. Nothing sleeps.
//!
//! # TOTP
//! TOTP factors follow RFC 6238 with the factor's `Config.Alg` (`sha1`, `sha256`,
//! `sha512`), `TimeStep` (default 30), `CodeLength` (default 6) and `Skew` (default 1). The
//! create answers `binding.secret` (base32; a `Binding.Secret` given is used) and
//! `binding.uri` (`otpauth://totp/…`). [`Emulator::totp_code`] gives a factor's current code.
//! Where Twilio's docs are silent, the emulator does this:
//! - verifying a factor (`UpdateFactor` with `AuthPayload`) with the right code makes it
//!   `verified`; with a wrong one it answers `200` and stays `unverified`;
//! - a challenge created with the right code is `approved` at once (with `date_responded`);
//!   with a wrong one it is created `pending`, and an update with the right code approves it
//!   until it expires (a wrong one leaves it pending);
//! - an `AuthPayload` on an answered or expired challenge is `400`
//!   (`Invalid parameter: AuthPayload`);
//! - a push factor or challenge updated with any `AuthPayload` is verified / approved: the
//!   emulator cannot check a device's signature (use the [`Phone`] to deny).
//!
//! # The simulated phone
//! [`Emulator::phone`] plays the Verify Push SDK on a device: given an access token's JWT
//! (one this emulator minted, not expired by its clock) it enrolls a push factor for the
//! token's identity, named by the token's `factor_friendly_name` (else `Emulated phone`),
//! and verifies it. The [`Phone`] then lists the factor's
//! [pending challenges](Phone::pending_challenges) with their message and fields, and
//! [approves](Phone::approve) or [denies](Phone::deny) one: the backend then reads it
//! `approved` or `denied`, with `date_responded`, exactly as from Twilio.
//!
//! ```
//! use std::time::Duration;
//! use twilio_verify::emulator::Emulator;
//! use twilio_verify::{ChallengeStatus, CreateAccessToken, CreateChallenge, FactorType};
//!
//! let emulator = Emulator::start()?;
//! let client = emulator.client();
//! let service = emulator.service_sid();
//! let identity = "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f";
//!
//! // The backend mints a token; the app enrolls the phone with its JWT.
//! let token = client
//!     .access_tokens(service)?
//!     .create(&CreateAccessToken::new(identity, FactorType::Push))?;
//! let phone = emulator.phone(token.token.expose_secret())?;
//!
//! // The backend asks; the phone sees the challenge and approves it.
//! let challenges = client.challenges(service, identity)?;
//! let challenge = challenges.create(
//!     &CreateChallenge::new(phone.factor_sid())
//!         .message("Log in to Owl Bank?")
//!         .field("Location", "Berlin"),
//! )?;
//! let pending = phone.pending_challenges();
//! assert_eq!(pending[0].message.as_deref(), Some("Log in to Owl Bank?"));
//! phone.approve(&challenge.sid)?;
//! assert_eq!(challenges.fetch(&challenge.sid)?.status, ChallengeStatus::Approved);
//!
//! // Unanswered, a challenge expires after 5 minutes of the emulator's clock.
//! let late = challenges.create(&CreateChallenge::new(phone.factor_sid()).message("Log in?"))?;
//! emulator.advance(Duration::from_secs(301));
//! assert_eq!(challenges.fetch(&late.sid)?.status, ChallengeStatus::Expired);
//! assert!(phone.approve(&late.sid).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The emulator's HTTP API (for another process)
//! Beside Twilio's paths, with the same Basic auth, faults and recording, form-encoded bodies
//! and Twilio-shaped errors (`400`/60200 for a bad field or token, `404`/20404 for an unknown
//! factor or challenge, `409`/20409 for a challenge no longer pending):
//!
//! | request | answer |
//! | --- | --- |
//! | `POST /emulator/v1/Services/{VA}/Phone` with `Token=<jwt>` | `201`: the enrolled, verified push factor (as a factor fetch answers it) |
//! | `GET /emulator/v1/Services/{VA}/Entities/{Identity}/Factors/{YF}/Challenges` | `200`: `{"challenges":[{"sid","message","fields":[{"label","value"}],"date_created","expiration_date"}]}`, the pending ones |
//! | `POST …/Factors/{YF}/Challenges/{YC}/Approve` (or `/Deny`) | `200`: `{"sid","status"}` |
//! | `GET …/Factors/{YF}/TotpCode` | `200`: `{"code":"123456"}` now |
//! | `POST /emulator/v1/Clock` with `Advance=<seconds>` (optional) | `200`: `{"now":"2030-01-02T01:04:05Z"}` |
//!
//! # Requests and faults
//! Every request is [recorded](Emulator::requests) as it arrives (method, path, form fields and
//! the Basic user name — never the password), whatever its answer; "a request" is one whose
//! head and body arrived in full (see the limits below).
//!
//! **Access tokens are not signed by Twilio.** Each is shaped like a JWT
//! (`header.payload.signature`, each base64url) with random signature bytes: no Verify Push SDK
//! will accept it; only this emulator's [`Phone`] does.
//!
//! # Webhooks
//! The emulator posts each event to every `enabled` webhook of the service whose `EventTypes`
//! hold it (or `*`): `factor.created` (a factor create, and the [`Phone`]'s enrollment),
//! `factor.verified` (a factor turning verified: the right TOTP code, a push `AuthPayload`,
//! the phone's enrollment), `factor.deleted` (a factor delete, and each factor of a deleted
//! entity), `challenge.approved` (the phone, a right TOTP code at create or update, a push
//! `AuthPayload`) and `challenge.denied` (the phone). The fields are Twilio's documented ones
//! (`uuid`, one per event, shared by its deliveries; `type`, `account_sid`, `service_sid`,
//! `entity_identity`, `factor_*`, `challenge_*` as JSON text, `status`, `date_*`).
//!
//! **Body format.** Twilio documents the fields but not the encoding, so the webhook's
//! `Version` picks it: `v2` (the default) posts `application/json` with
//! `bodySHA256=<hex SHA-256 of the body>` added to the URL's query, and signs that URL;
//! `v1` posts `application/x-www-form-urlencoded` and signs the URL plus the sorted
//! parameters. Both carry `X-Twilio-Signature` made with the emulator's
//! [`auth_token`](Emulator::auth_token) by the same code as
//! [`SignatureValidator`](crate::webhook::SignatureValidator) checks, so a handler validated
//! here (in either format) validates with Twilio's own validators; and
//! `I-Twilio-Idempotency-Token` (`{uuid}-{webhook sid}`).
//!
//! **Loopback only.** A webhook is posted to only when its URL's literal host is `localhost`
//! (any case), in `127.0.0.0/8` or `[::1]`, over `http` or `https`; nothing is resolved, so
//! `localhost.example.com` or `127.0.0.1.nip.io` is not. Any other is recorded
//! [`NotDelivered`](DeliveryStatus::NotDelivered) (`not a loopback URL`) and never contacted.
//! No proxy is used and redirects are not followed (a `3xx` is [`Failed`](DeliveryStatus::Failed)).
//!
//! **Never blocking.** The call that caused an event only queues it (at most 256 wait; more
//! are recorded `the delivery queue is full`); one background thread posts them in the order
//! they happened, each with a 2 s connect and 5 s overall timeout, not retried. Dropping the
//! emulator does not wait for it; what is still queued is recorded `the emulator has stopped`.
//!
//! **The record.** [`Emulator::deliveries`] lists each [`Delivery`] (webhook, URL as posted,
//! the event and body, the emulator-clock time, and [`DeliveryStatus`]: `Delivered` on a
//! `2xx`, `Failed` otherwise) — never the auth token. [`Emulator::wait_for_deliveries`] blocks
//! until a count is reached (or a timeout), waking as each is recorded.
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
//! - **The clock** moves at most 1000 years ahead in all ([`Emulator::advance`] saturates).
//! - **Records**: the request record keeps the most recent 100,000 requests or 64 MiB of form
//!   data, whichever is less ([`Emulator::request_count`] counts them all); the delivery record
//!   the most recent 10,000.
//! - **Not HTTP**: what hyper cannot parse as HTTP/1.1 (garbage, a duplicate or malformed
//!   `Content-Length`, a request line or headers over its limits, a broken chunked body) gets
//!   hyper's own bare answer (`400`, `431`) or a closed connection, not Twilio's JSON body.
//!
//! # Testing your own code
//! ```
//! use twilio_verify::emulator::{Emulator, Fault};
//! use twilio_verify::{CreateAccessToken, FactorType};
//!
//! let emulator = Emulator::start()?;
//! let tokens = emulator.client().access_tokens(emulator.service_sid())?;
//! let created = tokens.create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push))?;
//! assert_eq!(tokens.fetch(&created.sid)?.entity_identity, "user-8f3a2b");
//!
//! // The next request is answered 500: a create is not retried, so it fails after one request.
//! emulator.inject(Fault::Status { status: 500, code: 20500, retry_after: None }, 1);
//! let err = tokens.create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push)).unwrap_err();
//! assert_eq!(err.status(), Some(500));
//! assert_eq!(emulator.request_count(), 3);
//! assert_eq!(emulator.requests()[2].field("Identity"), Some("user-8f3a2b"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod api;
mod auth;
mod builder;
mod clock;
mod delivery;
mod error;
mod faults;
mod handler;
mod ids;
mod otp;
mod paging;
mod phone;
mod phone_api;
mod record;
mod responses;
mod routes;
mod server;
mod state;
mod store;
mod totp;

use std::fmt;
use std::sync::Arc;

pub use builder::EmulatorBuilder;
pub use delivery::{Delivery, DeliveryStatus};
pub use error::EmulatorError;
pub use faults::Fault;
pub use phone::{PendingChallenge, Phone};
pub use state::RecordedRequest;

use crate::client::VerifyClient;
use crate::config::builder::VerifyClientBuilder;
use crate::sid::ServiceSid;
use server::Server;
use state::State;

/// A running emulator of Verify's Push and TOTP API on `127.0.0.1`; see the [module docs](self).
///
/// Dropping it stops the server, closes its connections and frees the port. It is `Send` and
/// `Sync`: share it between the threads of a test.
pub struct Emulator {
    state: Arc<State>,
    service_sid: ServiceSid,
    server: Server,
}

impl Emulator {
    /// Starts an emulator on `127.0.0.1` on a free port, with fresh random credentials (an
    /// account and an API key) and one service, [`service_sid`](Self::service_sid).
    ///
    /// # Errors
    /// When no port can be bound on `127.0.0.1` or the server's thread cannot be started.
    pub fn start() -> std::io::Result<Emulator> {
        Emulator::builder().start()
    }

    /// A builder for a fixed port, credentials and services.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
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

    /// The API key SID (`SK…`) it accepts as the Basic user name with
    /// [`api_key_secret`](Self::api_key_secret).
    pub fn api_key_sid(&self) -> &str {
        self.state.api_key.as_ref().map_or("", |(sid, _)| sid)
    }

    /// The API key's secret, accepted as the Basic password with
    /// [`api_key_sid`](Self::api_key_sid).
    pub fn api_key_secret(&self) -> &str {
        self.state.api_key.as_ref().map_or("", |(_, secret)| secret)
    }

    /// The service that exists from the start (the first one given to the builder).
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
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url())
            .field("account_sid", &self.account_sid())
            .field("auth_token", &"[redacted]")
            .field("api_key_sid", &self.api_key_sid())
            .field("service_sid", &self.service_sid)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.server.stop();
        self.state.deliveries.stop();
    }
}
