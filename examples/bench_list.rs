//! The cost of reading a long list through the SDK next to raw ureq, in one run.
//!
//! ```text
//! cargo run --release --example bench_list
//! cargo run --release --example bench_list -- --records 10000 --page-size 1000 --rounds 15
//! ```
//!
//! A local server (httpmock on 127.0.0.1, its own threads) serves `--records` entities in
//! pages of `--page-size`, each page made on the fly from its number, with
//! `meta.next_page_url` an absolute `https://verify.twilio.com/…` URL as Twilio writes it. Two
//! clients read the whole list, back to back in an order that alternates between rounds:
//! 1. the SDK: `client.entities(VA).list().page_size(N)`, every record typed (SIDs checked,
//!    dates parsed);
//! 2. raw ureq — one agent, a hand-built Basic header — decoding each page into a plain
//!    `#[derive(Deserialize)]` struct with `String` fields and following `next_page_url` by
//!    swapping its host for the server's, as a careful hand-written client would.
//!
//! It reports the medians over the rounds of the calling thread's CPU time per record (from
//! `/proc/thread-self/schedstat`: the server's threads do not count) and of wall time, their
//! ratio (median of per-round ratios), and the peak memory of a run of each client alone in a
//! child process, for two totals (`--records` and ten times as many), so that growth with the
//! total shows. Linux only.

#[path = "support/measure.rs"]
mod measure;

use std::time::{Duration, Instant};

use base64::Engine as _;
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use measure::{median, peak_rss_kib, thread_cpu};
use twilio_verify::{Entity, VerifyClient};

const AC: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const VA: &str = "VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN: &str = "bench-auth-token";

struct Args {
    records: usize,
    page_size: usize,
    rounds: usize,
    /// Run one client alone and print its peak memory (the child-process mode).
    alone: Option<String>,
}

fn parse_args() -> Args {
    let mut args = Args {
        records: 10_000,
        page_size: 1_000,
        rounds: 15,
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
            ("--alone", _) if value.is_some() => args.alone = value,
            _ => {
                eprintln!(
                    "usage: bench_list [--records N] [--page-size P] [--rounds R] [--alone sdk|raw]"
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

fn serve(records: usize) -> MockServer {
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

/// One way of reading the whole list; returns how many records it read.
trait Reader {
    fn read_all(&mut self) -> usize;
}

struct Sdk {
    client: VerifyClient,
    page_size: u32,
}

impl Reader for Sdk {
    fn read_all(&mut self) -> usize {
        let entities = self.client.entities(VA).expect("handle");
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
    authorization: String,
    page_size: usize,
}

impl Reader for Raw {
    fn read_all(&mut self) -> usize {
        let mut url = format!(
            "{}/v2/Services/{VA}/Entities?PageSize={}",
            self.base, self.page_size
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
                Some(next) => {
                    let path = next
                        .strip_prefix("https://verify.twilio.com")
                        .expect("a Twilio URL");
                    url = format!("{}{path}", self.base);
                }
                None => return count,
            }
        }
    }
}

fn reader(kind: &str, server: &MockServer, page_size: usize) -> Box<dyn Reader> {
    match kind {
        "sdk" => Box::new(Sdk {
            client: VerifyClient::builder()
                .account_sid(AC)
                .auth_token(TOKEN)
                .base_url(server.base_url())
                .build()
                .expect("client"),
            page_size: page_size as u32,
        }),
        _ => Box::new(Raw {
            agent: ureq::Agent::new_with_defaults(),
            base: server.base_url(),
            authorization: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{AC}:{TOKEN}"))
            ),
            page_size,
        }),
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
    let server = serve(args.records);
    let mut reader = reader(kind, &server, args.page_size);
    let before = peak_rss_kib();
    run(reader.as_mut(), args.records);
    println!("{before} {}", peak_rss_kib());
}

/// Peak memory of `kind` reading `records`, from a child process: (before, after) in KiB.
fn peak_in_child(kind: &str, records: usize, page_size: usize) -> (usize, usize) {
    let exe = std::env::current_exe().expect("own path");
    let out = std::process::Command::new(exe)
        .args([
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
    let server = serve(args.records);
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
        "{} records in pages of {}, {} rounds (medians)\n",
        args.records, args.page_size, args.rounds
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
            let (before, after) = peak_in_child(kind, records, args.page_size);
            println!(
                "| {kind} | {records} | {before} | {after} | {} |",
                after.saturating_sub(before)
            );
        }
    }
}
