//! The base URL: parsing, region and edge, and where credentials may be sent.

use std::net::IpAddr;

use ureq::http::Uri;

use crate::error::{InvalidInput, OneLine};

/// Twilio's production host for Verify.
pub(crate) const DEFAULT_BASE_URL: &str = "https://verify.twilio.com";

/// The longest base URL accepted, in bytes.
pub(crate) const MAX_BASE_URL_BYTES: usize = 2048;

/// The longest region or edge accepted: one DNS label.
pub(crate) const MAX_LABEL_BYTES: usize = 63;

/// A checked base URL, without a trailing slash.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) base: String,
    /// The host requests go to, after region and edge (brackets kept for IPv6).
    pub(crate) host: String,
    /// `https`, rather than plain `http` to loopback.
    pub(crate) tls: bool,
    pub(crate) loopback: bool,
}

impl Endpoint {
    /// Parses `base_url`, applies `region`/`edge` to a Twilio host, and refuses plain `http`
    /// to anything but a loopback host.
    ///
    /// A message quotes the URL only when it holds no `@` (which might be user info with a
    /// token), and never beyond [`MAX_BASE_URL_BYTES`].
    pub(crate) fn new(
        base_url: &str,
        region: Option<&str>,
        edge: Option<&str>,
    ) -> Result<Endpoint, InvalidInput> {
        if base_url.len() > MAX_BASE_URL_BYTES {
            return Err(InvalidInput::new(
                "base_url",
                format!("base_url is longer than {MAX_BASE_URL_BYTES} bytes"),
            ));
        }
        if has_user_info(base_url) {
            return Err(InvalidInput::new(
                "base_url",
                "base_url must not carry user info: set credentials on the builder",
            ));
        }
        let quoted = if base_url.contains('@') {
            String::new()
        } else {
            format!(" {base_url:?}")
        };
        let uri: Uri = base_url.parse().map_err(|_| {
            InvalidInput::new("base_url", format!("base_url{quoted} is not a valid URL"))
        })?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(InvalidInput::new(
                "base_url",
                format!(
                    "base_url{quoted} must be an absolute http(s) URL such as {DEFAULT_BASE_URL}"
                ),
            ));
        };
        if uri.query().is_some() {
            return Err(InvalidInput::new(
                "base_url",
                format!("base_url{quoted} must not have a query"),
            ));
        }
        // `http::Uri` drops a fragment silently; the URL would not be what it says.
        if base_url.contains('#') {
            return Err(InvalidInput::new(
                "base_url",
                format!("base_url{quoted} must not have a fragment (#…)"),
            ));
        }
        // Dot segments are sent as they are, and a server may resolve them: another path.
        if uri
            .path()
            .split('/')
            .any(|segment| segment == "." || segment == "..")
        {
            return Err(InvalidInput::new(
                "base_url",
                format!("base_url{quoted} must not have `.` or `..` path segments"),
            ));
        }
        let port = explicit_port(authority.as_str()).map_err(|()| {
            InvalidInput::new(
                "base_url",
                format!("base_url{quoted} has a port out of range: must be 1 to 65535"),
            )
        })?;
        let host = authority.host();
        let loopback = is_loopback(host);
        match scheme {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(InvalidInput::new(
                    "base_url",
                    format!(
                        "base_url{quoted} uses plain http: credentials are sent only over https, \
                         or to a loopback host (127.0.0.1, ::1, localhost)"
                    ),
                ));
            }
            other => {
                return Err(InvalidInput::new(
                    "base_url",
                    format!(
                        "base_url scheme {:?} is not supported: must be https",
                        OneLine(other, 16).to_string()
                    ),
                ));
            }
        }
        for (name, value) in [("region", region), ("edge", edge)] {
            if let Some(value) = value {
                if value.len() > MAX_LABEL_BYTES {
                    return Err(InvalidInput::new(
                        name,
                        format!("{name} is longer than {MAX_LABEL_BYTES} characters"),
                    ));
                }
                if value.is_empty()
                    || !value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                {
                    return Err(InvalidInput::new(
                        name,
                        format!(
                            "{name} {value:?} is malformed: must be letters, digits and '-' (like \"au1\" or \"sydney\")"
                        ),
                    ));
                }
            }
        }
        let host = twilio_host(host, region, edge).unwrap_or_else(|| host.to_owned());
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let path = uri.path().trim_end_matches('/');
        Ok(Endpoint {
            base: format!("{scheme}://{host}{port}{path}"),
            host,
            tls: scheme == "https",
            loopback,
        })
    }
}

/// Rewrites a `*.twilio.com` host the way Twilio's SDKs do:
/// `verify.twilio.com` → `verify.{edge}.{region}.twilio.com`, with region `us1` when only an edge
/// is given. Other hosts are left alone (`None`).
fn twilio_host(host: &str, region: Option<&str>, edge: Option<&str>) -> Option<String> {
    if region.is_none() && edge.is_none() {
        return None;
    }
    let pieces: Vec<&str> = host.split('.').collect();
    if pieces.len() < 3 || !host.to_ascii_lowercase().ends_with(".twilio.com") {
        return None;
    }
    let (current_edge, current_region) = match pieces.len() {
        4 => (None, Some(pieces[1])),
        5 => (Some(pieces[1]), Some(pieces[2])),
        _ => (None, None),
    };
    let edge = edge.or(current_edge);
    let region = region.or(current_region).or(edge.map(|_| "us1"));
    let suffix = &pieces[pieces.len() - 2..];
    let parts: Vec<&str> = [Some(pieces[0]), edge, region]
        .into_iter()
        .flatten()
        .chain(suffix.iter().copied())
        .collect();
    Some(parts.join("."))
}

/// Whether a URL's authority holds user info (`user:password@`), judged on the raw text so
/// that it is caught before anything else, whatever follows (a newline, a space, no scheme).
fn has_user_info(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.contains('@')
}

/// The port written in `authority` (`host:port`, `[v6]:port`; no user info): `Ok(None)` when
/// there is none, `Err` when it is not 1 to 65535 (which `http` would silently drop).
pub(crate) fn explicit_port(authority: &str) -> Result<Option<u16>, ()> {
    let after_host = match authority.rfind(']') {
        Some(end) => &authority[end + 1..],
        None => authority,
    };
    match after_host.rsplit_once(':') {
        None | Some((_, "")) => Ok(None),
        Some((_, port)) if port.bytes().all(|b| b.is_ascii_digit()) => match port.parse() {
            Ok(0) | Err(_) => Err(()),
            Ok(port) => Ok(Some(port)),
        },
        Some(_) => Err(()),
    }
}

/// True for `localhost` and loopback IP addresses (`127.0.0.0/8`, `::1`). `localhost` is safe to
/// trust by name because the client's resolver always resolves it to `127.0.0.1` and `::1`
/// itself (see `resolver.rs`), never asking the system.
pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str, region: Option<&str>, edge: Option<&str>) -> String {
        Endpoint::new(url, region, edge).unwrap().base
    }

    #[test]
    fn region_and_edge_rewrite_the_twilio_host() {
        assert_eq!(
            base(DEFAULT_BASE_URL, None, None),
            "https://verify.twilio.com"
        );
        assert_eq!(
            base(DEFAULT_BASE_URL, Some("au1"), None),
            "https://verify.au1.twilio.com"
        );
        assert_eq!(
            base(DEFAULT_BASE_URL, Some("au1"), Some("sydney")),
            "https://verify.sydney.au1.twilio.com"
        );
        assert_eq!(
            base(DEFAULT_BASE_URL, None, Some("dublin")),
            "https://verify.dublin.us1.twilio.com"
        );
        assert_eq!(
            base("https://verify.sydney.au1.twilio.com", Some("ie1"), None),
            "https://verify.sydney.ie1.twilio.com"
        );
    }

    #[test]
    fn region_and_edge_leave_other_hosts_alone() {
        assert_eq!(
            base("http://127.0.0.1:4010/", Some("au1"), Some("sydney")),
            "http://127.0.0.1:4010"
        );
    }

    #[test]
    fn plain_http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:1",
            "http://localhost:8080",
            "http://[::1]:9",
            "http://127.0.0.2",
        ] {
            assert!(Endpoint::new(ok, None, None).unwrap().loopback, "{ok}");
        }
        let err = Endpoint::new("http://verify.twilio.com", None, None).unwrap_err();
        assert_eq!(err.parameter(), "base_url");
        assert!(err.to_string().contains("plain http"), "{err}");
        assert!(
            !Endpoint::new("https://example.com/prefix/", None, None)
                .unwrap()
                .loopback
        );
        assert_eq!(
            base("https://example.com/prefix/", None, None),
            "https://example.com/prefix"
        );
    }

    #[test]
    fn unparseable_or_odd_urls_are_refused() {
        for bad in [
            "",
            "not a url",
            "/v2",
            "ftp://example.com",
            "https://u:p@example.com",
            "https://e.com/?a=b",
        ] {
            let err = Endpoint::new(bad, None, None).unwrap_err();
            assert_eq!(err.parameter(), "base_url", "{bad}");
        }
        assert_eq!(
            Endpoint::new(DEFAULT_BASE_URL, Some("a.b"), None)
                .unwrap_err()
                .parameter(),
            "region"
        );
        assert_eq!(
            Endpoint::new(DEFAULT_BASE_URL, None, Some(""))
                .unwrap_err()
                .parameter(),
            "edge"
        );
    }
}
