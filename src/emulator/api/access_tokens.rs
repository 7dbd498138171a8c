//! `…/AccessTokens`: create and fetch.

use super::fields::{Fields, Refusal, rule};
use super::{Answer, Call, created, ok};
use crate::access_tokens::params::TTL_RANGE;
use crate::emulator::clock::unix;
use crate::emulator::ids;
use crate::emulator::store::TokenRecord;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};

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

/// Reads and checks the fields in the spec's order: `Identity` (required, the crate's identity
/// rule), `FactorType` (`push`), `FactorFriendlyName` (at most 64 characters), `Ttl` (decimal,
/// 60..=300, default 60).
///
/// # Errors
/// The first failed check, naming the parameter.
pub(crate) fn create_fields(form: Fields<'_>) -> Result<CreateFields, Refusal> {
    let identity = form.required("Identity")?;
    rule("Identity", rules::identity(identity))?;
    let factor_type = form.required("FactorType")?;
    if factor_type != "push" {
        return Err(Refusal::invalid("FactorType"));
    }
    let friendly_name = form.get("FactorFriendlyName");
    if let Some(name) = friendly_name {
        rule(
            "FactorFriendlyName",
            rules::max_chars("name", name, MAX_FRIENDLY_NAME_CHARS),
        )?;
    }
    let ttl = form.int("Ttl", TTL_RANGE)?.unwrap_or(DEFAULT_TTL);
    Ok(CreateFields {
        identity: identity.to_owned(),
        factor_type: factor_type.to_owned(),
        friendly_name: friendly_name.map(str::to_owned),
        ttl,
    })
}

/// `POST …/AccessTokens`: `201` with the stored token.
pub(crate) fn create(call: &Call<'_>, service: &str) -> Answer {
    let mut store = call.state.store();
    let Some(tokens) = store.service_mut(service).map(|s| &mut s.tokens) else {
        return Err(call.not_found());
    };
    let fields = create_fields(call.form)?;
    let sid = ids::sid("YK");
    let token = ids::jwt_shaped(&ids::TokenClaims {
        sid: &sid,
        account_sid: &call.state.account_sid,
        service_sid: service,
        identity: &fields.identity,
        factor_type: &fields.factor_type,
        issued_at: unix(call.now),
        ttl: u64::from(fields.ttl),
    });
    let record = TokenRecord {
        url: format!("{}/{sid}", call.url(call.path)),
        sid: sid.clone(),
        account_sid: call.state.account_sid.clone(),
        service_sid: service.to_owned(),
        entity_identity: fields.identity,
        factor_type: fields.factor_type,
        factor_friendly_name: fields.friendly_name,
        ttl: fields.ttl,
        date_created: call.now,
        token,
    };
    let body = serde_json::to_value(&record).expect("a token record serializes");
    tokens.insert(sid, record);
    created(&body)
}

/// `GET …/AccessTokens/{Sid}`: `200` with the token.
pub(crate) fn fetch(call: &Call<'_>, service: &str, sid: &str) -> Answer {
    let store = call.state.store();
    let record = store
        .service(service)
        .and_then(|s| s.tokens.get(sid))
        .ok_or_else(|| call.not_found())?;
    ok(&serde_json::to_value(record).expect("a token record serializes"))
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

    const ID: &str = "user-8f3a2b";

    fn message(pairs: &[(&str, &str)]) -> String {
        create_fields(Fields(&form(pairs))).unwrap_err().message
    }

    #[test]
    fn minimal_form_gets_the_default_ttl_and_no_friendly_name() {
        let pairs = form(&[("Identity", ID), ("FactorType", "push")]);
        assert_eq!(
            create_fields(Fields(&pairs)).unwrap(),
            CreateFields {
                identity: ID.into(),
                factor_type: "push".into(),
                friendly_name: None,
                ttl: 60
            }
        );
    }

    #[test]
    fn each_rule_names_its_parameter() {
        assert_eq!(
            message(&[("FactorType", "push")]),
            "Missing required parameter Identity in the post body"
        );
        assert_eq!(
            message(&[("Identity", ""), ("FactorType", "push")]),
            "Missing required parameter Identity in the post body"
        );
        for bad in ["alice", "user 1234", "user_1234", "a/b/c/d/e"] {
            assert_eq!(
                message(&[("Identity", bad), ("FactorType", "push")]),
                "Invalid parameter: Identity",
                "{bad}"
            );
        }
        assert_eq!(
            message(&[("Identity", ID)]),
            "Missing required parameter FactorType in the post body"
        );
        assert_eq!(
            message(&[("Identity", ID), ("FactorType", "totp")]),
            "Invalid parameter: FactorType"
        );
        let long = "é".repeat(65);
        assert_eq!(
            message(&[
                ("Identity", ID),
                ("FactorType", "push"),
                ("FactorFriendlyName", &long)
            ]),
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
            assert_eq!(
                message(&[("Identity", ID), ("FactorType", "push"), ("Ttl", ttl)]),
                "Invalid parameter: Ttl",
                "{ttl:?}"
            );
        }
    }

    #[test]
    fn edges_are_accepted() {
        for ttl in ["60", "300", "0120"] {
            let pairs = form(&[("Identity", ID), ("FactorType", "push"), ("Ttl", ttl)]);
            assert!(create_fields(Fields(&pairs)).is_ok(), "{ttl}");
        }
        let name = "é".repeat(64);
        let pairs = form(&[
            ("Identity", ID),
            ("FactorType", "push"),
            ("FactorFriendlyName", &name),
        ]);
        assert_eq!(
            create_fields(Fields(&pairs)).unwrap().friendly_name,
            Some(name)
        );
    }
}
