//! The hosted receipt page `/r/{site}.{entry}.{token}` (reached from the customer's follow-up
//! email) and its unsubscribe page. HTML under the owner pages' headers (`html_page::secured`: no
//! script, our stylesheet only, never framed, no referrer), working without JavaScript.
//!
//! - `GET /r/{receipt}[?rating=N]`: the status, the owner's reply and, once fixed, the re-rating
//!   form with `N` preselected. A GET never changes anything: mail scanners follow links.
//! - `POST /r/{receipt}` with `rating=N`: the customer's confirmation, stored through the same
//!   path as the API's re-rating (`receipts::rerate_entry`); then back to the page (303). A
//!   second confirmation stores nothing and shows the rating already given (409).
//! - `GET /r/{receipt}/unsubscribe`: the question and a button; `POST` (the button, or a mail
//!   client's RFC 8058 one-click `List-Unsubscribe=One-Click`) stops further emails about that
//!   entry at the site's desk.
//!
//! A segment that is not a receipt, an unknown site or entry, and a wrong token all answer the
//! same 404 page, which names nothing of any entry. A storage failure is a logged 500 page.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::Op;
use crate::error::{ApiError, ApiResult};
use crate::html_page::{check_same_origin, read_form, secured};
use crate::receipts;
use tellus_core::entry::Entry;
use tellus_core::followup::pages::{self, Notice, ReceiptPage};
use tellus_core::followup::parse_receipt;
use tellus_core::i18n::Lang;
use tellus_core::page_strings::negotiate;
use tellus_core::session::form_value;
use tellus_core::site::Site;
use worker::{Method, Request, Response};

/// Routes `/r/…`: always a page, whatever happened.
pub async fn route(req: Request, app: &App, segments: &[&str]) -> ApiResult<Response> {
    let reader = negotiate(&req.headers().get("accept-language")?.unwrap_or_default()).lang;
    let method = req.method();
    let result = match (segments, method) {
        ([segment], Method::Get) => show(&req, app, segment).await,
        ([segment], Method::Post) => confirm(req, app, segment).await,
        ([segment, "unsubscribe"], Method::Get) => unsubscribe(app, segment, false).await,
        ([segment, "unsubscribe"], Method::Post) => unsubscribe(app, segment, true).await,
        ([_], _) | ([_, "unsubscribe"], _) => {
            let mut res = html(405, pages::gone_page(reader))?;
            res.headers_mut().set("allow", "GET, POST")?;
            Ok(Some(res))
        }
        _ => Ok(None),
    };
    let res = match result {
        Ok(Some(res)) => res,
        Ok(None) => html(404, pages::gone_page(reader))?,
        Err(ApiError::Internal(cause)) => {
            worker::console_error!("receipt page: {cause}");
            html(500, pages::trouble_page(reader))?
        }
        Err(ApiError::RateLimited(secs)) => {
            let mut res = html(429, pages::trouble_page(reader))?;
            res.headers_mut().set("retry-after", &secs.to_string())?;
            res
        }
        Err(err) => {
            let status = err.problem().status;
            html(status, pages::gone_page(reader))?
        }
    };
    secured(res)
}

fn html(status: u16, body: String) -> ApiResult<Response> {
    Ok(Response::from_html(body)?.with_status(status))
}

/// The site and entry a receipt segment opens, if it is one and its token is right.
async fn opened(app: &App, segment: &str) -> ApiResult<Option<(Site, Entry)>> {
    let Some((site, entry, token)) = parse_receipt(segment) else { return Ok(None) };
    receipts::customer_entry(app, site, entry, token).await
}

fn query(req: &Request, key: &str) -> ApiResult<Option<String>> {
    Ok(req.url()?.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()))
}

/// A rating of the entry's scale, from a link's query or the form.
fn rating_of(entry: &Entry, text: &str) -> Option<u8> {
    text.trim().parse::<u8>().ok().filter(|r| (entry.scale.min()..=entry.scale.max()).contains(r))
}

fn page(
    status: u16,
    site: &Site,
    entry: &Entry,
    segment: &str,
    chosen: Option<u8>,
    notice: Option<Notice>,
) -> ApiResult<Response> {
    let body = pages::receipt_page(&ReceiptPage { site_name: &site.settings.name, entry, segment, chosen, notice });
    html(status, body)
}

/// `GET /r/{receipt}[?rating=N][&done=rerated]`.
async fn show(req: &Request, app: &App, segment: &str) -> ApiResult<Option<Response>> {
    let Some((site, entry)) = opened(app, segment).await? else { return Ok(None) };
    let chosen = query(req, "rating")?.and_then(|r| rating_of(&entry, &r));
    let notice = (query(req, "done")?.as_deref() == Some("rerated")).then_some(Notice::Rerated);
    page(200, &site, &entry, segment, chosen, notice).map(Some)
}

/// `POST /r/{receipt}` with `rating=N`: the confirmation that stores the re-rating.
async fn confirm(mut req: Request, app: &App, segment: &str) -> ApiResult<Option<Response>> {
    check_same_origin(&req)?;
    let Some((site, entry)) = opened(app, segment).await? else { return Ok(None) };
    crate::limits::check(&req, app, &site.id).await?;
    let form = read_form(&mut req).await?;
    let Some(rating) = rating_of(&entry, form_value(&form, "rating")) else {
        return page(422, &site, &entry, segment, None, Some(Notice::ChooseRating)).map(Some);
    };
    match receipts::rerate_entry(app, &site, entry.clone(), rating).await {
        Ok(_) => {
            let mut res = Response::empty()?.with_status(303);
            res.headers_mut().set("location", &format!("/r/{segment}?done=rerated"))?;
            Ok(Some(res))
        }
        // Rated already (the same link confirmed twice), or not fixed yet: nothing is stored,
        // and the page shows where the entry stands.
        Err(ApiError::Client(problem)) if problem.status == 409 => {
            page(409, &site, &entry, segment, None, None).map(Some)
        }
        Err(err) => Err(err),
    }
}

/// `GET|POST /r/{receipt}/unsubscribe`: the question, or (POST) the stop and its confirmation.
async fn unsubscribe(app: &App, segment: &str, stop: bool) -> ApiResult<Option<Response>> {
    let Some((site, entry)) = opened(app, segment).await? else { return Ok(None) };
    if stop {
        let expires_ms = entry.expires_at_secs(site.settings.retention_days).saturating_mul(1000);
        client::call::<()>(app, &site.id, Op::StopMail { entry: entry.id.clone(), expires_ms }).await?;
    }
    html(200, pages::unsubscribe_page(&site.settings.name, &entry, segment, stop)).map(Some)
}

/// The language the hosted pages speak to a reader without an entry: `?lang=` if we have it,
/// else the browser's `Accept-Language`, else English.
pub fn reader_lang(req: &Request) -> ApiResult<Lang> {
    if let Some(lang) = query(req, "lang")?.as_deref().and_then(Lang::from_tag) {
        return Ok(lang);
    }
    Ok(negotiate(&req.headers().get("accept-language")?.unwrap_or_default()).lang)
}

/// The answer to a request for a `/r/…` address no route takes (404, or 405 with its `Allow`):
/// the same page that names nothing, in the reader's language.
pub fn refused(req: &Request, err: &ApiError) -> ApiResult<Response> {
    let reader = negotiate(&req.headers().get("accept-language")?.unwrap_or_default()).lang;
    let status = err.problem().status;
    let mut res = html(status, pages::gone_page(reader))?;
    if let ApiError::MethodNotAllowed(allow) = err {
        res.headers_mut().set("allow", allow)?;
    }
    secured(res)
}
