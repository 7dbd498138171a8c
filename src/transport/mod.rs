//! The transport below every resource: one request path (send, read, retry, log, decode),
//! paging, the caching resolver, coarse socket timeouts and the reading of error bodies.
//!
//! A resource describes an operation (method, URL, form body, answer type) and calls
//! `VerifyClient::fetch_json`, `post_json`, `delete_at` or a [`List`](list::List);
//! nothing here knows about any resource.

pub(crate) mod coarse_timeouts;
pub(crate) mod decode;
pub(crate) mod error_body;
pub(crate) mod list;
pub(crate) mod page;
pub(crate) mod request;
pub(crate) mod resolver;
pub(crate) mod retry;
