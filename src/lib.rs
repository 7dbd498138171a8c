//! A blocking client for the Twilio Verify v2 **Access Tokens** API.
//!
//! A backend mints an access token per user and hands its JWT to the mobile app, which enrolls
//! a push factor with it. This crate does the two calls that takes —
//! `POST /v2/Services/{ServiceSid}/AccessTokens` and
//! `GET /v2/Services/{ServiceSid}/AccessTokens/{Sid}` — from synchronous code, with no async
//! runtime.
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
//! # Errors and secrets
//! Every fallible call returns [`Error`], whose variant says where it failed. Bad input is
//! refused with [`Error::InvalidInput`] before anything is sent. The auth token, the API secret
//! and each access token's JWT are [`Secret`]s: they never appear in `Debug`, `Display`, an
//! error or a log line of this crate.
//!
//! # Logging
//! Each request is logged through the [`log`](https://docs.rs/log) facade at `debug` (method,
//! path, status, elapsed time, request id) and each retry at `warn`. ureq's protocol layer
//! dumps raw bytes — credentials included — at `trace` under the target `ureq_proto`: keep that
//! target off (`RUST_LOG=debug,ureq_proto=off`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod access_tokens;
mod builder;
mod client;
mod coarse_timeouts;
mod credentials;
#[cfg(feature = "emulator")]
pub mod emulator;
mod endpoint;
mod env;
mod error;
mod error_body;
mod model;
mod params;
mod proxy;
mod request;
mod resolver;
mod retry;
mod secret;
mod sid;

pub use access_tokens::AccessTokens;
pub use builder::{
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_IDLE_CONNECTIONS, DEFAULT_TIMEOUT, VerifyClientBuilder,
};
pub use client::VerifyClient;
pub use credentials::Credentials;
pub use error::{ApiError, DecodeError, Error, InvalidInput, TransportError};
pub use model::AccessToken;
pub use params::{CreateAccessToken, FactorType, MAX_FRIENDLY_NAME_CHARS, TTL_RANGE};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sid::{AccessTokenSid, AccountSid, ApiKeySid, ServiceSid};

/// The README's code examples, compiled as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
