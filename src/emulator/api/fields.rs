//! Reading form fields and refusing bad ones as Twilio does: `400` with code 60200 and
//! `Invalid parameter: <Name>` (or `Missing required parameter <Name> in the post body`),
//! using the crate's own rules so the emulator refuses exactly what the client refuses.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use hyper::StatusCode;

use crate::emulator::paging::decimal;
use crate::emulator::responses::{self, Reply};
use crate::error::InvalidInput;
use crate::rules;

/// A request refused with a Twilio error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) code: u32,
    pub(crate) message: String,
}

impl Refusal {
    /// `400`, code 60200, `Invalid parameter: {name}`.
    pub(crate) fn invalid(name: &str) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            code: 60200,
            message: format!("Invalid parameter: {name}"),
        }
    }

    /// `400`, code 60200, `Missing required parameter {name} in the post body`.
    pub(crate) fn missing(name: &str) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            code: 60200,
            message: format!("Missing required parameter {name} in the post body"),
        }
    }

    /// `404`, code 20404, naming the path.
    pub(crate) fn not_found(path: &str) -> Refusal {
        Refusal {
            status: StatusCode::NOT_FOUND,
            code: 20404,
            message: format!("The requested resource {path} was not found"),
        }
    }

    /// The answer.
    pub(crate) fn reply(&self) -> Reply {
        responses::error(self.status, self.code, &self.message)
    }
}

/// Maps a crate rule's refusal to Twilio's, naming the form field `name`.
pub(crate) fn rule(name: &str, result: Result<(), InvalidInput>) -> Result<(), Refusal> {
    result.map_err(|_| Refusal::invalid(name))
}

/// The form fields of a request. An empty value counts as absent; unknown names are ignored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a>(pub(crate) &'a [(String, String)]);

impl<'a> Fields<'a> {
    /// The first non-empty value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every non-empty value of `name`, in order (a repeated key is a list).
    pub(crate) fn all(&self, name: &str) -> Vec<&'a str> {
        self.0
            .iter()
            .filter(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The value of a required field.
    pub(crate) fn required(&self, name: &str) -> Result<&'a str, Refusal> {
        self.get(name).ok_or_else(|| Refusal::missing(name))
    }

    /// A decimal integer within `range`, if given.
    pub(crate) fn int(
        &self,
        name: &str,
        range: RangeInclusive<u32>,
    ) -> Result<Option<u32>, Refusal> {
        self.get(name)
            .map(|value| {
                decimal(value)
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| range.contains(n))
                    .ok_or_else(|| Refusal::invalid(name))
            })
            .transpose()
    }

    /// One of `allowed` (case-sensitive, as Twilio's enums are), if given.
    pub(crate) fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<&'a str>, Refusal> {
        match self.get(name) {
            Some(value) if !allowed.contains(&value) => Err(Refusal::invalid(name)),
            other => Ok(other),
        }
    }

    /// A stringified JSON object of strings (`HiddenDetails`, `Metadata`), at most 1024
    /// characters when written compactly, as the client counts it.
    pub(crate) fn json_map(&self, name: &str) -> Result<Option<BTreeMap<String, String>>, Refusal> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        let map: BTreeMap<String, String> =
            serde_json::from_str(text).map_err(|_| Refusal::invalid(name))?;
        rules::json_map("json", &map).map_err(|_| Refusal::invalid(name))?;
        Ok(Some(map))
    }
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
    fn json_maps_accept_spaced_json_and_escapes_and_refuse_other_shapes() {
        let pairs = form(&[("Metadata", "{ \"os\" : \"Andr\\u006fid\" }")]);
        let map = Fields(&pairs).json_map("Metadata").unwrap().unwrap();
        assert_eq!(map["os"], "Android");
        for bad in ["[1]", "{\"n\":1}", "not json", "{\"a\":null}"] {
            let pairs = form(&[("Metadata", bad)]);
            assert_eq!(
                Fields(&pairs).json_map("Metadata").unwrap_err().message,
                "Invalid parameter: Metadata",
                "{bad}"
            );
        }
        let long = format!("{{\"k\":\"{}\"}}", "x".repeat(1017));
        let pairs = form(&[("Metadata", &long)]);
        assert!(Fields(&pairs).json_map("Metadata").is_err());
        let fits = format!("{{ \"k\" : \"{}\" }}", "x".repeat(1016));
        let pairs = form(&[("Metadata", &fits)]);
        assert!(Fields(&pairs).json_map("Metadata").unwrap().is_some());
    }

    #[test]
    fn integers_are_decimal_digits_in_range() {
        let pairs = form(&[("A", "30"), ("B", "+30"), ("C", "61"), ("D", "")]);
        let fields = Fields(&pairs);
        assert_eq!(fields.int("A", 20..=60).unwrap(), Some(30));
        assert!(fields.int("B", 20..=60).is_err());
        assert!(fields.int("C", 20..=60).is_err());
        assert_eq!(fields.int("D", 20..=60).unwrap(), None);
    }
}
