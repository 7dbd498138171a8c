use super::api::{LINK_CHARS, REQUEST_ID_CHARS};
use super::*;

fn assert_send_sync_static<T: Send + Sync + 'static>() {}

#[test]
fn every_error_type_is_send_sync_static() {
    assert_send_sync_static::<Error>();
    assert_send_sync_static::<InvalidInput>();
    assert_send_sync_static::<ApiError>();
    assert_send_sync_static::<TransportError>();
    assert_send_sync_static::<DecodeError>();
}

#[test]
fn error_stays_well_under_clippys_result_large_err_threshold() {
    let size = std::mem::size_of::<Error>();
    assert!(size <= 80, "Error is {size} bytes: box the large variant");
}

#[test]
fn api_error_display_is_one_line_with_code_link_and_request_id() {
    let e = ApiError {
        status: 400,
        code: Some(60200),
        message: "Invalid parameter: Ttl".into(),
        more_info: Some("https://www.twilio.com/docs/errors/60200".into()),
        details: None,
        request_id: Some("RQ0123".into()),
        retry_after: None,
        attempts: 1,
    };
    assert_eq!(
        Error::Api(Box::new(e)).to_string(),
        "Twilio answered HTTP 400 with error 60200: Invalid parameter: Ttl \
         (see https://www.twilio.com/docs/errors/60200) [request RQ0123]"
    );
}

#[test]
fn transport_display_does_not_repeat_its_source() {
    let e = Error::Transport(TransportError::new(ureq::Error::ConnectionFailed, 3));
    assert_eq!(
        e.to_string(),
        "could not connect to Twilio after 3 attempts"
    );
    let source = e.source().unwrap().to_string();
    assert!(!e.to_string().contains(&source));
}

#[test]
fn a_dns_failure_is_a_connect_error_that_says_name_resolution() {
    let failed =
        std::io::Error::other("failed to lookup address information: Name or service not known");
    let source = ureq::Error::Other(Box::new(NameResolution(failed)));
    let e = TransportError::new(source, 1);
    assert!(e.is_connect());
    assert!(!e.is_timeout() && !e.is_tls());
    assert_eq!(
        e.to_string(),
        "could not connect to Twilio: name resolution failed"
    );
    let e = TransportError::new(ureq::Error::HostNotFound, 2);
    assert!(e.is_connect());
    assert_eq!(
        e.to_string(),
        "could not connect to Twilio: name resolution failed after 2 attempts"
    );
}

#[test]
fn a_certificate_failure_is_named_tls() {
    let untrusted = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
    );
    let e = TransportError::new(ureq::Error::Io(untrusted), 1);
    assert!(e.is_tls());
    assert!(!e.is_connect());
    assert_eq!(e.to_string(), "TLS with Twilio failed");
    let reset = std::io::Error::from(std::io::ErrorKind::InvalidData);
    assert!(!TransportError::new(ureq::Error::Io(reset), 1).is_tls());
}

fn problem(more_info: &str, request_id: &str) -> String {
    let e = ApiError {
        status: 400,
        code: None,
        message: "bad\nrequest".into(),
        more_info: Some(more_info.into()),
        details: None,
        request_id: Some(request_id.into()),
        retry_after: None,
        attempts: 1,
    };
    e.to_string()
}

#[test]
fn api_error_display_folds_and_bounds_every_field() {
    assert_eq!(
        problem(
            "https://x.example/a\n2024-01-01 INFO forged line",
            "RQ1\r\nX: y\u{202e}"
        ),
        "Twilio answered HTTP 400: bad request (see https://x.example/a 2024-01-01 INFO \
         forged line) [request RQ1 X: y]"
    );
    let long = problem(&"t".repeat(500_000), &"r".repeat(10_000));
    assert!(!long.contains('\n'));
    assert!(
        long.chars().count() < 400,
        "{} characters",
        long.chars().count()
    );
    assert!(long.contains(&format!("(see {}…)", "t".repeat(LINK_CHARS))));
    assert!(long.contains(&format!("[request {}…]", "r".repeat(REQUEST_ID_CHARS))));
}
