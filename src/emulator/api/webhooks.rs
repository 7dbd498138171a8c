//! `…/Webhooks`: create, list, fetch, update, delete. The events are delivered by
//! `emulator::delivery` (see the module docs' "Webhooks").

use ureq::http::Uri;
use ureq::http::uri::Scheme;

use super::fields::{Fields, Refusal, rule};
use super::{Answer, Call, created, deleted, ok};
use crate::emulator::ids;
use crate::emulator::paging::{self, PageQuery};
use crate::emulator::store::WebhookRec;
use crate::rules::{self, MAX_FRIENDLY_NAME_CHARS};

const EVENTS: &[&str] = &[
    "*",
    "factor.deleted",
    "factor.created",
    "factor.verified",
    "challenge.approved",
    "challenge.denied",
];

/// What a create or update sets (each `None` when not given).
struct WebhookFields<'a> {
    friendly_name: Option<&'a str>,
    event_types: Vec<&'a str>,
    webhook_url: Option<&'a str>,
    status: Option<&'a str>,
    version: Option<&'a str>,
}

fn webhook_fields(form: Fields<'_>) -> Result<WebhookFields<'_>, Refusal> {
    let friendly_name = form.get("FriendlyName");
    if let Some(name) = friendly_name {
        rule(
            "FriendlyName",
            rules::max_chars("name", name, MAX_FRIENDLY_NAME_CHARS),
        )?;
    }
    let event_types = form.all("EventTypes");
    if event_types.iter().any(|e| !EVENTS.contains(e)) {
        return Err(Refusal::invalid("EventTypes"));
    }
    let webhook_url = form.get("WebhookUrl");
    if let Some(url) = webhook_url {
        let web = url.parse::<Uri>().ok().is_some_and(|uri| {
            let scheme = uri.scheme();
            (scheme == Some(&Scheme::HTTPS) || scheme == Some(&Scheme::HTTP))
                && uri.host().is_some_and(|h| !h.is_empty())
        });
        if !web {
            return Err(Refusal::invalid("WebhookUrl"));
        }
    }
    Ok(WebhookFields {
        friendly_name,
        event_types,
        webhook_url,
        status: form.one_of("Status", &["enabled", "disabled"])?,
        version: form.one_of("Version", &["v1", "v2"])?,
    })
}

/// `POST …/Webhooks` with `FriendlyName`, `EventTypes` (repeated), `WebhookUrl`, `Status`
/// (default `enabled`), `Version` (default `v2`): `201`.
pub(crate) fn create(call: &Call<'_>, service: &str) -> Answer {
    let mut store = call.state.store();
    if store.service(service).is_none() {
        return Err(call.not_found());
    }
    let form = call.form;
    let name = form.required("FriendlyName")?;
    if form.all("EventTypes").is_empty() {
        return Err(Refusal::missing("EventTypes"));
    }
    form.required("WebhookUrl")?;
    let fields = webhook_fields(form)?;
    let seq = store.seq();
    let sid = ids::sid("YW");
    let record = WebhookRec {
        url: format!("{}/{sid}", call.url(call.path)),
        sid,
        friendly_name: name.to_owned(),
        event_types: fields.event_types.iter().map(|e| (*e).to_owned()).collect(),
        webhook_url: fields.webhook_url.unwrap_or_default().to_owned(),
        status: fields.status.unwrap_or("enabled").to_owned(),
        version: fields.version.unwrap_or("v2").to_owned(),
        date_created: call.now,
        date_updated: call.now,
    };
    let body = record.json(&call.state.account_sid, service);
    let service = store.service_mut(service).expect("checked above");
    service.webhooks.insert(seq, record);
    created(&body)
}

/// `GET …/Webhooks`: a page, in creation order.
pub(crate) fn list(call: &Call<'_>, service: &str) -> Answer {
    let store = call.state.store();
    let hooks = &store
        .service(service)
        .ok_or_else(|| call.not_found())?
        .webhooks;
    let query = PageQuery::parse(call.query)?;
    let (page, next) = query.cut(hooks.iter().map(|(s, w)| (*s, w)), false);
    let records = page
        .into_iter()
        .map(|w| w.json(&call.state.account_sid, service))
        .collect();
    ok(&paging::answer(
        &call.state.base_url,
        call.path,
        "webhooks",
        &[],
        &query,
        records,
        next,
    ))
}

fn find<'s>(
    hooks: &'s mut std::collections::BTreeMap<u64, WebhookRec>,
    sid: &str,
) -> Option<(u64, &'s mut WebhookRec)> {
    hooks
        .iter_mut()
        .find(|(_, w)| w.sid == sid)
        .map(|(s, w)| (*s, w))
}

/// `GET …/Webhooks/{Sid}`.
pub(crate) fn fetch(call: &Call<'_>, service: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let hooks = &mut store
        .service_mut(service)
        .ok_or_else(|| call.not_found())?
        .webhooks;
    let (_, hook) = find(hooks, sid).ok_or_else(|| call.not_found())?;
    ok(&hook.json(&call.state.account_sid, service))
}

/// `POST …/Webhooks/{Sid}`: changes what is set (an empty body changes nothing): `200`.
pub(crate) fn update(call: &Call<'_>, service: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let hooks = &mut store
        .service_mut(service)
        .ok_or_else(|| call.not_found())?
        .webhooks;
    let (_, hook) = find(hooks, sid).ok_or_else(|| call.not_found())?;
    let fields = webhook_fields(call.form)?;
    if let Some(name) = fields.friendly_name {
        name.clone_into(&mut hook.friendly_name);
    }
    if !fields.event_types.is_empty() {
        hook.event_types = fields.event_types.iter().map(|e| (*e).to_owned()).collect();
    }
    if let Some(url) = fields.webhook_url {
        url.clone_into(&mut hook.webhook_url);
    }
    if let Some(status) = fields.status {
        status.clone_into(&mut hook.status);
    }
    if let Some(version) = fields.version {
        version.clone_into(&mut hook.version);
    }
    hook.date_updated = call.now;
    ok(&hook.json(&call.state.account_sid, service))
}

/// `DELETE …/Webhooks/{Sid}`: `204`.
pub(crate) fn delete(call: &Call<'_>, service: &str, sid: &str) -> Answer {
    let mut store = call.state.store();
    let hooks = &mut store
        .service_mut(service)
        .ok_or_else(|| call.not_found())?
        .webhooks;
    let (seq, _) = find(hooks, sid).ok_or_else(|| call.not_found())?;
    hooks.remove(&seq);
    deleted()
}
