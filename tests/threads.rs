//! The whole-request timeout costs no thread per call.
//!
//! ureq resolves the host on every call, before it looks in its pool, and its default resolver
//! spawns a thread for each lookup once a whole-request timeout is set. The client's caching
//! resolver answers from its cache instead, so 200 calls through one client with the default
//! timeouts on start no thread, and reuse one pooled connection.
//!
//! Such a thread lives only as long as one lookup, so besides comparing the count before and
//! after, a sampler watches the peak during the calls; a control run of a plain ureq agent
//! (whole-request timeout, ureq's own resolver) shows the same sampler does see those threads.
//!
//! This file holds a single test so the harness runs no other test thread beside it that could
//! blur the count.

#[path = "support/raw_server.rs"]
mod raw_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use raw_server::{Answer, RawServer, SERVICE_SID, TOKEN_SID, builder_at, created, ok};
use twilio_verify::{CreateAccessToken, DEFAULT_TIMEOUT, FactorType};

/// The `Threads:` line of `/proc/self/status`.
fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .expect("a Threads line")
        .trim()
        .parse()
        .unwrap()
}

/// Samples the thread count as fast as it can until stopped, keeping the highest seen: a
/// thread spawned per call lives only as long as one lookup, so a before/after count alone
/// could miss it.
struct PeakSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicUsize>,
    handle: thread::JoinHandle<()>,
}

impl PeakSampler {
    fn start() -> PeakSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicUsize::new(0));
        let (s, p) = (Arc::clone(&stop), Arc::clone(&peak));
        let handle = thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(threads(), Ordering::Relaxed);
            }
        });
        // Let it take its first sample, so it counts itself.
        while peak.load(Ordering::Relaxed) == 0 {
            thread::yield_now();
        }
        PeakSampler { stop, peak, handle }
    }

    fn finish(self) -> usize {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap();
        self.peak.load(Ordering::Relaxed)
    }
}

#[test]
fn two_hundred_calls_with_default_timeouts_start_no_thread_and_reuse_one_connection() {
    // Alternate create and fetch on one keep-alive connection.
    let server = RawServer::start(vec![Answer::Send(created()), Answer::Send(ok())]);
    let client = builder_at(&server.base_url()).build().unwrap();
    // The default whole-request timeout is on: the setting that makes ureq's own resolver
    // spawn a thread per lookup.
    assert!(format!("{client:?}").contains(&format!("timeout: {DEFAULT_TIMEOUT:?}")));
    let tokens = client.access_tokens(SERVICE_SID).unwrap();
    let params = CreateAccessToken::new("user-8f3a2b", FactorType::Push);

    // The first call resolves the host (a bounded lookup on a thread that then ends) and opens
    // the connection, whose server-side thread then lives on.
    tokens.create(&params).unwrap();
    thread::sleep(Duration::from_millis(50));

    let sampler = PeakSampler::start();
    let before = threads();
    for i in 1..200 {
        if i % 2 == 0 {
            tokens.create(&params).unwrap();
        } else {
            assert_eq!(tokens.fetch(TOKEN_SID).unwrap().sid.as_str(), TOKEN_SID);
        }
    }
    let after = threads();
    let peak = sampler.finish();

    assert_eq!(server.requests(), 200);
    assert_eq!(
        server.connections(),
        1,
        "every call after the first reused the pooled connection"
    );
    assert_eq!(after, before, "threads before and after 199 more calls");
    assert_eq!(
        peak, before,
        "no thread appeared even briefly during the calls"
    );

    // The control: the same measurement does see the thread per call of a plain ureq agent with
    // a whole-request timeout and ureq's own resolver, so the assertions above are not vacuous.
    let control = RawServer::always(Answer::Send(ok()));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(DEFAULT_TIMEOUT))
        .build()
        .into();
    let url = format!("{}/control", control.base_url());
    let get = || {
        let mut response = agent.get(&url).call().unwrap();
        response.body_mut().read_to_vec().unwrap();
    };
    get();
    thread::sleep(Duration::from_millis(50));
    let mut seen = false;
    for _round in 0..3 {
        let sampler = PeakSampler::start();
        let before = threads();
        for _ in 0..200 {
            get();
        }
        if sampler.finish() > before {
            seen = true;
            break;
        }
    }
    assert!(seen, "the sampler never saw ureq's per-lookup thread");
    assert_eq!(control.connections(), 1);
}
