//! Sites: the settings an owner chooses, validated once, and the theme-colour contrast rule.

use crate::entry::Scale;
use crate::input::fields::{BodyError, Fields, InputError, parse_object};
use crate::input::url::{is_web_url, parse_origin};
use crate::limits::*;
use serde::{Deserialize, Serialize};

/// The SLA targets are a rule about failures, so they live with them; a site sets them.
pub use crate::entry::Sla;

/// A place where happy (and all) customers can tell others, e.g. a Google or Trustpilot page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLink {
    /// Stable short name, used to count clicks per target (e.g. `google`).
    pub id: String,
    pub label: String,
    pub url: String,
}

/// Everything an owner sets for a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub name: String,
    pub allowed_origins: Vec<String>,
    pub scale: Scale,
    pub failure_threshold: u8,
    pub sla: Sla,
    pub review_links: Vec<ReviewLink>,
    /// `#rrggbb`, with at least 4.5:1 contrast against white (see [`contrast_with_white`]).
    pub theme_color: String,
    pub retention_days: u32,
}

/// A stored site: settings plus the hash of the owner key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    pub id: String,
    pub created_ms: u64,
    pub owner_key_hash: String,
    pub settings: SiteSettings,
}

impl Site {
    /// Whether a request's `Origin` header may send feedback to this site.
    pub fn allows_origin(&self, origin: &str) -> bool {
        parse_origin(origin).is_some_and(|origin| self.settings.allowed_origins.contains(&origin))
    }
}

pub const DEFAULT_THEME_COLOR: &str = "#1f5fbf";

impl SiteSettings {
    /// Parses the body of `POST /v1/sites`.
    pub fn parse(body: &[u8]) -> Result<SiteSettings, InputError> {
        let map = parse_object(body).map_err(InputError::Body)?;
        let mut fields = Fields::new(&map);
        let name = fields.required_string("name", MAX_SITE_NAME_CHARS);

        let mut allowed_origins = Vec::new();
        match fields.array("allowed_origins", MAX_ALLOWED_ORIGINS) {
            Some(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().and_then(parse_origin) {
                        Some(origin) if !allowed_origins.contains(&origin) => allowed_origins.push(origin),
                        Some(_) => {}
                        None => fields.error(
                            &format!("allowed_origins[{i}]"),
                            "must be an origin such as https://shop.example (scheme and host, no path)",
                        ),
                    }
                }
            }
            Some(_) => fields.error("allowed_origins", "must list at least one origin"),
            // Absent or null (null is absent, as everywhere): a site without origins would refuse
            // every widget.
            None => {
                if map.get("allowed_origins").is_none_or(serde_json::Value::is_null) {
                    fields.error("allowed_origins", "is required");
                }
            }
        }

        let scale = match fields.string("scale", 10) {
            None => Scale::default(),
            Some(text) => Scale::parse(&text).unwrap_or_else(|| {
                fields.error("scale", "must be \"csat\" or \"nps\"");
                Scale::default()
            }),
        };
        let failure_threshold = fields
            .integer("failure_threshold", i64::from(scale.min()), i64::from(scale.max()) - 1)
            .map_or(scale.default_threshold(), |n| n as u8);

        let mut sla = Sla::default();
        if let Some(map) = fields.object("sla") {
            let mut nested = Fields::nested("sla", map);
            if let Some(n) = nested.integer("acknowledge_minutes", 1, i64::from(MAX_SLA_MINUTES)) {
                sla.acknowledge_minutes = n as u32;
            }
            if let Some(n) = nested.integer("fix_minutes", 1, i64::from(MAX_SLA_MINUTES)) {
                sla.fix_minutes = n as u32;
            }
            fields.absorb(nested);
            if sla.fix_minutes < sla.acknowledge_minutes {
                fields.error("sla.fix_minutes", "must not be shorter than sla.acknowledge_minutes");
            }
        }

        let mut review_links: Vec<ReviewLink> = Vec::new();
        if let Some(items) = fields.array("review_links", MAX_REVIEW_LINKS) {
            for (i, item) in items.iter().enumerate() {
                let prefix = format!("review_links[{i}]");
                let Some(map) = item.as_object() else {
                    fields.error(&prefix, "must be an object with id, label and url");
                    continue;
                };
                let mut nested = Fields::nested(&prefix, map);
                let id = nested.required_string("id", 32);
                let label = nested.required_string("label", MAX_SHORT_TEXT_CHARS);
                let url = nested.required_string("url", MAX_URL_CHARS);
                if let Some(id) = &id {
                    if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
                        nested.error("id", "must use only a-z, 0-9 and -");
                    } else if review_links.iter().any(|link| &link.id == id) {
                        nested.error("id", "must be unique");
                    }
                }
                if let Some(url) = &url
                    && !is_web_url(url)
                {
                    nested.error("url", "must be an https:// address");
                }
                let ok = nested.errors.is_empty();
                fields.absorb(nested);
                if let (true, Some(id), Some(label), Some(url)) = (ok, id, label, url) {
                    review_links.push(ReviewLink { id, label, url });
                }
            }
        }

        let theme_color = match fields.string("theme_color", 7) {
            None => DEFAULT_THEME_COLOR.to_owned(),
            Some(text) => match parse_hex_color(&text) {
                None => {
                    fields.error("theme_color", "must be a colour like #1f5fbf");
                    DEFAULT_THEME_COLOR.to_owned()
                }
                Some(rgb) => {
                    let ratio = contrast_with_white(rgb);
                    if ratio < MIN_CONTRAST {
                        fields.error(
                            "theme_color",
                            format!(
                                "gives {ratio:.2}:1 contrast with white text; it needs at least {MIN_CONTRAST}:1 so every customer can read the buttons (pick a darker shade)"
                            ),
                        );
                    }
                    text.to_ascii_lowercase()
                }
            },
        };
        let retention_days = fields
            .integer("retention_days", 1, i64::from(MAX_RETENTION_DAYS))
            .map_or(DEFAULT_RETENTION_DAYS, |n| n as u32);

        let errors = fields.finish();
        match name {
            Some(name) if errors.is_empty() => Ok(SiteSettings {
                name,
                allowed_origins,
                scale,
                failure_threshold,
                sla,
                review_links,
                theme_color,
                retention_days,
            }),
            _ => Err(InputError::Fields(errors)),
        }
    }
}

impl SiteSettings {
    /// Applies a `PATCH` body: the fields sent replace the current ones and the merged settings
    /// are validated as a whole, exactly like a new site's. Changing the scale without sending a
    /// threshold resets the threshold to the new scale's default.
    pub fn patched(&self, body: &[u8]) -> Result<SiteSettings, InputError> {
        let patch = parse_object(body).map_err(InputError::Body)?;
        let mut merged = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        if patch.contains_key("scale") && !patch.contains_key("failure_threshold") {
            merged.remove("failure_threshold");
        }
        // A field patched to null is removed, as in a JSON merge patch: an optional one goes back
        // to its default, a required one is reported missing.
        for (name, value) in patch {
            if value.is_null() {
                merged.remove(&name);
            } else {
                merged.insert(name, value);
            }
        }
        let merged =
            serde_json::to_vec(&merged).map_err(|err| InputError::Body(BodyError::NotJson(err.to_string())))?;
        SiteSettings::parse(&merged)
    }
}

/// `#rrggbb` to its three channels.
pub fn parse_hex_color(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG relative luminance of an sRGB colour, with the power function passed in: the widget
/// passes the browser's `Math.pow` rather than carry Rust's (1.4 KB of wasm).
pub fn relative_luminance_with(rgb: [u8; 3], pow: impl Fn(f64, f64) -> f64) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 { c / 12.92 } else { pow((c + 0.055) / 1.055, 2.4) }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG contrast ratio of a colour against white. The theme colour is used both as the
/// background of white button text and as accent text on the white dialog, so this one ratio
/// decides both.
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    contrast_with_white_with(rgb, f64::powf)
}

/// [`contrast_with_white`] with the power function passed in (see [`relative_luminance_with`]).
pub fn contrast_with_white_with(rgb: [u8; 3], pow: impl Fn(f64, f64) -> f64) -> f64 {
    1.05 / (relative_luminance_with(rgb, pow) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::fields::FieldError;

    fn fields_of(body: &str) -> Vec<FieldError> {
        match SiteSettings::parse(body.as_bytes()) {
            Err(InputError::Fields(errors)) => errors,
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn minimal_site_gets_defaults() {
        let settings = SiteSettings::parse(br#"{"name":"Shop","allowed_origins":["https://shop.example"]}"#).unwrap();
        assert_eq!(settings.scale, Scale::Csat);
        assert_eq!(settings.failure_threshold, 2);
        assert_eq!(settings.theme_color, DEFAULT_THEME_COLOR);
        assert_eq!(settings.retention_days, DEFAULT_RETENTION_DAYS);
    }

    #[test]
    fn nps_threshold_defaults_to_six() {
        let settings =
            SiteSettings::parse(br#"{"name":"Shop","allowed_origins":["https://shop.example"],"scale":"nps"}"#)
                .unwrap();
        assert_eq!(settings.failure_threshold, 6);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = fields_of(
            r##"{"allowed_origins":["nope"],"scale":"stars","theme_color":"#ffff00","extra":1,
                "review_links":[{"id":"Google","label":"","url":"javascript:alert(1)"}]}"##,
        );
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in [
            "name",
            "allowed_origins[0]",
            "scale",
            "theme_color",
            "extra",
            "review_links[0].id",
            "review_links[0].label",
            "review_links[0].url",
        ] {
            assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
        }
    }

    #[test]
    fn a_patch_keeps_other_fields_and_resets_the_threshold_with_the_scale() {
        let settings = SiteSettings::parse(br#"{"name":"Shop","allowed_origins":["https://shop.example"]}"#).unwrap();
        let nps = settings.patched(br#"{"scale":"nps"}"#).unwrap();
        assert_eq!((nps.scale, nps.failure_threshold, nps.name.as_str()), (Scale::Nps, 6, "Shop"));
        let custom = settings.patched(br#"{"scale":"nps","failure_threshold":4}"#).unwrap();
        assert_eq!(custom.failure_threshold, 4);
        assert!(settings.patched(br#"{"name":""}"#).is_err());
        assert!(settings.patched(br#"{"nme":"typo"}"#).is_err());
        // Null removes a field: the required ones are then missing, never stored empty.
        assert!(settings.patched(br#"{"allowed_origins":null}"#).is_err());
        assert!(settings.patched(br#"{"name":null}"#).is_err());
        assert!(SiteSettings::parse(br#"{"name":"Shop","allowed_origins":null}"#).is_err());
        let longer = settings.patched(br#"{"retention_days":30}"#).unwrap();
        assert_eq!(longer.patched(br#"{"retention_days":null}"#).unwrap().retention_days, DEFAULT_RETENTION_DAYS);
    }

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast_with_white([0, 0, 0]) - 21.0).abs() < 0.01);
        assert!((contrast_with_white([0x76, 0x76, 0x76]) - 4.54).abs() < 0.01);
        assert!(contrast_with_white([0x77, 0x77, 0x77]) < MIN_CONTRAST);
    }
}
