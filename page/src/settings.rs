//! The settings (`/s/{site}/settings`): every setting the API has — name, allowed origins,
//! scale, failure threshold, SLA targets, review links, theme colour (with its contrast against
//! white explained), retention — in one form, and rotating the owner key. The form becomes the
//! same JSON a `PATCH /v1/sites/{site}` takes ([`SettingsForm::patch`]) and is validated by the
//! same core rules, so the page shows the API's own messages, next to the field they are about,
//! with everything the owner typed kept.

use crate::alerts::field_error;
use crate::{Frame, Section, owner_document};
use maud::{Markup, html};
use serde_json::{Map, Value, json};
use tellus_core::entry::Scale;
use tellus_core::input::fields::FieldError;
use tellus_core::limits::{MAX_RETENTION_DAYS, MAX_REVIEW_LINKS, MAX_SLA_MINUTES, MIN_CONTRAST};
use tellus_core::site::{SiteSettings, contrast_with_white, parse_hex_color};

/// The form's fields as text, as shown and as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    pub name: String,
    /// One origin a line.
    pub allowed_origins: String,
    pub scale: String,
    pub failure_threshold: String,
    pub acknowledge_minutes: String,
    pub fix_minutes: String,
    /// `(id, label, url)` per row; [`MAX_REVIEW_LINKS`] rows, blank ones unused.
    pub review_links: Vec<(String, String, String)>,
    pub theme_color: String,
    pub retention_days: String,
}

impl SettingsForm {
    /// The form filled with a site's settings.
    pub fn of(settings: &SiteSettings) -> SettingsForm {
        let mut review_links: Vec<(String, String, String)> =
            settings.review_links.iter().map(|l| (l.id.clone(), l.label.clone(), l.url.clone())).collect();
        review_links.resize(MAX_REVIEW_LINKS, Default::default());
        SettingsForm {
            name: settings.name.clone(),
            allowed_origins: settings.allowed_origins.join("\n"),
            scale: match settings.scale {
                Scale::Csat => "csat".into(),
                Scale::Nps => "nps".into(),
            },
            failure_threshold: settings.failure_threshold.to_string(),
            acknowledge_minutes: settings.sla.acknowledge_minutes.to_string(),
            fix_minutes: settings.sla.fix_minutes.to_string(),
            review_links,
            theme_color: settings.theme_color.clone(),
            retention_days: settings.retention_days.to_string(),
        }
    }

    /// The form as sent (`name=value` pairs; unknown names are ignored).
    pub fn from_pairs(pairs: &[(String, String)]) -> SettingsForm {
        let mut form = SettingsForm { review_links: vec![Default::default(); MAX_REVIEW_LINKS], ..Default::default() };
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "name" => form.name = value,
                "allowed_origins" => form.allowed_origins = value,
                "scale" => form.scale = value,
                "failure_threshold" => form.failure_threshold = value,
                "acknowledge_minutes" => form.acknowledge_minutes = value,
                "fix_minutes" => form.fix_minutes = value,
                "theme_color" => form.theme_color = value,
                "retention_days" => form.retention_days = value,
                other => {
                    // review_link_{i}_{id|label|url}
                    let Some(rest) = other.strip_prefix("review_link_") else { continue };
                    let Some((i, part)) = rest.split_once('_') else { continue };
                    let Some(row) = i.parse::<usize>().ok().and_then(|i| form.review_links.get_mut(i)) else {
                        continue;
                    };
                    match part {
                        "id" => row.0 = value,
                        "label" => row.1 = value,
                        "url" => row.2 = value,
                        _ => {}
                    }
                }
            }
        }
        form
    }

    /// The review-link rows that are filled in (any of the three fields), by their form row.
    fn used_links(&self) -> Vec<usize> {
        (0..self.review_links.len())
            .filter(|i| {
                let (id, label, url) = &self.review_links[*i];
                !(id.trim().is_empty() && label.trim().is_empty() && url.trim().is_empty())
            })
            .collect()
    }

    /// The `PATCH` body this form stands for. Numbers that are not numbers are sent as the text
    /// typed, so core names the field and says what it takes; a new scale with the old
    /// threshold left as it was takes the new scale's default threshold (as the API does when a
    /// patch changes the scale alone).
    pub fn patch(&self, current: &SiteSettings) -> Value {
        let number = |text: &str| -> Value {
            match text.trim().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => json!(text),
            }
        };
        let mut patch = Map::new();
        patch.insert("name".into(), json!(self.name.trim()));
        let origins: Vec<&str> = self.allowed_origins.lines().map(str::trim).filter(|o| !o.is_empty()).collect();
        patch.insert("allowed_origins".into(), json!(origins));
        patch.insert("scale".into(), json!(self.scale));
        let scale_changed = Scale::parse(&self.scale).is_some_and(|s| s != current.scale);
        if !(scale_changed && self.failure_threshold.trim() == current.failure_threshold.to_string()) {
            patch.insert("failure_threshold".into(), number(&self.failure_threshold));
        }
        patch.insert(
            "sla".into(),
            json!({ "acknowledge_minutes": number(&self.acknowledge_minutes), "fix_minutes": number(&self.fix_minutes) }),
        );
        let links: Vec<Value> = self
            .used_links()
            .into_iter()
            .map(|i| {
                let (id, label, url) = &self.review_links[i];
                json!({ "id": id.trim(), "label": label.trim(), "url": url.trim() })
            })
            .collect();
        patch.insert("review_links".into(), Value::Array(links));
        patch.insert("theme_color".into(), json!(self.theme_color.trim().to_ascii_lowercase()));
        patch.insert("retention_days".into(), number(&self.retention_days));
        Value::Object(patch)
    }

    /// Which form field a core error is about: `review_links[1].url` on the second used row is
    /// the form's `review_link_{row}_url`.
    pub fn field_of(&self, error: &str) -> String {
        if let Some(rest) = error.strip_prefix("review_links[") {
            let (index, part) = rest.split_once(']').unwrap_or((rest, ""));
            let row = index.parse::<usize>().ok().and_then(|i| self.used_links().get(i).copied()).unwrap_or(0);
            let part = part.trim_start_matches('.');
            return if part.is_empty() { format!("review_link_{row}_id") } else { format!("review_link_{row}_{part}") };
        }
        match error.split('[').next().unwrap_or(error) {
            "sla.acknowledge_minutes" => "acknowledge_minutes".into(),
            "sla.fix_minutes" | "sla" => "fix_minutes".into(),
            field => field.into(),
        }
    }
}

/// The settings page: `form` as shown (the site's settings, or what was sent), `errors` from
/// core, `new_key` when the owner key was just rotated (shown once).
pub fn render(frame: &Frame<'_>, form: &SettingsForm, errors: &[FieldError]) -> String {
    let s = frame.strings;
    let mut by_field: Vec<(String, &str)> =
        errors.iter().map(|e| (form.field_of(&e.field), e.message.as_str())).collect();
    by_field.dedup_by(|a, b| a.0 == b.0);
    let error_for = |field: &str| by_field.iter().find(|(f, _)| f == field).map(|(_, m)| *m);
    let input = |id: &str, label: &str, value: &str, kind: &str, extra: Markup| -> Markup {
        let error = error_for(id);
        html! {
            div class="field" {
                label for=(id) { (label) }
                input id=(id) name=(id) type=(kind) value=(value)
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-error"))];
                (extra)
                (field_error(error, id))
            }
        }
    };
    let contrast = parse_hex_color(form.theme_color.trim()).map(contrast_with_white);
    let ratio = contrast.map_or_else(|| s.no_data.to_owned(), |r| s.locale().decimal(r, 2));
    let main = html! {
        @if !errors.is_empty() {
            div class="error" role="alert" id="settings-errors" {
                p { (s.settings_refused) }
                ul { @for e in errors { li { code { (e.field) } " " (e.message) } } }
            }
        }
        (frame.form("settings-form", "settings", html! {
            (input("name", s.site_name, &form.name, "text", html! {}))
            div class="field" {
                label for="allowed_origins" { (s.allowed_origins) }
                textarea id="allowed_origins" name="allowed_origins" rows="3" aria-describedby="allowed_origins-hint" { (form.allowed_origins) }
                span class="hint" id="allowed_origins-hint" { (s.allowed_origins_hint) }
                (field_error(error_for("allowed_origins"), "allowed_origins"))
            }
            div class="field" {
                label for="scale" { (s.scale_label) }
                select id="scale" name="scale" {
                    option value="csat" selected[form.scale == "csat"] { (s.scale_csat) }
                    option value="nps" selected[form.scale == "nps"] { (s.scale_nps) }
                }
                (field_error(error_for("scale"), "scale"))
            }
            (input("failure_threshold", s.failure_threshold, &form.failure_threshold, "number",
                html! { span class="hint" { (s.failure_threshold_hint) } }))
            (input("acknowledge_minutes", s.sla_ack_minutes, &form.acknowledge_minutes, "number",
                html! { span class="hint" { (s.minutes_hint.replace("{max}", &MAX_SLA_MINUTES.to_string())) } }))
            (input("fix_minutes", s.sla_fix_minutes, &form.fix_minutes, "number", html! {}))
            fieldset class="links" {
                legend { (s.review_links) }
                p class="hint" { (s.review_links_hint) }
                @for (i, (id, label, url)) in form.review_links.iter().enumerate() {
                    div class="link-row" {
                        @for (part, text, value) in [("id", s.link_id, id), ("label", s.link_label, label), ("url", s.link_url, url)] {
                            @let name = format!("review_link_{i}_{part}");
                            @let error = error_for(&name);
                            span class="field" {
                                label for=(name) { (text) " " span class="vh" { (i + 1) } }
                                input id=(name) name=(name) value=(value)
                                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{name}-error"))];
                                (field_error(error, &name))
                            }
                        }
                    }
                }
            }
            (input("theme_color", s.theme_color, &form.theme_color, "color", html! {
                span class="hint" id="theme-contrast" data-contrast=(ratio) {
                    (s.theme_hint.replace("{min}", &s.locale().decimal(MIN_CONTRAST, 1)).replace("{ratio}", &ratio))
                }
            }))
            (input("retention_days", s.retention_label, &form.retention_days, "number",
                html! { span class="hint" { (s.retention_hint.replace("{max}", &MAX_RETENTION_DAYS.to_string())) } }))
            button type="submit" data-action="save-settings" { (s.save_settings) }
        }))
        section class="rotate" aria-labelledby="h-rotate" {
            h2 id="h-rotate" { (s.rotate_title) }
            p { (s.rotate_intro) }
            (frame.form("action", "owner-key", html! {
                label class="confirm" { input type="checkbox" name="confirm" value="yes" required; " " (s.rotate_confirm) }
                button type="submit" class="danger" data-action="rotate-key" { (s.rotate_key) }
            }))
        }
    };
    owner_document(frame, Section::Settings, s.settings_title, main)
}

/// The page showing a new owner key once, after rotating (the session that asked is signed out
/// with every other, so it links to the sign-in form).
pub fn new_key_page(s: &tellus_core::page_strings::PageStrings, site_id: &str, key: &str) -> String {
    crate::document(
        s,
        s.rotate_title,
        "login",
        html! {
            main class="login-box" {
                h1 { (s.rotate_title) }
                p role="status" { (s.new_key_once) }
                p { code data-new-key="" { (key) } }
                p { a href=(format!("/s/{site_id}")) { (s.sign_in) } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::site;
    use tellus_core::page_strings::EN;

    #[test]
    fn the_form_is_the_apis_patch_and_errors_land_on_their_fields() {
        let site = site();
        let mut form = SettingsForm::of(&site.settings);
        assert_eq!(
            site.settings.patched(form.patch(&site.settings).to_string().as_bytes()).as_ref(),
            Ok(&site.settings)
        );
        form.scale = "nps".into();
        form.review_links[2] = ("google".into(), "Google".into(), "javascript:alert(1)".into());
        form.theme_color = "#FFFF00".into();
        form.fix_minutes = "soon".into();
        let patch = form.patch(&site.settings);
        assert!(patch.get("failure_threshold").is_none(), "a new scale takes its own default threshold");
        let Err(tellus_core::input::fields::InputError::Fields(errors)) =
            site.settings.patched(patch.to_string().as_bytes())
        else {
            panic!("refused")
        };
        let fields: Vec<String> = errors.iter().map(|e| form.field_of(&e.field)).collect();
        assert!(fields.contains(&"review_link_2_url".to_owned()), "{fields:?}");
        assert!(fields.contains(&"theme_color".to_owned()) && fields.contains(&"fix_minutes".to_owned()), "{fields:?}");
        let frame = Frame { strings: &EN, site: &site, csrf: "c", now_ms: 0, notice: None };
        let html = render(&frame, &form, &errors);
        assert!(html.contains("contrast with white text") && html.contains("1.07"), "{html}");
        assert!(html.contains(r#"aria-describedby="review_link_2_url-error""#));
        let sent = SettingsForm::from_pairs(&[
            ("review_link_2_url".into(), "https://x.example".into()),
            ("name".into(), "A".into()),
        ]);
        assert_eq!((sent.name.as_str(), sent.review_links[2].2.as_str()), ("A", "https://x.example"));
    }
}
