//! The two routes of the Access Tokens API and the methods they accept.

use hyper::Method;

use super::resources;
use super::responses::{self, Reply};
use super::state::State;

/// A path the API serves, with its raw path segments.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    /// `/v2/Services/{ServiceSid}/AccessTokens`: create with `POST`.
    List { service: &'a str },
    /// `/v2/Services/{ServiceSid}/AccessTokens/{Sid}`: fetch with `GET`.
    Instance { service: &'a str, sid: &'a str },
}

fn route(path: &str) -> Option<Route<'_>> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segments.contains(&"") {
        return None;
    }
    match segments.as_slice() {
        ["v2", "Services", service, "AccessTokens"] => Some(Route::List { service }),
        ["v2", "Services", service, "AccessTokens", sid] => Some(Route::Instance { service, sid }),
        _ => None,
    }
}

/// Answers an authenticated request: the route and method first (`404`, `405`), then the
/// resource and the fields.
pub(crate) fn answer(
    state: &State,
    method: &Method,
    path: &str,
    form: &[(String, String)],
) -> Reply {
    match route(path) {
        None => responses::not_found(path),
        Some(Route::List { service }) if method == Method::POST => {
            resources::create(state, path, service, form)
        }
        Some(Route::List { .. }) => responses::method_not_allowed("POST"),
        Some(Route::Instance { service, sid }) if method == Method::GET => {
            resources::fetch(state, path, service, sid)
        }
        Some(Route::Instance { .. }) => responses::method_not_allowed("GET"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_two_api_paths_route() {
        assert_eq!(
            route("/v2/Services/VA1/AccessTokens"),
            Some(Route::List { service: "VA1" })
        );
        assert_eq!(
            route("/v2/Services/VA1/AccessTokens/YK1"),
            Some(Route::Instance {
                service: "VA1",
                sid: "YK1"
            })
        );
        for path in [
            "",
            "/",
            "/v2/Services/VA1",
            "/v2/Services/VA1/AccessTokens/",
            "/v2/Services/VA1/AccessTokens/YK1/x",
            "/v1/Services/VA1/AccessTokens",
            "/v2/services/VA1/AccessTokens",
            "v2/Services/VA1/AccessTokens",
        ] {
            assert_eq!(route(path), None, "{path:?}");
        }
    }
}
