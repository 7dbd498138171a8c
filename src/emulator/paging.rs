//! Lists paged as Twilio pages them: `PageSize` (default 50, 1..=1000), `Page` (the page's
//! number, for the caller's state) and `PageToken` (a cursor the emulator mints: `PA` and the
//! sequence number of the page's first record), with `meta` URLs at the emulator's base URL.

use serde_json::{Map, Value, json};

use super::api::fields::Refusal;
use crate::rules::MAX_PAGE_SIZE;

/// The default `PageSize`.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 50;

/// Which page a list request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageQuery {
    pub(crate) size: usize,
    pub(crate) page: usize,
    pub(crate) token: Option<u64>,
}

/// The decimal number of a query value (digits only).
pub(crate) fn decimal(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// The first value of `name` in `query`.
pub(crate) fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl PageQuery {
    /// Reads `PageSize`, `Page` and `PageToken`.
    ///
    /// # Errors
    /// `Invalid parameter: PageSize` (`Page`, `PageToken`) for a value that is not one.
    pub(crate) fn parse(query: &[(String, String)]) -> Result<PageQuery, Refusal> {
        let size = match param(query, "PageSize") {
            None => DEFAULT_PAGE_SIZE,
            Some(value) => decimal(value)
                .filter(|size| (1..=u64::from(MAX_PAGE_SIZE)).contains(size))
                .ok_or_else(|| Refusal::invalid("PageSize"))? as usize,
        };
        let page = match param(query, "Page") {
            None => 0,
            Some(value) => decimal(value)
                .and_then(|page| usize::try_from(page).ok())
                .ok_or_else(|| Refusal::invalid("Page"))?,
        };
        let token = match param(query, "PageToken") {
            None => None,
            Some(value) => Some(
                value
                    .strip_prefix("PA")
                    .and_then(decimal)
                    .ok_or_else(|| Refusal::invalid("PageToken"))?,
            ),
        };
        Ok(PageQuery { size, page, token })
    }

    /// This page's records out of `records` (in list order, each with its sequence number),
    /// and the token of the next page, if there is one. `descending` says which way the
    /// sequence numbers run.
    pub(crate) fn cut<T>(
        &self,
        records: impl Iterator<Item = (u64, T)>,
        descending: bool,
    ) -> (Vec<T>, Option<u64>) {
        let mut rest: Box<dyn Iterator<Item = (u64, T)>> = match self.token {
            Some(token) => Box::new(records.skip_while(move |(seq, _)| {
                if descending {
                    *seq > token
                } else {
                    *seq < token
                }
            })),
            None => Box::new(records.skip(self.page.saturating_mul(self.size))),
        };
        let page: Vec<T> = rest.by_ref().take(self.size).map(|(_, r)| r).collect();
        let next = rest.next().map(|(seq, _)| seq);
        (page, next)
    }
}

/// A list answer: `{key: records, meta: {…}}`, its URLs at `base_url` + `path`, with `filters`
/// (already validated query parameters such as `Status`) carried into each.
pub(crate) fn answer(
    base_url: &str,
    path: &str,
    key: &str,
    filters: &[(&str, &str)],
    query: &PageQuery,
    records: Vec<Value>,
    next: Option<u64>,
) -> Value {
    let url = |page: usize, token: Option<u64>| {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in filters {
            form.append_pair(name, value);
        }
        form.append_pair("PageSize", &query.size.to_string());
        form.append_pair("Page", &page.to_string());
        if let Some(token) = token {
            form.append_pair("PageToken", &format!("PA{token}"));
        }
        format!("{base_url}{path}?{}", form.finish())
    };
    let mut meta = Map::new();
    meta.insert("page".into(), json!(query.page));
    meta.insert("page_size".into(), json!(query.size));
    meta.insert("first_page_url".into(), json!(url(0, None)));
    meta.insert("previous_page_url".into(), Value::Null);
    meta.insert("url".into(), json!(url(query.page, query.token)));
    let next = next.map(|token| url(query.page.saturating_add(1), Some(token)));
    meta.insert("next_page_url".into(), json!(next));
    meta.insert("key".into(), json!(key));
    let mut body = Map::new();
    body.insert(key.into(), Value::Array(records));
    body.insert("meta".into(), Value::Object(meta));
    Value::Object(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Result<PageQuery, Refusal> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        PageQuery::parse(&pairs)
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            q(&[]).unwrap(),
            PageQuery {
                size: 50,
                page: 0,
                token: None
            }
        );
        assert_eq!(q(&[("PageSize", "1000")]).unwrap().size, 1000);
        for bad in ["0", "1001", "-1", "ten", ""] {
            assert_eq!(
                q(&[("PageSize", bad)]).unwrap_err().message,
                "Invalid parameter: PageSize"
            );
        }
        assert_eq!(
            q(&[("PageToken", "XX1")]).unwrap_err().message,
            "Invalid parameter: PageToken"
        );
        assert_eq!(q(&[("PageToken", "PA17")]).unwrap().token, Some(17));
    }

    #[test]
    fn cut_by_page_and_by_token_agree() {
        let records = || (1..=7u64).map(|seq| (seq * 10, seq));
        let first = q(&[("PageSize", "3")]).unwrap();
        assert_eq!(first.cut(records(), false), (vec![1, 2, 3], Some(40)));
        let by_token = q(&[("PageSize", "3"), ("PageToken", "PA40")]).unwrap();
        assert_eq!(by_token.cut(records(), false), (vec![4, 5, 6], Some(70)));
        let last = q(&[("PageSize", "3"), ("Page", "2")]).unwrap();
        assert_eq!(last.cut(records(), false), (vec![7], None));
        let down = q(&[("PageSize", "3"), ("PageToken", "PA40")]).unwrap();
        let reversed = (1..=7u64).rev().map(|seq| (seq * 10, seq));
        assert_eq!(down.cut(reversed, true), (vec![4, 3, 2], Some(10)));
    }
}
