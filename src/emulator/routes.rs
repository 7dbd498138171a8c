//! Every path the emulator serves — Twilio's 21 operations and the emulator-only phone and
//! clock API under `/emulator/v1` — and the methods each accepts.

use hyper::Method;

use super::api::{Answer, Call, access_tokens, challenges, entities, factors, webhooks};
use super::phone_api;
use super::responses::{self, Reply};

/// A path the emulator serves, with its raw path segments.
#[derive(Debug, PartialEq, Eq)]
enum Route<'a> {
    Tokens(&'a str),
    Token(&'a str, &'a str),
    Entities(&'a str),
    Entity(&'a str, &'a str),
    Factors(&'a str, &'a str),
    Factor(&'a str, &'a str, &'a str),
    Challenges(&'a str, &'a str),
    Challenge(&'a str, &'a str, &'a str),
    Notifications(&'a str, &'a str, &'a str),
    Webhooks(&'a str),
    Webhook(&'a str, &'a str),
    Phone(&'a str),
    Pending(&'a str, &'a str, &'a str),
    Answer(&'a str, &'a str, &'a str, &'a str, bool),
    TotpCode(&'a str, &'a str, &'a str),
    Clock,
}

fn route(path: &str) -> Option<Route<'_>> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    if segments.contains(&"") {
        return None;
    }
    Some(match segments.as_slice() {
        ["v2", "Services", s, rest @ ..] => match rest {
            ["AccessTokens"] => Route::Tokens(s),
            ["AccessTokens", sid] => Route::Token(s, sid),
            ["Entities"] => Route::Entities(s),
            ["Entities", id] => Route::Entity(s, id),
            ["Entities", id, "Factors"] => Route::Factors(s, id),
            ["Entities", id, "Factors", f] => Route::Factor(s, id, f),
            ["Entities", id, "Challenges"] => Route::Challenges(s, id),
            ["Entities", id, "Challenges", c] => Route::Challenge(s, id, c),
            ["Entities", id, "Challenges", c, "Notifications"] => Route::Notifications(s, id, c),
            ["Webhooks"] => Route::Webhooks(s),
            ["Webhooks", sid] => Route::Webhook(s, sid),
            _ => return None,
        },
        ["emulator", "v1", "Clock"] => Route::Clock,
        ["emulator", "v1", "Services", s, rest @ ..] => match rest {
            ["Phone"] => Route::Phone(s),
            ["Entities", id, "Factors", f, "Challenges"] => Route::Pending(s, id, f),
            ["Entities", id, "Factors", f, "Challenges", c, "Approve"] => {
                Route::Answer(s, id, f, c, true)
            }
            ["Entities", id, "Factors", f, "Challenges", c, "Deny"] => {
                Route::Answer(s, id, f, c, false)
            }
            ["Entities", id, "Factors", f, "TotpCode"] => Route::TotpCode(s, id, f),
            _ => return None,
        },
        _ => return None,
    })
}

impl Route<'_> {
    /// The methods the route accepts, for `405`'s `Allow`.
    fn allow(&self) -> &'static str {
        match self {
            Route::Tokens(_)
            | Route::Notifications(..)
            | Route::Phone(_)
            | Route::Answer(..)
            | Route::Clock => "POST",
            Route::Token(..) | Route::Pending(..) | Route::TotpCode(..) => "GET",
            Route::Entities(_)
            | Route::Factors(..)
            | Route::Challenges(..)
            | Route::Webhooks(_) => "GET, POST",
            Route::Entity(..) => "GET, DELETE",
            Route::Challenge(..) => "GET, POST",
            Route::Factor(..) | Route::Webhook(..) => "GET, POST, DELETE",
        }
    }
}

fn dispatch(call: &Call<'_>, route: &Route<'_>, method: &Method) -> Option<Answer> {
    let (get, post, delete) = (
        method == Method::GET,
        method == Method::POST,
        method == Method::DELETE,
    );
    Some(match *route {
        Route::Tokens(s) if post => access_tokens::create(call, s),
        Route::Token(s, sid) if get => access_tokens::fetch(call, s, sid),
        Route::Entities(s) if post => entities::create(call, s),
        Route::Entities(s) if get => entities::list(call, s),
        Route::Entity(s, id) if get => entities::fetch(call, s, id),
        Route::Entity(s, id) if delete => entities::delete(call, s, id),
        Route::Factors(s, id) if post => factors::create(call, s, id),
        Route::Factors(s, id) if get => factors::list(call, s, id),
        Route::Factor(s, id, f) if get => factors::fetch(call, s, id, f),
        Route::Factor(s, id, f) if post => factors::update(call, s, id, f),
        Route::Factor(s, id, f) if delete => factors::delete(call, s, id, f),
        Route::Challenges(s, id) if post => challenges::create(call, s, id),
        Route::Challenges(s, id) if get => challenges::list(call, s, id),
        Route::Challenge(s, id, c) if get => challenges::fetch(call, s, id, c),
        Route::Challenge(s, id, c) if post => challenges::update(call, s, id, c),
        Route::Notifications(s, id, c) if post => challenges::notify(call, s, id, c),
        Route::Webhooks(s) if post => webhooks::create(call, s),
        Route::Webhooks(s) if get => webhooks::list(call, s),
        Route::Webhook(s, sid) if get => webhooks::fetch(call, s, sid),
        Route::Webhook(s, sid) if post => webhooks::update(call, s, sid),
        Route::Webhook(s, sid) if delete => webhooks::delete(call, s, sid),
        Route::Phone(s) if post => phone_api::enroll(call, s),
        Route::Pending(s, id, f) if get => phone_api::pending(call, s, id, f),
        Route::Answer(s, id, f, c, approve) if post => {
            phone_api::answer(call, s, id, f, c, approve)
        }
        Route::TotpCode(s, id, f) if get => phone_api::totp_code(call, s, id, f),
        Route::Clock if post => phone_api::clock(call),
        _ => return None,
    })
}

/// Answers an authenticated request: the route and method first (`404`, `405`), then the
/// resource and the fields.
pub(crate) fn answer(call: &Call<'_>, method: &Method) -> Reply {
    let Some(route) = route(call.path) else {
        return responses::not_found(call.path);
    };
    match dispatch(call, &route, method) {
        None => responses::method_not_allowed(route.allow()),
        Some(Ok(reply)) => reply,
        Some(Err(refusal)) => refusal.reply(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_and_emulator_paths_route_and_others_do_not() {
        assert_eq!(
            route("/v2/Services/VA1/AccessTokens"),
            Some(Route::Tokens("VA1"))
        );
        assert_eq!(
            route("/v2/Services/VA1/Entities/id/Challenges/YC1/Notifications"),
            Some(Route::Notifications("VA1", "id", "YC1"))
        );
        assert_eq!(
            route("/emulator/v1/Services/VA1/Entities/id/Factors/YF1/Challenges/YC1/Deny"),
            Some(Route::Answer("VA1", "id", "YF1", "YC1", false))
        );
        assert_eq!(route("/emulator/v1/Clock"), Some(Route::Clock));
        for path in [
            "",
            "/",
            "/v2/Services/VA1",
            "/v2/Services/VA1/AccessTokens/",
            "/v2/Services/VA1/AccessTokens/YK1/x",
            "/v1/Services/VA1/AccessTokens",
            "/v2/services/VA1/AccessTokens",
            "v2/Services/VA1/AccessTokens",
            "/v2/Services/VA1/Entities/id/Factors/YF1/Challenges",
            "/emulator/v1/Services/VA1/Phone/x",
        ] {
            assert_eq!(route(path), None, "{path:?}");
        }
    }
}
