//! A name resolver that remembers answers, so a pooled connection costs no DNS lookup.
//!
//! ureq resolves the host on every call, before it looks in its connection pool, and its default
//! resolver spawns a thread for each lookup when a whole-request timeout is set. This resolver
//! keeps each host's addresses for [`TTL`] and asks the default resolver (bounded by the call's
//! timeout) only on a miss.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

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
        let addrs = self.inner.resolve(uri, config, timeout)?;
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
