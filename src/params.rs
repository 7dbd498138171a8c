//! The parameters of a create call and the factor type.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InvalidInput;

/// The smallest and largest `Ttl` Twilio accepts, in seconds.
pub const TTL_RANGE: std::ops::RangeInclusive<u32> = 60..=300;

/// The longest `FactorFriendlyName` Twilio accepts, in characters.
pub const MAX_FRIENDLY_NAME_CHARS: usize = 64;

/// The type of factor an access token enrolls.
///
/// Twilio supports only `push` today. A type this crate does not know yet decodes as
/// [`FactorType::Other`] rather than failing the call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FactorType {
    /// A push factor, enrolled by the Verify Push SDK on a mobile device.
    Push,
    /// A factor type this version of the crate does not know, as Twilio spelled it.
    Other(String),
}

impl FactorType {
    /// The wire spelling (`push`).
    pub fn as_str(&self) -> &str {
        match self {
            FactorType::Push => "push",
            FactorType::Other(other) => other,
        }
    }
}

impl fmt::Display for FactorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FactorType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FactorType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(match &*value {
            "push" => FactorType::Push,
            _ => FactorType::Other(value.into_owned()),
        })
    }
}

/// The parameters of [`AccessTokens::create`](crate::AccessTokens::create).
///
/// Required values are arguments of [`CreateAccessToken::new`]; optional ones are chained
/// setters. Nothing is checked until `create` is called, which refuses bad values with
/// [`Error::InvalidInput`](crate::Error::InvalidInput) before sending anything.
///
/// ```
/// use twilio_verify::{CreateAccessToken, FactorType};
///
/// let params = CreateAccessToken::new("user-8f3a2b", FactorType::Push)
///     .factor_friendly_name("Alice's iPhone")
///     .ttl(120);
/// # let _ = params;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateAccessToken {
    #[serde(rename = "Identity")]
    identity: String,
    #[serde(rename = "FactorType")]
    factor_type: FactorType,
    #[serde(rename = "FactorFriendlyName", skip_serializing_if = "Option::is_none")]
    factor_friendly_name: Option<String>,
    #[serde(rename = "Ttl", skip_serializing_if = "Option::is_none")]
    ttl: Option<u32>,
}

impl CreateAccessToken {
    /// The parameters for a token that lets `identity` enroll a factor of `factor_type`.
    ///
    /// `identity` is your own immutable, non-PII identifier for the user (a UUID, say).
    pub fn new(identity: impl Into<String>, factor_type: FactorType) -> Self {
        CreateAccessToken {
            identity: identity.into(),
            factor_type,
            factor_friendly_name: None,
            ttl: None,
        }
    }

    /// A human-readable name for the factor, up to 64 characters (a device name, say).
    pub fn factor_friendly_name(mut self, name: impl Into<String>) -> Self {
        self.factor_friendly_name = Some(name.into());
        self
    }

    /// How long the token is valid, in seconds: 60 to 300. Twilio's default is 60.
    pub fn ttl(mut self, seconds: u32) -> Self {
        self.ttl = Some(seconds);
        self
    }

    /// Checks every rule this crate knows before anything is sent.
    pub(crate) fn validate(&self) -> Result<(), InvalidInput> {
        if self.identity.is_empty() {
            return Err(InvalidInput::new(
                "identity",
                "identity is empty: it must be your non-empty identifier for the user",
            ));
        }
        if let FactorType::Other(other) = &self.factor_type {
            return Err(InvalidInput::new(
                "factor_type",
                format!("factor_type {other:?} is not supported: must be \"push\""),
            ));
        }
        if let Some(name) = &self.factor_friendly_name {
            let chars = name.chars().count();
            if chars > MAX_FRIENDLY_NAME_CHARS {
                return Err(InvalidInput::new(
                    "factor_friendly_name",
                    format!(
                        "factor_friendly_name is {chars} characters long: must be at most {MAX_FRIENDLY_NAME_CHARS}"
                    ),
                ));
            }
        }
        if let Some(ttl) = self.ttl {
            if !TTL_RANGE.contains(&ttl) {
                return Err(InvalidInput::new(
                    "ttl",
                    format!(
                        "ttl {ttl} is out of range: must be {}..={} seconds",
                        TTL_RANGE.start(),
                        TTL_RANGE.end()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The `application/x-www-form-urlencoded` body Twilio expects.
    pub(crate) fn to_form(&self) -> String {
        serde_urlencoded::to_string(self).expect("strings and integers always form-encode")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_has_only_required_fields_when_nothing_optional_is_set() {
        let params = CreateAccessToken::new("user-1", FactorType::Push);
        assert_eq!(params.to_form(), "Identity=user-1&FactorType=push");
    }

    #[test]
    fn form_encodes_awkward_characters() {
        let params = CreateAccessToken::new("a&b=c+d e\nf/é", FactorType::Push)
            .factor_friendly_name("Alice's 📱")
            .ttl(300);
        assert_eq!(
            params.to_form(),
            "Identity=a%26b%3Dc%2Bd+e%0Af%2F%C3%A9&FactorType=push\
             &FactorFriendlyName=Alice%27s+%F0%9F%93%B1&Ttl=300"
        );
    }

    #[test]
    fn validation_names_parameter_value_and_rule() {
        let cases = [
            (
                CreateAccessToken::new("u", FactorType::Push).ttl(30),
                "ttl",
                "ttl 30 is out of range: must be 60..=300 seconds",
            ),
            (
                CreateAccessToken::new("u", FactorType::Push).ttl(301),
                "ttl",
                "ttl 301 is out of range: must be 60..=300 seconds",
            ),
            (
                CreateAccessToken::new("", FactorType::Push),
                "identity",
                "identity is empty: it must be your non-empty identifier for the user",
            ),
            (
                CreateAccessToken::new("u", FactorType::Push).factor_friendly_name("é".repeat(65)),
                "factor_friendly_name",
                "factor_friendly_name is 65 characters long: must be at most 64",
            ),
            (
                CreateAccessToken::new("u", FactorType::Other("totp".into())),
                "factor_type",
                "factor_type \"totp\" is not supported: must be \"push\"",
            ),
        ];
        for (params, parameter, message) in cases {
            let err = params.validate().unwrap_err();
            assert_eq!(err.parameter(), parameter);
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn validation_accepts_the_edges() {
        for ttl in [60, 300] {
            CreateAccessToken::new("u", FactorType::Push)
                .ttl(ttl)
                .validate()
                .unwrap();
        }
        CreateAccessToken::new("u", FactorType::Push)
            .factor_friendly_name("é".repeat(64))
            .validate()
            .unwrap();
    }

    #[test]
    fn unknown_factor_type_decodes_as_other() {
        let t: FactorType = serde_json::from_str("\"totp\"").unwrap();
        assert_eq!(t, FactorType::Other("totp".into()));
        let t: FactorType = serde_json::from_str("\"push\"").unwrap();
        assert_eq!(t, FactorType::Push);
    }
}
