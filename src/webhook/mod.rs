//! Webhooks Twilio sends: check their signature, then read the Verify Push event.
//!
//! Twilio signs each webhook request with your account's auth token and puts the signature in
//! the `X-Twilio-Signature` header: base64(HMAC-SHA1(auth token, the full URL + each parameter
//! name in sorted order followed by each of its distinct values in sorted order)). A JSON
//! request instead carries `bodySHA256=<hex SHA-256 of the body>` in its URL and only the URL
//! is signed. [`SignatureValidator`] does this exactly as Twilio's own `RequestValidator`s do —
//! trying the URL with and without its port, comparing in constant time — and is checked
//! against vectors made with Twilio's Python package (`tests/webhook_vectors.py`).
//!
//! Validate first, then read the body as an [`Event`]. Answer a request that fails with
//! `403` and do not act on it.
//!
//! # A form-encoded webhook
//! `validate_form` takes the URL Twilio requested, the decoded form parameters and the
//! header's value (`""` when it is absent):
//!
//! ```
//! use twilio_verify::webhook::{Event, SignatureValidator};
//!
//! let validator = SignatureValidator::new("your_auth_token");
//! let url = "https://example.com/verify-events?source=verify";
//! let params = [
//!     ("type", "challenge.approved"),
//!     ("challenge_sid", "YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
//! ];
//! let signature = "Uv0mCsyzYcZ6OnRRHUiPhs8XU5c="; // the X-Twilio-Signature header
//! assert!(validator.validate_form(url, &params, signature));
//!
//! // A changed parameter fails, and `check_form` says which check did.
//! let tampered = [("type", "challenge.denied"), params[1]];
//! let rejection = validator.check_form(url, &tampered, signature).unwrap_err();
//! assert_eq!(rejection.to_string(), "the X-Twilio-Signature header does not match the request");
//!
//! let event = Event::from_form(params)?;
//! assert_eq!(event.event_type.as_str(), "challenge.approved");
//! let challenge_sid = event.challenge_sid.as_ref().map(|sid| sid.as_str());
//! assert_eq!(challenge_sid, Some("YCaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
//! # Ok::<(), twilio_verify::webhook::EventError>(())
//! ```
//!
//! Parameters a web framework hands over as an iterator of pairs go to
//! [`validate_form_pairs`](SignatureValidator::validate_form_pairs); a raw body decodes with
//! `serde_urlencoded::from_bytes::<Vec<(String, String)>>`.
//!
//! # A JSON webhook
//! `validate_json` takes the URL (with its `bodySHA256`), the raw body bytes as received and
//! the header's value:
//!
//! ```
//! use twilio_verify::webhook::{Event, SignatureRejection, SignatureValidator};
//!
//! let validator = SignatureValidator::new("your_auth_token");
//! let url = "https://example.com/verify-events?bodySHA256=\
//!            e4158adedf046a46570bb043aba710f0fe21e8928ce0f8402c3eba7a9b06cb51";
//! let body = br#"{"type":"challenge.approved"}"#;
//! let signature = "DTKGr/V9nEX30gRAqHRbgD2Hg5I=";
//! assert!(validator.validate_json(url, body, signature));
//! // Twilio's signing is not consistent about default ports: both forms are accepted.
//! let with_port = url.replacen("example.com", "example.com:443", 1);
//! assert!(validator.validate_json(&with_port, body, signature));
//!
//! assert_eq!(
//!     validator.check_json(url, br#"{"type":"challenge.denied"}"#, signature),
//!     Err(SignatureRejection::BodyHashMismatch)
//! );
//! assert_eq!(
//!     validator.check_json(url, body, ""),
//!     Err(SignatureRejection::MissingSignature)
//! );
//!
//! let event = Event::from_json(body)?;
//! assert_eq!(event.event_type.as_str(), "challenge.approved");
//! # Ok::<(), twilio_verify::webhook::EventError>(())
//! ```
//!
//! # The URL
//! Pass the URL exactly as Twilio requested it — the one configured on the webhook, with the
//! query string as it came on the request line. Behind a proxy or load balancer, rebuild it
//! from the public scheme and host (`X-Forwarded-Proto`, `Host`), not the address your server
//! listens on: a URL that differs in anything but a default port fails with
//! [`SignatureMismatch`](SignatureRejection::SignatureMismatch).

mod event;
mod form;
mod signature;

pub use event::{Event, EventError};
pub use form::FormParam;
pub use signature::{BODY_SHA256_PARAM, SIGNATURE_HEADER, SignatureRejection, SignatureValidator};
#[cfg(feature = "emulator")]
pub(crate) use signature::{hex_sha256, sign_url_and_params};
