//! The adapter between the emulator and its TOTP implementation (RFC 6238 codes, base32
//! secrets, `otpauth://` URIs): every TOTP call site in the emulator goes through here.
//!
//! INTERIM: until `src/emulator/totp.rs` lands (branch `totp`), the bodies below are a
//! minimal stand-in built on `ring`'s HMAC; they are replaced by calls into that module.

use std::time::SystemTime;

use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use super::clock::unix;
use super::store::TotpSettings;

/// The issuer written into each factor's `otpauth://` URI.
pub(crate) const ISSUER: &str = "twilio-verify-emulator";

/// A fresh 20-byte (160-bit) secret, the size RFC 4226 recommends.
pub(crate) fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 20];
    SystemRandom::new()
        .fill(&mut secret)
        .expect("the system's random source is available");
    secret
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `bytes` in RFC 4648 base32, without padding (as Twilio answers `binding.secret`).
pub(crate) fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            let index = (bits >> (35 - 5 * i)) & 31;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// The bytes of an RFC 4648 base32 text (either case, trailing `=` allowed).
pub(crate) fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET
            .iter()
            .position(|&a| a == c.to_ascii_uppercase())?;
        acc = (acc << 5) | value as u32;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

fn algorithm(alg: &str) -> hmac::Algorithm {
    match alg {
        "sha256" => hmac::HMAC_SHA256,
        "sha512" => hmac::HMAC_SHA512,
        _ => hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
    }
}

/// The code for time-step counter `counter` (RFC 4226 dynamic truncation).
fn code_at(totp: &TotpSettings, counter: u64) -> String {
    let key = hmac::Key::new(algorithm(&totp.alg), &totp.secret);
    let tag = hmac::sign(&key, &counter.to_be_bytes());
    let mac = tag.as_ref();
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        mac[offset] & 0x7f,
        mac[offset + 1],
        mac[offset + 2],
        mac[offset + 3],
    ]);
    let digits = totp.code_length.clamp(1, 9);
    let value = word % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

fn counter(totp: &TotpSettings, at: SystemTime) -> u64 {
    unix(at) / u64::from(totp.time_step.max(1))
}

/// The code an authenticator app shows at `at`.
pub(crate) fn code(totp: &TotpSettings, at: SystemTime) -> String {
    code_at(totp, counter(totp, at))
}

/// Whether `candidate` is the code of `at`'s time step or of one within `skew` steps of it.
pub(crate) fn verify(totp: &TotpSettings, at: SystemTime, candidate: &str) -> bool {
    let now = counter(totp, at);
    let skew = u64::from(totp.skew);
    (now.saturating_sub(skew)..=now.saturating_add(skew)).any(|c| code_at(totp, c) == candidate)
}

/// `text` percent-encoded for a URI (a space as `%20`).
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The `otpauth://totp/…` URI an authenticator app reads from a QR code.
pub(crate) fn uri(totp: &TotpSettings, issuer: &str, account: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
        encode(issuer),
        encode(account),
        base32(&totp.secret),
        encode(issuer),
        totp.alg.to_ascii_uppercase(),
        totp.code_length,
        totp.time_step
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn rfc6238(alg: &str, secret: &[u8]) -> TotpSettings {
        TotpSettings {
            secret: secret.to_vec(),
            alg: alg.into(),
            time_step: 30,
            skew: 1,
            code_length: 8,
        }
    }

    #[test]
    fn rfc_6238_appendix_b_vectors() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(59);
        let sha1 = rfc6238("sha1", b"12345678901234567890");
        assert_eq!(code(&sha1, at), "94287082");
        let sha256 = rfc6238("sha256", b"12345678901234567890123456789012");
        assert_eq!(code(&sha256, at), "46119246");
        let sha512 = rfc6238(
            "sha512",
            b"1234567890123456789012345678901234567890123456789012345678901234",
        );
        assert_eq!(code(&sha512, at), "90693936");
        let later = SystemTime::UNIX_EPOCH + Duration::from_secs(1_111_111_109);
        assert_eq!(code(&sha1, later), "07081804");
    }

    #[test]
    fn skew_accepts_neighbouring_steps_only() {
        let totp = rfc6238("sha1", b"12345678901234567890");
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(3000);
        let before = code(&totp, at - Duration::from_secs(30));
        let far = code(&totp, at - Duration::from_secs(60));
        assert!(verify(&totp, at, &before));
        assert!(!verify(&totp, at, &far));
    }

    #[test]
    fn base32_round_trips_rfc_4648_vectors() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(from_base32("mzxw6ytboi======"), Some(b"foobar".to_vec()));
        assert_eq!(from_base32("MZ1"), None);
    }
}
