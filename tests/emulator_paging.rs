//! Lists paged for real: 10,000 entities read page by page through the client, each exactly
//! once, in creation order; next_page_url at the emulator itself; PageSize bounds.

#![cfg(feature = "emulator")]

use std::collections::HashSet;
use std::time::Instant;

use twilio_verify::emulator::Emulator;

fn identities(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user-{i:08}")).collect()
}

fn read_all(emulator: &Emulator, page_size: Option<u32>) -> Vec<String> {
    let entities = emulator.client().entities(emulator.service_sid()).unwrap();
    let list = entities.list();
    let list = match page_size {
        Some(size) => list.page_size(size),
        None => list,
    };
    list.map(|e| e.unwrap().identity).collect()
}

#[test]
fn ten_thousand_entities_page_by_page_each_exactly_once_in_creation_order() {
    let emulator = Emulator::start().unwrap();
    let all = identities(10_000);
    assert_eq!(
        emulator.insert_entities(emulator.service_sid(), &all),
        10_000
    );

    for size in [Some(1000), None] {
        emulator.clear_requests();
        let started = Instant::now();
        let read = read_all(&emulator, size);
        let elapsed = started.elapsed();
        assert_eq!(read.len(), 10_000);
        assert_eq!(read.iter().collect::<HashSet<_>>().len(), 10_000);
        assert_eq!(read, all, "creation order");
        let pages = emulator.request_count();
        assert_eq!(pages, if size.is_some() { 10 } else { 200 });
        eprintln!("page size {size:?}: {pages} pages in {elapsed:?}");
    }
}

#[test]
fn pages_link_to_the_emulator_and_the_last_has_no_next() {
    let emulator = Emulator::start().unwrap();
    emulator.insert_entities(emulator.service_sid(), identities(5));
    let entities = emulator.client().entities(emulator.service_sid()).unwrap();
    let list = entities.list().page_size(2);
    let first = list.first_page().unwrap();
    assert_eq!(first.number(), Some(0));
    assert_eq!(first.page_size(), Some(2));
    let next = first.next_page().expect("a second page").clone();
    assert!(next.as_str().contains("PageToken=PA"), "{}", next.as_str());
    let second = list.page(&next).unwrap();
    assert_eq!(second.number(), Some(1));
    let third = list.page(second.next_page().unwrap()).unwrap();
    let names: Vec<_> = third.records().iter().map(|e| e.identity.clone()).collect();
    assert_eq!(names, ["user-00000004"]);
    assert!(third.next_page().is_none());

    let raw = ureq::get(format!(
        "{}/v2/Services/{}/Entities?PageSize=2",
        emulator.base_url(),
        emulator.service_sid()
    ))
    .header("authorization", basic(&emulator))
    .call()
    .unwrap()
    .body_mut()
    .read_to_string()
    .unwrap();
    let raw: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let base = emulator.base_url();
    let meta = &raw["meta"];
    assert_eq!(meta["key"], "entities");
    assert_eq!(meta["previous_page_url"], serde_json::Value::Null);
    let path = format!("{base}/v2/Services/{}/Entities", emulator.service_sid());
    assert_eq!(meta["first_page_url"], format!("{path}?PageSize=2&Page=0"));
    assert_eq!(meta["url"], format!("{path}?PageSize=2&Page=0"));
    let next = meta["next_page_url"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{path}?PageSize=2&Page=1&PageToken=PA")),
        "{next}"
    );
}

#[test]
fn a_deletion_between_pages_neither_repeats_nor_skips_the_rest() {
    let emulator = Emulator::start().unwrap();
    let all = identities(6);
    emulator.insert_entities(emulator.service_sid(), &all);
    let entities = emulator.client().entities(emulator.service_sid()).unwrap();
    let list = entities.list().page_size(3);
    let first = list.first_page().unwrap();
    entities.delete(&all[1]).unwrap();
    let second = list.page(first.next_page().unwrap()).unwrap();
    let names: Vec<_> = second
        .records()
        .iter()
        .map(|e| e.identity.clone())
        .collect();
    assert_eq!(names, all[3..]);
}

fn basic(emulator: &Emulator) -> String {
    use base64::Engine as _;
    let pair = format!("{}:{}", emulator.account_sid(), emulator.auth_token());
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

#[test]
fn page_size_outside_1_to_1000_and_a_foreign_page_token_are_400() {
    let emulator = Emulator::start().unwrap();
    for query in [
        "PageSize=0",
        "PageSize=1001",
        "PageSize=ten",
        "PageToken=abc",
        "Page=-1",
    ] {
        let response = ureq::get(format!(
            "{}/v2/Services/{}/Entities?{query}",
            emulator.base_url(),
            emulator.service_sid()
        ))
        .header("authorization", basic(&emulator))
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let text = response.into_body().read_to_string().unwrap();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["code"], 60200);
        let name = query.split('=').next().unwrap();
        assert_eq!(body["message"], format!("Invalid parameter: {name}"));
    }
}

#[test]
fn the_largest_page_number_with_a_token_is_answered_not_dropped() {
    let emulator = Emulator::start().unwrap();
    emulator.insert_entities(emulator.service_sid(), identities(3));
    let response = ureq::get(format!(
        "{}/v2/Services/{}/Entities?PageSize=1&Page={}&PageToken=PA0",
        emulator.base_url(),
        emulator.service_sid(),
        usize::MAX
    ))
    .header("authorization", basic(&emulator))
    .config()
    .http_status_as_error(false)
    .build()
    .call()
    .expect("an answer, not a dropped connection");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&response.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["entities"].as_array().unwrap().len(), 1);
    let next = body["meta"]["next_page_url"].as_str().unwrap();
    assert!(next.contains(&format!("Page={}", usize::MAX)), "{next}");
}
