//! The owner's callback API: register, list, remove and rotate endpoints; read an endpoint's
//! delivery log and one delivery; replay a failed one. Validation is core's; the endpoints and
//! their log live at the site's desk.

use crate::App;
use crate::desk::client;
use crate::desk::protocol::{DeliveriesPage, Op};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, random_bytes, read_json_body};
use crate::sites;
use serde_json::{Value, json};
use tellus_core::callbacks::{
    DeliveryDetail, ENDPOINT_ID_BYTES, Endpoint, EndpointInput, SECRET_BYTES, UrlRules, endpoint_id, is_endpoint_id,
    iso8601, new_secret,
};
use tellus_core::problem::ProblemKind;
use tellus_core::site::Site;
use tellus_core::validation::FieldError;
use worker::{Request, Response};

fn unknown_endpoint() -> ApiError {
    ApiError::client(ProblemKind::NotFound, "There is no callback endpoint with this id on this site.")
}

fn unknown_delivery() -> ApiError {
    ApiError::client(ProblemKind::NotFound, "There is no delivery with this id for this endpoint.")
}

/// `POST /v1/sites/{site}/callbacks`: registers an endpoint and shows its secret once (only a
/// signed format has one to show: chat platforms and email cannot verify a signature).
pub async fn create(mut req: Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(&req, app, site_id).await?;
    let url = req.url()?;
    let body = read_json_body(&mut req).await?;
    json(201, &register(app, &site, &url, &body).await?)
}

/// The site's endpoints (secrets included; callers show views only).
pub async fn endpoints_of(app: &App, site: &Site) -> ApiResult<Vec<Endpoint>> {
    client::must(app, &site.id, Op::Endpoints).await
}

/// `GET /v1/sites/{site}/callbacks`.
pub async fn list(req: &Request, app: &App, site_id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let endpoints = endpoints_of(app, &site).await?;
    json(200, &json!({ "endpoints": endpoints.iter().map(Endpoint::view).collect::<Vec<_>>() }))
}

/// `DELETE /v1/sites/{site}/callbacks/{endpoint}`: pending deliveries to it are cancelled at
/// once; its delivery log expires on its own.
pub async fn delete(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    remove_of(app, &site, endpoint).await?;
    Ok(Response::builder().with_status(204).empty())
}

/// `POST /v1/sites/{site}/callbacks/{endpoint}/secret`: a new secret, shown once; the old one
/// keeps signing (as a second signature) for 24 hours.
pub async fn rotate_secret(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let endpoints = endpoints_of(app, &site).await?;
    let found = endpoints.iter().find(|e| e.id == endpoint).ok_or_else(unknown_endpoint)?;
    if !found.format.is_signed() {
        return Err(ApiError::client(
            ProblemKind::Conflict,
            format!("A {} endpoint is not signed, so it has no secret to rotate.", found.format.as_str()),
        ));
    }
    let secret = new_secret(&random_bytes::<SECRET_BYTES>()?);
    let op = Op::RotateSecret { id: endpoint.to_owned(), secret: secret.clone() };
    let rotated: Endpoint = client::call(app, &site.id, op).await?.ok_or_else(unknown_endpoint)?;
    json(
        200,
        &json!({
            "id": rotated.id,
            "secret": secret,
            "previous_secret_valid_until": rotated.previous_secret_until_ms.map(iso8601),
        }),
    )
}

/// `POST /v1/sites/{site}/callbacks/{endpoint}/test`: sends a sample failure to the endpoint
/// now, through the same path, format and signing as any delivery, records it in the
/// endpoint's log, and answers the attempt (tried once; a failed test is not retried).
pub async fn test(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    json(200, &test_of(app, &site, endpoint).await?)
}

/// Sends a test alert for a site whose owner is already authenticated (the API and the page
/// share it), in the endpoint's language.
pub async fn test_of(app: &App, site: &Site, endpoint: &str) -> ApiResult<DeliveryDetail> {
    if !is_endpoint_id(endpoint) {
        return Err(unknown_endpoint());
    }
    let sample_id = tellus_core::ids::entry_id(app.now_ms, random_bytes::<10>()?);
    let op = Op::TestEndpoint { site: Box::new(site.clone()), endpoint: endpoint.to_owned(), sample_id };
    client::call(app, &site.id, op).await?.ok_or_else(unknown_endpoint)
}

/// Changes which events an endpoint gets (the page's checkboxes; at least one).
pub async fn set_events_of(
    app: &App,
    site: &Site,
    endpoint: &str,
    events: Vec<tellus_core::callbacks::EventType>,
) -> ApiResult<Endpoint> {
    if !is_endpoint_id(endpoint) {
        return Err(unknown_endpoint());
    }
    if events.is_empty() {
        return Err(ApiError::fields(vec![field_error("events", "must list at least one event type")]));
    }
    client::call(app, &site.id, Op::SetEvents { id: endpoint.to_owned(), events }).await?.ok_or_else(unknown_endpoint)
}

/// Registers an endpoint from a validated body for an authenticated owner; answers its view
/// with the secret (shown once). `url` is the request's address: its origin goes into links.
pub async fn register(app: &App, site: &Site, url: &worker::Url, body: &[u8]) -> ApiResult<Value> {
    let own_host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::new(),
    };
    let origin = url.origin().ascii_serialization();
    let rules = UrlRules { allow_loopback: app.config.loopback_callbacks, own_host: &own_host };
    let input = EndpointInput::parse(body, &rules)?;
    let secret = new_secret(&random_bytes::<SECRET_BYTES>()?);
    let endpoint =
        Endpoint::new(endpoint_id(&random_bytes::<ENDPOINT_ID_BYTES>()?), input, secret.clone(), origin, app.now_ms);
    let mut answer = serde_json::to_value(endpoint.view())?;
    // Only a signed format has a secret to show: chat platforms and email cannot verify one.
    if let Some(map) = answer.as_object_mut()
        && endpoint.format.is_signed()
    {
        map.insert("secret".into(), Value::String(secret));
    }
    let op = Op::AddEndpoint { site: Box::new(site.clone()), endpoint: Box::new(endpoint) };
    client::must::<()>(app, &site.id, op).await?;
    Ok(answer)
}

/// Removes an endpoint of an authenticated owner.
pub async fn remove_of(app: &App, site: &Site, endpoint: &str) -> ApiResult<()> {
    client::call::<()>(app, &site.id, Op::RemoveEndpoint { id: endpoint.to_owned() })
        .await?
        .ok_or_else(unknown_endpoint)
}

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError { field: field.into(), message: message.into() }
}

/// `GET /v1/sites/{site}/callbacks/{endpoint}/deliveries?limit=&cursor=`: newest first.
pub async fn deliveries(req: &Request, app: &App, site_id: &str, endpoint: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    if !is_endpoint_id(endpoint) {
        return Err(unknown_endpoint());
    }
    let url = req.url()?;
    let mut limit = 50u32;
    let mut cursor = None;
    let mut errors = Vec::new();
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "limit" => match value.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => errors.push(field_error("limit", "must be a whole number between 1 and 100")),
            },
            "cursor" if value.is_empty() || value.len() > 100 => {
                errors.push(field_error("cursor", "is not a cursor from a previous page"))
            }
            "cursor" => cursor = Some(value.into_owned()),
            other => errors.push(field_error(other, "is not a known parameter")),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::fields(errors));
    }
    let op = Op::Deliveries { endpoint: endpoint.to_owned(), cursor, limit };
    let page: DeliveriesPage = client::call(app, &site.id, op)
        .await?
        .ok_or_else(|| ApiError::fields(vec![field_error("cursor", "is not a cursor from a previous page")]))?;
    json(200, &page)
}

/// `GET /v1/sites/{site}/callbacks/{endpoint}/deliveries/{id}`: one delivery with every attempt.
pub async fn delivery(req: &Request, app: &App, site_id: &str, endpoint: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    let op = Op::Delivery { endpoint: endpoint.to_owned(), id: id.to_owned() };
    let detail: DeliveryDetail = client::call(app, &site.id, op).await?.ok_or_else(unknown_delivery)?;
    json(200, &detail)
}

/// `POST /v1/sites/{site}/callbacks/{endpoint}/deliveries/{id}/replay`: sends a failed delivery
/// again now, with the same `webhook-id` and body, and answers with the attempt's outcome. A
/// successful replay re-activates a disabled or failing endpoint.
pub async fn replay(req: &Request, app: &App, site_id: &str, endpoint_id: &str, id: &str) -> ApiResult<Response> {
    let site = sites::authorize_owner(req, app, site_id).await?;
    json(200, &replay_of(app, &site, endpoint_id, id).await?)
}

/// Replays a failed delivery of a site whose owner is already authenticated (the API and the
/// summary page share it).
pub async fn replay_of(app: &App, site: &Site, endpoint_id: &str, id: &str) -> ApiResult<DeliveryDetail> {
    let op = Op::Replay { site: Box::new(site.clone()), endpoint: endpoint_id.to_owned(), id: id.to_owned() };
    client::call(app, &site.id, op).await?.ok_or_else(unknown_delivery)
}
