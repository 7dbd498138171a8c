//! SIDs that can only hold a value of the spec's shape.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InvalidInput;

/// Checks `value` against `^{prefix}[0-9a-fA-F]{32}$`.
fn is_sid(value: &str, prefix: &str) -> bool {
    let bytes = value.as_bytes();
    // No early exit over the 32 digits: the fold compiles to a few vector instructions.
    bytes.len() == 34
        && bytes.starts_with(prefix.as_bytes())
        && bytes[2..].iter().fold(true, |ok, &b| {
            let digit = b.wrapping_sub(b'0') < 10;
            let letter = (b | 0x20).wrapping_sub(b'a') < 6;
            ok & (digit | letter)
        })
}

macro_rules! sid_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $parameter:literal) => {
        $(#[$doc])*
        ///
        #[doc = concat!("Always matches `^", $prefix, "[0-9a-fA-F]{32}$`: parsing (with [`FromStr`], ")]
        /// [`TryFrom`] or serde) checks the pattern, so a malformed value cannot exist.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// The SID as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Checks `value` without keeping it, naming `parameter` in the error.
            pub(crate) fn check(value: &str, parameter: &'static str) -> Result<(), InvalidInput> {
                if is_sid(value, $prefix) {
                    Ok(())
                } else {
                    Err(InvalidInput::malformed_sid(parameter, value, $prefix))
                }
            }

            /// Parses and checks `value`, naming `parameter` in the error.
            pub(crate) fn parse_as(value: &str, parameter: &'static str) -> Result<Self, InvalidInput> {
                Self::check(value, parameter).map(|()| $name(value.into()))
            }
        }

        impl FromStr for $name {
            type Err = InvalidInput;

            fn from_str(value: &str) -> Result<Self, InvalidInput> {
                Self::parse_as(value, $parameter)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = InvalidInput;

            fn try_from(value: &str) -> Result<Self, InvalidInput> {
                value.parse()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                value.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

sid_type!(
    /// The SID of a Verify Service (`VA…`), which scopes every access token.
    ServiceSid,
    "VA",
    "service_sid"
);
sid_type!(
    /// The SID of an access token (`YK…`).
    AccessTokenSid,
    "YK",
    "access_token_sid"
);
sid_type!(
    /// The SID of a Twilio account (`AC…`).
    AccountSid,
    "AC",
    "account_sid"
);
sid_type!(
    /// The SID of an API key (`SK…`), used with its secret instead of the account's auth token.
    ApiKeySid,
    "SK",
    "api_key_sid"
);

sid_type!(
    /// The SID of an entity (`YE…`): a user of a Verify Service.
    EntitySid,
    "YE",
    "entity_sid"
);
sid_type!(
    /// The SID of a factor (`YF…`): a push device, a TOTP app or a passkey of one entity.
    FactorSid,
    "YF",
    "factor_sid"
);
sid_type!(
    /// The SID of a challenge (`YC…`): one request to approve a login.
    ChallengeSid,
    "YC",
    "challenge_sid"
);
sid_type!(
    /// The SID of a notification (`NT…`): one push of a challenge to the device.
    NotificationSid,
    "NT",
    "notification_sid"
);
sid_type!(
    /// The SID of a webhook (`YW…`) of a Verify Service.
    WebhookSid,
    "YW",
    "webhook_sid"
);

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "VA0123456789abcdefABCDEF0123456789";

    #[test]
    fn accepts_both_cases_of_hex() {
        let sid: ServiceSid = VALID.parse().unwrap();
        assert_eq!(sid.as_str(), VALID);
        assert_eq!(sid.to_string(), VALID);
        assert_eq!(format!("{sid:?}"), format!("{VALID:?}"));
    }

    #[test]
    fn refuses_wrong_prefix_length_and_digits() {
        for bad in [
            "",
            "VA",
            "YK0123456789abcdefABCDEF0123456789",
            "va0123456789abcdefABCDEF0123456789",
            "VA0123456789abcdefABCDEF012345678",
            "VA0123456789abcdefABCDEF01234567890",
            "VA0123456789abcdefABCDEF012345678g",
            "VA0123456789abcdefABCDEF01234567é",
        ] {
            let err = bad.parse::<ServiceSid>().unwrap_err();
            assert_eq!(err.parameter(), "service_sid", "{bad:?}");
        }
    }

    #[test]
    fn error_names_parameter_value_and_rule() {
        let err = "VAxyz".parse::<ServiceSid>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "service_sid is malformed (5 characters starting \"VA\"): must be \"VA\" followed by 32 hex digits"
        );
    }

    #[test]
    fn error_never_echoes_more_than_a_capital_two_letter_prefix() {
        let auth_token = "8f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c";
        let cases = [
            (auth_token, "32 characters"),
            ("abcdef0123456789abcdef0123456789", "32 characters"),
            ("", "empty"),
            ("V", "1 character"),
            ("é", "1 character"),
            (
                "YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "34 characters starting \"YK\"",
            ),
        ];
        for (value, shape) in cases {
            let err = value.parse::<ServiceSid>().unwrap_err().to_string();
            assert_eq!(
                err,
                format!(
                    "service_sid is malformed ({shape}): must be \"VA\" followed by 32 hex digits"
                )
            );
        }
    }

    #[test]
    fn serde_goes_through_the_same_check() {
        let sid: AccessTokenSid =
            serde_json::from_str("\"YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"").unwrap();
        assert_eq!(
            serde_json::to_string(&sid).unwrap(),
            "\"YKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
        );
        assert!(serde_json::from_str::<AccessTokenSid>("\"YKnope\"").is_err());
    }
}
