//! The parameters of a create call and the factor type.

use crate::enums::FactorType;
use crate::error::InvalidInput;
use crate::form::Form;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};

/// The smallest and largest `Ttl` Twilio accepts, in seconds.
pub const TTL_RANGE: std::ops::RangeInclusive<u32> = 60..=300;

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
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CreateAccessToken {
    identity: String,
    factor_type: FactorType,
    factor_friendly_name: Option<String>,
    ttl: Option<u32>,
}

impl CreateAccessToken {
    /// The parameters for a token that lets `identity` enroll a factor of `factor_type`.
    ///
    /// `identity` is your own immutable, non-PII identifier for the user: 8 to 64 ASCII letters
    /// and digits in dash-separated groups (a UUID, say).
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
        rules::identity(&self.identity)?;
        if self.factor_type.as_str() != FactorType::Push.as_str() {
            return Err(InvalidInput::new(
                "factor_type",
                format!(
                    "factor_type {:?} is not supported for access tokens: must be \"push\"",
                    self.factor_type.as_str()
                ),
            ));
        }
        if let Some(name) = &self.factor_friendly_name {
            rules::max_chars("factor_friendly_name", name, MAX_FRIENDLY_NAME_CHARS)?;
        }
        if let Some(ttl) = self.ttl {
            rules::in_range("ttl", ttl, TTL_RANGE, "seconds")?;
        }
        Ok(())
    }

    /// The `application/x-www-form-urlencoded` body Twilio expects.
    pub(crate) fn to_form(&self) -> String {
        Form::new()
            .text("Identity", &self.identity)
            .text("FactorType", FactorType::Push.as_str())
            .opt("FactorFriendlyName", self.factor_friendly_name.as_deref())
            .opt_display("Ttl", self.ttl)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "ff483d1f-5b7e-4c1a";

    #[test]
    fn form_has_only_required_fields_when_nothing_optional_is_set() {
        let params = CreateAccessToken::new("user-8f3a2b", FactorType::Push);
        assert_eq!(params.to_form(), "Identity=user-8f3a2b&FactorType=push");
    }

    #[test]
    fn form_encodes_awkward_characters() {
        let params = CreateAccessToken::new(ID, FactorType::Push)
            .factor_friendly_name("Alice's 📱 a&b=c+d")
            .ttl(300);
        assert_eq!(
            params.to_form(),
            "Identity=ff483d1f-5b7e-4c1a&FactorType=push\
             &FactorFriendlyName=Alice%27s+%F0%9F%93%B1+a%26b%3Dc%2Bd&Ttl=300"
        );
    }

    #[test]
    fn validation_names_parameter_value_and_rule() {
        let cases = [
            (
                CreateAccessToken::new(ID, FactorType::Push).ttl(30),
                "ttl",
                "ttl 30 is out of range: must be 60..=300 seconds",
            ),
            (
                CreateAccessToken::new(ID, FactorType::Push).ttl(301),
                "ttl",
                "ttl 301 is out of range: must be 60..=300 seconds",
            ),
            (
                CreateAccessToken::new("", FactorType::Push),
                "identity",
                "identity is malformed (0 characters): must be 8 to 64 ASCII letters and digits, \
                 in groups separated by single dashes (like a UUID), and not personal data",
            ),
            (
                CreateAccessToken::new(ID, FactorType::Push).factor_friendly_name("é".repeat(65)),
                "factor_friendly_name",
                "factor_friendly_name is 65 characters long: must be at most 64",
            ),
            (
                CreateAccessToken::new(ID, FactorType::Totp),
                "factor_type",
                "factor_type \"totp\" is not supported for access tokens: must be \"push\"",
            ),
            (
                CreateAccessToken::new(ID, FactorType::Other("sms".into())),
                "factor_type",
                "factor_type \"sms\" is not supported for access tokens: must be \"push\"",
            ),
        ];
        for (params, parameter, message) in cases {
            let err = params.validate().unwrap_err();
            assert_eq!(err.parameter(), parameter);
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn an_identity_of_600000_characters_is_refused_before_sending() {
        let err = CreateAccessToken::new("a".repeat(600_000), FactorType::Push)
            .validate()
            .unwrap_err();
        assert_eq!(err.parameter(), "identity");
        assert!(err.to_string().len() < 200, "{err}");
    }

    #[test]
    fn factor_type_other_spelled_push_is_push() {
        let params = CreateAccessToken::new(ID, FactorType::Other("push".into()));
        params.validate().unwrap();
        assert_eq!(params.to_form(), format!("Identity={ID}&FactorType=push"));
    }

    #[test]
    fn validation_accepts_the_edges() {
        for ttl in [60, 300] {
            CreateAccessToken::new(ID, FactorType::Push)
                .ttl(ttl)
                .validate()
                .unwrap();
        }
        CreateAccessToken::new(ID, FactorType::Push)
            .factor_friendly_name("é".repeat(64))
            .validate()
            .unwrap();
    }
}
