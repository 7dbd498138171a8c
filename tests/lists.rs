//! Lists (the shared paging of `src/transport/page.rs`), through `client.entities(VA).list()`:
//! pages followed through the client's own base URL, page sizes and limits, every status a
//! page can get, and hostile pages (foreign hosts, other paths, missing keys, cycles).

mod mock_router;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use mock_router::*;
use twilio_verify::{Entity, Error, List, PageToken, RetryPolicy};

fn path() -> String {
    format!("/v2/Services/{VA}/Entities")
}

/// `https://verify.twilio.com` + `target`, as Twilio writes `next_page_url`.
fn twilio(target: &str) -> String {
    format!("https://verify.twilio.com{target}")
}

/// The target of page `n` (from 1) after the first, as Twilio's `next_page_url` names it.
fn page_target(n: u32) -> String {
    format!("{}?PageSize=2&Page={n}&PageToken=PA{n:032x}", path())
}

/// An entity record numbered `n`.
fn record(n: u32) -> String {
    format!(
        r#"{{"sid":"YE{n:032x}","identity":"user-{n:08}","account_sid":"{AC}",
            "service_sid":"{VA}","date_created":"2015-07-30T20:00:00Z",
            "date_updated":"2015-07-30T20:00:00Z","url":"https://verify.twilio.com/x"}}"#
    )
}

/// A page of records `numbers` under `entities`, with `meta.key` = `entities` and `next`.
fn page(numbers: &[u32], next: Option<&str>) -> String {
    page_with(numbers, next, |meta| meta)
}

/// A page whose `meta` object text `edit` may change.
fn page_with(numbers: &[u32], next: Option<&str>, edit: impl FnOnce(String) -> String) -> String {
    let records: Vec<String> = numbers.iter().map(|&n| record(n)).collect();
    let next = next.map_or("null".to_owned(), |n| format!("{n:?}"));
    let meta = format!(
        r#"{{"page":0,"page_size":2,"first_page_url":"{first}","previous_page_url":null,
            "url":"{first}","next_page_url":{next},"key":"entities"}}"#,
        first = twilio(&format!("{}?PageSize=2&Page=0", path())),
    );
    format!(
        r#"{{"entities":[{}],"meta":{}}}"#,
        records.join(","),
        edit(meta)
    )
}

fn sid(n: u32) -> String {
    format!("YE{n:032x}")
}

fn sids(entities: &[Entity]) -> Vec<String> {
    entities.iter().map(|e| e.sid.to_string()).collect()
}

fn get(target: &str) -> String {
    format!("GET {target}")
}

fn list(server: &MockServer) -> List<Entity> {
    client(server).entities(VA).unwrap().list()
}

/// Drains `list`: the records before the first error, and that error.
fn drain(list: List<Entity>) -> (Vec<Entity>, Option<Error>) {
    let mut records = Vec::new();
    let mut list = list;
    for item in list.by_ref() {
        match item {
            Ok(record) => records.push(record),
            Err(e) => {
                // After an error the list is over, and stays over.
                assert!(list.next().is_none(), "an item after {e}");
                assert!(list.next().is_none());
                return (records, Some(e));
            }
        }
    }
    (records, None)
}

fn decode_error(err: Option<Error>) -> twilio_verify::DecodeError {
    match err {
        Some(Error::Decode(e)) => e,
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// following pages
// ---------------------------------------------------------------------------------------------

#[test]
fn three_pages_are_followed_through_the_base_url_once_each_in_order() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1, 2], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(200, page(&[3, 4], Some(&twilio(&page_target(2)))))],
            ),
            route("GET", page_target(2), vec![answer(200, page(&[5], None))]),
        ],
    );
    let (records, err) = drain(list(&server));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), (1..=5).map(sid).collect::<Vec<_>>());
    assert_eq!(
        sent(&log),
        [get(&path()), get(&page_target(1)), get(&page_target(2))]
    );
    for seen in seen(&log) {
        assert_eq!(seen.header("authorization"), [basic().as_str()]);
        assert!(seen.body.is_empty());
    }
}

#[test]
fn a_next_page_on_a_foreign_host_is_requested_from_our_base_url_only() {
    let server = MockServer::start();
    let foreign = MockServer::start();
    let foreign_mock = catch_all(&foreign);
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&foreign.url(page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(
                    200,
                    page(
                        &[2],
                        Some(&format!("https://evil.example{}", page_target(2))),
                    ),
                )],
            ),
            route("GET", page_target(2), vec![answer(200, page(&[3], None))]),
        ],
    );
    let (records, err) = drain(list(&server));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), [sid(1), sid(2), sid(3)]);
    assert_eq!(
        sent(&log),
        [get(&path()), get(&page_target(1)), get(&page_target(2))]
    );
    assert_eq!(foreign_mock.calls(), 0);
}

#[test]
fn a_base_url_with_a_path_prefix_keeps_it_for_every_page() {
    let server = MockServer::start();
    let prefixed = |target: &str| format!("/proxy{target}");
    let (_mock, log) = serve(
        &server,
        vec![
            // Twilio's own absolute URL, and one the proxy rewrote with its prefix.
            route(
                "GET",
                prefixed(&path()),
                vec![answer(200, page(&[1], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                prefixed(&page_target(1)),
                vec![answer(
                    200,
                    page(&[2], Some(&server.url(prefixed(&page_target(2))))),
                )],
            ),
            route(
                "GET",
                prefixed(&page_target(2)),
                vec![answer(200, page(&[3], None))],
            ),
        ],
    );
    let client = twilio_verify::VerifyClient::builder()
        .account_sid(AC)
        .auth_token(AUTH_TOKEN)
        .base_url(server.url("/proxy"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let (records, err) = drain(client.entities(VA).unwrap().list());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(records.len(), 3);
    assert_eq!(
        sent(&log),
        [
            get(&prefixed(&path())),
            get(&prefixed(&page_target(1))),
            get(&prefixed(&page_target(2)))
        ]
    );
}

#[test]
fn a_next_page_on_another_path_ends_the_list_with_decode_and_sends_nothing_more() {
    for other in [
        format!("/v2/Services/{VA}/Webhooks?PageSize=2&Page=1"),
        format!("/v2/Accounts/{AC}/Calls?Page=1"),
        "/v2/Accounts".to_owned(),
        "/v2/Services/VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Entities?Page=1".to_owned(),
        format!("/v2/Services/{VA}/Entities/ff483d1ff591898a9942916050d2ca3f?Page=1"),
        format!("/v2/Services/{VA}/EntitiesX?Page=1"),
        format!("/v2/Services/{VA}/Entities/../Webhooks"),
        "not a url at all".to_owned(),
    ] {
        let server = MockServer::start();
        let next = if other.starts_with('/') {
            twilio(&other)
        } else {
            other.clone()
        };
        let (_mock, log) = serve(
            &server,
            vec![route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&next)))],
            )],
        );
        let (records, err) = drain(list(&server));
        let err = decode_error(err);
        assert!(records.is_empty(), "{other}");
        assert_eq!(
            err.to_string(),
            format!(
                "could not decode Twilio's HTTP 200 answer: next_page_url points outside this \
                 list [request {REQUEST_ID}]"
            ),
            "{other}"
        );
        assert_eq!(sent(&log), [get(&path())], "{other}");
    }
}

#[test]
fn a_next_page_asking_for_a_page_size_over_1000_is_never_requested() {
    for size in ["5000", "1001", "0", "-1", "lots"] {
        let server = MockServer::start();
        let next = twilio(&format!("{}?PageSize={size}&Page=1&PageToken=PAx", path()));
        let (_mock, log) = serve(
            &server,
            vec![route(
                "GET",
                path(),
                vec![answer(200, page(&[1, 2], Some(&next)))],
            )],
        );
        let (records, err) = drain(list(&server));
        assert_eq!(sids(&records), [sid(1), sid(2)], "{size}");
        assert_eq!(
            decode_error(err).to_string(),
            "could not decode Twilio's HTTP 200 answer: next_page_url asks for a PageSize \
             outside 1..=1000",
            "{size}"
        );
        assert_eq!(sent(&log), [get(&path())], "{size}");
    }
}

#[test]
fn a_page_token_asking_for_a_page_size_outside_1_to_1000_is_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    for size in ["1001", "0", "x"] {
        let token = PageToken::new(format!("{}?PageSize={size}&Page=1", path()));
        match list(&server).page(&token) {
            Err(Error::InvalidInput(e)) => {
                assert_eq!(e.parameter(), "page_token");
                assert_eq!(
                    e.to_string(),
                    "page_token asks for a PageSize outside 1..=1000: it must be a next_page \
                     token this list gave"
                );
            }
            other => panic!("expected InvalidInput for PageSize={size}, got {other:?}"),
        }
    }
    let fine = PageToken::new(format!("{}?PageSize=1000&Page=1", path()));
    assert!(!matches!(
        list(&server).page(&fine),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(
        mock.calls(),
        1,
        "only the token within the rule was requested"
    );
}

// ---------------------------------------------------------------------------------------------
// statuses
// ---------------------------------------------------------------------------------------------

#[test]
fn a_page_answered_2xx_but_not_200_is_a_decode_error() {
    for (status, body) in [
        (201, page(&[1], None)),
        (204, String::new()),
        (203, page(&[1], None)),
    ] {
        let server = MockServer::start();
        let (_mock, log) = serve(
            &server,
            vec![route("GET", path(), vec![answer(status, body)])],
        );
        let err = decode_error(drain(list(&server)).1);
        assert_eq!(err.status(), status);
        assert_eq!(
            err.to_string(),
            format!(
                "could not decode Twilio's HTTP {status} answer: a page must be answered 200 \
                 [request {REQUEST_ID}]"
            )
        );
        assert_eq!(sent(&log).len(), 1);
    }
}

#[test]
fn a_second_page_answered_201_ends_the_list_after_the_first_pages_records() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1, 2], Some(&twilio(&page_target(1)))))],
            ),
            route("GET", page_target(1), vec![answer(201, page(&[3], None))]),
        ],
    );
    let (records, err) = drain(list(&server));
    assert_eq!(sids(&records), [sid(1), sid(2)]);
    assert_eq!(decode_error(err).status(), 201);
    assert_eq!(sent(&log).len(), 2);
}

#[test]
fn a_page_answered_4xx_or_5xx_is_an_api_error() {
    let body = r#"{"code":20003,"message":"Authenticate","status":401}"#;
    for status in [400, 401, 403, 404, 500, 502, 503] {
        let server = MockServer::start();
        let (_mock, log) = serve(
            &server,
            vec![route("GET", path(), vec![answer(status, body)])],
        );
        let (records, err) = drain(list(&server));
        assert!(records.is_empty());
        let Some(Error::Api(api)) = err else {
            panic!("{status}: expected Error::Api, got {err:?}")
        };
        assert_eq!(api.status(), status);
        assert_eq!(api.code(), Some(20003));
        assert_eq!(sent(&log).len(), 1, "{status}");
    }
}

#[test]
fn a_page_answered_429_is_retried_and_the_list_goes_on() {
    let server = MockServer::start();
    let limited = r#"{"code":20429,"message":"Too Many Requests","status":429}"#;
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![
                    answer(429, limited).header("retry-after", "0"),
                    answer(200, page(&[2], None)),
                ],
            ),
        ],
    );
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .base_delay(Duration::from_millis(1));
    let (records, err) = drain(client_with(&server, policy).entities(VA).unwrap().list());
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), [sid(1), sid(2)]);
    assert_eq!(
        sent(&log),
        [get(&path()), get(&page_target(1)), get(&page_target(1))]
    );
}

// ---------------------------------------------------------------------------------------------
// hostile pages
// ---------------------------------------------------------------------------------------------

fn decode_of_first_page(body: String) -> twilio_verify::DecodeError {
    let server = MockServer::start();
    let (_mock, log) = serve(&server, vec![route("GET", path(), vec![answer(200, body)])]);
    let (records, err) = drain(list(&server));
    assert!(records.is_empty());
    assert_eq!(sent(&log).len(), 1);
    decode_error(err)
}

#[test]
fn a_page_without_meta_key_is_a_decode_error_naming_meta_key() {
    let err = decode_of_first_page(page_with(&[1], None, |m| {
        m.replace(r#","key":"entities""#, "")
    }));
    assert_eq!(err.missing(), Some("meta.key"));
    assert_eq!(
        err.to_string(),
        format!(
            "could not decode Twilio's HTTP 200 answer: required field `meta.key` is missing or \
             null [request {REQUEST_ID}]"
        )
    );
    let null = decode_of_first_page(page_with(&[1], None, |m| {
        m.replace(r#""key":"entities""#, r#""key":null"#)
    }));
    assert_eq!(null.missing(), Some("meta.key"));
}

#[test]
fn a_page_without_meta_is_a_decode_error_naming_meta() {
    let err = decode_of_first_page(format!(r#"{{"entities":[{}]}}"#, record(1)));
    assert_eq!(err.missing(), Some("meta"));
}

#[test]
fn a_page_whose_meta_key_names_another_list_is_a_decode_error() {
    for key in ["webhooks", "factors", "", "Entities"] {
        let err = decode_of_first_page(page_with(&[1], None, |m| {
            m.replace(r#""key":"entities""#, &format!(r#""key":"{key}""#))
        }));
        assert_eq!(err.missing(), None);
        assert_eq!(
            err.to_string(),
            format!(
                "could not decode Twilio's HTTP 200 answer: meta.key does not name this list's \
                 records [request {REQUEST_ID}]"
            ),
            "{key:?}"
        );
    }
}

#[test]
fn records_under_the_key_meta_names_but_not_ours_are_not_read() {
    // meta.key and the array agree with each other, but not with this list.
    let body = page_with(&[1], None, |m| {
        m.replace(r#""key":"entities""#, r#""key":"webhooks""#)
    })
    .replacen(r#""entities":"#, r#""webhooks":"#, 1);
    let err = decode_of_first_page(body);
    assert_eq!(err.missing(), None);
    assert!(err.to_string().contains("meta.key does not name"), "{err}");
}

#[test]
fn a_page_without_its_records_key_is_a_decode_error_naming_it() {
    let body = page(&[1], None).replacen(r#""entities":"#, r#""items":"#, 1);
    let err = decode_of_first_page(body);
    assert_eq!(err.missing(), Some("entities"));
    let null =
        decode_of_first_page(page(&[], None).replacen(r#""entities":[]"#, r#""entities":null"#, 1));
    assert_eq!(null.path(), Some("entities"), "{null}");
}

#[test]
fn a_record_that_does_not_decode_names_its_field() {
    let body = page(&[1, 2], None).replacen(&sid(2), "YEnope", 1);
    let err = decode_of_first_page(body);
    assert_eq!(err.path(), Some("entities[1].sid"), "{err}");
}

#[test]
fn a_first_page_pointing_at_itself_is_detected_as_a_repeat() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            path(),
            vec![answer(200, page(&[1, 2], Some(&twilio(&path()))))],
        )],
    );
    let (records, err) = drain(list(&server));
    assert_eq!(sids(&records), [sid(1), sid(2)]);
    assert_eq!(
        decode_error(err).to_string(),
        "could not decode Twilio's HTTP 200 answer: next_page_url repeats a page already read"
    );
    assert_eq!(sent(&log), [get(&path())]);
}

#[test]
fn a_later_page_pointing_at_itself_forever_is_detected_after_one_read() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(200, page(&[2, 3], Some(&twilio(&page_target(1)))))],
            ),
        ],
    );
    let (records, err) = drain(list(&server));
    assert_eq!(sids(&records), [sid(1), sid(2), sid(3)]);
    assert!(decode_error(err).to_string().contains("repeats"));
    assert_eq!(sent(&log), [get(&path()), get(&page_target(1))]);
}

#[test]
fn a_self_pointing_page_is_bounded_by_the_limit() {
    // limit 2 = one page of 2: the list stops at the limit and never asks for the repeat.
    let server = MockServer::start();
    let first = format!("{}?PageSize=2", path());
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            first.clone(),
            vec![answer(200, page(&[1, 2], Some(&twilio(&first))))],
        )],
    );
    let (records, err) = drain(list(&server).limit(2));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(records.len(), 2);
    assert_eq!(sent(&log), [get(&first)]);

    // limit 5 on a page of 2 pointing at itself: the repeat is caught before the limit.
    let server = MockServer::start();
    let first = format!("{}?PageSize=5", path());
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            first.clone(),
            vec![answer(200, page(&[1, 2], Some(&twilio(&first))))],
        )],
    );
    let (records, err) = drain(list(&server).limit(5));
    assert_eq!(records.len(), 2);
    assert!(decode_error(err).to_string().contains("repeats"));
    assert_eq!(sent(&log), [get(&first)]);
}

#[test]
fn a_cycle_of_two_pages_is_detected() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(200, page(&[2], Some(&twilio(&path()))))],
            ),
        ],
    );
    let (records, err) = drain(list(&server));
    assert_eq!(sids(&records), [sid(1), sid(2)]);
    assert!(decode_error(err).to_string().contains("repeats"));
    assert_eq!(sent(&log), [get(&path()), get(&page_target(1))]);
}

/// Runs `f` on a thread and fails (instead of hanging) when it takes longer than 20 s.
fn within_20s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the list did not return within 20 s")
}

/// A server whose every page is empty and points at a new page, forever; returns the number
/// of pages it served.
fn endless_empty_pages(server: &MockServer) -> Arc<AtomicUsize> {
    let served = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&served);
    server.mock(move |when, then| {
        when.any_request();
        then.respond_with(move |_: &HttpMockRequest| {
            let n = count.fetch_add(1, Ordering::SeqCst) as u32 + 1;
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(page(&[], Some(&twilio(&page_target(n)))))
                .build()
        });
    });
    served
}

#[test]
fn endless_empty_pages_end_the_list_instead_of_hanging_one_next_call() {
    let server = MockServer::start();
    let served = endless_empty_pages(&server);
    let list = list(&server).limit(10);
    let (records, err) = within_20s(move || drain(list));
    assert!(records.is_empty());
    let err = decode_error(err);
    assert_eq!(
        err.to_string(),
        "could not decode Twilio's HTTP 200 answer: next_page_url follows too many empty pages"
    );
    // The first page and the empty pages allowed after it.
    assert_eq!(served.load(Ordering::SeqCst), 4);
}

#[test]
fn a_few_empty_pages_between_full_ones_are_followed() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(200, page(&[], Some(&twilio(&page_target(2)))))],
            ),
            route(
                "GET",
                page_target(2),
                vec![answer(200, page(&[], Some(&twilio(&page_target(3)))))],
            ),
            route(
                "GET",
                page_target(3),
                vec![answer(200, page(&[], Some(&twilio(&page_target(4)))))],
            ),
            route("GET", page_target(4), vec![answer(200, page(&[2], None))]),
        ],
    );
    let (records, err) = drain(list(&server));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), [sid(1), sid(2)]);
    assert_eq!(sent(&log).len(), 5);
}

// ---------------------------------------------------------------------------------------------
// page size and limit
// ---------------------------------------------------------------------------------------------

#[test]
fn a_limit_without_a_page_size_sends_it_as_the_page_size_and_stops_after_it() {
    let server = MockServer::start();
    let first = format!("{}?PageSize=3", path());
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            first.clone(),
            vec![answer(
                200,
                page(&[1, 2, 3], Some(&twilio(&page_target(1)))),
            )],
        )],
    );
    let (records, err) = drain(list(&server).limit(3));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), [sid(1), sid(2), sid(3)]);
    assert_eq!(sent(&log), [get(&first)]);
}

#[test]
fn a_limit_over_1000_sends_page_size_1000() {
    for (limit, size) in [(1000, 1000), (1001, 1000), (usize::MAX, 1000), (1, 1)] {
        let server = MockServer::start();
        let first = format!("{}?PageSize={size}", path());
        let (_mock, log) = serve(
            &server,
            vec![route(
                "GET",
                first.clone(),
                vec![answer(200, page(&[1], None))],
            )],
        );
        let (records, err) = drain(list(&server).limit(limit));
        assert!(err.is_none(), "{limit}: {err:?}");
        assert_eq!(records.len(), 1);
        assert_eq!(sent(&log), [get(&first)], "{limit}");
    }
}

#[test]
fn a_limit_across_pages_stops_mid_page_and_asks_for_nothing_more() {
    let server = MockServer::start();
    let first = format!("{}?PageSize=2", path());
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                first.clone(),
                vec![answer(200, page(&[1, 2], Some(&twilio(&page_target(1)))))],
            ),
            route(
                "GET",
                page_target(1),
                vec![answer(200, page(&[3, 4], Some(&twilio(&page_target(2)))))],
            ),
        ],
    );
    let (records, err) = drain(list(&server).page_size(2).limit(3));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(sids(&records), [sid(1), sid(2), sid(3)]);
    assert_eq!(sent(&log), [get(&first), get(&page_target(1))]);
}

#[test]
fn a_page_size_is_sent_and_wins_over_the_limit() {
    for size in [1, 1000] {
        let server = MockServer::start();
        let first = format!("{}?PageSize={size}", path());
        let (_mock, log) = serve(
            &server,
            vec![route(
                "GET",
                first.clone(),
                vec![answer(200, page(&[1], None))],
            )],
        );
        let (records, _) = drain(list(&server).page_size(size).limit(7));
        assert_eq!(records.len(), 1);
        assert_eq!(sent(&log), [get(&first)]);
    }
}

#[test]
fn page_sizes_0_and_1001_are_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    for size in [0, 1001, u32::MAX] {
        let message = format!("page_size {size} is out of range: must be 1..=1000");
        let (records, err) = drain(list(&server).page_size(size));
        assert!(records.is_empty());
        let Some(Error::InvalidInput(input)) = err else {
            panic!("{size}: expected InvalidInput, got {err:?}")
        };
        assert_eq!(input.parameter(), "page_size");
        assert_eq!(input.to_string(), message);
        let Err(Error::InvalidInput(first)) = list(&server).page_size(size).first_page() else {
            panic!("first_page with page_size {size} was not refused")
        };
        assert_eq!(first.to_string(), message);
        let token = PageToken::new(page_target(1));
        assert!(matches!(
            list(&server).page_size(size).page(&token),
            Err(Error::InvalidInput(_))
        ));
    }
    assert_eq!(mock.calls(), 0);
}

#[test]
fn a_limit_of_0_sends_nothing() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let mut list = list(&server).limit(0);
    assert!(list.next().is_none());
    assert!(list.next().is_none());
    assert_eq!(mock.calls(), 0);
}

#[test]
fn after_an_error_the_iterator_yields_none_and_sends_nothing_more() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![route(
            "GET",
            path(),
            vec![answer(500, "oops"), answer(200, page(&[1], None))],
        )],
    );
    let mut list = list(&server);
    assert_eq!(list.next().unwrap().unwrap_err().status(), Some(500));
    for _ in 0..3 {
        assert!(list.next().is_none());
    }
    assert_eq!(sent(&log), [get(&path())]);
}

// ---------------------------------------------------------------------------------------------
// page-level access
// ---------------------------------------------------------------------------------------------

#[test]
fn first_page_and_page_fetch_one_page_each_through_the_base_url() {
    let server = MockServer::start();
    let (_mock, log) = serve(
        &server,
        vec![
            route(
                "GET",
                path(),
                vec![answer(200, page(&[1, 2], Some(&twilio(&page_target(1)))))],
            ),
            route("GET", page_target(1), vec![answer(200, page(&[3], None))]),
        ],
    );
    let list = list(&server);
    let first = list.first_page().unwrap();
    assert_eq!(sids(first.records()), [sid(1), sid(2)]);
    assert_eq!(first.number(), Some(0));
    assert_eq!(first.page_size(), Some(2));
    let token = first.next_page().unwrap();
    assert_eq!(token.as_str(), page_target(1));
    assert_eq!(
        format!("{token:?}"),
        format!("PageToken({:?})", page_target(1))
    );
    // A token kept as text and made again names the same page.
    let kept = PageToken::new(token.as_str().to_owned());
    assert_eq!(&kept, token);
    let second = list.page(&kept).unwrap();
    assert_eq!(sids(&second.into_records()), [sid(3)]);
    assert_eq!(sent(&log), [get(&path()), get(&page_target(1))]);
    let last = list.page(&kept).unwrap();
    assert!(last.next_page().is_none());
}

#[test]
fn page_tokens_for_another_list_are_refused_with_nothing_sent() {
    let server = MockServer::start();
    let mock = catch_all(&server);
    let list = list(&server);
    let long = format!("{}?PageToken={}", path(), "a".repeat(5000));
    for bad in [
        format!("/v2/Services/{VA}/Webhooks?PageSize=2&Page=1"),
        "/v2/Services/VAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/Entities?Page=1".to_owned(),
        twilio(&page_target(1)),
        format!("{}X?Page=1", path()),
        format!("{}/../Webhooks", path()),
        format!("{}/ff483d1ff591898a9942916050d2ca3f", path()),
        format!("{}?Page=1#frag", path()),
        format!("{}?Page=1 HTTP/1.1\r\nX-Evil: 1", path()),
        format!("{}?Page=ü", path()),
        long,
        String::new(),
        "Entities?Page=1".to_owned(),
    ] {
        let Err(Error::InvalidInput(input)) = list.page(&PageToken::new(bad.clone())) else {
            panic!("{bad:?} was not refused")
        };
        assert_eq!(input.parameter(), "page_token", "{bad:?}");
        assert_eq!(
            input.to_string(),
            "page_token is not a page of this list: it must be a next_page token this list gave"
        );
    }
    assert_eq!(mock.calls(), 0);
}
