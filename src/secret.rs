//! A string that never prints itself.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string: an auth token, an API secret or an access token's JWT.
///
/// Its `Debug` prints `Secret([redacted])` and its `Display` prints `[redacted]`, so a secret
/// cannot reach a log line or an error message by accident. The value is read only through
/// [`Secret::expose_secret`].
///
/// Its `Serialize` (so a model holding one can be written out as JSON) always writes the
/// string `"[redacted]"`, never the value: serializing is not a way to read it. To write the
/// value, serialize [`expose_secret`](Secret::expose_secret) yourself.
#[derive(Clone)]
pub struct Secret(Box<str>);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().into_boxed_str())
    }

    /// Returns the secret itself.
    ///
    /// # Security warning
    /// Whatever you do with the returned string is no longer redacted: do not log it, print it
    /// or put it in an error message. An access token's JWT is a bearer credential for enrolling
    /// a factor; hand it only to the app it was minted for.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl Serialize for Secret {
    /// Writes `"[redacted]"`, whatever the value.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_print_only_the_redaction() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(format!("{secret:#?}"), "Secret([redacted])");
        assert_eq!(secret.to_string(), "[redacted]");
        assert_eq!(secret.expose_secret(), "hunter2");
    }

    #[test]
    fn serialize_writes_the_redaction_never_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(serde_json::to_string(&secret).unwrap(), r#""[redacted]""#);
        let some = Some(Secret::new("hunter2"));
        assert_eq!(serde_json::to_string(&some).unwrap(), r#""[redacted]""#);
        let value = serde_json::to_value(&secret).unwrap();
        assert_eq!(value, serde_json::json!("[redacted]"));
    }
}
