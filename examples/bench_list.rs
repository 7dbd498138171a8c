//! The cost of reading a long list through the SDK next to raw ureq, in one run.
//!
//! ```text
//! cargo run --release --example bench_list --features emulator
//! cargo run --release --example bench_list --features emulator -- --records 10000 --page-size 1000 --rounds 15
//! cargo run --release --example bench_list --features emulator -- --server mock
//! ```
//!
//! A local server on 127.0.0.1, in this process on its own threads, serves `--records`
//! entities in pages of `--page-size`:
//! - `--server emulator` (the default): [`twilio_verify::emulator::Emulator`], the records
//!   inserted in bulk before any timing, paged by the emulator itself (`PageSize`, `Page`,
//!   `PageToken`), its `meta.next_page_url` at its own base URL;
//! - `--server mock`: an httpmock server made here, each page made on the fly from its number,
//!   its `meta.next_page_url` an absolute `https://verify.twilio.com/…` URL as Twilio writes it.
//!
//! Two clients read the whole list, back to back in an order that alternates between rounds:
//! 1. the SDK, with the default settings (timeouts, retry policy):
//!    `client.entities(VA).list().page_size(N)`, every record typed (SIDs checked, dates
//!    parsed);
//! 2. raw ureq — one agent, a hand-built Basic header from the server's account SID and auth
//!    token — decoding each page into a plain `#[derive(Deserialize)]` struct with `String`
//!    fields and following `next_page_url` as a careful hand-written client would: verbatim
//!    when it is at the server's base URL (the emulator's), else its path and query against
//!    the base URL (the mock's Twilio URLs).
//!
//! It reports the medians over the rounds of the calling thread's CPU time per record (from
//! `/proc/thread-self/schedstat`: the server's threads do not count) and of wall time, their
//! ratio (median of per-round ratios), and the peak memory of a run of each client alone in a
//! child process against its own server of the same kind, for two totals (`--records` and ten
//! times as many), so that growth with the total shows ("before" is taken once the server holds
//! its records, so the emulator's store is not counted as growth; the server's building of each
//! page, in the same process, is, and is the same for both clients). Linux only.

#[path = "support/measure.rs"]
mod measure;

use std::time::{Duration, Instant};

use base64::Engine as _;
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use measure::{median, peak_rss_kib, thread_cpu};
use twilio_verify::emulator::Emulator;
use twilio_verify::{Entity, VerifyClient};

const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN: &str = "bench-auth-token";

struct Args {
    records: usize,
    page_size: usize,
    rounds: usize,
    /// `emulator` or `mock`.
    server: String,
    /// Run one client alone and print its peak memory (the child-process mode).
    alone: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        records: 10_000,
        page_size: 1_000,
        rounds: 15,
        server: "emulator".to_owned(),
        alone: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next();
        let number = value.as_deref().and_then(|v| v.parse().ok());
        match (flag.as_str(), number) {
            ("--records", Some(v)) => args.records = v,
            ("--page-size", Some(v)) => args.page_size = v,
            ("--rounds", Some(v)) => args.rounds = v,
            ("--server", _) if matches!(value.as_deref(), Some("emulator" | "mock")) => {
                args.server = value.unwrap_or_default();
            }
            ("--alone", _) if matches!(value.as_deref(), Some("sdk" | "raw")) => {
                args.alone = value;
            }
            _ => {
                eprintln!(
                    "usage: bench_list [--server emulator|mock] [--records N] [--page-size P] \
                     [--rounds R] [--alone sdk|raw]"
                );
                std::process::exit(2);
            }
        }
    }
    args
}

/// Entity number `i`, as Twilio writes one.
fn entity_json(i: usize) -> String {
    let identity = format!("{i:08x}-5b7e-4c1a-9e2d-0a1b2c3d4e5f");
    let sid = format!("YE{i:032x}");
    format!(
        r#"{{"sid":"{sid}","identity":"{identity}","account_sid":"{AC}","service_sid":"{VA}","date_created":"2015-07-30T20:00:00Z","date_updated":"2015-07-30T20:00:00Z","url":"https://verify.twilio.com/v2/Services/{VA}/Entities/{identity}","links":{{"factors":"https://verify.twilio.com/v2/Services/{VA}/Entities/{identity}/Factors","challenges":"https://verify.twilio.com/v2/Services/{VA}/Entities/{identity}/Challenges"}}}}"#
    )
}

/// Page `page` of `records` entities in pages of `size`.
fn page_json(page: usize, size: usize, records: usize) -> String {
    let start = page * size;
    let end = (start + size).min(records);
    let list = format!("https://verify.twilio.com/v2/Services/{VA}/Entities");
    let rows: Vec<String> = (start..end).map(entity_json).collect();
    let next = if end < records {
        format!(
            r#""{list}?PageSize={size}&Page={}&PageToken=PA{end:x}""#,
            page + 1
        )
    } else {
        "null".to_owned()
    };
    format!(
        r#"{{"entities":[{}],"meta":{{"page":{page},"page_size":{size},"first_page_url":"{list}?PageSize={size}&Page=0","previous_page_url":null,"url":"{list}?PageSize={size}&Page={page}","next_page_url":{next},"key":"entities"}}}}"#,
        rows.join(",")
    )
}

/// An httpmock server paging `records` entities made on the fly.
fn mock(records: usize) -> MockServer {
    let server = MockServer::start();
    server.mock(move |when, then| {
        when.method("GET")
            .path(format!("/v2/Services/{VA}/Entities"));
        then.respond_with(move |req: &HttpMockRequest| {
            let query = req.uri().query().unwrap_or_default().to_owned();
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(&query).unwrap_or_default();
            let get = |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .and_then(|(_, v)| v.parse::<usize>().ok())
            };
            let size = get("PageSize").unwrap_or(50);
            let page = get("Page").unwrap_or(0);
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(page_json(page, size, records))
                .build()
        });
    });
    server
}

/// The server the clients read from, holding `records` entities.
enum Server {
    Emulator(Emulator),
    Mock(MockServer),
}

impl Server {
    fn start(kind: &str, records: usize) -> Server {
        match kind {
            "mock" => Server::Mock(mock(records)),
            _ => {
                let emulator = Emulator::start().expect("emulator");
                let added = emulator.insert_entities(
                    emulator.service_sid(),
                    (0..records).map(|i| format!("{i:08x}-5b7e-4c1a-9e2d-0a1b2c3d4e5f")),
                );
                assert_eq!(added, records, "every record inserted");
                Server::Emulator(emulator)
            }
        }
    }

    fn base_url(&self) -> String {
        match self {
            Server::Emulator(emulator) => emulator.base_url().to_owned(),
            Server::Mock(server) => server.base_url(),
        }
    }

    fn service_sid(&self) -> String {
        match self {
            Server::Emulator(emulator) => emulator.service_sid().to_string(),
            Server::Mock(_) => VA.to_owned(),
        }
    }

    /// The Basic credentials it accepts: (account SID, auth token).
    fn credentials(&self) -> (String, String) {
        match self {
            Server::Emulator(emulator) => (
                emulator.account_sid().to_owned(),
                emulator.auth_token().to_owned(),
            ),
            Server::Mock(_) => (AC.to_owned(), TOKEN.to_owned()),
        }
    }

    /// An SDK client with the default settings, pointed at it.
    fn client(&self) -> VerifyClient {
        match self {
            Server::Emulator(emulator) => emulator.client(),
            Server::Mock(server) => VerifyClient::builder()
                .account_sid(AC)
                .auth_token(TOKEN)
                .base_url(server.base_url())
                .build()
                .expect("client"),
        }
    }
}

/// One way of reading the whole list; returns how many records it read.
trait Reader {
    fn read_all(&mut self) -> usize;
}

struct Sdk {
    client: VerifyClient,
    service_sid: String,
    page_size: u32,
}

impl Reader for Sdk {
    fn read_all(&mut self) -> usize {
        let entities = self.client.entities(&self.service_sid).expect("handle");
        let mut count = 0;
        for entity in entities.list().page_size(self.page_size) {
            let entity: Entity = entity.expect("record");
            assert!(entity.sid.as_str().starts_with("YE"));
            count += 1;
        }
        count
    }
}

/// What a hand-written ureq + serde client would decode a page into.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct PlainPage {
    entities: Vec<PlainEntity>,
    meta: PlainMeta,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct PlainEntity {
    sid: String,
    identity: String,
    account_sid: String,
    service_sid: String,
    date_created: String,
    date_updated: String,
    url: String,
    links: std::collections::HashMap<String, String>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct PlainMeta {
    next_page_url: Option<String>,
    key: String,
}

struct Raw {
    agent: ureq::Agent,
    base: String,
    service_sid: String,
    authorization: String,
    page_size: usize,
}

impl Reader for Raw {
    fn read_all(&mut self) -> usize {
        let mut url = format!(
            "{}/v2/Services/{}/Entities?PageSize={}",
            self.base, self.service_sid, self.page_size
        );
        let mut count = 0;
        loop {
            let body = self
                .agent
                .get(&url)
                .header("Authorization", &self.authorization)
                .call()
                .expect("page")
                .into_body()
                .with_config()
                .limit(1024 * 1024)
                .read_to_vec()
                .expect("page body");
            let page: PlainPage = serde_json::from_slice(&body).expect("decode");
            for entity in &page.entities {
                assert!(entity.sid.starts_with("YE"));
                count += 1;
            }
            match page.meta.next_page_url {
                Some(next)
                    if next
                        .strip_prefix(&self.base)
                        .is_some_and(|rest| rest.starts_with('/')) =>
                {
                    url = next;
                }
                Some(next) => {
                    let next: ureq::http::Uri = next.parse().expect("a URL");
                    let path = next.path_and_query().expect("a path");
                    url = format!("{}{path}", self.base);
                }
                None => return count,
            }
        }
    }
}

fn reader(kind: &str, server: &Server, page_size: usize) -> Box<dyn Reader> {
    match kind {
        "sdk" => Box::new(Sdk {
            client: server.client(),
            service_sid: server.service_sid(),
            page_size: page_size as u32,
        }),
        _ => {
            let (account_sid, auth_token) = server.credentials();
            Box::new(Raw {
                agent: ureq::Agent::new_with_defaults(),
                base: server.base_url(),
                service_sid: server.service_sid(),
                authorization: format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD
                        .encode(format!("{account_sid}:{auth_token}"))
                ),
                page_size,
            })
        }
    }
}

struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn run(reader: &mut dyn Reader, records: usize) -> Sample {
    let cpu = thread_cpu();
    let wall = Instant::now();
    let read = reader.read_all();
    let sample = Sample {
        wall: wall.elapsed(),
        cpu: thread_cpu() - cpu,
    };
    assert_eq!(read, records, "every record exactly once");
    sample
}

/// Runs one client alone over `records` and prints its peak memory (child-process mode).
fn alone(kind: &str, args: &Args) {
    let server = Server::start(&args.server, args.records);
    let mut reader = reader(kind, &server, args.page_size);
    let before = peak_rss_kib();
    run(reader.as_mut(), args.records);
    println!("{before} {}", peak_rss_kib());
}

/// Peak memory of `kind` reading `records`, from a child process: (before, after) in KiB.
fn peak_in_child(server: &str, kind: &str, records: usize, page_size: usize) -> (usize, usize) {
    let exe = std::env::current_exe().expect("own path");
    let out = std::process::Command::new(exe)
        .args([
            "--server",
            server,
            "--records",
            &records.to_string(),
            "--page-size",
            &page_size.to_string(),
            "--alone",
            kind,
        ])
        .output()
        .expect("child run");
    assert!(out.status.success(), "child failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text.split_whitespace().map(|n| n.parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}

fn main() {
    let args = parse_args();
    if let Some(kind) = &args.alone {
        alone(kind, &args);
        return;
    }
    let server = Server::start(&args.server, args.records);
    let mut clients = [
        ("sdk", reader("sdk", &server, args.page_size)),
        (
            "raw ureq + serde struct",
            reader("raw", &server, args.page_size),
        ),
    ];
    // Warm-up: connections, allocator, caches.
    for (_, client) in clients.iter_mut() {
        run(client.as_mut(), args.records);
    }
    let mut samples: [Vec<Sample>; 2] = [Vec::new(), Vec::new()];
    for round in 0..args.rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            samples[i].push(run(clients[i].1.as_mut(), args.records));
        }
    }
    let per_record = |d: Duration| d.as_secs_f64() * 1e9 / args.records as f64;
    println!(
        "{} records in pages of {}, {} rounds (medians), served by the {}\n",
        args.records, args.page_size, args.rounds, args.server
    );
    println!("| client | wall ns/record | client CPU ns/record |");
    println!("| --- | ---: | ---: |");
    for (i, (name, _)) in clients.iter().enumerate() {
        println!(
            "| {name} | {:.0} | {:.0} |",
            median(samples[i].iter().map(|s| per_record(s.wall)).collect()),
            median(samples[i].iter().map(|s| per_record(s.cpu)).collect()),
        );
    }
    let ratio = |f: fn(&Sample) -> Duration| {
        median(
            samples[0]
                .iter()
                .zip(&samples[1])
                .map(|(a, b)| f(a).as_secs_f64() / f(b).as_secs_f64())
                .collect(),
        )
    };
    println!(
        "\nsdk / raw ureq + serde struct: wall {:.3}, client CPU {:.3}\n",
        ratio(|s| s.wall),
        ratio(|s| s.cpu)
    );
    println!("| client | records | peak RSS before KiB | peak RSS after KiB | growth KiB |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for kind in ["sdk", "raw"] {
        for records in [args.records, args.records * 10] {
            let (before, after) = peak_in_child(&args.server, kind, records, args.page_size);
            println!(
                "| {kind} | {records} | {before} | {after} | {} |",
                after.saturating_sub(before)
            );
        }
    }
}
