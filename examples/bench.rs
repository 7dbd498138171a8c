//! Client cost of the SDK next to raw ureq, in one run, against the in-process emulator.
//!
//! ```text
//! cargo run --release --example bench --features emulator
//! cargo run --release --example bench --features emulator -- --pairs 1000 --rounds 9
//! ```
//!
//! Each round runs N sequential create+fetch pairs through (a) the SDK at `127.0.0.1`, (b) raw
//! ureq with one agent, a hand-built form body and Basic header, and (c) the SDK at `localhost`,
//! in an order that rotates between rounds, after a warm-up. It reports medians over the rounds
//! of wall time and of the calling thread's own CPU time per request (from
//! `/proc/thread-self/schedstat`, so the emulator's threads do not count), the ratios, the TCP
//! connections the emulator accepted for each client, the time to build a client, and the
//! process's thread count before and after.
//!
//! The SDK runs with its defaults on: 10 s connect timeout, 30 s whole-request timeout, the
//! default retry policy, typed decoding of every response. Raw ureq reads each body to a string
//! and finds the `sid` with a substring search: the cheapest a hand-written client could be.

use std::time::{Duration, Instant};

use base64::Engine as _;
use twilio_verify::emulator::Emulator;
use twilio_verify::{AccessTokens, CreateAccessToken, FactorType, VerifyClient};

struct Args {
    pairs: usize,
    rounds: usize,
    warmup: usize,
}

fn parse_args() -> Args {
    let mut args = Args {
        pairs: 500,
        rounds: 7,
        warmup: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse().ok());
        match (flag.as_str(), value) {
            ("--pairs", Some(v)) => args.pairs = v,
            ("--rounds", Some(v)) => args.rounds = v,
            ("--warmup", Some(v)) => args.warmup = v,
            _ => {
                eprintln!("usage: bench [--pairs N] [--rounds R] [--warmup W]");
                std::process::exit(2);
            }
        }
    }
    args
}

/// The calling thread's CPU time so far (Linux: first field of schedstat, in nanoseconds).
fn thread_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").expect("Linux schedstat");
    let nanos: u64 = stat
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("schedstat");
    Duration::from_nanos(nanos)
}

fn thread_count() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:").map(|v| v.trim().parse().ok()))
        })
        .flatten()
        .unwrap_or(0)
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
        let start = body.find("\"sid\":\"").expect("sid") + 7;
        let sid = &body[start..start + 34];
        let fetched = self
            .agent
            .get(format!("{}/{sid}", self.list_url))
            .header("Authorization", &self.authorization)
            .call()
            .expect("fetch")
            .into_body()
            .read_to_string()
            .expect("fetch body");
        assert!(fetched.contains(sid));
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

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    let mid = values.len() / 2;
    if values.len() % 2 == 0 {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
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
    let mut build_times: Vec<f64> = (0..51)
        .map(|_| {
            let t = Instant::now();
            let client = build(emulator.base_url());
            let elapsed = t.elapsed();
            drop(client);
            elapsed.as_secs_f64() * 1e6
        })
        .collect();
    let build_median = median(std::mem::take(&mut build_times));

    let localhost_url = emulator.base_url().replace("127.0.0.1", "localhost");
    let connections = |f: &mut dyn FnMut()| {
        let before = emulator.connection_count();
        f();
        emulator.connection_count() - before
    };

    let mut sdk = Sdk {
        tokens: build(emulator.base_url()).access_tokens(&service).unwrap(),
        params: params.clone(),
    };
    let mut sdk_localhost = Sdk {
        tokens: build(&localhost_url).access_tokens(&service).unwrap(),
        params,
    };
    let credentials = format!("{}:{}", emulator.account_sid(), emulator.auth_token());
    let mut raw = Raw {
        agent: ureq::Agent::new_with_defaults(),
        list_url: format!("{}/v2/Services/{service}/AccessTokens", emulator.base_url()),
        authorization: format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        ),
        form: "Identity=bench-user&FactorType=push&Ttl=120".to_owned(),
    };

    let names = ["sdk 127.0.0.1", "raw ureq", "sdk localhost"];
    let mut conns = [0usize; 3];
    let mut samples: [Vec<Sample>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    {
        let clients: [&mut dyn Pair; 3] = [&mut sdk, &mut raw, &mut sdk_localhost];
        for (i, client) in clients.into_iter().enumerate() {
            conns[i] += connections(&mut || {
                run(client, args.warmup);
            });
        }
    }
    for round in 0..args.rounds {
        let clients: [&mut dyn Pair; 3] = [&mut sdk, &mut raw, &mut sdk_localhost];
        let mut order: Vec<(usize, &mut dyn Pair)> = clients.into_iter().enumerate().collect();
        order.rotate_left(round % 3);
        for (i, client) in order {
            let mut sample = None;
            conns[i] += connections(&mut || sample = Some(run(client, args.pairs)));
            samples[i].push(sample.unwrap());
        }
    }
    let threads_after = thread_count();

    let per_request = |s: &Vec<Sample>, f: fn(&Sample) -> Duration| {
        median(
            s.iter()
                .map(|x| f(x).as_secs_f64() * 1e6 / (2 * args.pairs) as f64)
                .collect(),
        )
    };
    let wall: Vec<f64> = samples.iter().map(|s| per_request(s, |x| x.wall)).collect();
    let cpu: Vec<f64> = samples.iter().map(|s| per_request(s, |x| x.cpu)).collect();

    println!(
        "twilio-verify bench: {} rounds x {} create+fetch pairs ({} requests) per client, warm-up {} pairs; server: in-process emulator ({})",
        args.rounds,
        args.pairs,
        2 * args.pairs,
        args.warmup,
        emulator.base_url()
    );
    println!();
    println!(
        "| client | wall µs/request (median) | client CPU µs/request (median) | TCP connections |"
    );
    println!("| --- | ---: | ---: | ---: |");
    for i in 0..3 {
        println!(
            "| {} | {:.1} | {:.1} | {} |",
            names[i], wall[i], cpu[i], conns[i]
        );
    }
    println!();
    println!("| ratio | wall | client CPU |");
    println!("| --- | ---: | ---: |");
    println!(
        "| sdk / raw ureq | {:.3} | {:.3} |",
        wall[0] / wall[1],
        cpu[0] / cpu[1]
    );
    println!(
        "| sdk localhost / sdk 127.0.0.1 | {:.3} | {:.3} |",
        wall[2] / wall[0],
        cpu[2] / cpu[0]
    );
    println!();
    println!("client build: {build_median:.0} µs (median of 51)");
    println!(
        "threads: {threads_before} before, {threads_after} after {} requests",
        2 * args.pairs * (args.rounds * 3) + 6 * args.warmup
    );
}
