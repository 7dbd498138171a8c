//! A blocking client for Twilio **Verify v2**, the server side of Verify Push and TOTP.
//!
//! A backend mints an access token per user and hands its JWT to the mobile app, which enrolls
//! a push factor with it; to log the user in, the backend creates a challenge, the device
//! approves or denies it, and the backend reads the answer (or learns it from a webhook). TOTP
//! factors give a fallback with codes from an authenticator app. This crate makes every call
//! that takes, from synchronous code, with no async runtime:
//!
//! | handle | operations |
//! | --- | --- |
//! | [`client.access_tokens(service)`](VerifyClient::access_tokens) | create, fetch |
//! | [`client.entities(service)`](VerifyClient::entities) | create, list, fetch, delete |
//! | [`client.factors(service, identity)`](VerifyClient::factors) | create, list, fetch, update, verify, delete |
//! | [`client.challenges(service, identity)`](VerifyClient::challenges) | create, list, fetch, update, notify |
//! | [`client.webhooks(service)`](VerifyClient::webhooks) | create, list, fetch, update, delete |
//!
//! ```no_run
//! use twilio_verify::{CreateAccessToken, Error, FactorType, VerifyClient};
//!
//! let client = VerifyClient::builder()
//!     .account_sid("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
//!     .auth_token("your_auth_token")
//!     .build()?;
//! let tokens = client.access_tokens("VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")?;
//! let created = tokens.create(
//!     &CreateAccessToken::new("user-8f3a2b", FactorType::Push)
//!         .factor_friendly_name("Alice's iPhone")
//!         .ttl(120),
//! )?;
//! println!("{} for {} expires in {}s", created.sid, created.entity_identity, created.ttl);
//! let jwt: &str = created.token.expose_secret(); // hand this to the app, never log it
//! # let _ = jwt;
//! let again = tokens.fetch(&created.sid)?;
//! assert_eq!(again.sid, created.sid);
//!
//! match tokens.create(&CreateAccessToken::new("user-8f3a2b", FactorType::Push).ttl(30)) {
//!     Err(Error::InvalidInput(e)) => println!("refused before sending: {e}"),
//!     other => panic!("expected InvalidInput, got {other:?}"),
//! }
//! # Ok::<(), Error>(())
//! ```
//!
//! # Blocking
//! Every call blocks the calling thread until Twilio answers or a timeout expires (10 s to
//! connect, 30 s per attempt, by default). Inside an async runtime, call it from a blocking
//! thread — `tokio::task::spawn_blocking` — never directly from an async task.
//!
//! # Lists
//! `list()` returns a [`List`]: a lazy iterator of `Result<T, Error>` that fetches one page at a
//! time ([`List::page_size`], [`List::limit`]), or page by page with [`List::first_page`] and
//! [`List::page`]. The next page is always requested from the client's own base URL.
//!
//! # Errors and secrets
//! Every fallible call returns [`Error`], whose variant says where it failed. Bad input is
//! refused with [`Error::InvalidInput`] before anything is sent. The auth token, the API secret,
//! each access token's JWT, TOTP secrets, auth payloads and the device's notification token
//! are [`Secret`]s: they never appear in `Debug`, `Display`, an error or a log line of this
//! crate. Identities, challenge details and metadata (personal data, per Twilio) are never
//! logged.
//!
//! # Webhooks
//! [`webhook`] checks the `X-Twilio-Signature` of the webhooks Twilio posts (form or JSON)
//! and reads them as a typed Verify Push [`webhook::Event`].
//!
//! # Logging
//! Each request is logged through the [`log`](https://docs.rs/log) facade at `debug` (method,
//! path with the identity redacted, status, elapsed time, request id) and each retry at `warn`.
//! ureq's protocol layer dumps raw bytes — credentials included — at `trace` under the target
//! `ureq_proto`: keep that target off (`RUST_LOG=debug,ureq_proto=off`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod access_tokens;
mod challenges;
mod client;
mod config;
#[cfg(feature = "emulator")]
pub mod emulator;
mod entities;
mod enums;
mod error;
mod factors;
mod form;
mod rules;
mod secret;
mod sid;
mod timestamp;
mod transport;
pub mod webhook;
mod webhooks;

pub use access_tokens::AccessTokens;
pub use access_tokens::model::AccessToken;
pub use access_tokens::params::{CreateAccessToken, TTL_RANGE};
pub use challenges::Challenges;
pub use challenges::model::{
    Challenge, ChallengeDetails, ChallengeField, ChallengeReason, ChallengeStatus,
};
pub use challenges::notifications::{CreateNotification, NOTIFICATION_TTL_RANGE, Notification};
pub use challenges::params::{
    CreateChallenge, MAX_CHALLENGE_EXPIRY, MAX_CHALLENGE_FIELDS, MAX_CHALLENGE_MESSAGE_CHARS,
    MAX_FIELD_LABEL_CHARS, MAX_FIELD_VALUE_CHARS, UpdateChallenge,
};
pub use client::VerifyClient;
pub use config::builder::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_TIMEOUT, VerifyClientBuilder,
};
pub use config::credentials::Credentials;
pub use entities::{Entities, Entity};
pub use enums::{FactorType, ListOrder};
pub use error::{ApiError, DecodeError, Error, InvalidInput, TransportError};
pub use factors::Factors;
pub use factors::model::{
    Factor, FactorBinding, FactorConfig, FactorStatus, NewFactor, NotificationPlatform,
    RelyingParty, TotpAlgorithm,
};
pub use factors::params::CreateFactor;
pub use factors::update::UpdateFactor;
pub use rules::{
    IDENTITY_LENGTH, MAX_AUTH_PAYLOAD_CHARS, MAX_FRIENDLY_NAME_CHARS, MAX_JSON_MAP_CHARS,
    MAX_PAGE_SIZE, TOTP_CODE_DIGITS,
};
pub use secret::Secret;
pub use sid::{
    AccessTokenSid, AccountSid, ApiKeySid, ChallengeSid, EntitySid, FactorSid, NotificationSid,
    ServiceSid, WebhookSid,
};
pub use transport::list::List;
pub use transport::page::{Page, PageToken};
pub use transport::retry::RetryPolicy;
pub use webhooks::Webhooks;
pub use webhooks::model::{Webhook, WebhookEvent, WebhookMethod, WebhookStatus, WebhookVersion};
pub use webhooks::params::{CreateWebhook, UpdateWebhook};

/// The README's code examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
