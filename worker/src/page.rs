//! The owner's summary page at `/s/{site}`: login with the owner key, the server-rendered page,
//! its form actions (acknowledge, fix, reply, delete, replay a callback) and cookie-authenticated
//! exports. Every answer, redirects and errors included, carries the strict owner-page headers.
//!
//! The page reads, in one call to the site's desk: the summary (one row per day), the most
//! urgent unfixed failures (the desk's index holds their snapshots) and each endpoint's health;
//! from KV, one filtered page of the period's praise. Never a scan of all entries. The HTML
//! itself is `tellus_core::owner_page`.

use crate::App;
use crate::callbacks;
use crate::desk::client;
use crate::desk::protocol::{Op, PageParts};
use crate::entries::{self, Action};
use crate::error::{ApiError, ApiResult};
use crate::html_page;
use crate::repo;
use crate::session::{self, Opened};
use crate::summary::PERIODS;
use tellus_core::auth::owner_key_matches;
use tellus_core::entry::Entry;
use tellus_core::ids::is_site_id;
use tellus_core::keys::day_of;
use tellus_core::owner::{EntryFilter, parse_text_body};
use tellus_core::owner_page::{self, PageData};
use tellus_core::page_strings::{PageStrings, negotiate};
use tellus_core::problem::ProblemKind;
use tellus_core::session::form_value;
use tellus_core::site::Site;
use worker::{Method, Request, Response};

/// Praise entries listed on the page (the newest of the period).
const PRAISE_SHOWN: usize = 20;

/// Routes `/s/…`. Always answers with a page: errors become an HTML message, never JSON.
pub async fn route(req: Request, app: &App, segments: &[&str]) -> ApiResult<Response> {
    let strings = negotiate(&req.headers().get("accept-language")?.unwrap_or_default());
    let method = req.method();
    let site = segments.first().copied().unwrap_or_default();
    let result = match (segments, method) {
        ([_], Method::Get) => show(&req, app, site, strings).await,
        ([_, "login"], Method::Post) => login(req, app, site, strings).await,
        ([_, "logout"], Method::Post) => logout(req, app, site).await,
        ([_, "entries", id, action], Method::Post) => act(req, app, site, id, action).await,
        ([_, "callbacks", endpoint, "deliveries", id, "replay"], Method::Post) => {
            replay(req, app, site, endpoint, id).await
        }
        ([_, "export.csv"], Method::Get) => export(&req, app, site, "csv").await,
        ([_, "export.json"], Method::Get) => export(&req, app, site, "json").await,
        ([_, "touchpoints"], Method::Get) => touchpoints(&req, app, site, strings).await,
        // The route table (`tellus_core::http::routes`) answers other paths and methods.
        _ => Err(ApiError::not_found()),
    };
    let res = match result {
        Ok(res) => res,
        Err(err) => error_page(&err, site, strings)?,
    };
    html_page::secured(res)
}

fn html(status: u16, body: String) -> ApiResult<Response> {
    Ok(Response::from_html(body)?.with_status(status))
}

fn see_other(location: &str) -> ApiResult<Response> {
    let mut res = Response::empty()?.with_status(303);
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
    let text = owner_page::error_text(strings, problem.status, &fields);
    let site = if is_site_id(site) { site } else { "" };
    let mut res = html(problem.status, owner_page::message_page(strings, site, &text))?;
    if let ApiError::MethodNotAllowed(allow) = err {
        res.headers_mut().set("allow", allow)?;
    }
    Ok(res)
}

/// The login address of a site.
fn login_url(site: &str) -> String {
    format!("/s/{site}")
}

fn forbidden(detail: &str) -> ApiError {
    // 403 with its own wording: the session is fine, the form is not one we served.
    let mut problem = tellus_core::problem::Problem::new(ProblemKind::OriginNotAllowed, detail);
    problem.title = "Forbidden";
    ApiError::Client(problem)
}

/// Refuses a form another website made the browser send (belt and braces next to
/// `SameSite=Strict` and the CSRF token). Browsers say where a request comes from in
/// `Sec-Fetch-Site`; under `Referrer-Policy: no-referrer` their `Origin` on a form POST is
/// `null`, so only a real, different origin counts against it.
pub(crate) fn check_same_origin(req: &Request) -> ApiResult<()> {
    let url = req.url()?;
    let own = url.origin().ascii_serialization();
    let cross_site = matches!(req.headers().get("sec-fetch-site")?.as_deref(), Some("cross-site" | "same-site"));
    let foreign_origin = req.headers().get("origin")?.is_some_and(|origin| origin != "null" && origin != own);
    if cross_site || foreign_origin {
        return Err(forbidden("This form was sent from another website."));
    }
    Ok(())
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
    let form = html_page::read_form(req).await?;
    if !opened.session.csrf_matches(form_value(&form, "csrf")) {
        return Err(forbidden(
            "This form has expired or was not sent from your summary page. Reload the page and try again.",
        ));
    }
    Ok(Ok((opened, form)))
}

fn period_of_form(form: &[(String, String)]) -> u32 {
    form_value(form, "days").parse::<u32>().ok().filter(|d| PERIODS.contains(d)).unwrap_or(30)
}

/// `GET /s/{site}?days=`: the page with a valid session, else the login form.
async fn show(req: &Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    if !is_site_id(site_id) {
        return Err(ApiError::not_found());
    }
    let Some(opened) = session::current(req, app, site_id).await? else {
        return html(200, owner_page::login_page(strings, site_id, false));
    };
    let url = req.url()?;
    let query = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let days = query("days").and_then(|d| d.parse::<u32>().ok()).filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let notice = match query("done").as_deref() {
        Some("acknowledged") => Some(strings.done_acknowledged),
        Some("fixed") => Some(strings.done_fixed),
        Some("replied") => Some(strings.done_replied),
        Some("deleted") => Some(strings.done_deleted),
        Some("replayed") => Some(strings.done_replayed),
        _ => None,
    };
    let site = &opened.site;
    let parts: PageParts = client::must(app, &site.id, Op::Page { site: Box::new(site.clone()), days }).await?;
    let praise = praise_of_period(app, site, days).await?;
    let page = owner_page::render(&PageData {
        strings,
        site,
        summary: &parts.summary,
        failures: &parts.failures,
        more_failures: parts.more_failures,
        praise: &praise,
        endpoints: &parts.endpoints,
        entry_deliveries: &parts.entry_deliveries,
        csrf: &opened.session.csrf,
        now_ms: app.now_ms,
        notice,
    });
    // The feedback pages and QR codes (hosted.rs): one self-contained section, placed last.
    let section = crate::hosted::section(app, site, &parts.summary, strings.lang);
    let page = page.replacen("</main>", &format!("{section}</main>"), 1);
    html(200, page)
}

/// `GET /s/{site}/touchpoints?touchpoint=`: one touchpoint's printable QR code (see hosted.rs).
async fn touchpoints(req: &Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    let Some(opened) = session::current(req, app, site_id).await? else {
        return see_other(&login_url(site_id));
    };
    crate::hosted::printable(req, app, &opened.site, strings.lang)
}

/// The newest praise of the period: one filtered page of the entries list.
async fn praise_of_period(app: &App, site: &Site, days: u32) -> ApiResult<Vec<Entry>> {
    let today = day_of(app.now_ms);
    let filter = EntryFilter {
        kind: Some('p'),
        from_day: Some(today.saturating_sub(u64::from(days) - 1)),
        limit: 100,
        ..EntryFilter::default()
    };
    let (names, _) = entries::matching_keys(app, site, &filter).await?;
    let names: Vec<String> = names.into_iter().take(PRAISE_SHOWN).collect();
    repo::entries::read_many(&app.store, &names).await
}

/// `POST /s/{site}/login` with `key`: a session and back to the page, or the form again (401).
async fn login(mut req: Request, app: &App, site_id: &str, strings: &'static PageStrings) -> ApiResult<Response> {
    check_same_origin(&req)?;
    let form = html_page::read_form(&mut req).await?;
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
        _ => html(401, owner_page::login_page(strings, site_id, true)),
    }
}

/// `POST /s/{site}/logout`: the session is deleted and the cookie cleared.
async fn logout(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let (opened, _) = match signed_in_form(&mut req, app, site_id).await? {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let cookie = session::close(app, &opened).await?;
    let mut res = see_other(&login_url(&opened.site.id))?;
    res.headers_mut().set("set-cookie", &cookie)?;
    Ok(res)
}

/// `POST /s/{site}/entries/{id}/{acknowledge|fix|reply|delete}`, then back to the entry.
async fn act(mut req: Request, app: &App, site_id: &str, id: &str, action: &str) -> ApiResult<Response> {
    if !matches!(action, "acknowledge" | "fix" | "reply" | "delete") {
        return Err(ApiError::not_found());
    }
    let (opened, form) = match signed_in_form(&mut req, app, site_id).await? {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    let site = &opened.site;
    let days = period_of_form(&form);
    // The form's text is validated exactly as the API's JSON would be (length, control and
    // bidi-override characters), by building that JSON.
    let text_of = |field: &'static str, required: bool| -> ApiResult<String> {
        let body = serde_json::to_vec(&serde_json::json!({ field: form_value(&form, field) }))?;
        Ok(parse_text_body(&body, field, required)?)
    };
    let (done, anchor) = match action {
        "acknowledge" => {
            entries::apply(app, site, id, Action::Acknowledge, String::new()).await?;
            ("acknowledged", format!("#entry-{id}"))
        }
        "fix" => {
            let note = text_of("note", false)?;
            entries::apply(app, site, id, Action::Fix, note).await?;
            ("fixed", "#h-to-fix".to_owned())
        }
        "reply" => {
            let text = text_of("text", true)?;
            entries::apply(app, site, id, Action::Reply, text).await?;
            ("replied", format!("#entry-{id}"))
        }
        _ => {
            if form_value(&form, "confirm") != "yes" {
                return Err(ApiError::fields(vec![tellus_core::validation::FieldError {
                    field: "confirm".into(),
                    message: "must be ticked to erase the entry".into(),
                }]));
            }
            entries::erase(app, site, id).await?;
            ("deleted", "#h-to-fix".to_owned())
        }
    };
    see_other(&format!("/s/{}?days={days}&done={done}{anchor}", site.id))
}

/// `POST /s/{site}/callbacks/{endpoint}/deliveries/{id}/replay`.
async fn replay(mut req: Request, app: &App, site_id: &str, endpoint: &str, id: &str) -> ApiResult<Response> {
    let (opened, form) = match signed_in_form(&mut req, app, site_id).await? {
        Ok(signed_in) => signed_in,
        Err(redirect) => return Ok(redirect),
    };
    callbacks::api::replay_of(app, &opened.site, endpoint, id).await?;
    let days = period_of_form(&form);
    see_other(&format!("/s/{}?days={days}&done=replayed#h-callbacks", opened.site.id))
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
    entries::export_of(app, &opened.site, &filter, format, &url).await
}
