//! Reading a non-2xx answer into an [`ApiError`].

use std::time::Duration;

use serde::Deserialize;

use crate::error::ApiError;

/// How much of a body that is not Twilio's JSON is kept as the message, in characters.
const EXCERPT_CHARS: usize = 200;

/// Twilio's error body and RFC 9457 problem details, every field optional.
#[derive(Deserialize, Default)]
struct Body {
    code: Option<u32>,
    message: Option<String>,
    more_info: Option<String>,
    details: Option<serde_json::Value>,
    #[serde(rename = "type")]
    problem_type: Option<String>,
    title: Option<String>,
    detail: Option<String>,
}

pub(crate) fn api_error(
    status: u16,
    body: &[u8],
    request_id: Option<String>,
    retry_after: Option<Duration>,
) -> ApiError {
    let parsed = serde_json::from_slice::<Body>(body).ok();
    let (code, message, more_info, details) = match parsed {
        Some(b)
            if b.code.is_some()
                || b.message.is_some()
                || b.title.is_some()
                || b.detail.is_some() =>
        {
            (
                b.code,
                // Folded and bounded like any other body: `Display` stays one short line.
                b.message
                    .or(b.detail)
                    .or(b.title)
                    .map(|m| excerpt(m.as_bytes()))
                    .unwrap_or_default(),
                b.more_info
                    .or(b.problem_type.filter(|t| t != "about:blank"))
                    .map(|link| excerpt(link.as_bytes())),
                b.details,
            )
        }
        _ => (None, excerpt(body), None, None),
    };
    ApiError {
        status,
        code,
        message,
        more_info,
        details,
        request_id,
        retry_after,
        attempts: 1,
    }
}

/// The start of a body on one line: whitespace folded, control characters dropped, bounded.
fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars >= EXCERPT_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        for c in word
            .chars()
            .filter(|c| !c.is_control())
            .take(EXCERPT_CHARS - chars.min(EXCERPT_CHARS))
        {
            out.push(c);
            chars += 1;
        }
    }
    if chars >= EXCERPT_CHARS || head.len() < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_body_fills_every_field() {
        let body = br#"{"code":60200,"message":"Invalid parameter: Ttl","more_info":"https://www.twilio.com/docs/errors/60200","status":400,"details":{"a":1}}"#;
        let e = api_error(400, body, Some("RQ1".into()), None);
        assert_eq!(e.code(), Some(60200));
        assert_eq!(e.message(), "Invalid parameter: Ttl");
        assert_eq!(
            e.more_info(),
            Some("https://www.twilio.com/docs/errors/60200")
        );
        assert_eq!(e.details(), Some(&serde_json::json!({"a":1})));
        assert_eq!(e.request_id(), Some("RQ1"));
    }

    #[test]
    fn problem_details_are_understood() {
        let body = br#"{"type":"https://example.com/probs/rate","title":"Too Many","status":429,"detail":"slow down"}"#;
        let e = api_error(429, body, None, None);
        assert_eq!(e.code(), None);
        assert_eq!(e.message(), "slow down");
        assert_eq!(e.more_info(), Some("https://example.com/probs/rate"));
    }

    #[test]
    fn a_huge_problem_type_or_more_info_is_kept_folded_and_bounded() {
        let huge = format!("https://example.com/{}\nforged", "p".repeat(500_000));
        let body = serde_json::json!({"type": huge, "title": "t"}).to_string();
        let e = api_error(400, body.as_bytes(), None, None);
        let link = e.more_info().unwrap();
        assert_eq!(link.chars().count(), EXCERPT_CHARS + 1);
        assert!(link.starts_with("https://example.com/ppp") && link.ends_with('…'));
        let body = serde_json::json!({"code": 1, "more_info": "a\nb"}).to_string();
        assert_eq!(
            api_error(400, body.as_bytes(), None, None).more_info(),
            Some("a b")
        );
    }

    #[test]
    fn html_gives_a_bounded_one_line_excerpt() {
        let body = format!(
            "<html>\n<body>\r\n<h1>502 Bad Gateway</h1>{}</body></html>",
            "x ".repeat(5000)
        );
        let e = api_error(502, body.as_bytes(), None, None);
        assert!(
            e.message()
                .starts_with("<html> <body> <h1>502 Bad Gateway</h1>"),
            "{}",
            e.message()
        );
        assert!(e.message().chars().count() <= EXCERPT_CHARS + 1);
        assert!(e.message().ends_with('…'));
        assert!(!e.message().contains('\n'));
    }

    #[test]
    fn invalid_utf8_and_empty_bodies_do_not_fail() {
        assert_eq!(api_error(500, b"", None, None).message(), "");
        assert_eq!(
            api_error(500, b"\xff\xfe oops", None, None).message(),
            "\u{fffd}\u{fffd} oops"
        );
    }
}
