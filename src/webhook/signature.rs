//! `X-Twilio-Signature` validation, as Twilio's official `RequestValidator`s do it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::{digest, hmac};
use ureq::http::Uri;
use ureq::http::uri::Scheme;

use super::FormParam;
use crate::secret::Secret;

/// The header Twilio puts its signature in.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// The query parameter that carries the hex SHA-256 of a JSON body.
pub const BODY_SHA256_PARAM: &str = "bodySHA256";

/// An HMAC-SHA1 tag is 20 bytes.
const SIGNATURE_LEN: usize = 20;

/// Checks that a webhook request was signed by Twilio with your account's auth token.
///
/// Built once from the auth token (held as a [`Secret`]: the validator's `Debug` prints
/// `SignatureValidator { auth_token: Secret([redacted]) }`) and shared freely: it is
/// `Clone + Send + Sync` and keeps no state between requests.
///
/// Each check has two forms: `validate_*` answers a plain `bool`; `check_*` answers
/// `Err(`[`SignatureRejection`]`)` naming which check failed, for logging. Neither ever panics,
/// whatever the URL, parameters or header hold.
///
/// The URL is the full URL Twilio requested — scheme, host, any port, path and query string —
/// as it came on the request (percent-encoded, as on the request line). Like Twilio's own
/// validators, both the URL without its port and the URL with a port (the scheme's default,
/// 443 or 80, when it has none) are tried, because Twilio's signing is not consistent about
/// ports. Only `http` and `https` URLs are accepted.
#[derive(Clone)]
pub struct SignatureValidator {
    auth_token: Secret,
}

impl fmt::Debug for SignatureValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureValidator")
            .field("auth_token", &self.auth_token)
            .finish()
    }
}

/// Why a webhook request failed validation. Its `Display` is one line naming the check; it
/// never shows the expected signature, the auth token or the request's parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureRejection {
    /// The `X-Twilio-Signature` header was empty or absent.
    MissingSignature,
    /// The header was not the base64 of a 20-byte HMAC-SHA1 (padded, standard alphabet).
    MalformedSignature,
    /// The URL was not an absolute `http` or `https` URL.
    MalformedUrl,
    /// A JSON request's URL had no (non-empty) `bodySHA256` query parameter.
    MissingBodyHash,
    /// The body's SHA-256 was not the URL's `bodySHA256` (lowercase hex).
    BodyHashMismatch,
    /// The signature was well formed but not Twilio's for this URL and these parameters (or
    /// not made with this auth token).
    SignatureMismatch,
}

impl fmt::Display for SignatureRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignatureRejection::MissingSignature => "the X-Twilio-Signature header is missing",
            SignatureRejection::MalformedSignature => {
                "the X-Twilio-Signature header is not a base64 HMAC-SHA1"
            }
            SignatureRejection::MalformedUrl => "the URL is not an absolute http or https URL",
            SignatureRejection::MissingBodyHash => "the URL has no bodySHA256 query parameter",
            SignatureRejection::BodyHashMismatch => {
                "the body's SHA-256 does not match the URL's bodySHA256"
            }
            SignatureRejection::SignatureMismatch => {
                "the X-Twilio-Signature header does not match the request"
            }
        })
    }
}

impl std::error::Error for SignatureRejection {}

impl SignatureValidator {
    /// A validator for requests signed with this auth token.
    pub fn new(auth_token: impl Into<String>) -> Self {
        SignatureValidator {
            auth_token: Secret::new(auth_token),
        }
    }

    /// A validator for requests signed with this auth token, already held as a [`Secret`].
    pub fn from_secret(auth_token: Secret) -> Self {
        SignatureValidator { auth_token }
    }

    /// True when a form-encoded (`application/x-www-form-urlencoded`) request is Twilio's.
    ///
    /// `params` are the decoded form parameters in any order; a name may repeat. `signature`
    /// is the `X-Twilio-Signature` header value (`""` when the header is absent).
    pub fn validate_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        url: &str,
        params: &[(K, V)],
        signature: &str,
    ) -> bool {
        self.check_form(url, params, signature).is_ok()
    }

    /// [`validate_form`](Self::validate_form) for parameters as an iterator of pairs, the way
    /// web frameworks hand them over: `&Vec<(String, String)>`, `map.iter()`, … (see
    /// [`FormParam`]).
    pub fn validate_form_pairs<I>(&self, url: &str, params: I, signature: &str) -> bool
    where
        I: IntoIterator,
        I::Item: FormParam,
    {
        self.check_form_pairs(url, params, signature).is_ok()
    }

    /// [`validate_form`](Self::validate_form), saying which check failed.
    ///
    /// # Errors
    /// The first check that failed, in this order: the header
    /// ([`MissingSignature`](SignatureRejection::MissingSignature),
    /// [`MalformedSignature`](SignatureRejection::MalformedSignature)), the URL
    /// ([`MalformedUrl`](SignatureRejection::MalformedUrl)), the signature
    /// ([`SignatureMismatch`](SignatureRejection::SignatureMismatch)).
    pub fn check_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        url: &str,
        params: &[(K, V)],
        signature: &str,
    ) -> Result<(), SignatureRejection> {
        self.check_form_pairs(url, params, signature)
    }

    /// [`validate_form_pairs`](Self::validate_form_pairs), saying which check failed.
    ///
    /// # Errors
    /// As [`check_form`](Self::check_form).
    pub fn check_form_pairs<I>(
        &self,
        url: &str,
        params: I,
        signature: &str,
    ) -> Result<(), SignatureRejection>
    where
        I: IntoIterator,
        I::Item: FormParam,
    {
        let tag = decode_signature(signature)?;
        let candidates = url_candidates(url)?;
        self.verify(&candidates, &signed_params(params), &tag)
    }

    /// True when a JSON (`application/json`) request is Twilio's.
    ///
    /// `url` carries `bodySHA256=<hex SHA-256 of the body>` in its query string; `body` is the
    /// raw body exactly as received, before any parsing. The body's hash must match and the
    /// URL alone is signed.
    pub fn validate_json(&self, url: &str, body: &[u8], signature: &str) -> bool {
        self.check_json(url, body, signature).is_ok()
    }

    /// [`validate_json`](Self::validate_json), saying which check failed.
    ///
    /// # Errors
    /// The first check that failed, in this order: the header
    /// ([`MissingSignature`](SignatureRejection::MissingSignature),
    /// [`MalformedSignature`](SignatureRejection::MalformedSignature)), the URL
    /// ([`MalformedUrl`](SignatureRejection::MalformedUrl),
    /// [`MissingBodyHash`](SignatureRejection::MissingBodyHash)), the body
    /// ([`BodyHashMismatch`](SignatureRejection::BodyHashMismatch)), the signature
    /// ([`SignatureMismatch`](SignatureRejection::SignatureMismatch)).
    pub fn check_json(
        &self,
        url: &str,
        body: &[u8],
        signature: &str,
    ) -> Result<(), SignatureRejection> {
        let tag = decode_signature(signature)?;
        let candidates = url_candidates(url)?;
        let expected_hash = body_sha256_param(&candidates.uri)?;
        // The body hash is not secret (whoever holds the body can compute it), so a plain
        // comparison leaks nothing; the signature below is compared in constant time.
        if hex_sha256(body) != expected_hash {
            return Err(SignatureRejection::BodyHashMismatch);
        }
        self.verify(&candidates, "", &tag)
    }

    fn verify(
        &self,
        candidates: &UrlCandidates,
        params: &str,
        tag: &[u8],
    ) -> Result<(), SignatureRejection> {
        let key = hmac::Key::new(
            hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
            self.auth_token.expose_secret().as_bytes(),
        );
        let matches = |url: &str| {
            let mut message = String::with_capacity(url.len() + params.len());
            message.push_str(url);
            message.push_str(params);
            hmac::verify(&key, message.as_bytes(), tag).is_ok()
        };
        // Both are always computed, so the time taken does not say which form matched.
        let without_port = matches(&candidates.without_port);
        let with_port = matches(&candidates.with_port);
        if without_port | with_port {
            Ok(())
        } else {
            Err(SignatureRejection::SignatureMismatch)
        }
    }
}

/// Twilio's signature of a request to `url` with the form parameters `params` (none for a
/// JSON request, whose `url` carries its `bodySHA256`): base64(HMAC-SHA1(auth token, `url` +
/// the parameters as [`SignatureValidator`] checks them)). The emulator signs its webhook
/// deliveries with it, so the two can never disagree.
#[cfg_attr(not(feature = "emulator"), allow(dead_code))]
pub(crate) fn sign_url_and_params<I>(auth_token: &str, url: &str, params: I) -> String
where
    I: IntoIterator,
    I::Item: FormParam,
{
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, auth_token.as_bytes());
    let mut message = url.to_owned();
    message.push_str(&signed_params(params));
    STANDARD.encode(hmac::sign(&key, message.as_bytes()).as_ref())
}

/// The header's 20 bytes. Standard base64 with padding, canonical: exactly the strings
/// Twilio's validators compare equal to their computed signature.
fn decode_signature(signature: &str) -> Result<Vec<u8>, SignatureRejection> {
    if signature.is_empty() {
        return Err(SignatureRejection::MissingSignature);
    }
    match STANDARD.decode(signature) {
        Ok(tag) if tag.len() == SIGNATURE_LEN => Ok(tag),
        _ => Err(SignatureRejection::MalformedSignature),
    }
}

/// Each distinct name in sorted order, each followed by each of its distinct values in sorted
/// order, as `name value name value …` with nothing between. Rust's `str` order is by UTF-8
/// bytes, which is code-point order: the order Python's `sorted` gives.
fn signed_params<I>(params: I) -> String
where
    I: IntoIterator,
    I::Item: FormParam,
{
    let mut sorted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for param in params {
        sorted
            .entry(param.name().to_owned())
            .or_default()
            .insert(param.value().to_owned());
    }
    let mut out = String::new();
    for (name, values) in &sorted {
        for value in values {
            out.push_str(name);
            out.push_str(value);
        }
    }
    out
}

/// The two forms of the URL Twilio may have signed, made from the URL as given by changing
/// only its port.
#[derive(Debug)]
struct UrlCandidates {
    uri: Uri,
    without_port: String,
    with_port: String,
}

fn url_candidates(url: &str) -> Result<UrlCandidates, SignatureRejection> {
    let malformed = SignatureRejection::MalformedUrl;
    let uri: Uri = url.parse().map_err(|_| malformed)?;
    let scheme = uri.scheme().ok_or(malformed)?;
    let default_port = if *scheme == Scheme::HTTPS {
        443
    } else if *scheme == Scheme::HTTP {
        80
    } else {
        return Err(malformed);
    };
    let parsed_authority = uri.authority().ok_or(malformed)?;
    let (authority, host) = (parsed_authority.as_str(), parsed_authority.host());
    // The parsed parts are slices of the URL as given: scheme, "://", authority, the rest.
    let start = scheme.as_str().len() + "://".len();
    let end = start + authority.len();
    let (prefix, rest) = match (url.get(..start), url.get(start..end), url.get(end..)) {
        (Some(prefix), Some(given), Some(rest)) if given == authority => (prefix, rest),
        _ => return Err(malformed),
    };
    // The authority ends with the host, then `:port` or nothing: anything else after the
    // host (an empty or out-of-range port, which `Uri` parses but `port()` refuses) is
    // malformed, as Python's `urlparse(..).port` raises on it.
    let (without_port, with_port) = match uri.port() {
        Some(port) => {
            let userinfo_and_host = authority
                .strip_suffix(port.as_str())
                .and_then(|a| a.strip_suffix(':'))
                .filter(|a| a.ends_with(host))
                .ok_or(malformed)?;
            (format!("{prefix}{userinfo_and_host}{rest}"), url.to_owned())
        }
        None if authority.ends_with(host) => (
            url.to_owned(),
            format!("{prefix}{authority}:{default_port}{rest}"),
        ),
        None => return Err(malformed),
    };
    Ok(UrlCandidates {
        uri,
        without_port,
        with_port,
    })
}

/// The first non-empty `bodySHA256` of the query string, percent-decoded (as Python's
/// `parse_qs`, which drops blank values, finds it).
fn body_sha256_param(uri: &Uri) -> Result<String, SignatureRejection> {
    let query = uri.query().unwrap_or("");
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| SignatureRejection::MissingBodyHash)?;
    pairs
        .into_iter()
        .find(|(name, value)| name == BODY_SHA256_PARAM && !value.is_empty())
        .map(|(_, value)| value)
        .ok_or(SignatureRejection::MissingBodyHash)
}

/// The body's SHA-256 in lowercase hex, as Twilio puts it in `bodySHA256`.
pub(crate) fn hex_sha256(body: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(digest::digest(&digest::SHA256, body).as_ref())
}

#[cfg(test)]
mod tests;
