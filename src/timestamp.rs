//! Dates on the wire: RFC 3339 (`2015-07-30T20:00:00Z`) read and written by the `time` crate,
//! held as [`SystemTime`] in the public API.

use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Parses an RFC 3339 date-time with any offset into the instant it names.
pub(crate) fn parse(value: &str) -> Option<SystemTime> {
    OffsetDateTime::parse(value, &Rfc3339)
        .ok()
        .map(SystemTime::from)
}

/// `when` in UTC to the whole second, as Twilio writes it: `2030-01-02T01:04:05Z`.
///
/// Sub-second digits are dropped (towards the past). `None` for an instant RFC 3339 cannot
/// write (before year 0 or after 9999), rather than the panic of `OffsetDateTime::from`.
pub(crate) fn format(when: SystemTime) -> Option<String> {
    if !in_range(when) {
        return None;
    }
    let utc = OffsetDateTime::from(when).replace_nanosecond(0).ok()?;
    utc.format(&Rfc3339).ok()
}

/// Whether `OffsetDateTime::from(when)` can hold `when` (it panics outside its range).
fn in_range(when: SystemTime) -> bool {
    const MAX_SECS: u64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    match when.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => after.as_secs() <= MAX_SECS,
        Err(before) => before.duration().as_secs() <= 62_167_219_200, // 0000-01-01
    }
}

/// serde: a required date-time.
pub(crate) fn required<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SystemTime, D::Error> {
    let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    parse(&value).ok_or_else(|| serde::de::Error::custom("not an RFC 3339 date-time"))
}

/// serde: a nullable date-time (`null` or absent is `None`).
pub(crate) fn optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SystemTime>, D::Error> {
    match <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(value) => parse(&value)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 date-time")),
    }
}

/// serde: a date-time written back as Twilio writes it (`2030-01-02T01:04:05Z`, see
/// [`format`]); an instant RFC 3339 cannot write is a serialization error, not a panic.
pub(crate) fn serialize<S: Serializer>(
    when: &SystemTime,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match format(*when) {
        Some(text) => serializer.serialize_str(&text),
        None => Err(serde::ser::Error::custom(
            "the date is outside what RFC 3339 can write (years 0 to 9999)",
        )),
    }
}

/// serde: a nullable date-time written back as RFC 3339, `None` as `null`.
pub(crate) fn serialize_optional<S: Serializer>(
    when: &Option<SystemTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match when {
        Some(when) => serialize(when, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn parses_utc_and_offsets_to_the_same_instant() {
        let utc = parse("2030-01-02T01:04:05Z").unwrap();
        assert_eq!(parse("2030-01-02T03:04:05+02:00"), Some(utc));
        assert_eq!(
            utc.duration_since(UNIX_EPOCH).unwrap(),
            Duration::from_secs(1_893_546_245)
        );
        assert_eq!(
            parse("2015-07-30T20:00:00.250Z"),
            Some(UNIX_EPOCH + Duration::from_millis(1_438_286_400_250))
        );
    }

    #[test]
    fn refuses_what_is_not_rfc_3339() {
        for bad in [
            "",
            "2015-07-30",
            "2015-07-30T20:00:00",
            "yesterday",
            "2015-13-01T00:00:00Z",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_utc_with_z_to_the_second() {
        let when = UNIX_EPOCH + Duration::from_millis(1_893_546_245_999);
        assert_eq!(format(when).unwrap(), "2030-01-02T01:04:05Z");
        assert_eq!(format(UNIX_EPOCH).unwrap(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn out_of_range_instants_are_none_not_a_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 4);
        assert_eq!(format(far), None);
    }

    #[derive(serde::Serialize)]
    struct Dates {
        #[serde(serialize_with = "serialize")]
        at: SystemTime,
        #[serde(serialize_with = "serialize_optional")]
        maybe: Option<SystemTime>,
    }

    #[test]
    fn serializes_as_rfc_3339_utc_and_none_as_null() {
        let at = UNIX_EPOCH + Duration::from_millis(1_893_546_245_999);
        let json = serde_json::to_string(&Dates { at, maybe: None }).unwrap();
        assert_eq!(json, r#"{"at":"2030-01-02T01:04:05Z","maybe":null}"#);
        let json = serde_json::to_string(&Dates {
            at: UNIX_EPOCH,
            maybe: Some(at),
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"at":"1970-01-01T00:00:00Z","maybe":"2030-01-02T01:04:05Z"}"#
        );
    }

    #[test]
    fn serializing_an_out_of_range_instant_is_an_error_not_a_panic() {
        let far = UNIX_EPOCH + Duration::from_secs(u64::MAX / 4);
        let err = serde_json::to_string(&Dates {
            at: far,
            maybe: None,
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the date is outside what RFC 3339 can write (years 0 to 9999)"
        );
    }
}
