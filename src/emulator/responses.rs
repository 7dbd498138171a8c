//! The answers the emulator sends: JSON bodies with Twilio's headers, and Twilio's error bodies.

use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use hyper::{Response, StatusCode};
use serde::Serialize;

use super::ids;

/// The body type of every answer.
pub(crate) type Reply = Response<Full<Bytes>>;

/// The header Twilio names each request with.
const REQUEST_ID: &str = "twilio-request-id";

/// Twilio's error body.
#[derive(Serialize)]
struct ErrorBody<'a> {
    code: u32,
    message: &'a str,
    more_info: String,
    status: u16,
}

/// `body` as JSON with `status`, `Content-Type: application/json` and a fresh
/// `Twilio-Request-Id`.
pub(crate) fn json(status: StatusCode, body: &impl Serialize) -> Reply {
    let bytes = serde_json::to_vec(body).expect("the emulator's bodies always serialize");
    let mut reply = Response::new(Full::new(Bytes::from(bytes)));
    *reply.status_mut() = status;
    let headers = reply.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    let request_id = format!("RQ{}", ids::hex32());
    headers.insert(
        REQUEST_ID,
        HeaderValue::from_str(&request_id).expect("hex is a valid header value"),
    );
    reply
}

/// `204` with no body, as Twilio answers a delete.
pub(crate) fn no_content() -> Reply {
    let mut reply = json(StatusCode::NO_CONTENT, &());
    *reply.body_mut() = Full::new(Bytes::new());
    reply.headers_mut().remove(CONTENT_TYPE);
    reply
}

/// Twilio's error body for `status` and `code`, with `more_info` linking to the code's page.
pub(crate) fn error(status: StatusCode, code: u32, message: &str) -> Reply {
    json(
        status,
        &ErrorBody {
            code,
            message,
            more_info: format!("https://www.twilio.com/docs/errors/{code}"),
            status: status.as_u16(),
        },
    )
}

/// `401` with code 20003, as Twilio answers a missing or wrong `Authorization`.
pub(crate) fn unauthorized() -> Reply {
    let mut reply = error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    reply.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Twilio API\""),
    );
    reply
}

/// `404` with code 20404 naming the path.
pub(crate) fn not_found(path: &str) -> Reply {
    error(
        StatusCode::NOT_FOUND,
        20404,
        &format!("The requested resource {path} was not found"),
    )
}

/// `405` with code 20004 and an `Allow` header listing the method the route accepts.
pub(crate) fn method_not_allowed(allow: &'static str) -> Reply {
    let mut reply = error(StatusCode::METHOD_NOT_ALLOWED, 20004, "Method not allowed");
    reply
        .headers_mut()
        .insert(hyper::header::ALLOW, HeaderValue::from_static(allow));
    reply
}

/// An injected status fault: Twilio's error body, and `Retry-After` in whole seconds (rounded
/// up) when asked for.
pub(crate) fn fault(status: u16, code: u32, retry_after: Option<Duration>) -> Reply {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = status.canonical_reason().unwrap_or("Injected fault");
    let mut reply = error(status, code, message);
    if let Some(delay) = retry_after {
        reply
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds(delay)));
    }
    reply
}

/// `delay` in whole seconds, rounded up, saturating at `u64::MAX` (`Duration::MAX` is
/// `u64::MAX` seconds and a fraction).
fn retry_after_seconds(delay: Duration) -> u64 {
    delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0))
}

/// `413` with code 20413, for a request body over the emulator's limit.
pub(crate) fn payload_too_large(limit: usize) -> Reply {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        20413,
        &format!("Request body larger than {limit} bytes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    fn body(reply: Reply) -> serde_json::Value {
        let bytes = futures_body(reply);
        serde_json::from_slice(&bytes).unwrap()
    }

    fn futures_body(reply: Reply) -> Bytes {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(reply.into_body().collect()).unwrap().to_bytes()
    }

    #[test]
    fn error_body_is_twilios_shape_with_request_id_and_json_type() {
        let reply = error(StatusCode::BAD_REQUEST, 60200, "Invalid parameter: Ttl");
        assert_eq!(reply.status(), 400);
        assert_eq!(reply.headers()[CONTENT_TYPE], "application/json");
        let id = reply.headers()[REQUEST_ID].to_str().unwrap().to_owned();
        assert!(id.starts_with("RQ") && id.len() == 34, "{id}");
        assert_eq!(
            body(reply),
            serde_json::json!({
                "code": 60200,
                "message": "Invalid parameter: Ttl",
                "more_info": "https://www.twilio.com/docs/errors/60200",
                "status": 400
            })
        );
    }

    #[test]
    fn fault_rounds_retry_after_up_to_whole_seconds() {
        let reply = fault(429, 20429, Some(Duration::from_millis(1_200)));
        assert_eq!(reply.headers()[RETRY_AFTER], "2");
        let reply = fault(429, 20429, Some(Duration::ZERO));
        assert_eq!(reply.headers()[RETRY_AFTER], "0");
        let reply = fault(503, 20503, None);
        assert!(reply.headers().get(RETRY_AFTER).is_none());
        assert_eq!(body(reply)["message"], "Service Unavailable");
    }

    #[test]
    fn retry_after_saturates_instead_of_overflowing() {
        let reply = fault(429, 20429, Some(Duration::MAX));
        assert_eq!(reply.headers()[RETRY_AFTER], "18446744073709551615");
        let reply = fault(429, 20429, Some(Duration::from_secs(u64::MAX)));
        assert_eq!(reply.headers()[RETRY_AFTER], "18446744073709551615");
        let reply = fault(429, 20429, Some(Duration::new(u64::MAX - 1, 1)));
        assert_eq!(reply.headers()[RETRY_AFTER], "18446744073709551615");
    }

    #[test]
    fn payload_too_large_is_413_with_twilios_body() {
        let reply = payload_too_large(1024);
        assert_eq!(reply.status(), 413);
        assert_eq!(
            body(reply),
            serde_json::json!({
                "code": 20413,
                "message": "Request body larger than 1024 bytes",
                "more_info": "https://www.twilio.com/docs/errors/20413",
                "status": 413
            })
        );
    }
}
