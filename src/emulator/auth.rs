//! HTTP Basic authentication, checked as Twilio does before anything else.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The user name and password of a `Basic` `Authorization` value, if it is one.
pub(crate) fn basic(header: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let pair = String::from_utf8(decoded).ok()?;
    let (user, password) = pair.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The Basic user name, for the request record; the password is dropped here.
pub(crate) fn username(header: Option<&str>) -> Option<String> {
    header.and_then(basic).map(|(user, _)| user)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(pair: &str) -> String {
        format!("Basic {}", STANDARD.encode(pair))
    }

    fn is_authorized(header: Option<&str>, user: &str, password: &str) -> bool {
        header
            .and_then(basic)
            .is_some_and(|(u, p)| u == user && p == password)
    }

    #[test]
    fn accepts_only_the_exact_pair_with_any_case_of_scheme() {
        assert!(is_authorized(Some(&header("AC1:tok:en")), "AC1", "tok:en"));
        let lower = header("AC1:t").replace("Basic", "basic");
        assert!(is_authorized(Some(&lower), "AC1", "t"));
        assert!(!is_authorized(Some(&header("AC1:x")), "AC1", "t"));
        assert!(!is_authorized(Some(&header("AC2:t")), "AC1", "t"));
        assert!(!is_authorized(Some("Bearer abc"), "AC1", "t"));
        assert!(!is_authorized(Some("Basic !!!"), "AC1", "t"));
        assert!(!is_authorized(None, "AC1", "t"));
    }

    #[test]
    fn username_keeps_the_user_and_drops_the_password() {
        assert_eq!(username(Some(&header("AC1:secret"))), Some("AC1".into()));
        assert_eq!(username(Some("Bearer x")), None);
        assert_eq!(username(None), None);
    }
}
