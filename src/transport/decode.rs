//! Decoding a 2xx body into a model, and explaining why one did not decode without quoting it.

use serde::de::DeserializeOwned;

use crate::error::DecodeError;
use crate::transport::request::Answer;

/// Decodes `answer`'s body as `T`.
///
/// The fast path is plain serde_json. Only when it fails is the body decoded again with
/// serde_path_to_error, to name the field that failed; serde's own message, which can quote
/// values from the body (a JWT, a TOTP secret, an identity), is never kept.
pub(crate) fn decode<T: DeserializeOwned>(answer: &Answer) -> Result<T, DecodeError> {
    // Checking UTF-8 once over the whole body is cheaper than serde_json's check of every
    // string; a body that is not UTF-8 goes to `from_slice` for serde_json's own error.
    let parsed = match std::str::from_utf8(&answer.body) {
        Ok(text) => serde_json::from_str::<T>(text),
        Err(_) => serde_json::from_slice::<T>(&answer.body),
    };
    parsed.map_err(|error| explain::<T>(answer, error))
}

/// The `DecodeError` for a body that failed to decode with `error`.
fn explain<T: DeserializeOwned>(answer: &Answer, error: serde_json::Error) -> DecodeError {
    let mut deserializer = serde_json::Deserializer::from_slice(&answer.body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => explained(answer, None, error),
        Err(traced) => {
            let path = traced.path().clone();
            explained(answer, Some(&path), traced.into_inner())
        }
    }
}

/// The `DecodeError` for `inner`, which happened at `path`: a missing or null field is named
/// as such; anything else keeps only serde_json's category, position and the path.
pub(crate) fn explained(
    answer: &Answer,
    path: Option<&serde_path_to_error::Path>,
    inner: serde_json::Error,
) -> DecodeError {
    let status = answer.status.as_u16();
    let path = path.and_then(safe_path);
    let message = inner.to_string();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        // The name comes from our own model, never from the body.
        let field = join(path.as_deref(), field);
        return DecodeError::missing_field(status, answer.request_id(), field);
    }
    if message.starts_with("invalid type: null") {
        if let Some(path) = path {
            return DecodeError::missing_field(status, answer.request_id(), path);
        }
    }
    DecodeError::json(status, answer.request_id(), &inner, path)
}

fn join(parent: Option<&str>, field: &str) -> String {
    match parent {
        Some(parent) => format!("{parent}.{field}"),
        None => field.to_owned(),
    }
}

/// The path as `records[3].status`, with any key that does not look like one of our field
/// names (a metadata key from the body, say) shown as `?`. `None` at the top level.
fn safe_path(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                let ours = key.len() <= 40
                    && key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                out.push_str(if ours { key } else { "?" });
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    (!out.is_empty()).then_some(out)
}
