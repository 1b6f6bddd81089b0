//! The alert endpoints (`/s/{site}/alerts`): each endpoint's health and newest deliveries (a
//! failed one can be sent again), "send a test alert", which events it gets, removing it, and
//! adding one of any format core knows ([`Format::ALL`], so a format added there is offered
//! here). A new endpoint's signing secret is shown once, on the page that answers its creation.

use crate::words::{delivery_state, endpoint_status, when_text};
use crate::{Frame, Section, owner_document};
use maud::{Markup, html};
use tellus_core::callbacks::words::LANGS as ALERT_LANGS;
use tellus_core::callbacks::{DeliveryState, EventType, Format};
use tellus_core::inbox::EndpointHealth;
use tellus_core::input::fields::FieldError;
use tellus_core::page_strings::PageStrings;

/// What the add form was sent with, to show it again when it was refused.
#[derive(Debug, Clone, Default)]
pub struct NewEndpoint {
    pub format: String,
    pub url: String,
    /// Email endpoints: the owner's address.
    pub email: String,
    /// Telegram endpoints: the chat. (The bot token is a secret and is never drawn back into a
    /// refused form: the owner pastes it again.)
    pub chat_id: String,
    /// The alerts' language; empty is the default (English).
    pub lang: String,
    pub description: String,
    pub events: Vec<EventType>,
}

/// A just-created endpoint's id and secret (shown once).
pub struct Created<'a> {
    pub endpoint: &'a str,
    pub secret: &'a str,
}

/// The alerts page. `errors` are the add form's refusals (core's words, as the API gives them).
pub fn render(
    frame: &Frame<'_>,
    endpoints: &[EndpointHealth],
    created: Option<Created<'_>>,
    draft: &NewEndpoint,
    errors: &[FieldError],
) -> String {
    let s = frame.strings;
    let main = html! {
        p class="hint" { (s.alerts_intro) }
        @if let Some(created) = created {
            div class="secret" role="status" data-secret=(created.endpoint) {
                p { (s.secret_once) }
                p { code { (created.secret) } }
            }
        }
        @if endpoints.is_empty() {
            p class="empty" { (s.no_endpoints) }
        }
        @for health in endpoints { (endpoint(frame, health)) }
        (add_form(frame, draft, errors))
    };
    owner_document(frame, Section::Alerts, s.alerts_title, main)
}

fn event_boxes(s: &PageStrings, id_prefix: &str, chosen: &[EventType]) -> Markup {
    html! {
        fieldset class="events" {
            legend { (s.events_label) }
            @for (i, event) in EventType::ALL.into_iter().enumerate() {
                span class="choice" {
                    input type="checkbox" name="events" value=(event.as_str()) id=(format!("{id_prefix}-{i}"))
                        checked[chosen.contains(&event)];
                    label for=(format!("{id_prefix}-{i}")) { (s.event_names[i]) " " code { (event.as_str()) } }
                }
            }
        }
    }
}

fn endpoint(frame: &Frame<'_>, health: &EndpointHealth) -> Markup {
    let s = frame.strings;
    let view = &health.view;
    let id = &view.id;
    html! {
        section class="endpoint" id=(format!("ep-{id}")) data-endpoint=(id) aria-labelledby=(format!("h-{id}")) {
            h2 id=(format!("h-{id}")) {
                span class="url" { (view.url) }
                " " span class={ "badge " (view.status.as_str()) } data-field="endpoint-status" { (endpoint_status(view.status, s)) }
            }
            p class="meta" {
                (s.format_label) ": " code { (view.format.as_str()) }
                " · " span data-field="signed" { (if view.signed { s.signed } else { s.not_signed }) }
                " · " span data-field="lang" { (s.language_name(&view.lang)) }
                @if let Some(chat) = &view.chat_id { " · " code data-field="chat" { (chat) } }
                @if !view.description.is_empty() { " · " bdi { (view.description) } }
            }
            @if let Some(reason) = &view.disabled_reason { p class="error" { (reason) } }
            div class="endpoint-actions" {
                (frame.form("action", &format!("callbacks/{id}/test"), html! {
                    button type="submit" data-action="test" { (s.send_test) }
                }))
                (frame.form("action events-form", &format!("callbacks/{id}/events"), html! {
                    (event_boxes(s, &format!("ev-{id}"), &view.events))
                    button type="submit" data-action="events" { (s.save_events) }
                }))
                (frame.form("action delete-form", &format!("callbacks/{id}/delete"), html! {
                    label class="confirm" { input type="checkbox" name="confirm" value="yes" required; " " (s.remove_endpoint_confirm) }
                    button type="submit" class="danger" data-action="remove" { (s.remove_endpoint) }
                }))
            }
            h3 { (s.recent_deliveries) }
            @if health.recent.is_empty() {
                p class="empty" { (s.none) }
            } @else {
                div class="table-scroll" {
                    table {
                        thead { tr {
                            th scope="col" { (s.event_label) }
                            th scope="col" { (s.endpoint_status) }
                            th scope="col" { (s.attempts_label) }
                            th scope="col" { (s.last_delivery) }
                            th scope="col" { span class="vh" { (s.actions_title) } }
                        } }
                        tbody {
                            @for delivery in &health.recent {
                                tr data-delivery=(delivery.id) data-state=(state_key(delivery.state)) {
                                    th scope="row" { code { (delivery.event.as_str()) } }
                                    td { (delivery_state(delivery.state, s))
                                        @if let Some(status) = delivery.last_status { " (HTTP " (status) ")" } }
                                    td { (delivery.attempts) }
                                    td { (when_text(delivery.last_attempt_at.as_deref().unwrap_or(&delivery.created_at), s)) }
                                    td {
                                        @if delivery.state == DeliveryState::Failed {
                                            (frame.form("action inline", &format!("callbacks/{id}/deliveries/{}/replay", delivery.id), html! {
                                                button type="submit" data-action="replay" { (s.replay) }
                                            }))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn state_key(state: DeliveryState) -> &'static str {
    match state {
        DeliveryState::Pending => "pending",
        DeliveryState::Delivered => "delivered",
        DeliveryState::Failed => "failed",
        DeliveryState::Cancelled => "cancelled",
    }
}

fn error_of<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors.iter().find(|e| e.field == field || e.field.starts_with(&format!("{field}["))).map(|e| e.message.as_str())
}

fn add_form(frame: &Frame<'_>, draft: &NewEndpoint, errors: &[FieldError]) -> Markup {
    let s = frame.strings;
    let chosen = if draft.events.is_empty() && errors.is_empty() {
        vec![EventType::FailureReported, EventType::FailureOverdue]
    } else {
        draft.events.clone()
    };
    let other: Vec<&FieldError> =
        errors.iter().filter(|e| !FORM_FIELDS.iter().any(|f| e.field.starts_with(f))).collect();
    html! {
        section class="add-endpoint" aria-labelledby="h-add" {
            h2 id="h-add" { (s.add_endpoint) }
            (frame.form("settings-form", "callbacks", html! {
                @if !other.is_empty() {
                    ul class="error" role="alert" { @for e in other { li { code { (e.field) } " " (e.message) } } }
                }
                div class="field" {
                    label for="ep-format" { (s.format_label) }
                    select id="ep-format" name="format" {
                        @for format in Format::ALL {
                            option value=(format.as_str()) selected[draft.format == format.as_str()] { (format.as_str()) }
                        }
                    }
                    (field_error(error_of(errors, "format"), "ep-format"))
                }
                p class="hint" id="ep-fields-hint" { (s.endpoint_fields_hint) }
                (text_field("ep-url", "url", "url", s.endpoint_url, &draft.url, 500, errors))
                (text_field("ep-email", "email", "email", s.endpoint_email, &draft.email, 254, errors))
                (text_field("ep-bot-token", "bot_token", "password", s.endpoint_bot_token, "", 120, errors))
                (text_field("ep-chat-id", "chat_id", "text", s.endpoint_chat_id, &draft.chat_id, 100, errors))
                div class="field" {
                    label for="ep-lang" { (s.alert_language) }
                    select id="ep-lang" name="lang" {
                        @for lang in ALERT_LANGS {
                            option value=(lang) selected[draft.lang == lang] { (s.language_name(lang)) }
                        }
                    }
                    (field_error(error_of(errors, "lang"), "ep-lang"))
                }
                div class="field" {
                    label for="ep-description" { (s.endpoint_description) }
                    input id="ep-description" name="description" maxlength="200" value=(draft.description);
                    (field_error(error_of(errors, "description"), "ep-description"))
                }
                (event_boxes(s, "ev-new", &chosen))
                (field_error(error_of(errors, "events"), "ev-new"))
                button type="submit" data-action="add-endpoint" { (s.add_endpoint) }
            }))
        }
    }
}

/// The add form's fields, whose errors are drawn under them (any other error is listed on top).
const FORM_FIELDS: [&str; 8] = ["format", "url", "email", "bot_token", "chat_id", "lang", "description", "events"];

/// One labelled input of the add form, with its error under it. None is `required`: which
/// are needed depends on the format, and the API says which one is missing.
fn text_field(id: &str, name: &str, kind: &str, label: &str, value: &str, max: usize, errors: &[FieldError]) -> Markup {
    let error = error_of(errors, name);
    html! {
        div class="field" {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) maxlength=(max) value=(value) autocomplete="off"
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=[error.map(|_| format!("{id}-error"))];
            (field_error(error, id))
        }
    }
}

/// A field's error under it, with the id its input's `aria-describedby` names.
pub fn field_error(message: Option<&str>, id: &str) -> Markup {
    html! {
        @if let Some(message) = message {
            p class="field-error" id=(format!("{id}-error")) { (message) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::site;
    use tellus_core::callbacks::{DeliveryView, EndpointStatus, EndpointView};
    use tellus_core::page_strings::EN;

    #[test]
    fn endpoints_show_health_tests_events_and_every_format_core_knows() {
        let site = site();
        let frame = Frame { strings: &EN, site: &site, csrf: "c", now_ms: 0, notice: None };
        let failed = DeliveryView {
            id: "msg_1".into(),
            event: EventType::FailureReported,
            entry_id: "e1".into(),
            state: DeliveryState::Failed,
            attempts: 3,
            last_status: Some(410),
            latency_ms: None,
            last_attempt_at: Some("2026-11-23T09:07:00.000Z".into()),
            next_attempt_at: None,
            created_at: "2026-11-23T09:05:00.000Z".into(),
        };
        let health = EndpointHealth {
            view: EndpointView {
                id: "ep_1".into(),
                url: "https://hooks.example/<x>".into(),
                events: vec![EventType::FailureReported],
                format: Format::Standard,
                description: String::new(),
                status: EndpointStatus::Disabled,
                disabled_reason: Some("The receiver answered 410 Gone".into()),
                failing_since: None,
                previous_secret_valid_until: None,
                created_at: "2026-11-23T09:00:00.000Z".into(),
                lang: "en".into(),
                chat_id: None,
                signed: true,
            },
            recent: vec![failed],
        };
        let errors = [FieldError { field: "url".into(), message: "must be an https:// address".into() }];
        let html = render(
            &frame,
            &[health],
            Some(Created { endpoint: "ep_1", secret: "whsec_abc" }),
            &NewEndpoint::default(),
            &errors,
        );
        assert!(html.contains("https://hooks.example/&lt;x&gt;"));
        assert!(html.contains(r#"data-field="endpoint-status">disabled<"#));
        assert!(html.contains(r#"data-action="replay""#) && html.contains(r#"data-action="test""#));
        assert!(html.contains("whsec_abc") && html.contains("must be an https:// address"));
        for format in Format::ALL {
            assert!(html.contains(&format!(r#"<option value="{}""#, format.as_str())), "{format:?} offered");
        }
        assert_eq!(html.matches(r#"name="events""#).count(), 2 * EventType::ALL.len());
    }
}
