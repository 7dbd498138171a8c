//! The adapter between the emulator's factors and its TOTP module ([`super::totp`]: RFC 6238
//! codes, base32 secrets, `otpauth://` URIs): every TOTP call site in the emulator goes
//! through here, reading a factor's stored settings.

use std::time::SystemTime;

use super::clock::unix;
use super::store::TotpSettings;
#[cfg(test)]
use super::totp::Algorithm;
use super::totp::{self, TotpConfig};

/// The issuer written into each factor's `otpauth://` URI.
pub(crate) const ISSUER: &str = "twilio-verify-emulator";

fn config(settings: &TotpSettings) -> TotpConfig {
    TotpConfig {
        algorithm: settings.alg,
        time_step: u64::from(settings.time_step),
        code_length: settings.code_length,
        skew: settings.skew,
    }
}

/// A fresh random secret.
pub(crate) fn new_secret() -> Vec<u8> {
    totp::new_secret().expect("the system's random source is available")
}

/// `bytes` in RFC 4648 base32, without padding (as Twilio answers `binding.secret`).
pub(crate) fn base32(bytes: &[u8]) -> String {
    totp::base32(bytes)
}

/// The bytes of a base32 text (either case, trailing `=` allowed); `None` when it is not
/// base32 or is empty.
pub(crate) fn from_base32(text: &str) -> Option<Vec<u8>> {
    totp::from_base32(text).filter(|bytes| !bytes.is_empty())
}

/// The code an authenticator app shows at `at`.
pub(crate) fn code(settings: &TotpSettings, at: SystemTime) -> String {
    totp::code(&settings.secret, &config(settings), unix(at))
}

/// Whether `candidate` is the code of `at`'s time step or of one within the skew of it.
pub(crate) fn verify(settings: &TotpSettings, at: SystemTime, candidate: &str) -> bool {
    totp::verify(&settings.secret, &config(settings), unix(at), candidate)
}

/// The `otpauth://totp/…` URI an authenticator app reads from a QR code.
pub(crate) fn uri(settings: &TotpSettings, issuer: &str, account: &str) -> String {
    totp::otpauth_uri(
        issuer,
        account,
        &base32(&settings.secret),
        &config(settings),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings(alg: &str, secret: &[u8]) -> TotpSettings {
        TotpSettings {
            secret: secret.to_vec(),
            alg: Algorithm::from_wire(alg).unwrap(),
            time_step: 30,
            skew: 1,
            code_length: 8,
        }
    }

    #[test]
    fn a_factors_settings_give_rfc_6238_codes() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(59);
        assert_eq!(
            code(&settings("sha1", b"12345678901234567890"), at),
            "94287082"
        );
        let sha256 = settings("sha256", b"12345678901234567890123456789012");
        assert_eq!(code(&sha256, at), "46119246");
    }

    #[test]
    fn skew_accepts_neighbouring_steps_only() {
        let totp = settings("sha1", b"12345678901234567890");
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(3000);
        let before = code(&totp, at - Duration::from_secs(30));
        let far = code(&totp, at - Duration::from_secs(60));
        assert!(verify(&totp, at, &before));
        assert!(!verify(&totp, at, &far));
    }

    #[test]
    fn the_uri_names_issuer_account_and_settings() {
        let totp = settings("sha256", b"foobar");
        assert_eq!(
            uri(&totp, ISSUER, "Alice's phone"),
            "otpauth://totp/twilio-verify-emulator:Alice%27s%20phone?secret=MZXW6YTBOI\
             &issuer=twilio-verify-emulator&algorithm=SHA256&digits=8&period=30"
        );
        assert_eq!(from_base32("mzxw6ytboi"), Some(b"foobar".to_vec()));
        assert_eq!(from_base32(""), None);
    }
}
