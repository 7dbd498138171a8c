//! What a mock saw of each request, and the small helpers around it, shared by
//! `tests/support` (a catch-all recorder) and `tests/mock_router` (a routing mock).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use httpmock::{HttpMockRequest, Mock, MockServer};

/// A request as the mock saw it; header names lower-cased.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Seen {
    /// The request as httpmock hands it over.
    pub fn of(req: &HttpMockRequest) -> Seen {
        let uri = req.uri();
        Seen {
            method: req.method_str().to_owned(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: req
                .headers_vec()
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: req.body_vec(),
        }
    }

    /// `path?query`, or the path alone.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// Every value of header `name`, in order.
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The sorted, de-duplicated header names.
    pub fn header_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.headers.iter().map(|(n, _)| n.clone()).collect();
        names.sort();
        names.dedup();
        names
    }

    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }
}

/// Every request a mock saw, in order.
pub type Log = Arc<Mutex<Vec<Seen>>>;

/// The single request the log holds.
pub fn only(log: &Log) -> Seen {
    let seen = log.lock().unwrap();
    assert_eq!(seen.len(), 1, "expected exactly one request, saw {seen:#?}");
    seen[0].clone()
}

/// A mock that answers anything; tests that must send nothing assert it saw zero calls.
pub fn catch_all(server: &MockServer) -> Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(599).body("a request reached the mock");
    })
}
