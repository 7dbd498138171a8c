//! The rules checked before anything is sent, shared by every resource: each refusal is an
//! [`InvalidInput`] that names the parameter and quotes the rule.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::ops::RangeInclusive;

use crate::error::InvalidInput;

/// How long an identity may be, in characters.
pub const IDENTITY_LENGTH: RangeInclusive<usize> = 8..=64;

/// The longest friendly name Twilio accepts (factors, webhooks, access tokens), in characters.
pub const MAX_FRIENDLY_NAME_CHARS: usize = 64;

/// The longest `HiddenDetails` or `Metadata` JSON Twilio accepts, in characters.
pub const MAX_JSON_MAP_CHARS: usize = 1024;

/// The largest `PageSize` the spec allows (and the smallest is 1).
pub const MAX_PAGE_SIZE: u32 = 1000;

/// How many digits a TOTP code has (`Config.CodeLength`, and a TOTP `AuthPayload`).
pub const TOTP_CODE_DIGITS: RangeInclusive<usize> = 3..=8;

/// The longest `AuthPayload` of a push device (its signed answer), in characters.
pub const MAX_AUTH_PAYLOAD_CHARS: usize = 5456;

/// Checks an identity: 8 to 64 ASCII letters and digits in groups separated by single dashes
/// (a UUID, a hex digest). The value is not echoed: an identity may be personal data.
///
/// It becomes a path segment, so the rule also guarantees no value can change the route.
pub(crate) fn identity(value: &str) -> Result<(), InvalidInput> {
    let length_ok = IDENTITY_LENGTH.contains(&value.len());
    let shape_ok = !value.is_empty()
        && value
            .split('-')
            .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_alphanumeric()));
    if length_ok && shape_ok {
        return Ok(());
    }
    Err(InvalidInput::new(
        "identity",
        format!(
            "identity is malformed ({} characters): must be {} to {} ASCII letters and digits, \
             in groups separated by single dashes (like a UUID), and not personal data",
            value.chars().count(),
            IDENTITY_LENGTH.start(),
            IDENTITY_LENGTH.end()
        ),
    ))
}

/// Refuses an empty required string.
pub(crate) fn required(parameter: &'static str, value: &str) -> Result<(), InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(
            parameter,
            format!("{parameter} is empty: it is required"),
        ));
    }
    Ok(())
}

/// Refuses a string longer than `max` characters (the value is not echoed).
pub(crate) fn max_chars(
    parameter: &'static str,
    value: &str,
    max: usize,
) -> Result<(), InvalidInput> {
    let chars = value.chars().count();
    if chars > max {
        return Err(InvalidInput::new(
            parameter,
            format!("{parameter} is {chars} characters long: must be at most {max}"),
        ));
    }
    Ok(())
}

/// Refuses a string whose length in characters is outside `range`.
pub(crate) fn chars_in(
    parameter: &'static str,
    value: &str,
    range: RangeInclusive<usize>,
) -> Result<(), InvalidInput> {
    let chars = value.chars().count();
    if !range.contains(&chars) {
        return Err(InvalidInput::new(
            parameter,
            format!(
                "{parameter} is {chars} characters long: must be {}..={} characters",
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(())
}

/// Refuses a number outside `range`.
pub(crate) fn in_range<T: PartialOrd + Display>(
    parameter: &'static str,
    value: T,
    range: RangeInclusive<T>,
    unit: &str,
) -> Result<(), InvalidInput> {
    if !range.contains(&value) {
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" {unit}")
        };
        return Err(InvalidInput::new(
            parameter,
            format!(
                "{parameter} {value} is out of range: must be {}..={}{unit}",
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(())
}

/// Checks a `PageSize`.
pub(crate) fn page_size(value: u32) -> Result<(), InvalidInput> {
    in_range("page_size", value, 1..=MAX_PAGE_SIZE, "")
}

/// `AuthPayload`, when the factor's type is not known here: an all-digit value is a TOTP code
/// (3..=8 digits), anything else a push device's signed payload (at most 5456 characters).
/// The value is never echoed.
pub(crate) fn auth_payload(value: &str) -> Result<(), InvalidInput> {
    if value.is_empty() {
        return Err(InvalidInput::new(
            "auth_payload",
            "auth_payload is empty: must be a TOTP code (3..=8 digits) or a push payload \
             (at most 5456 characters)",
        ));
    }
    let chars = value.chars().count();
    if value.bytes().all(|b| b.is_ascii_digit()) {
        if !TOTP_CODE_DIGITS.contains(&chars) {
            return Err(InvalidInput::new(
                "auth_payload",
                format!(
                    "auth_payload is a {chars}-digit code: a TOTP code must be {}..={} digits",
                    TOTP_CODE_DIGITS.start(),
                    TOTP_CODE_DIGITS.end()
                ),
            ));
        }
    } else if chars > MAX_AUTH_PAYLOAD_CHARS {
        return Err(InvalidInput::new(
            "auth_payload",
            format!(
                "auth_payload is {chars} characters long: a push payload must be at most \
                 {MAX_AUTH_PAYLOAD_CHARS} characters"
            ),
        ));
    }
    Ok(())
}

/// String pairs (a map, or an array of pairs) as the map `HiddenDetails` and `Metadata` hold.
pub(crate) fn string_map<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<String, String>
where
    K: Into<String>,
    V: Into<String>,
{
    pairs
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

/// A string-valued JSON object (`HiddenDetails`, `Metadata`) as the one form value Twilio
/// takes, refused when over 1024 characters.
pub(crate) fn json_map(
    parameter: &'static str,
    map: &BTreeMap<String, String>,
) -> Result<String, InvalidInput> {
    let json = serde_json::to_string(map).expect("a map of strings always serializes");
    max_chars(parameter, &json, MAX_JSON_MAP_CHARS)?;
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_of_dash_separated_letters_and_digits_pass() {
        for ok in [
            "ff483d1ff591898a9942916050d2ca3f",
            "ff483d1f-5b7e-4c1a-9e2d-0a1b2c3d4e5f",
            "user-8f3a2b",
            "ABCDEFGH",
            &"a".repeat(64),
        ] {
            identity(ok).unwrap();
        }
    }

    #[test]
    fn identities_that_could_change_the_route_or_break_the_rule_are_refused() {
        for bad in [
            "",
            "user-1",
            &"a".repeat(65),
            "user 1234",
            "user/1234",
            "user1234?x=1",
            "user%2F1234",
            "../../Services",
            "-user1234",
            "user1234-",
            "user--1234",
            "üseröne12",
            "alice@example.com",
            "user_1234",
            "user.1234",
        ] {
            let err = identity(bad).unwrap_err();
            assert_eq!(err.parameter(), "identity", "{bad:?}");
        }
        assert_eq!(
            identity("user 1").unwrap_err().to_string(),
            "identity is malformed (6 characters): must be 8 to 64 ASCII letters and digits, \
             in groups separated by single dashes (like a UUID), and not personal data"
        );
    }

    #[test]
    fn lengths_and_ranges_name_the_parameter_and_the_rule() {
        assert_eq!(
            max_chars("friendly_name", &"é".repeat(65), 64)
                .unwrap_err()
                .to_string(),
            "friendly_name is 65 characters long: must be at most 64"
        );
        max_chars("friendly_name", &"é".repeat(64), 64).unwrap();
        assert_eq!(
            chars_in("auth_payload", "12", 3..=8)
                .unwrap_err()
                .to_string(),
            "auth_payload is 2 characters long: must be 3..=8 characters"
        );
        assert_eq!(
            in_range("ttl", 30u32, 60..=300, "seconds")
                .unwrap_err()
                .to_string(),
            "ttl 30 is out of range: must be 60..=300 seconds"
        );
        assert_eq!(
            page_size(1001).unwrap_err().to_string(),
            "page_size 1001 is out of range: must be 1..=1000"
        );
        page_size(1).unwrap();
        page_size(1000).unwrap();
        assert_eq!(page_size(0).unwrap_err().parameter(), "page_size");
        assert_eq!(
            required("friendly_name", "").unwrap_err().to_string(),
            "friendly_name is empty: it is required"
        );
    }

    #[test]
    fn json_maps_are_compact_and_bounded_at_1024_characters() {
        let mut map = BTreeMap::new();
        map.insert("os".to_owned(), "Android \"14\"".to_owned());
        assert_eq!(
            json_map("metadata", &map).unwrap(),
            r#"{"os":"Android \"14\""}"#
        );
        map.insert("pad".to_owned(), "x".repeat(1024));
        assert_eq!(
            json_map("metadata", &map).unwrap_err().parameter(),
            "metadata"
        );
    }
}
