//! Random identifiers: SIDs, request ids, the emulator's auth token and JWT-shaped tokens.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

/// 64 random bits from the standard library's randomly keyed hasher.
///
/// Unpredictable enough for a test double's identifiers; not for cryptography.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// 32 random lowercase hex digits.
pub(crate) fn hex32() -> String {
    format!("{:016x}{:016x}", random_u64(), random_u64())
}

/// A random SID: `prefix` followed by 32 hex digits.
pub(crate) fn sid(prefix: &str) -> String {
    format!("{prefix}{}", hex32())
}

/// What a JWT-shaped token says about itself.
pub(crate) struct TokenClaims<'a> {
    pub(crate) sid: &'a str,
    pub(crate) account_sid: &'a str,
    pub(crate) service_sid: &'a str,
    pub(crate) identity: &'a str,
    pub(crate) factor_type: &'a str,
    pub(crate) issued_at: u64,
    pub(crate) ttl: u64,
}

/// A token shaped like a JWT (`header.payload.signature`, each base64url) whose "signature" is
/// random bytes: nothing signed it and nothing can verify it.
pub(crate) fn jwt_shaped(claims: &TokenClaims<'_>) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"});
    let payload = json!({
        "iss": "twilio-verify-emulator",
        "jti": claims.sid,
        "sub": claims.account_sid,
        "iat": claims.issued_at,
        "exp": claims.issued_at + claims.ttl,
        "grants": {
            "verify": {
                "service_sid": claims.service_sid,
                "entity_identity": claims.identity,
                "factor_type": claims.factor_type,
            }
        },
    });
    let signature: Vec<u8> = (0..4).flat_map(|_| random_u64().to_be_bytes()).collect();
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sids_are_prefix_and_32_hex_digits_and_differ() {
        let a = sid("YK");
        let b = sid("YK");
        assert_eq!(a.len(), 34);
        assert!(a.starts_with("YK"));
        assert!(a[2..].bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn jwt_shaped_token_has_three_base64url_parts_with_the_claims() {
        let token = jwt_shaped(&TokenClaims {
            sid: "YK1",
            account_sid: "AC1",
            service_sid: "VA1",
            identity: "alice",
            factor_type: "push",
            issued_at: 1_000,
            ttl: 60,
        });
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(payload["exp"], 1_060);
        assert_eq!(payload["grants"]["verify"]["entity_identity"], "alice");
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 32);
    }
}
