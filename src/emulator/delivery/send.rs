//! The POST itself, and the rule that decides which URLs may be posted to at all.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use ureq::Agent;
use ureq::http::Uri;
use ureq::unversioned::transport::DefaultConnector;

use super::{DeliveryStatus, Job};
use crate::transport::resolver::CachingResolver;
use crate::webhook::SIGNATURE_HEADER;

/// How long connecting to a receiver may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a whole delivery may take (connect, send, answer).
pub(crate) const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

/// The URL's literal host is loopback: `localhost` (any case), an IPv4 address in
/// `127.0.0.0/8` or `[::1]`; and its scheme is `http` or `https`. Nothing is resolved: a name
/// that would resolve to loopback (`localhost.example.com`, `127.0.0.1.nip.io`) is not.
pub(crate) fn loopback(url: &str) -> Option<Uri> {
    let uri: Uri = url.parse().ok()?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return None;
    }
    let host = uri.host()?;
    let is_loopback = if host.eq_ignore_ascii_case("localhost") {
        true
    } else if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
    } else {
        host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    };
    is_loopback.then_some(uri)
}

/// The worker's HTTP client: short timeouts, no retries, no redirects (a loopback receiver
/// cannot send a delivery elsewhere), no proxy (`HTTP_PROXY` and the like are ignored) and the
/// client's own resolver, which answers `localhost` with 127.0.0.1/::1 itself — so nothing but
/// a loopback receiver is ever contacted, whatever a hosts file says.
pub(crate) fn agent() -> Agent {
    let config = Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_global(Some(DELIVERY_TIMEOUT))
        .max_redirects(0)
        .proxy(None)
        .http_status_as_error(false)
        .user_agent("twilio-verify-emulator")
        .build();
    Agent::with_parts(config, DefaultConnector::new(), CachingResolver::default())
}

/// Posts one delivery and says what became of it.
pub(crate) fn post(agent: &Agent, job: &Job) -> DeliveryStatus {
    let sent = agent
        .post(job.uri.clone())
        .header("Content-Type", job.content_type)
        .header(SIGNATURE_HEADER, &job.signature)
        .header("I-Twilio-Idempotency-Token", &job.idempotency_token)
        .send(job.delivery.body.as_bytes());
    match sent {
        Ok(response) => {
            let http_status = response.status().as_u16();
            if response.status().is_success() {
                DeliveryStatus::Delivered { http_status }
            } else {
                DeliveryStatus::Failed {
                    http_status: Some(http_status),
                    reason: format!("HTTP {http_status}"),
                }
            }
        }
        Err(error) => DeliveryStatus::Failed {
            http_status: None,
            reason: error
                .to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_literal_loopback_hosts_over_http_or_https_pass() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://127.255.0.9/hook",
            "https://127.0.0.1/hook",
            "http://localhost:3000/hook?x=1",
            "http://LocalHost/hook",
            "http://[::1]:8080/hook",
            "http://user@127.0.0.1/hook",
        ] {
            assert!(loopback(url).is_some(), "{url}");
        }
        for url in [
            "https://example.com/hook",
            "http://localhost.example.com/hook",
            "http://127.0.0.1.nip.io/hook",
            "http://localhost./hook",
            "http://127.1/hook",
            "http://2130706433/hook",
            "http://0x7f000001/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://[::2]/hook",
            "http://128.0.0.1/hook",
            "http://0.0.0.0/hook",
            "http://127.0.0.1@example.com/hook",
            "ftp://127.0.0.1/hook",
            "/hook",
            "",
            "http://",
        ] {
            assert!(loopback(url).is_none(), "{url}");
        }
    }
}
