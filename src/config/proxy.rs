//! Which proxy a client goes through, and the connector chain that bounds a proxy's handshake.
//!
//! The proxy is settled once, in `build()`: an explicit [`proxy`] URL, else `https_proxy` /
//! `HTTPS_PROXY`, then `all_proxy` / `ALL_PROXY`, unless `no_proxy` / `NO_PROXY` names the host.
//! `HTTP_PROXY` is never read: Twilio is https, and in a CGI process `HTTP_PROXY` is whatever a
//! client sent as a `Proxy:` header ("httpoxy"). The environment never applies to a loopback
//! base URL; an explicit proxy always does.
//!
//! [`proxy`]: crate::VerifyClientBuilder::proxy

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use ureq::Proxy;
use ureq::unversioned::transport::time::{Duration as Budget, Instant as UreqInstant};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, NextTimeout,
    RustlsConnector, SocksConnector, TcpConnector, Transport,
};

use crate::config::endpoint::{Endpoint, explicit_port, is_loopback};
use crate::error::InvalidInput;
use crate::transport::coarse_timeouts::CoarseTimeouts;

/// The longest proxy URL accepted.
pub(crate) const MAX_PROXY_URL_BYTES: usize = 2048;

/// The variables that may name a proxy for https, in the order they are read.
pub(crate) const PROXY_VARIABLES: [&str; 4] =
    ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"];

/// The variables that may exempt hosts from the proxy, in the order they are read.
pub(crate) const NO_PROXY_VARIABLES: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// The proxy for `endpoint`: `explicit` if given, else the one `lookup` (the environment)
/// names for it, if any.
pub(crate) fn choose(
    explicit: Option<&str>,
    endpoint: &Endpoint,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<Proxy>, InvalidInput> {
    if let Some(url) = explicit {
        let proxy = parse(url, "proxy")?;
        if endpoint.loopback && !endpoint.tls && !is_loopback(proxy.host()) {
            return Err(InvalidInput::new(
                "proxy",
                "proxy must be on loopback for a plain http base URL: the credentials would \
                 cross the network unencrypted",
            ));
        }
        return Ok(Some(proxy));
    }
    if endpoint.loopback {
        return Ok(None);
    }
    let first = |names: &[&'static str]| {
        names.iter().find_map(|&name| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (name, v))
        })
    };
    let Some((name, url)) = first(&PROXY_VARIABLES) else {
        return Ok(None);
    };
    if first(&NO_PROXY_VARIABLES).is_some_and(|(_, list)| no_proxy_matches(&list, &endpoint.host)) {
        return Ok(None);
    }
    parse(url.trim(), name).map(Some)
}

/// Parses a proxy URL, refusing one that would not go where it says: an out-of-range port, or
/// anything after `host:port` — a `/`, `?` or `#` left unescaped in a password makes the rest
/// of the URL a path, and the proxy the part before it. The URL is never quoted: it may hold a
/// password.
fn parse(url: &str, parameter: &'static str) -> Result<Proxy, InvalidInput> {
    let refuse = |rule: &str| InvalidInput::new(parameter, format!("{parameter} {rule}"));
    if url.len() > MAX_PROXY_URL_BYTES {
        return Err(refuse(&format!(
            "is longer than {MAX_PROXY_URL_BYTES} bytes"
        )));
    }
    let expected = "is not a valid proxy URL: expected scheme://[user:password@]host:port, with \
                    '/', '?', '#' and '@' in the user name or password percent-encoded";
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.contains(['/', '?', '#']) {
        return Err(refuse(expected));
    }
    let proxy = Proxy::new(url).map_err(|_| refuse(expected))?;
    let authority = proxy
        .uri()
        .authority()
        .map(|a| a.as_str())
        .unwrap_or_default();
    if authority != rest || proxy.host().is_empty() {
        return Err(refuse(expected));
    }
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    explicit_port(host_port).map_err(|()| refuse("has a port out of range: must be 1 to 65535"))?;
    Ok(proxy)
}

/// Whether a `NO_PROXY` list exempts `host`, as curl reads it: comma-separated names, each
/// matching that host and its subdomains (a leading `.` or `*.` is the same), or `*` for all.
fn no_proxy_matches(list: &str, host: &str) -> bool {
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    list.split(',').map(str::trim).any(|entry| {
        if entry == "*" {
            return true;
        }
        let entry = entry
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.')
            .to_ascii_lowercase();
        !entry.is_empty()
            && (host == entry
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|head| head.ends_with('.')))
    })
}

/// The connector chain: ureq's default one (SOCKS, CONNECT proxy, TCP, rustls), with the CONNECT
/// handshake held to the connect deadline, and socket timeouts set coarsely.
pub(crate) fn connector() -> impl Connector {
    ().chain(SocksConnector::default())
        .chain(BoundedConnect::default())
        .chain(TcpConnector::default())
        .chain(RustlsConnector::default())
        .chain(CoarseTimeouts)
}

/// ureq's CONNECT proxy connector, held to an absolute deadline.
///
/// ureq reads the proxy's answer to `CONNECT` with the same relative timeout for every read, so
/// a proxy that sends a byte now and then keeps a call waiting forever. Here the connection to
/// the proxy is wrapped in a [`Deadline`] set to the end of the connect budget ureq gave
/// (`min(connect_timeout, timeout)` from the start of the attempt), which is lifted as soon as
/// the handshake is over: a pooled connection carries it disarmed, at the cost of one branch.
#[derive(Debug, Default)]
struct BoundedConnect(ConnectProxyConnector);

/// ureq's `RunConnector`, which it does not name publicly.
type RunConnector =
    dyn Fn(&ConnectionDetails) -> Result<Box<dyn Transport>, ureq::Error> + Send + Sync;

impl<In: Transport> Connector<In> for BoundedConnect {
    type Out = Either<In, Box<dyn Transport>>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        let deadline = match (
            &chained,
            details.config.proxy(),
            details.now,
            details.timeout.after,
        ) {
            (None, Some(_), UreqInstant::Exact(start), Budget::Exact(after)) => {
                start.checked_add(after)
            }
            _ => None,
        };
        let Some(deadline) = deadline else {
            return self.0.connect(details, chained);
        };
        let armed = Arc::new(AtomicBool::new(true));
        let flag = Arc::clone(&armed);
        let run = Arc::clone(&details.run_connector);
        let run_connector: Arc<RunConnector> = Arc::new(move |proxy: &ConnectionDetails| {
            let transport = run(proxy)?;
            Ok(Box::new(Deadline {
                inner: transport,
                armed: Some((deadline, Arc::clone(&flag))),
            }) as Box<dyn Transport>)
        });
        let bounded = ConnectionDetails {
            uri: details.uri,
            addrs: details.addrs.clone(),
            config: details.config,
            request_level: details.request_level,
            resolver: details.resolver,
            now: details.now,
            timeout: details.timeout,
            current_time: Arc::clone(&details.current_time),
            run_connector,
            register_shutdown: Arc::clone(&details.register_shutdown),
        };
        let connected = self.0.connect(&bounded, chained);
        armed.store(false, Ordering::Release);
        connected
    }
}

/// A transport whose reads and writes end by `deadline` while the flag is set.
#[derive(Debug)]
struct Deadline {
    inner: Box<dyn Transport>,
    armed: Option<(Instant, Arc<AtomicBool>)>,
}

impl Deadline {
    fn bound(&mut self, mut timeout: NextTimeout) -> Result<NextTimeout, ureq::Error> {
        let Some((deadline, flag)) = &self.armed else {
            return Ok(timeout);
        };
        if !flag.load(Ordering::Acquire) {
            self.armed = None;
            return Ok(timeout);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ureq::Error::Timeout(timeout.reason));
        }
        if *timeout.after > left {
            timeout.after = Budget::Exact(left);
        }
        Ok(timeout)
    }
}

impl Transport for Deadline {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let timeout = self.bound(timeout)?;
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let timeout = self.bound(timeout)?;
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests;
