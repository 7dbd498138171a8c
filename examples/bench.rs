//! Client cost of the SDK next to raw ureq, in one run, against the in-process emulator.
//!
//! ```text
//! cargo run --release --example bench --features emulator
//! cargo run --release --example bench --features emulator -- --pairs 1000 --rounds 21
//! ```
//!
//! Four clients make the same sequential create+fetch pairs against one emulator:
//! 1. the SDK at `127.0.0.1`, with its defaults on (10 s connect timeout, 30 s whole-request
//!    timeout, the default retry policy, validation, typed decoding);
//! 2. raw ureq — one agent with its defaults, a hand-built form body and Basic header — decoding
//!    each answer into a plain `#[derive(Deserialize)]` struct, as a hand-written client that uses
//!    the token would;
//! 3. the SDK at `localhost` (a hostname: the caching resolver must make it cost no more);
//! 4. raw ureq that only finds the `sid` by substring search: the floor, with no decoding.
//!
//! After a warm-up, each round runs N pairs per client, back to back, in an order that rotates
//! between rounds. It reports, per client, the medians over the rounds of wall time and of the
//! calling thread's own CPU time per request (from `/proc/thread-self/schedstat`, so the
//! emulator's threads do not count) and the TCP connections the emulator accepted; the ratios
//! (the median of the per-round ratios); the time to build a client; and the process's thread
//! count before and after. `--only K` runs client K alone (for a profiler). Linux only.

#[path = "support/measure.rs"]
mod measure;

use std::time::{Duration, Instant};

use measure::{median, thread_count, thread_cpu};

use base64::Engine as _;
use twilio_verify::emulator::Emulator;
use twilio_verify::{AccessTokens, CreateAccessToken, FactorType, VerifyClient};

struct Args {
    pairs: usize,
    rounds: usize,
    warmup: usize,
    /// Run only this client (its row number, from 1), for profiling one of them.
    only: Option<usize>,
}

fn parse_args() -> Args {
    let mut args = Args {
        pairs: 400,
        rounds: 15,
        warmup: 200,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--pairs", Some(v)) => args.pairs = v,
            ("--rounds", Some(v)) => args.rounds = v,
            ("--warmup", Some(v)) => args.warmup = v,
            ("--only", Some(v)) => args.only = Some(v),
            _ => {
                eprintln!("usage: bench [--pairs N] [--rounds R] [--warmup W] [--only CLIENT]");
                std::process::exit(2);
            }
        }
    }
    args
}

/// One way of making the create+fetch pair.
trait Pair {
    fn pair(&mut self);
}

struct Sdk {
    tokens: AccessTokens,
    params: CreateAccessToken,
}

impl Pair for Sdk {
    fn pair(&mut self) {
        let created = self.tokens.create(&self.params).expect("create");
        let fetched = self.tokens.fetch(&created.sid).expect("fetch");
        assert_eq!(fetched.sid, created.sid);
    }
}

struct Raw {
    agent: ureq::Agent,
    list_url: String,
    authorization: String,
    form: String,
    /// Decode each answer into a plain serde struct, as a hand-written client that uses the
    /// token would; otherwise find the `sid` by substring search (the floor).
    decode: bool,
}

/// What a hand-written ureq + serde client would decode the answer into.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct PlainToken {
    sid: String,
    account_sid: String,
    service_sid: String,
    entity_identity: String,
    factor_type: String,
    factor_friendly_name: Option<String>,
    token: String,
    url: String,
    ttl: u32,
    date_created: String,
}

impl Raw {
    fn sid_of(&self, body: &str) -> String {
        if self.decode {
            serde_json::from_str::<PlainToken>(body)
                .expect("decode")
                .sid
        } else {
            let start = body.find("\"sid\":\"").expect("sid") + 7;
            body[start..start + 34].to_owned()
        }
    }
}

impl Pair for Raw {
    fn pair(&mut self) {
        let body = self
            .agent
            .post(&self.list_url)
            .header("Authorization", &self.authorization)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(&self.form)
            .expect("create")
            .into_body()
            .read_to_string()
            .expect("create body");
        let sid = self.sid_of(&body);
        let fetched = self
            .agent
            .get(format!("{}/{sid}", self.list_url))
            .header("Authorization", &self.authorization)
            .call()
            .expect("fetch")
            .into_body()
            .read_to_string()
            .expect("fetch body");
        assert_eq!(self.sid_of(&fetched), sid);
    }
}

struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn run(pair: &mut dyn Pair, n: usize) -> Sample {
    let cpu = thread_cpu();
    let wall = Instant::now();
    for _ in 0..n {
        pair.pair();
    }
    Sample {
        wall: wall.elapsed(),
        cpu: thread_cpu() - cpu,
    }
}

fn main() {
    let args = parse_args();
    let emulator = Emulator::start().expect("start the emulator");
    let service = emulator.service_sid().clone();
    let params = CreateAccessToken::new("bench-user", FactorType::Push).ttl(120);
    let threads_before = thread_count();

    let build = |base_url: &str| {
        VerifyClient::builder()
            .account_sid(emulator.account_sid())
            .auth_token(emulator.auth_token())
            .base_url(base_url)
            .build()
            .expect("build")
    };
    let build_micros = |base_url: &str| {
        median(
            (0..51)
                .map(|_| {
                    let t = Instant::now();
                    let client = build(base_url);
                    let elapsed = t.elapsed();
                    drop(client);
                    elapsed.as_secs_f64() * 1e6
                })
                .collect(),
        )
    };
    let build_loopback = build_micros(emulator.base_url());
    let build_https = build_micros("https://verify.twilio.com");

    let localhost_url = emulator.base_url().replace("127.0.0.1", "localhost");
    let credentials = format!("{}:{}", emulator.account_sid(), emulator.auth_token());
    let raw = |decode| Raw {
        agent: ureq::Agent::new_with_defaults(),
        list_url: format!("{}/v2/Services/{service}/AccessTokens", emulator.base_url()),
        authorization: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(&credentials)
        ),
        form: "Identity=bench-user&FactorType=push&Ttl=120".to_owned(),
        decode,
    };
    let mut clients: Vec<(&str, Box<dyn Pair>)> = vec![
        (
            "sdk 127.0.0.1",
            Box::new(Sdk {
                tokens: build(emulator.base_url()).access_tokens(&service).unwrap(),
                params: params.clone(),
            }),
        ),
        ("raw ureq + serde struct", Box::new(raw(true))),
        (
            "sdk localhost",
            Box::new(Sdk {
                tokens: build(&localhost_url).access_tokens(&service).unwrap(),
                params,
            }),
        ),
        ("raw ureq floor (no decode)", Box::new(raw(false))),
    ];
    if let Some(only) = args.only {
        clients = clients.into_iter().skip(only - 1).take(1).collect();
    }
    let n = clients.len();
    let mut connections = vec![0usize; n];
    let mut samples: Vec<Vec<Sample>> = (0..n).map(|_| Vec::new()).collect();
    let mut measure = |i: usize, client: &mut dyn Pair, pairs: usize| {
        let before = emulator.connection_count();
        let sample = run(client, pairs);
        connections[i] += emulator.connection_count() - before;
        sample
    };
    for (i, (_, client)) in clients.iter_mut().enumerate() {
        measure(i, client.as_mut(), args.warmup);
    }
    for round in 0..args.rounds {
        for k in 0..n {
            let i = (k + round) % n;
            let sample = measure(i, clients[i].1.as_mut(), args.pairs);
            samples[i].push(sample);
        }
    }
    let threads_after = thread_count();

    let requests = (2 * args.pairs) as f64;
    let micros = |d: Duration| d.as_secs_f64() * 1e6 / requests;
    let med = |i: usize, f: fn(&Sample) -> Duration| {
        median(samples[i].iter().map(|s| micros(f(s))).collect())
    };
    // Ratios are taken round by round (the two clients ran back to back), then the median.
    let ratio = |a: usize, b: usize, f: fn(&Sample) -> Duration| {
        median(
            samples[a]
                .iter()
                .zip(&samples[b])
                .map(|(x, y)| f(x).as_secs_f64() / f(y).as_secs_f64())
                .collect(),
        )
    };
    let wall = |s: &Sample| s.wall;
    let cpu = |s: &Sample| s.cpu;

    println!(
        "twilio-verify bench: {} rounds x {} create+fetch pairs ({} requests) per client, \
         warm-up {} pairs; server: in-process emulator ({}); SDK with default timeouts and retries",
        args.rounds,
        args.pairs,
        2 * args.pairs,
        args.warmup,
        emulator.base_url()
    );
    println!();
    println!("| client | wall µs/request | client CPU µs/request | TCP connections |");
    println!("| --- | ---: | ---: | ---: |");
    for (i, (name, _)) in clients.iter().enumerate() {
        println!(
            "| {name} | {:.1} | {:.1} | {} |",
            med(i, wall),
            med(i, cpu),
            connections[i]
        );
    }
    println!();
    println!("| ratio (median of per-round ratios) | wall | client CPU |");
    println!("| --- | ---: | ---: |");
    for (label, a, b) in [
        ("sdk / raw ureq + serde struct", 0, 1),
        ("sdk / raw ureq floor", 0, 3),
        ("sdk localhost / sdk 127.0.0.1", 2, 0),
    ] {
        if a >= n || b >= n {
            continue;
        }
        println!(
            "| {label} | {:.3} | {:.3} |",
            ratio(a, b, wall),
            ratio(a, b, cpu)
        );
    }
    println!();
    println!(
        "client build (median of 51): {build_loopback:.1} µs for the loopback base URL, \
         {build_https:.1} µs for https://verify.twilio.com"
    );
    println!(
        "threads: {threads_before} before, {threads_after} after {} requests",
        2 * (args.pairs * args.rounds + args.warmup) * n
    );
}
