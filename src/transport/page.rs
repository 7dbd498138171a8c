//! Pages of a list: a page, its token, and reading one from an answer.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use ureq::http::Uri;

use crate::error::DecodeError;
use crate::transport::decode::explained;
use crate::transport::request::Answer;

/// Where the next page of a list is: the path and query of Twilio's `next_page_url`.
///
/// It is opaque but printable, so a UI can carry it between requests (`as_str`, then
/// [`PageToken::new`]). It is only ever requested from the client's own base URL, and only for
/// the list it came from: Twilio writes absolute `https://verify.twilio.com/…` URLs, and
/// following them verbatim would send the credentials wherever an answer points.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PageToken(pub(crate) String);

impl PageToken {
    /// A token kept from [`Page::next_page`]'s `as_str`. It is checked when used: it must name
    /// a page of the same list.
    pub fn new(token: impl Into<String>) -> Self {
        PageToken(token.into())
    }

    /// The token as text (a path and query such as
    /// `/v2/Services/VA…/Entities?PageSize=50&Page=1&PageToken=PA…`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PageToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PageToken").field(&self.0).finish()
    }
}

/// One page of a list, and where the next one is.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub(crate) records: Vec<T>,
    number: Option<u32>,
    page_size: Option<u32>,
    pub(crate) next: Option<PageToken>,
}

impl<T> Page<T> {
    /// The records of this page, in Twilio's order.
    pub fn records(&self) -> &[T] {
        &self.records
    }

    /// The records, owned.
    pub fn into_records(self) -> Vec<T> {
        self.records
    }

    /// The page's number (`meta.page`, from 0), when Twilio gave it.
    pub fn number(&self) -> Option<u32> {
        self.number
    }

    /// The page size Twilio used (`meta.page_size`), when it gave it.
    pub fn page_size(&self) -> Option<u32> {
        self.page_size
    }

    /// The next page, or `None` on the last one; pass it to [`List::page`].
    pub fn next_page(&self) -> Option<&PageToken> {
        self.next.as_ref()
    }
}

/// `meta` as Twilio writes it; only what paging needs is read.
#[derive(Deserialize)]
struct Meta {
    key: Option<String>,
    page: Option<u32>,
    page_size: Option<u32>,
    next_page_url: Option<String>,
}

/// Reads a page: `{"<key>": [records], "meta": {…}}`, other keys ignored.
pub(crate) fn decode_page<T: DeserializeOwned>(
    answer: &Answer,
    key: &'static str,
    list_path: &str,
    base_path: &str,
) -> Result<Page<T>, DecodeError> {
    let status = answer.status.as_u16();
    if status != 200 {
        return Err(DecodeError::paging(
            status,
            answer.request_id(),
            "a page must be answered 200",
        ));
    }
    let seed = PageSeed::<T> {
        key,
        records: PhantomData,
    };
    let raw = match std::str::from_utf8(&answer.body) {
        Ok(text) => seed.deserialize(&mut serde_json::Deserializer::from_str(text)),
        Err(_) => seed.deserialize(&mut serde_json::Deserializer::from_slice(&answer.body)),
    };
    let raw = match raw {
        Ok(raw) => raw,
        Err(error) => return Err(explain_page::<T>(answer, key, error)),
    };
    let meta = raw
        .meta
        .ok_or_else(|| DecodeError::missing_field(status, answer.request_id(), "meta"))?;
    match meta.key.as_deref() {
        Some(k) if k == key => {}
        Some(_) => {
            return Err(DecodeError::paging(
                status,
                answer.request_id(),
                "meta.key does not name this list's records",
            ));
        }
        None => {
            return Err(DecodeError::missing_field(
                status,
                answer.request_id(),
                "meta.key",
            ));
        }
    }
    let records = raw
        .records
        .ok_or_else(|| DecodeError::missing_field(status, answer.request_id(), key))?;
    let next = match meta.next_page_url.as_deref() {
        None | Some("") => None,
        Some(url) => Some(next_token(url, list_path, base_path).ok_or_else(|| {
            DecodeError::paging(
                status,
                answer.request_id(),
                "next_page_url points outside this list",
            )
        })?),
    };
    Ok(Page {
        records,
        number: meta.page,
        page_size: meta.page_size,
        next,
    })
}

/// The token of a `next_page_url`: its path (the base URL's own path prefix removed, when the
/// server wrote it) and query, when the path is this list's; its host is never used.
fn next_token(url: &str, list_path: &str, base_path: &str) -> Option<PageToken> {
    let uri: Uri = url.parse().ok()?;
    let path = uri.path();
    let path = match path.strip_prefix(base_path) {
        Some(below) if !base_path.is_empty() && below.starts_with('/') => below,
        _ => path,
    };
    if path != list_path {
        return None;
    }
    Some(PageToken(match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    }))
}

/// Decodes the page again, tracking the path, to name the field that failed.
fn explain_page<T: DeserializeOwned>(
    answer: &Answer,
    key: &'static str,
    error: serde_json::Error,
) -> DecodeError {
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(&answer.body);
    let seed = PageSeed::<T> {
        key,
        records: PhantomData,
    };
    match seed.deserialize(serde_path_to_error::Deserializer::new(
        &mut json, &mut track,
    )) {
        Ok(_) => explained(answer, None, error),
        Err(inner) => explained(answer, Some(&track.path()), inner),
    }
}

struct RawPage<T> {
    records: Option<Vec<T>>,
    meta: Option<Meta>,
}

struct PageSeed<T> {
    key: &'static str,
    records: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<T> {
    type Value = RawPage<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawPage<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<T> {
    type Value = RawPage<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPage<T>, A::Error> {
        let mut page = RawPage {
            records: None,
            meta: None,
        };
        while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if name == self.key {
                page.records = Some(map.next_value()?);
            } else if name == "meta" {
                page.meta = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(page)
    }
}
