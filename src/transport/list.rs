//! Lists: a lazy iterator over records, one page at a time, followed through the client's own
//! base URL.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;

use serde::de::DeserializeOwned;

use crate::client::VerifyClient;
use crate::error::{DecodeError, Error, InvalidInput};
use crate::rules;
use crate::transport::page::{Page, PageToken, decode_page};
use crate::transport::request::{Request, redact_identity};

/// The longest page token (path and query) accepted, in bytes.
const MAX_TOKEN_BYTES: usize = 4096;

/// How many empty pages in a row that still name a next page are followed. Without a bound,
/// a server answering empty pages with ever-new `next_page_url`s would keep one `next()` call
/// fetching forever (the limit counts records, so it cannot stop it).
const MAX_EMPTY_PAGES_IN_A_ROW: u32 = 3;

/// A lazy list of records: an iterator of `Result<T, Error>` that fetches one page at a time.
///
/// Set [`page_size`](List::page_size) and [`limit`](List::limit) before iterating. Memory
/// stays one page whatever the total. After an error the iterator ends. For a UI that pages
/// by hand, [`first_page`](List::first_page) and [`page`](List::page) fetch one page each.
///
/// Each page must be `200`; the records are read under `meta.key`, which must name this
/// list's records. The next page is requested from the client's base URL with the path and
/// query of `meta.next_page_url` — never from the host that URL names. A `next_page_url`
/// outside this list, one that repeats a page already read, or more than three empty pages in
/// a row that each name a next page, end the list with [`Error::Decode`].
#[must_use = "a list does nothing until iterated"]
pub struct List<T> {
    client: VerifyClient,
    /// The list's path below the base URL, `/v2/Services/VA…/Entities`.
    path: String,
    /// The key its records are under (`entities`).
    key: &'static str,
    query: Vec<(&'static str, String)>,
    page_size: Option<u32>,
    limit: Option<usize>,
    refused: Option<InvalidInput>,
    state: State<T>,
    yielded: usize,
    /// Empty pages with a next page read in a row.
    empty_run: u32,
    seen: HashSet<u64>,
    hasher: RandomState,
}

enum State<T> {
    Start,
    Page {
        records: std::vec::IntoIter<T>,
        next: Option<PageToken>,
    },
    Done,
}

impl<T> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("List")
            .field("path", &redact_identity(&self.path))
            .field("page_size", &self.page_size)
            .field("limit", &self.limit)
            .field("yielded", &self.yielded)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> List<T> {
    pub(crate) fn new(client: VerifyClient, path: String, key: &'static str) -> Self {
        List {
            client,
            path,
            key,
            query: Vec::new(),
            page_size: None,
            limit: None,
            refused: None,
            state: State::Start,
            yielded: 0,
            empty_run: 0,
            seen: HashSet::new(),
            hasher: RandomState::new(),
        }
    }

    /// Adds a query filter (sent on the first page; Twilio carries it in `next_page_url`).
    pub(crate) fn filter(mut self, name: &'static str, value: String) -> Self {
        self.query.retain(|(n, _)| *n != name);
        self.query.push((name, value));
        self
    }

    /// Remembers a refused filter: the first call yields it and nothing is sent.
    pub(crate) fn refuse(mut self, refused: InvalidInput) -> Self {
        self.refused.get_or_insert(refused);
        self
    }

    /// Records per page (`PageSize`), 1 to 1000; Twilio's default is 50. Without it, a
    /// [`limit`](List::limit) under 1000 is used as the page size.
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = Some(page_size);
        self
    }

    /// Stops after `limit` records in all (no request is made for `0`).
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Fetches the first page.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a page size outside 1..=1000 or a refused filter (nothing
    /// sent); [`Error::Api`], [`Error::Transport`] as for any call; [`Error::Decode`] for a
    /// page that is not `200`, has no `meta.key` naming this list's records, or does not decode.
    pub fn first_page(&self) -> Result<Page<T>, Error> {
        self.check()?;
        let url = self.first_url();
        self.fetch_page(&url)
    }

    /// Fetches the page `token` names, from the client's base URL.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `token` is not a page of this list (nothing sent); otherwise
    /// as [`first_page`](List::first_page).
    pub fn page(&self, token: &PageToken) -> Result<Page<T>, Error> {
        self.check()?;
        let url = self.token_url(token)?;
        self.fetch_page(&url)
    }

    fn check(&self) -> Result<(), InvalidInput> {
        if let Some(refused) = &self.refused {
            return Err(refused.clone());
        }
        if let Some(size) = self.page_size {
            rules::page_size(size)?;
        }
        Ok(())
    }

    /// The page size sent: the one set, else the limit when it fits in one page.
    fn effective_page_size(&self) -> Option<u32> {
        self.page_size.or_else(|| {
            self.limit
                .map(|limit| limit.clamp(1, rules::MAX_PAGE_SIZE as usize) as u32)
        })
    }

    fn first_url(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.query {
            query.append_pair(name, value);
        }
        if let Some(size) = self.effective_page_size() {
            query.append_pair("PageSize", &size.to_string());
        }
        let query = query.finish();
        let base = self.client.base_url();
        if query.is_empty() {
            format!("{base}{}", self.path)
        } else {
            format!("{base}{}?{query}", self.path)
        }
    }

    /// The URL of the page `token` names, refused unless it is a page of this list.
    fn token_url(&self, token: &PageToken) -> Result<String, InvalidInput> {
        match self.token_problem(token) {
            None => Ok(format!("{}{}", self.client.base_url(), token.as_str())),
            Some(problem) => Err(InvalidInput::new(
                "page_token",
                format!(
                    "page_token {}: it must be a next_page token this list gave",
                    problem.what()
                ),
            )),
        }
    }

    /// Why `token` cannot be followed, if it cannot: it must name this list's path, be short
    /// and plain, and ask for a `PageSize` in 1..=1000 (the same rule as `page_size`).
    fn token_problem(&self, token: &PageToken) -> Option<TokenProblem> {
        let text = token.as_str();
        let Some(query) = text
            .strip_prefix(self.path.as_str())
            .filter(|rest| rest.is_empty() || rest.starts_with('?'))
        else {
            return Some(TokenProblem::OtherList);
        };
        let clean = text.len() <= MAX_TOKEN_BYTES
            && query.bytes().all(|b| b.is_ascii_graphic() && b != b'#');
        if !clean {
            return Some(TokenProblem::OtherList);
        }
        let query = query.strip_prefix('?').unwrap_or(query);
        let bad_size = form_urlencoded::parse(query.as_bytes()).any(|(name, value)| {
            name == "PageSize"
                && !value
                    .parse::<u32>()
                    .is_ok_and(|size| (1..=rules::MAX_PAGE_SIZE).contains(&size))
        });
        bad_size.then_some(TokenProblem::PageSize)
    }

    fn fetch_page(&self, url: &str) -> Result<Page<T>, Error> {
        let answer = self.client.send(&Request::get(url))?;
        decode_page(&answer, self.key, &self.path, self.client.base_path()).map_err(Error::Decode)
    }

    /// The next record, fetching the next page when this one is used up.
    fn advance(&mut self) -> Result<Option<T>, Error> {
        if self.limit.is_some_and(|limit| self.yielded >= limit) {
            return Ok(None);
        }
        loop {
            match &mut self.state {
                State::Done => return Ok(None),
                State::Start => {
                    self.check()?;
                    let url = self.first_url();
                    self.remember(&url);
                    let page = self.fetch_page(&url)?;
                    self.enter(page)?;
                }
                State::Page { records, next } => {
                    if let Some(record) = records.next() {
                        self.yielded += 1;
                        return Ok(Some(record));
                    }
                    let Some(token) = next.take() else {
                        return Ok(None);
                    };
                    if let Some(problem) = self.token_problem(&token) {
                        let what = match problem {
                            TokenProblem::OtherList => "next_page_url points outside this list",
                            TokenProblem::PageSize => {
                                "next_page_url asks for a PageSize outside 1..=1000"
                            }
                        };
                        return Err(Error::Decode(DecodeError::paging(200, None, what)));
                    }
                    let url = format!("{}{}", self.client.base_url(), token.as_str());
                    if !self.remember(&url) {
                        return Err(Error::Decode(DecodeError::paging(
                            200,
                            None,
                            "next_page_url repeats a page already read",
                        )));
                    }
                    let page = self.fetch_page(&url)?;
                    self.enter(page)?;
                }
            }
        }
    }

    /// Makes `page` the current one, refusing a run of too many empty pages.
    fn enter(&mut self, page: Page<T>) -> Result<(), Error> {
        if page.records.is_empty() && page.next.is_some() {
            self.empty_run += 1;
            if self.empty_run > MAX_EMPTY_PAGES_IN_A_ROW {
                return Err(Error::Decode(DecodeError::paging(
                    200,
                    None,
                    "next_page_url follows too many empty pages",
                )));
            }
        } else {
            self.empty_run = 0;
        }
        self.state = State::Page {
            records: page.records.into_iter(),
            next: page.next,
        };
        Ok(())
    }

    /// Notes `url` as read; false when it was read before.
    fn remember(&mut self, url: &str) -> bool {
        self.seen.insert(self.hasher.hash_one(url))
    }
}

impl<T: DeserializeOwned> Iterator for List<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.advance() {
            Ok(Some(record)) => Some(Ok(record)),
            Ok(None) => {
                self.state = State::Done;
                None
            }
            Err(e) => {
                self.state = State::Done;
                Some(Err(e))
            }
        }
    }
}

/// Why a page token cannot be followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenProblem {
    /// It names another list, or is not plain text of a path and query.
    OtherList,
    /// It asks for a page size the spec forbids.
    PageSize,
}

impl TokenProblem {
    fn what(self) -> &'static str {
        match self {
            TokenProblem::OtherList => "is not a page of this list",
            TokenProblem::PageSize => "asks for a PageSize outside 1..=1000",
        }
    }
}
