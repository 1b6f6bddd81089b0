//! The owner's pages under `/s/{site}`: sign-in with the owner key, the inbox, a case, the
//! summary, the alert endpoints and the settings, their form actions and the cookie-
//! authenticated exports. Every answer, redirects and errors included, carries the strict
//! headers every page shares ([`crate::html_page`]).
//!
//! Each page view is the session (two KV reads) and one call to the site's desk: the inbox is a
//! query over the desk's index (no KV list, no entry read), the summary its daily rows, the
//! alerts page its endpoints and deliveries. A case reads its one entry from KV. The HTML is
//! `tellus_page`; the words are `tellus_core::i18n::page`.

use crate::App;
use crate::callbacks;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::entries::{self, Action};
use crate::error::{ApiError, ApiResult};
use crate::html_page::{self, check_same_origin, forbidden, read_form};
use crate::http::random_bytes;
use crate::repo;
use crate::session::{self, Opened};
use crate::summary::PERIODS;
use tellus_core::auth::{hash_secret, owner_key_matches};
use tellus_core::callbacks::EventType;
use tellus_core::ids::{is_site_id, owner_key};
use tellus_core::inbox::{CaseParts, EndpointHealth, InboxPage, InboxQuery};
use tellus_core::input::fields::{FieldError, InputError};
use tellus_core::keys::day_of;
use tellus_core::limits::{MAX_BULK_ENTRIES, OWNER_KEY_BYTES};
use tellus_core::owner::{EntryFilter, parse_text_body};
use tellus_core::page_strings::{PageStrings, negotiate};
use tellus_core::session::form_value;
use tellus_core::site::Site;
use tellus_core::summary::Summary;
use tellus_page::alerts::{Created, NewEndpoint};
use tellus_page::settings::SettingsForm;
use tellus_page::{Frame, error_text, login_page, message_page};
use worker::{Method, Request, Response};

/// Routes `/s/…`. Always answers with a page: errors become an HTML message, never JSON.
pub async fn route(req: Request, app: &App, segments: &[&str]) -> ApiResult<Response> {
    let strings = negotiate(&req.headers().get("accept-language")?.unwrap_or_default());
    let method = req.method();
    let site = segments.first().copied().unwrap_or_default();
    let result = match (segments, method) {
        ([_], Method::Get) => view(&req, app, site, strings, View::Inbox).await,
        ([_, "summary"], Method::Get) => view(&req, app, site, strings, View::Summary).await,
        ([_, "alerts"], Method::Get) => view(&req, app, site, strings, View::Alerts).await,
        ([_, "settings"], Method::Get) => view(&req, app, site, strings, View::Settings).await,
        ([_, "entries", id], Method::Get) => view(&req, app, site, strings, View::Case(id)).await,
        ([_, "login"], Method::Post) => login(req, app, site, strings).await,
        ([_, "logout"], Method::Post) => logout(req, app, site).await,
        ([_, "entries", id, action], Method::Post) => act(req, app, site, id, action).await,
        ([_, "inbox", "acknowledge"], Method::Post) => bulk_acknowledge(req, app, site).await,
        ([_, "settings"], Method::Post) => save_settings(req, app, site, strings).await,
        ([_, "owner-key"], Method::Post) => rotate_key(req, app, site, strings).await,
        ([_, "callbacks"], Method::Post) => add_endpoint(req, app, site, strings).await,
        ([_, "callbacks", endpoint, action], Method::Post) => endpoint_action(req, app, site, endpoint, action).await,
        ([_, "callbacks", endpoint, "deliveries", id, "replay"], Method::Post) => {
            replay(req, app, site, endpoint, id).await
        }
        ([_, "export.csv"], Method::Get) => export(&req, app, site, "csv").await,
        ([_, "export.json"], Method::Get) => export(&req, app, site, "json").await,
        ([_, "touchpoints"], Method::Get) => touchpoints(&req, app, site, strings).await,
        // The route table (`tellus_core::http::routes`) answers other paths and methods.
        _ => Err(ApiError::not_found()),
    };
    match result {
        Ok(res) => Ok(res),
        Err(err) => error_page(&err, site, strings),
    }
}

fn see_other(location: &str) -> ApiResult<Response> {
    let mut res = html_page::html(303, String::new())?;
    res.headers_mut().set("location", location)?;
    Ok(res)
}

/// The page for an error: its status, and a human sentence (internal causes are logged, never
/// shown).
pub fn error_page(err: &ApiError, site: &str, strings: &PageStrings) -> ApiResult<Response> {
    if let ApiError::Internal(cause) = err {
        worker::console_error!("owner page: {cause}");
    }
    let problem = err.problem();
    // The owner reads the failure in the page's language, naming the field to fix.
    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    let text = error_text(strings, problem.status, &fields);
    let site = if is_site_id(site) { site } else { "" };
    let mut res = html_page::html(problem.status, message_page(strings, site, &text))?;
    if let ApiError::MethodNotAllowed(allow) = err {
        res.headers_mut().set("allow", allow)?;
    }
    Ok(res)
}

/// The login address of a site.
fn login_url(site: &str) -> String {
    format!("/s/{site}")
}

/// A form of a signed-in owner: the session must be valid (else `Err(redirect to login)`) and
/// the form must carry its CSRF token (else 403).
async fn signed_in_form(
    req: &mut Request,
    app: &App,
    site: &str,
) -> ApiResult<Result<(Opened, Vec<(String, String)>), Response>> {
    check_same_origin(req)?;
    let Some(opened) = session::current(req, app, site).await? else {
        return Ok(Err(see_other(&login_url(site))?));
    };
    let form = read_form(req).await?;
    if !opened.session.csrf_matches(form_value(&form, "csrf")) {
        return Err(forbidden(
            "This form has expired or was not sent from your summary page. Reload the page and try again.",
        ));
    }
    Ok(Ok((opened, form)))
}

/// Unwraps [`signed_in_form`]: the session and form, or the redirect to answer with.
macro_rules! signed_in {
    ($req:expr, $app:expr, $site:expr) => {
        match signed_in_form(&mut $req, $app, $site).await? {
            Ok(signed_in) => signed_in,
            Err(redirect) => return Ok(redirect),
        }
    };
}

/// The inbox view a form or link came from (`from`, a query string), re-read so only the
/// inbox's own parameters go back into an address.
fn inbox_view(from: &str) -> InboxQuery {
    let pairs: Vec<(String, String)> =
        worker::url::form_urlencoded::parse(from.trim_start_matches('?').as_bytes()).into_owned().collect();
    InboxQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).0
}

fn query_pairs(req: &Request) -> ApiResult<Vec<(String, String)>> {
    Ok(req.url()?.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
}

/// The confirmation a `done=` parameter stands for.
fn notice(strings: &'static PageStrings, done: &str) -> Option<&'static str> {
    Some(match done {
        "acknowledged" => strings.done_acknowledged,
        "fixed" => strings.done_fixed,
        "replied" => strings.done_replied,
        "deleted" => strings.done_deleted,
        "replayed" => strings.done_replayed,
        "assigned" => strings.done_assigned,
        "noted" => strings.done_noted,
        "saved" => strings.done_saved,
        "tested" => strings.done_tested,
        "events" => strings.done_events,
        "removed" => strings.done_removed,
        _ => return None,
    })
}

/// The signed-in pages.
enum View<'a> {
    Inbox,
    Summary,
    Alerts,
    Settings,
    Case(&'a str),
}

/// `GET` of a signed-in page; without a valid session, the login form.
async fn view(
    req: &Request,
    app: &App,
    site_id: &str,
    strings: &'static PageStrings,
    view: View<'_>,
) -> ApiResult<Response> {
    if !is_site_id(site_id) {
        return Err(ApiError::not_found());
    }
    let Some(opened) = session::current(req, app, site_id).await? else {
        return html_page::html(200, login_page(strings, site_id, false));
    };
    let pairs = query_pairs(req)?;
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let site = &opened.site;
    let frame = Frame {
        strings,
        site,
        csrf: &opened.session.csrf,
        now_ms: app.now_ms,
        notice: value("done").and_then(|done| notice(strings, done)),
    };
    let page = match view {
        View::Inbox => {
            let (query, ignored) = InboxQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let op = Op::Inbox { site: Box::new(site.clone()), query: Box::new(query.clone()) };
            let inbox: InboxPage = client::must(app, &site.id, op).await?;
            tellus_page::inbox::render(&frame, &query, &inbox, &ignored)
        }
        View::Summary => {
            let days = value("days").and_then(|d| d.parse::<u32>().ok()).filter(|d| PERIODS.contains(d)).unwrap_or(30);
            let summary: Summary =
                client::must(app, &site.id, Op::Summary { site: Box::new(site.clone()), days }).await?;
            // The hosted feedback pages and their QR codes (hosted.rs): one self-contained section.
            let section = crate::hosted::section(app, site, &summary, strings.lang);
            tellus_page::summary::render(&frame, &summary).replacen("</main>", &format!("{section}</main>"), 1)
        }
        View::Alerts => {
            let endpoints: Vec<EndpointHealth> =
                client::must(app, &site.id, Op::Alerts { site: Box::new(site.clone()) }).await?;
            tellus_page::alerts::render(&frame, &endpoints, None, &NewEndpoint::default(), &[])
        }
        View::Settings => tellus_page::settings::render(&frame, &SettingsForm::of(&site.settings), &[]),
        View::Case(id) => {
            let entry = repo::entries::load(&app.store, &site.id, id).await?.ok_or_else(ApiError::not_found)?;
            let op = Op::Case { site: Box::new(site.clone()), entry: entry.id.clone() };
            let parts: CaseParts = client::must(app, &site.id, op).await?;
            tellus_page::case::render(&frame, &entry, &parts, &inbox_view(value("from").unwrap_or("")))
        }
    };
    html_page::html(200, page)
}

/// `POST /s/{site}/login` with `key`: a session and back to the page, or the form again (401).
async fn login(mut req: Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    check_same_origin(&req)?;
    let form = read_form(&mut req).await?;
    let key = form_value(&form, "key").trim();
    let site: Option<Site> = repo::sites::load(&app.store, site_id).await?;
    // Unknown site and wrong key look the same: the form again, 401.
    match site {
        Some(site) if !key.is_empty() && owner_key_matches(key, &site.owner_key_hash) => {
            let cookie = session::open(app, &site).await?;
            let mut res = see_other(&login_url(&site.id))?;
            res.headers_mut().set("set-cookie", &cookie)?;
            Ok(res)
        }
        _ => html_page::html(401, login_page(strings, site_id, true)),
    }
}

/// `POST /s/{site}/logout`: the session is deleted and the cookie cleared.
async fn logout(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let (opened, _) = signed_in!(req, app, site_id);
    let cookie = session::close(app, &opened).await?;
    let mut res = see_other(&login_url(&opened.site.id))?;
    res.headers_mut().set("set-cookie", &cookie)?;
    Ok(res)
}

/// `POST /s/{site}/entries/{id}/{acknowledge|fix|reply|assign|note|delete}`, then back to the
/// case (or, after a delete, to the inbox view it came from).
async fn act(mut req: Request, app: &App, site_id: &str, id: &str, action: &str) -> ApiResult<Response> {
    let action = match action {
        "delete" => None,
        other => Some(Action::parse(other).ok_or_else(ApiError::not_found)?),
    };
    let (opened, form) = signed_in!(req, app, site_id);
    let site = &opened.site;
    let from = inbox_view(form_value(&form, "from")).query_string();
    // The form's text is validated exactly as the API's JSON would be (length, control and
    // bidi-override characters), by building that JSON.
    let json_of = |field: &'static str| -> ApiResult<Vec<u8>> {
        Ok(serde_json::to_vec(&serde_json::json!({ field: form_value(&form, field) }))?)
    };
    let done = match action {
        Some(Action::Acknowledge) => {
            entries::apply(app, site, id, Action::Acknowledge, String::new()).await?;
            "acknowledged"
        }
        Some(Action::Fix) => {
            let note = parse_text_body(&json_of("note")?, "note", false)?;
            entries::apply(app, site, id, Action::Fix, note).await?;
            "fixed"
        }
        Some(action @ (Action::Reply | Action::Note)) => {
            let text = parse_text_body(&json_of("text")?, "text", true)?;
            entries::apply(app, site, id, action, text).await?;
            if matches!(action, Action::Reply) { "replied" } else { "noted" }
        }
        Some(Action::Assign) => {
            let name = entries::parse_assignee(&json_of("assignee")?)?;
            entries::apply(app, site, id, Action::Assign, name).await?;
            "assigned"
        }
        None => {
            if form_value(&form, "confirm") != "yes" {
                return Err(ApiError::fields(vec![FieldError {
                    field: "confirm".into(),
                    message: "must be ticked to erase the entry".into(),
                }]));
            }
            entries::erase(app, site, id).await?;
            let separator = if from.is_empty() { "?" } else { "&" };
            return see_other(&format!("/s/{}{from}{separator}done=deleted", site.id));
        }
    };
    let from = tellus_page::inbox::encode(&from);
    see_other(&format!("/s/{}/entries/{id}?done={done}&from={from}", site.id))
}

/// `POST /s/{site}/inbox/acknowledge` with the ticked `id`s: each open failure among them is
/// acknowledged; back to the same inbox view.
async fn bulk_acknowledge(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let (opened, form) = signed_in!(req, app, site_id);
    let ids: Vec<String> = form.iter().filter(|(k, _)| k == "id").map(|(_, v)| v.clone()).collect();
    if ids.len() > MAX_BULK_ENTRIES {
        return Err(ApiError::fields(vec![FieldError {
            field: "id".into(),
            message: format!("at most {MAX_BULK_ENTRIES} entries can be acknowledged at once"),
        }]));
    }
    entries::acknowledge_many(app, &opened.site, &ids).await?;
    let from = inbox_view(form_value(&form, "from")).query_string();
    let separator = if from.is_empty() { "?" } else { "&" };
    see_other(&format!("/s/{}{from}{separator}done=acknowledged", opened.site.id))
}

/// `POST /s/{site}/settings`: the form is the API's `PATCH`, validated by the same rules; a
/// refusal shows the form again as sent, each message at its field (422).
async fn save_settings(
    mut req: Request,
    app: &App,
    site_id: &str,
    strings: &'static PageStrings,
) -> ApiResult<Response> {
    let (opened, form) = signed_in!(req, app, site_id);
    let mut site = opened.site.clone();
    let sent = SettingsForm::from_pairs(&form);
    let patch = serde_json::to_vec(&sent.patch(&site.settings))?;
    match site.settings.patched(&patch) {
        Ok(settings) => {
            site.settings = settings;
            repo::sites::save(&app.store, &site).await?;
            see_other(&format!("/s/{}/settings?done=saved", site.id))
        }
        Err(InputError::Fields(errors)) => {
            let frame = Frame { strings, site: &site, csrf: &opened.session.csrf, now_ms: app.now_ms, notice: None };
            html_page::html(422, tellus_page::settings::render(&frame, &sent, &errors))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /s/{site}/owner-key` with `confirm=yes`: a new owner key, shown once on the answer;
/// every session (this one too) ends with the old key.
async fn rotate_key(mut req: Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    let (opened, form) = signed_in!(req, app, site_id);
    if form_value(&form, "confirm") != "yes" {
        return Err(ApiError::fields(vec![FieldError {
            field: "confirm".into(),
            message: "must be ticked to replace the owner key".into(),
        }]));
    }
    let mut site = opened.site.clone();
    let key = owner_key(&random_bytes::<OWNER_KEY_BYTES>()?);
    site.owner_key_hash = hash_secret(&key);
    repo::sites::save(&app.store, &site).await?;
    let cookie = session::close(app, &opened).await?;
    let mut res = html_page::html(200, tellus_page::settings::new_key_page(strings, &site.id, &key))?;
    res.headers_mut().set("set-cookie", &cookie)?;
    Ok(res)
}

/// `POST /s/{site}/callbacks`: registers an endpoint from the form (validated by core exactly
/// as the API's JSON); the answer is the alerts page with its secret shown once, or the form
/// again with core's messages (422).
async fn add_endpoint(
    mut req: Request,
    app: &App,
    site_id: &str,
    strings: &'static PageStrings,
) -> ApiResult<Response> {
    let url = req.url()?;
    let (opened, form) = signed_in!(req, app, site_id);
    let site = &opened.site;
    let field = |name: &str| form_value(&form, name).trim().to_owned();
    let draft = NewEndpoint {
        format: field("format"),
        url: field("url"),
        email: field("email"),
        chat_id: field("chat_id"),
        lang: field("lang"),
        description: field("description"),
        events: form.iter().filter(|(k, _)| k == "events").filter_map(|(_, v)| EventType::parse(v)).collect(),
    };
    // The form shows every format's fields (it has no script to hide them); what the owner
    // filled in is sent as it is, so a field the chosen format does not use is refused by
    // name rather than dropped.
    let mut body = serde_json::json!({
        "format": draft.format,
        "events": form.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
    });
    for name in ["url", "email", "bot_token", "chat_id", "lang", "description"] {
        let value = field(name);
        if !value.is_empty() {
            body[name] = serde_json::Value::String(value);
        }
    }
    let frame = Frame { strings, site, csrf: &opened.session.csrf, now_ms: app.now_ms, notice: None };
    match callbacks::api::register(app, site, &url, &serde_json::to_vec(&body)?).await {
        Ok(answer) => {
            let endpoints: Vec<EndpointHealth> =
                client::must(app, &site.id, Op::Alerts { site: Box::new(site.clone()) }).await?;
            let created = Created {
                endpoint: answer["id"].as_str().unwrap_or_default(),
                secret: answer["secret"].as_str().unwrap_or_default(),
            };
            html_page::html(
                200,
                tellus_page::alerts::render(&frame, &endpoints, Some(created), &NewEndpoint::default(), &[]),
            )
        }
        Err(ApiError::Client(problem)) if !problem.errors.is_empty() => {
            let endpoints: Vec<EndpointHealth> =
                client::must(app, &site.id, Op::Alerts { site: Box::new(site.clone()) }).await?;
            html_page::html(422, tellus_page::alerts::render(&frame, &endpoints, None, &draft, &problem.errors))
        }
        Err(err) => Err(err),
    }
}

/// `POST /s/{site}/callbacks/{endpoint}/{test|events|delete}`, then back to the endpoint.
async fn endpoint_action(
    mut req: Request,
    app: &App,
    site_id: &str,
    endpoint: &str,
    action: &str,
) -> ApiResult<Response> {
    if !matches!(action, "test" | "events" | "delete") {
        return Err(ApiError::not_found());
    }
    let (opened, form) = signed_in!(req, app, site_id);
    let site = &opened.site;
    let done = match action {
        "test" => {
            callbacks::api::test_of(app, site, endpoint).await?;
            "tested"
        }
        "events" => {
            let mut events = Vec::new();
            for (_, value) in form.iter().filter(|(k, _)| k == "events") {
                let event = EventType::parse(value).ok_or_else(|| {
                    ApiError::fields(vec![FieldError {
                        field: "events".into(),
                        message: "is not an event type".into(),
                    }])
                })?;
                if !events.contains(&event) {
                    events.push(event);
                }
            }
            callbacks::api::set_events_of(app, site, endpoint, events).await?;
            "events"
        }
        _ => {
            if form_value(&form, "confirm") != "yes" {
                return Err(ApiError::fields(vec![FieldError {
                    field: "confirm".into(),
                    message: "must be ticked to remove the endpoint".into(),
                }]));
            }
            callbacks::api::remove_of(app, site, endpoint).await?;
            return see_other(&format!("/s/{}/alerts?done=removed", site.id));
        }
    };
    see_other(&format!("/s/{}/alerts?done={done}#ep-{endpoint}", site.id))
}

/// `POST /s/{site}/callbacks/{endpoint}/deliveries/{id}/replay`.
async fn replay(mut req: Request, app: &App, site_id: &str, endpoint: &str, id: &str) -> ApiResult<Response> {
    let (opened, _) = signed_in!(req, app, site_id);
    callbacks::api::replay_of(app, &opened.site, endpoint, id).await?;
    see_other(&format!("/s/{}/alerts?done=replayed#ep-{endpoint}", opened.site.id))
}

/// `GET /s/{site}/export.{csv|json}?days=&cursor=`: the period's entries, with the session
/// cookie instead of the bearer key (so a plain link downloads them).
async fn export(req: &Request, app: &App, site_id: &str, format: &str) -> ApiResult<Response> {
    let Some(opened) = session::current(req, app, site_id).await? else {
        return see_other(&login_url(site_id));
    };
    let url = req.url()?;
    let query = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let days = query("days").and_then(|d| d.parse::<u32>().ok()).filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let filter = EntryFilter {
        from_day: Some(day_of(app.now_ms).saturating_sub(u64::from(days) - 1)),
        limit: entries::EXPORT_PAGE_MAX,
        cursor: query("cursor").filter(|c| !c.is_empty() && c.len() <= 1_000),
        ..EntryFilter::default()
    };
    html_page::secured(entries::export_of(app, &opened.site, &filter, format, &url).await?)
}

/// `GET /s/{site}/touchpoints?touchpoint=`: one touchpoint's printable QR code (see hosted.rs).
async fn touchpoints(req: &Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    let Some(opened) = session::current(req, app, site_id).await? else {
        return see_other(&login_url(site_id));
    };
    crate::hosted::printable(req, app, &opened.site, strings.lang)
}
