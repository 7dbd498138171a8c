//! Reading credentials and region from environment variables.

use crate::client::VerifyClient;
use crate::config::builder::VerifyClientBuilder;
use crate::error::{Error, InvalidInput};

/// Builds a builder from `lookup` (the environment, or a map in tests).
pub(crate) fn builder_from(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<VerifyClientBuilder, Error> {
    let var = |name: &'static str| lookup(name).map(|v| (name, v));
    let account_sid = var("TWILIO_ACCOUNT_SID");
    let auth_token = var("TWILIO_AUTH_TOKEN");
    let api_key = var("TWILIO_API_KEY");
    let api_secret = var("TWILIO_API_SECRET");
    let missing = |name: &'static str, because: &str| {
        Error::InvalidInput(InvalidInput::new(
            name,
            format!("{name} is not set ({because} is)"),
        ))
    };
    let mut builder = VerifyClient::builder();
    builder = match (api_key, api_secret, account_sid, auth_token) {
        (Some((_, key)), Some((_, secret)), account_sid, _) => {
            let builder = builder.api_key(key, secret);
            match account_sid {
                Some((_, sid)) => builder.account_sid(sid),
                None => builder,
            }
        }
        (Some(_), None, ..) => return Err(missing("TWILIO_API_SECRET", "TWILIO_API_KEY")),
        (None, Some(_), ..) => return Err(missing("TWILIO_API_KEY", "TWILIO_API_SECRET")),
        (None, None, Some((_, sid)), Some((_, token))) => {
            builder.account_sid(sid).auth_token(token)
        }
        (None, None, Some(_), None) => {
            return Err(missing("TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID"));
        }
        (None, None, None, Some(_)) => {
            return Err(missing("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"));
        }
        (None, None, None, None) => {
            return Err(Error::InvalidInput(InvalidInput::new(
                "TWILIO_ACCOUNT_SID",
                "no credentials in the environment: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, \
                 or TWILIO_API_KEY and TWILIO_API_SECRET",
            )));
        }
    };
    if let Some((_, region)) = var("TWILIO_REGION") {
        builder = builder.region(region);
    }
    if let Some((_, edge)) = var("TWILIO_EDGE") {
        builder = builder.edge(edge);
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::config::credentials::Credentials;

    const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const SK: &str = "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn from(vars: &[(&str, &str)]) -> Result<VerifyClient, Error> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        builder_from(|name| map.get(name).cloned())?.build()
    }

    fn message(result: Result<VerifyClient, Error>) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn account_sid_and_auth_token() {
        let client = from(&[("TWILIO_ACCOUNT_SID", AC), ("TWILIO_AUTH_TOKEN", "t")]).unwrap();
        assert!(matches!(
            client.credentials(),
            Credentials::AuthToken { .. }
        ));
        assert_eq!(client.base_url(), "https://verify.twilio.com");
    }

    #[test]
    fn api_key_is_preferred_and_account_sid_is_optional() {
        let client = from(&[("TWILIO_API_KEY", SK), ("TWILIO_API_SECRET", "s")]).unwrap();
        assert!(matches!(
            client.credentials(),
            Credentials::ApiKey {
                account_sid: None,
                ..
            }
        ));
        let client = from(&[
            ("TWILIO_API_KEY", SK),
            ("TWILIO_API_SECRET", "s"),
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
        ])
        .unwrap();
        assert!(matches!(
            client.credentials(),
            Credentials::ApiKey {
                account_sid: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn region_and_edge_apply() {
        let client = from(&[
            ("TWILIO_ACCOUNT_SID", AC),
            ("TWILIO_AUTH_TOKEN", "t"),
            ("TWILIO_REGION", "au1"),
            ("TWILIO_EDGE", "sydney"),
        ])
        .unwrap();
        assert_eq!(client.base_url(), "https://verify.sydney.au1.twilio.com");
    }

    #[test]
    fn missing_variables_are_named() {
        assert_eq!(
            message(from(&[])),
            "invalid input: no credentials in the environment: set TWILIO_ACCOUNT_SID and \
             TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET"
        );
        assert_eq!(
            message(from(&[("TWILIO_ACCOUNT_SID", AC)])),
            "invalid input: TWILIO_AUTH_TOKEN is not set (TWILIO_ACCOUNT_SID is)"
        );
        assert_eq!(
            message(from(&[("TWILIO_AUTH_TOKEN", "t")])),
            "invalid input: TWILIO_ACCOUNT_SID is not set (TWILIO_AUTH_TOKEN is)"
        );
        assert_eq!(
            message(from(&[("TWILIO_API_KEY", SK)])),
            "invalid input: TWILIO_API_SECRET is not set (TWILIO_API_KEY is)"
        );
        assert_eq!(
            message(from(&[("TWILIO_API_SECRET", "s")])),
            "invalid input: TWILIO_API_KEY is not set (TWILIO_API_SECRET is)"
        );
    }
}
