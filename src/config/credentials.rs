//! The two kinds of credentials Twilio accepts, and the `Authorization` value they make.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::InvalidInput;
use crate::secret::Secret;
use crate::sid::{AccountSid, ApiKeySid};

/// Credentials for HTTP Basic authentication with Twilio.
///
/// Twilio recommends API keys in production: they can be revoked one by one. `Debug` redacts the
/// auth token and the API secret.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// The account SID and its auth token.
    AuthToken {
        /// The account SID (`AC…`), the Basic user name.
        account_sid: AccountSid,
        /// The account's auth token, the Basic password.
        auth_token: Secret,
    },
    /// An API key SID and its secret.
    ApiKey {
        /// The API key SID (`SK…`), the Basic user name.
        api_key_sid: ApiKeySid,
        /// The API key's secret, the Basic password.
        api_secret: Secret,
        /// The account the key belongs to; Verify does not need it.
        account_sid: Option<AccountSid>,
    },
}

impl Credentials {
    /// Account SID + auth token, checked: the SID must match `^AC[0-9a-fA-F]{32}$` and the token
    /// must not be empty.
    ///
    /// # Errors
    /// [`InvalidInput`] naming `account_sid` or `auth_token`.
    pub fn auth_token(
        account_sid: &str,
        auth_token: impl Into<String>,
    ) -> Result<Self, InvalidInput> {
        let auth_token = Secret::new(auth_token);
        if auth_token.is_empty() {
            return Err(InvalidInput::new("auth_token", "auth_token is empty"));
        }
        Ok(Credentials::AuthToken {
            account_sid: credential_sid(account_sid, "account_sid", "AC")?,
            auth_token,
        })
    }

    /// API key SID + secret, checked: the SID must match `^SK[0-9a-fA-F]{32}$` and the secret
    /// must not be empty.
    ///
    /// # Errors
    /// [`InvalidInput`] naming `api_key_sid` or `api_secret`.
    pub fn api_key(api_key_sid: &str, api_secret: impl Into<String>) -> Result<Self, InvalidInput> {
        let api_secret = Secret::new(api_secret);
        if api_secret.is_empty() {
            return Err(InvalidInput::new("api_secret", "api_secret is empty"));
        }
        Ok(Credentials::ApiKey {
            api_key_sid: credential_sid(api_key_sid, "api_key_sid", "SK")?,
            api_secret,
            account_sid: None,
        })
    }

    /// The account SID, when known.
    pub fn account_sid(&self) -> Option<&AccountSid> {
        match self {
            Credentials::AuthToken { account_sid, .. } => Some(account_sid),
            Credentials::ApiKey { account_sid, .. } => account_sid.as_ref(),
        }
    }

    /// The `Authorization` header value: `Basic base64(user:password)`.
    pub(crate) fn authorization(&self) -> Secret {
        let (user, password) = match self {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => (account_sid.as_str(), auth_token),
            Credentials::ApiKey {
                api_key_sid,
                api_secret,
                ..
            } => (api_key_sid.as_str(), api_secret),
        };
        let pair = format!("{user}:{}", password.expose_secret());
        Secret::new(format!("Basic {}", STANDARD.encode(pair)))
    }
}

/// Parses the user-name half of a credential pair. Unlike other SIDs, the refused value is not
/// echoed: with the arguments swapped, it would be the secret.
pub(crate) fn credential_sid<T: FromStr>(
    value: &str,
    parameter: &'static str,
    prefix: &str,
) -> Result<T, InvalidInput> {
    value.parse().map_err(|_| {
        InvalidInput::new(
            parameter,
            format!("{parameter} is malformed: must be {prefix:?} followed by 32 hex digits"),
        )
    })
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AuthToken {
                account_sid,
                auth_token,
            } => f
                .debug_struct("AuthToken")
                .field("account_sid", account_sid)
                .field("auth_token", auth_token)
                .finish(),
            Credentials::ApiKey {
                api_key_sid,
                api_secret,
                account_sid,
            } => f
                .debug_struct("ApiKey")
                .field("api_key_sid", api_key_sid)
                .field("api_secret", api_secret)
                .field("account_sid", account_sid)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    #[test]
    fn authorization_is_basic_of_user_colon_password() {
        let creds = Credentials::auth_token(AC, "tok:en").unwrap();
        let expected = format!("Basic {}", STANDARD.encode(format!("{AC}:tok:en")));
        assert_eq!(creds.authorization().expose_secret(), expected);
        let creds = Credentials::api_key(SK, "s3cret").unwrap();
        let expected = format!("Basic {}", STANDARD.encode(format!("{SK}:s3cret")));
        assert_eq!(creds.authorization().expose_secret(), expected);
    }

    #[test]
    fn debug_redacts_the_password() {
        let creds = Credentials::auth_token(AC, "hunter2").unwrap();
        assert_eq!(
            format!("{creds:?}"),
            format!("AuthToken {{ account_sid: \"{AC}\", auth_token: Secret([redacted]) }}")
        );
        let creds = Credentials::api_key(SK, "hunter2").unwrap();
        assert_eq!(
            format!("{creds:?}"),
            format!(
                "ApiKey {{ api_key_sid: \"{SK}\", api_secret: Secret([redacted]), account_sid: None }}"
            )
        );
    }

    #[test]
    fn empty_passwords_and_bad_sids_are_refused() {
        assert_eq!(
            Credentials::auth_token(AC, "").unwrap_err().parameter(),
            "auth_token"
        );
        assert_eq!(
            Credentials::api_key(SK, "").unwrap_err().parameter(),
            "api_secret"
        );
        assert_eq!(
            Credentials::auth_token("ACnope", "t")
                .unwrap_err()
                .parameter(),
            "account_sid"
        );
        assert_eq!(
            Credentials::api_key(AC, "t").unwrap_err().parameter(),
            "api_key_sid"
        );
    }
}
