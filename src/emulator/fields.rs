//! The create call's form fields, validated as Twilio does (each failure is `400`, code 60200).

use crate::access_tokens::params::TTL_RANGE;
use crate::rules::MAX_FRIENDLY_NAME_CHARS;

/// Twilio's default `Ttl`, in seconds.
pub(crate) const DEFAULT_TTL: u32 = 60;

/// The fields of a valid create request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CreateFields {
    pub(crate) identity: String,
    pub(crate) factor_type: String,
    pub(crate) friendly_name: Option<String>,
    pub(crate) ttl: u32,
}

/// Reads and checks the fields in the spec's order: `Identity`, `FactorType`,
/// `FactorFriendlyName`, `Ttl`. An empty value counts as absent; unknown fields are ignored.
///
/// # Errors
/// The message of the first failed check, naming the parameter.
pub(crate) fn create_fields(form: &[(String, String)]) -> Result<CreateFields, String> {
    let field = |name: &str| {
        form.iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    };
    let missing = |name: &str| format!("Missing required parameter {name} in the post body");
    let invalid = |name: &str| format!("Invalid parameter: {name}");

    let identity = field("Identity").ok_or_else(|| missing("Identity"))?;
    let factor_type = field("FactorType").ok_or_else(|| missing("FactorType"))?;
    if factor_type != "push" {
        return Err(invalid("FactorType"));
    }
    let friendly_name = field("FactorFriendlyName");
    if friendly_name.is_some_and(|name| name.chars().count() > MAX_FRIENDLY_NAME_CHARS) {
        return Err(invalid("FactorFriendlyName"));
    }
    let ttl = match field("Ttl") {
        None => DEFAULT_TTL,
        Some(ttl) => parse_ttl(ttl).ok_or_else(|| invalid("Ttl"))?,
    };
    Ok(CreateFields {
        identity: identity.to_owned(),
        factor_type: factor_type.to_owned(),
        friendly_name: friendly_name.map(str::to_owned),
        ttl,
    })
}

/// A `Ttl` of decimal digits only, within 60..=300.
fn parse_ttl(value: &str) -> Option<u32> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().filter(|ttl| TTL_RANGE.contains(ttl))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn minimal_form_gets_the_default_ttl_and_no_friendly_name() {
        let fields = create_fields(&form(&[("Identity", "u"), ("FactorType", "push")])).unwrap();
        assert_eq!(
            fields,
            CreateFields {
                identity: "u".into(),
                factor_type: "push".into(),
                friendly_name: None,
                ttl: 60
            }
        );
    }

    #[test]
    fn each_rule_names_its_parameter() {
        let with = |name: &str, value: String| {
            let mut pairs = form(&[("Identity", "u"), ("FactorType", "push")]);
            pairs.push((name.to_owned(), value));
            create_fields(&pairs).unwrap_err()
        };
        assert_eq!(
            create_fields(&form(&[("FactorType", "push")])).unwrap_err(),
            "Missing required parameter Identity in the post body"
        );
        assert_eq!(
            create_fields(&form(&[("Identity", ""), ("FactorType", "push")])).unwrap_err(),
            "Missing required parameter Identity in the post body"
        );
        assert_eq!(
            create_fields(&form(&[("Identity", "u")])).unwrap_err(),
            "Missing required parameter FactorType in the post body"
        );
        assert_eq!(
            create_fields(&form(&[("Identity", "u"), ("FactorType", "totp")])).unwrap_err(),
            "Invalid parameter: FactorType"
        );
        assert_eq!(
            with("FactorFriendlyName", "é".repeat(65)),
            "Invalid parameter: FactorFriendlyName"
        );
        for ttl in [
            "59",
            "301",
            "abc",
            "+60",
            "60.0",
            " 60",
            "99999999999999999999",
        ] {
            assert_eq!(with("Ttl", ttl.into()), "Invalid parameter: Ttl", "{ttl:?}");
        }
    }

    #[test]
    fn edges_are_accepted() {
        for ttl in ["60", "300", "0120"] {
            let mut pairs = form(&[("Identity", "u"), ("FactorType", "push")]);
            pairs.push(("Ttl".into(), ttl.into()));
            assert!(create_fields(&pairs).is_ok(), "{ttl}");
        }
        let mut pairs = form(&[("Identity", "u"), ("FactorType", "push")]);
        pairs.push(("FactorFriendlyName".into(), "é".repeat(64)));
        assert_eq!(
            create_fields(&pairs).unwrap().friendly_name,
            Some("é".repeat(64))
        );
    }
}
