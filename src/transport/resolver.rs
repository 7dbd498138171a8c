//! A name resolver that remembers answers, so a pooled connection costs no DNS lookup.
//!
//! ureq resolves the host on every call, before it looks in its connection pool, and its default
//! resolver spawns a thread for each lookup when a whole-request timeout is set. This resolver
//! keeps each host's addresses for [`TTL`] and asks the default resolver (bounded by the call's
//! timeout) only on a miss.
//!
//! `localhost` is never asked of the system: it is the loopback interface (RFC 6761), so it
//! resolves to `127.0.0.1` and `::1` here, and a hosts file or DNS server cannot send it (and
//! the credentials that plain http to loopback carries) anywhere else. A failed lookup is
//! reported as [`NameResolution`], so that it reads as a DNS failure and is retried as one.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::error::NameResolution;

/// How long an answer is reused.
const TTL: Duration = Duration::from_secs(60);

/// The most hosts remembered at once (a client talks to one, or two with a proxy).
const MAX_HOSTS: usize = 8;

#[derive(Debug)]
struct Entry {
    scheme: String,
    authority: String,
    at: Instant,
    addrs: ResolvedSocketAddrs,
}

#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    inner: DefaultResolver,
    cache: Mutex<Vec<Entry>>,
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let scheme = uri.scheme_str().unwrap_or_default();
        let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
        if let Some(addrs) = self.loopback(uri) {
            return Ok(addrs);
        }
        let now = Instant::now();
        let fresh = |e: &Entry| now.duration_since(e.at) < TTL;
        {
            let cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            let hit = cache
                .iter()
                .find(|e| e.scheme == scheme && e.authority == authority && fresh(e));
            if let Some(entry) = hit {
                return Ok(entry.addrs.clone());
            }
        }
        let addrs = self
            .inner
            .resolve(uri, config, timeout)
            .map_err(name_resolution)?;
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|e| fresh(e) && !(e.scheme == scheme && e.authority == authority));
        if cache.len() >= MAX_HOSTS {
            cache.remove(0);
        }
        cache.push(Entry {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            at: now,
            addrs: addrs.clone(),
        });
        Ok(addrs)
    }
}

/// The system resolver's failure (plain I/O, kind `Uncategorized` on Linux) as a
/// [`NameResolution`]; a timeout or a bad URI stays as it is.
fn name_resolution(error: ureq::Error) -> ureq::Error {
    match error {
        ureq::Error::Io(e) => ureq::Error::Other(Box::new(NameResolution(e))),
        other => other,
    }
}

impl CachingResolver {
    /// `127.0.0.1` then `::1` for a `localhost` URI, with its port or the scheme's default.
    fn loopback(&self, uri: &Uri) -> Option<ResolvedSocketAddrs> {
        let authority = uri.authority()?;
        if !authority.host().eq_ignore_ascii_case("localhost") {
            return None;
        }
        let port = authority.port_u16().or(match uri.scheme_str() {
            Some("http") => Some(80),
            Some("https") => Some(443),
            _ => None,
        })?;
        let mut addrs = self.empty();
        addrs.push(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        addrs.push(SocketAddr::from((Ipv6Addr::LOCALHOST, port)));
        Some(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(resolver: &CachingResolver, uri: &str) -> Vec<SocketAddr> {
        let uri: Uri = uri.parse().unwrap();
        let config = Config::default();
        resolver
            .resolve(&uri, &config, NextTimeout::default())
            .unwrap()
            .to_vec()
    }

    #[test]
    fn a_failed_lookup_becomes_a_name_resolution_error_and_a_timeout_stays() {
        let failed = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        let ureq::Error::Other(e) = name_resolution(ureq::Error::Io(failed)) else {
            panic!("expected Error::Other");
        };
        let e = e.downcast::<NameResolution>().expect("a NameResolution");
        assert_eq!(e.to_string(), "name resolution failed");
        assert!(matches!(
            name_resolution(ureq::Error::Timeout(ureq::Timeout::Resolve)),
            ureq::Error::Timeout(ureq::Timeout::Resolve)
        ));
    }

    #[test]
    fn localhost_is_loopback_whatever_the_system_would_answer() {
        let resolver = CachingResolver::default();
        // What a hosts file or DNS server could say about `localhost`, planted in the cache.
        let elsewhere: SocketAddr = "192.0.2.7:4010".parse().unwrap();
        let mut addrs = resolver.empty();
        addrs.push(elsewhere);
        for authority in ["localhost:4010", "LocalHost:4010"] {
            resolver.cache.lock().unwrap().push(Entry {
                scheme: "http".into(),
                authority: authority.into(),
                at: Instant::now(),
                addrs: addrs.clone(),
            });
        }
        let loopback = vec![
            SocketAddr::from((Ipv4Addr::LOCALHOST, 4010)),
            SocketAddr::from((Ipv6Addr::LOCALHOST, 4010)),
        ];
        assert_eq!(resolve(&resolver, "http://localhost:4010/v2"), loopback);
        assert_eq!(resolve(&resolver, "http://LocalHost:4010/v2"), loopback);
        assert_eq!(
            resolve(&resolver, "https://localhost/v2"),
            vec![
                SocketAddr::from((Ipv4Addr::LOCALHOST, 443)),
                SocketAddr::from((Ipv6Addr::LOCALHOST, 443)),
            ]
        );
    }
}
