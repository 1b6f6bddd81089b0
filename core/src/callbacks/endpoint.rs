//! Endpoints: what an owner registers (URL rules included), what is stored (secrets too, since
//! signing needs them), what the owner sees, and how an endpoint's health changes.

use super::delivery::AfterAttempt;
use super::{EventType, Format, iso8601};
use crate::input::fields::{Fields, InputError, parse_object};
use crate::input::url::is_loopback;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

/// Prefix of every endpoint secret (Standard Webhooks convention).
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a secret (192 bits; Standard Webhooks asks for 24 to 64).
pub const SECRET_BYTES: usize = 24;
/// Random bytes in an endpoint id.
pub const ENDPOINT_ID_BYTES: usize = 8;
/// Most endpoints one site may register.
pub const MAX_ENDPOINTS_PER_SITE: usize = 10;
/// Longest endpoint description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;
/// How long the previous secret keeps signing after a rotation, so receivers can switch over.
pub const ROTATED_SECRET_VALID_MS: u64 = 24 * 3_600_000;

/// Which hosts an endpoint URL may point at.
pub struct UrlRules<'a> {
    /// `http://127.0.0.1` and `http://localhost` are accepted (local development and tests only).
    pub allow_loopback: bool,
    /// The Worker's own host (`host[:port]`): a callback to ourselves could loop forever.
    pub own_host: &'a str,
}

/// The body of `POST /v1/sites/{site}/callbacks`, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInput {
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    pub description: String,
}

impl EndpointInput {
    /// Parses a registration body, reporting every bad field.
    pub fn parse(body: &[u8], rules: &UrlRules<'_>) -> Result<EndpointInput, InputError> {
        let map = parse_object(body).map_err(InputError::Body)?;
        let mut fields = Fields::new(&map);
        let url = fields.required_string("url", crate::limits::MAX_URL_CHARS);
        if let Some(url) = &url
            && let Err(why) = check_url(url, rules)
        {
            fields.error("url", why);
        }
        let mut events = Vec::new();
        match fields.array("events", EventType::ALL.len() * 2) {
            Some(items) if items.is_empty() => fields.error("events", "must list at least one event type"),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    match item.as_str().and_then(EventType::parse) {
                        Some(event) if !events.contains(&event) => events.push(event),
                        Some(_) => {}
                        None => fields.error(
                            &format!("events[{i}]"),
                            "must be one of failure.reported, failure.overdue, failure.fixed, praise.received",
                        ),
                    }
                }
            }
            None => {
                if map.get("events").is_none_or(serde_json::Value::is_null) {
                    fields.error("events", "is required (e.g. [\"failure.reported\", \"failure.overdue\"])");
                }
            }
        }
        let format = match fields.string("format", 20) {
            None => Format::default(),
            Some(text) => match text.as_str() {
                "standard" => Format::Standard,
                "slack" => Format::Slack,
                _ => {
                    fields.error("format", "must be \"standard\" or \"slack\"");
                    Format::default()
                }
            },
        };
        let description = fields.string("description", MAX_DESCRIPTION_CHARS).unwrap_or_default();
        let errors = fields.finish();
        match url {
            Some(url) if errors.is_empty() => Ok(EndpointInput { url, events, format, description }),
            _ => Err(InputError::Fields(errors)),
        }
    }
}

/// Why a URL cannot be a callback endpoint, in words the owner can act on. The address is
/// parsed as the Worker's `fetch` will read it (the `url` crate, WHATWG URLs); the policy is ours:
/// written plainly as `https://` (or `http://` to loopback where the deployment allows it), with a
/// host and no user name, never this Worker's own host, loopback only where allowed.
pub fn check_url(url: &str, rules: &UrlRules<'_>) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return Err("must be an https:// address".into());
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\')) {
        return Err("must not contain spaces, quotes or control characters".into());
    }
    // What is written between `//` and the path: the parser would skip an empty one
    // (`https:///path` has the host `path`) and drop an empty user name (`https://@host`).
    let written_authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if written_authority.contains('@') {
        return Err("must not contain user name or password".into());
    }
    let invalid_host = || "must have a valid host name".to_owned();
    let parsed = match ::url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(::url::ParseError::InvalidPort) => {
            return Err("has a port that is not a number between 1 and 65535".into());
        }
        Err(_) => return Err(invalid_host()),
    };
    let (Some(host), Some(host_name)) = (parsed.host(), parsed.host_str()) else { return Err(invalid_host()) };
    if written_authority.is_empty() || host_name.len() > 253 {
        return Err(invalid_host());
    }
    if parsed.port() == Some(0) {
        return Err("has a port that is not a number between 1 and 65535".into());
    }
    let loopback = is_loopback(host);
    let authority = match parsed.port() {
        Some(port) => format!("{host_name}:{port}"),
        None => host_name.to_owned(),
    };
    let own = ::url::Url::parse(&format!("http://{}", rules.own_host)).ok();
    let own_host = own.as_ref().and_then(::url::Url::host_str).unwrap_or_default();
    let own_authority = match own.as_ref().and_then(::url::Url::port) {
        Some(port) => format!("{own_host}:{port}"),
        None => own_host.to_owned(),
    };
    if !own_host.is_empty() && (authority == own_authority || (!loopback && host_name == own_host)) {
        return Err("must not point at tellus itself".into());
    }
    match (parsed.scheme(), loopback) {
        ("https", false) => Ok(()),
        (_, true) if rules.allow_loopback => Ok(()),
        (_, true) => Err("must not point at a loopback address".into()),
        _ => Err("must be an https:// address (plain http is accepted only for loopback in local development)".into()),
    }
}

/// A registered endpoint, as stored (secrets included: we need them to sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub secret: String,
    /// The secret before the last rotation; it signs too until `previous_secret_until_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_until_ms: Option<u64>,
    pub created_ms: u64,
    /// The tellus origin the endpoint was registered on: links in its messages point there
    /// (the cron has no request to take it from).
    #[serde(default)]
    pub origin: String,
    /// Why the endpoint stopped receiving (its receiver answered 410 Gone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<String>,
    /// Set when a delivery ran out of retries; cleared by the next success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since_ms: Option<u64>,
}

impl Endpoint {
    pub fn new(id: String, input: EndpointInput, secret: String, origin: String, now_ms: u64) -> Endpoint {
        Endpoint {
            id,
            url: input.url,
            events: input.events,
            format: input.format,
            description: input.description,
            secret,
            previous_secret: None,
            previous_secret_until_ms: None,
            created_ms: now_ms,
            origin,
            disabled: None,
            failing_since_ms: None,
        }
    }

    /// Whether this endpoint gets an event now.
    pub fn wants(&self, event: EventType) -> bool {
        self.disabled.is_none() && self.events.contains(&event)
    }

    /// The secrets that sign a message sent now: the current one, and the previous one for
    /// 24 hours after a rotation (both signatures are sent; receivers accept either).
    pub fn signing_secrets(&self, now_ms: u64) -> Vec<&str> {
        let mut secrets = vec![self.secret.as_str()];
        if let (Some(old), Some(until)) = (&self.previous_secret, self.previous_secret_until_ms)
            && now_ms < until
        {
            secrets.push(old);
        }
        secrets
    }

    /// Replaces the secret; the old one keeps signing for [`ROTATED_SECRET_VALID_MS`].
    pub fn rotate(&mut self, new_secret: String, now_ms: u64) {
        let old = std::mem::replace(&mut self.secret, new_secret);
        self.previous_secret = Some(old);
        self.previous_secret_until_ms = Some(now_ms.saturating_add(ROTATED_SECRET_VALID_MS));
    }

    pub fn status(&self) -> EndpointStatus {
        if self.disabled.is_some() {
            EndpointStatus::Disabled
        } else if self.failing_since_ms.is_some() {
            EndpointStatus::Failing
        } else {
            EndpointStatus::Active
        }
    }

    /// Applies a change of health an attempt caused (see [`HealthChange::after`]).
    pub fn apply(&mut self, change: &HealthChange, now_ms: u64) {
        match change {
            HealthChange::Disable { reason } => self.disabled = Some(reason.clone()),
            HealthChange::Failing => {
                self.failing_since_ms.get_or_insert(now_ms);
            }
            HealthChange::Recovered => {
                self.failing_since_ms = None;
                self.disabled = None;
            }
        }
    }

    /// What the owner sees: everything but the secrets.
    pub fn view(&self) -> EndpointView {
        EndpointView {
            id: self.id.clone(),
            url: self.url.clone(),
            events: self.events.clone(),
            format: self.format,
            description: self.description.clone(),
            status: self.status(),
            disabled_reason: self.disabled.clone(),
            failing_since: self.failing_since_ms.map(iso8601),
            previous_secret_valid_until: self.previous_secret_until_ms.map(iso8601),
            created_at: iso8601(self.created_ms),
        }
    }
}

/// An endpoint in owner answers (no secret).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub status: EndpointStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_secret_valid_until: Option<String>,
    pub created_at: String,
}

/// Whether an endpoint receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EndpointStatus {
    /// Receives every event it subscribed to.
    Active,
    /// A delivery ran out of retries; it still receives, and the next success clears this.
    Failing,
    /// The receiver answered 410 Gone (or a chat platform said the webhook is gone): nothing is
    /// sent until a replay succeeds.
    Disabled,
}

impl EndpointStatus {
    pub const ALL: [EndpointStatus; 3] = [EndpointStatus::Active, EndpointStatus::Failing, EndpointStatus::Disabled];

    /// The name in answers and in the page's markup.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointStatus::Active => "active",
            EndpointStatus::Failing => "failing",
            EndpointStatus::Disabled => "disabled",
        }
    }
}

/// How one attempt changes its endpoint's health: the transitions of [`EndpointStatus`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthChange {
    /// The receiver said the endpoint is gone; the reason is shown to the owner.
    Disable { reason: String },
    /// A delivery ran out of retries.
    Failing,
    /// A success on an endpoint that was failing or disabled.
    Recovered,
}

impl HealthChange {
    /// The change an attempt's result makes to an endpoint as it is now, if any.
    pub fn after(after: AfterAttempt, endpoint: &Endpoint, now_ms: u64) -> Option<HealthChange> {
        match after {
            AfterAttempt::Disable => Some(HealthChange::Disable {
                reason: format!("The receiver answered 410 Gone at {}; replay a delivery to resume.", iso8601(now_ms)),
            }),
            AfterAttempt::Exhausted if endpoint.failing_since_ms.is_none() => Some(HealthChange::Failing),
            AfterAttempt::Delivered if endpoint.status() != EndpointStatus::Active => Some(HealthChange::Recovered),
            _ => None,
        }
    }
}

/// A fresh endpoint secret: `whsec_` and the base64 of 24 random bytes.
pub fn new_secret(random: &[u8; SECRET_BYTES]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// An endpoint id: `ep_` and 16 hex characters.
pub fn endpoint_id(random: &[u8; ENDPOINT_ID_BYTES]) -> String {
    let mut id = String::from("ep_");
    for byte in random {
        id.push_str(&format!("{byte:02x}"));
    }
    id
}

/// Whether text has the shape of an endpoint id (checked before it becomes part of a KV key).
pub fn is_endpoint_id(text: &str) -> bool {
    text.strip_prefix("ep_").is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::callbacks::signing::{message_id, signature_header, ulid_of_message_id};

    const LOCAL: UrlRules<'static> = UrlRules { allow_loopback: true, own_host: "127.0.0.1:8787" };
    const PROD: UrlRules<'static> = UrlRules { allow_loopback: false, own_host: "tellus.example" };

    #[test]
    fn a_rotated_endpoint_signs_with_both_secrets_for_a_day() {
        let input = EndpointInput {
            url: "https://hooks.example/x".into(),
            events: vec![EventType::FailureReported],
            format: Format::Standard,
            description: String::new(),
        };
        let mut endpoint = Endpoint::new(endpoint_id(&[1; 8]), input, new_secret(&[1; 24]), String::new(), 0);
        assert_eq!(endpoint.signing_secrets(10).len(), 1);
        endpoint.rotate(new_secret(&[2; 24]), 1_000);
        assert_eq!(endpoint.signing_secrets(2_000), vec![new_secret(&[2; 24]), new_secret(&[1; 24])]);
        assert_eq!(endpoint.signing_secrets(1_000 + ROTATED_SECRET_VALID_MS).len(), 1);
        let header = signature_header(&endpoint.signing_secrets(2_000), "msg_x", 5, "{}");
        assert_eq!(header.split(' ').filter(|s| s.starts_with("v1,")).count(), 2);
    }

    #[test]
    fn secrets_and_ids_have_their_shapes() {
        let secret = new_secret(&[7; SECRET_BYTES]);
        assert!(secret.starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&secret[6..]).map(|b| b.len()).unwrap_or(0), SECRET_BYTES);
        assert!(is_endpoint_id(&endpoint_id(&[0xab; 8])));
        assert!(!is_endpoint_id("ep_../../x"));
        let id = message_id(&crate::ids::entry_id(1_700_000_000_000, [3; 10]));
        assert!(ulid_of_message_id(&id).is_some());
        assert!(ulid_of_message_id("msg_nope").is_none());
    }

    #[test]
    fn urls_are_https_except_loopback_in_development_and_never_tellus_itself() {
        assert!(check_url("https://hooks.example/tellus?x=1", &PROD).is_ok());
        assert!(check_url("https://hooks.example:8443/", &PROD).is_ok());
        assert!(check_url("http://hooks.example/", &PROD).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", &PROD).is_err());
        assert!(check_url("http://127.0.0.1:9000/hook", &LOCAL).is_ok());
        assert!(check_url("http://localhost:9000/hook", &LOCAL).is_ok());
        assert!(check_url("http://127.0.0.1:8787/v1/health", &LOCAL).is_err());
        assert!(check_url("https://tellus.example/x", &PROD).is_err());
        assert!(check_url("https://TELLUS.example:444/x", &PROD).is_err());
        assert!(check_url("https://user:pw@hooks.example/", &PROD).is_err());
        assert!(check_url("https://hooks.example:99999/", &PROD).is_err());
        assert!(check_url("https://hooks example/", &PROD).is_err());
        assert!(check_url("ftp://hooks.example/", &PROD).is_err());
        assert!(check_url("https:///path", &PROD).is_err());
        // Parsed, not matched by prefix: a name that starts like loopback is a host on the internet.
        assert!(check_url("http://127.0.0.1.nip.io/hook", &LOCAL).is_err());
        assert!(check_url("https://127.0.0.1.nip.io/hook", &PROD).is_ok());
        assert!(check_url("https://[::1]/hook", &PROD).is_err());
        assert!(check_url("https://999.1.1.1/", &PROD).is_err());
        assert!(check_url("https://@hooks.example/", &PROD).is_err());
        assert!(check_url("https://hooks.example:0/", &PROD).is_err());
        assert!(check_url("https://hooks.example:443/", &PROD).is_ok());
        assert_eq!(
            check_url("https://hooks.example:70000/", &PROD),
            Err("has a port that is not a number between 1 and 65535".into())
        );
        assert_eq!(check_url("https://xn--a.example/", &PROD), Err("must have a valid host name".into()));
    }

    #[test]
    fn registration_reports_every_bad_field() {
        let body = br#"{"url":"http://hooks.example","events":["failure.reported","nope"],"format":"teams","x":1}"#;
        let Err(InputError::Fields(errors)) = EndpointInput::parse(body, &PROD) else { panic!("expected errors") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["url", "events[1]", "format", "x"]);
        let Err(InputError::Fields(errors)) = EndpointInput::parse(b"{}", &PROD) else { panic!("expected errors") };
        assert_eq!(errors.len(), 2);
        let null_events = EndpointInput::parse(br#"{"url":"https://hooks.example","events":null}"#, &PROD);
        assert!(null_events.is_err(), "an endpoint without events would receive nothing");
        let ok = EndpointInput::parse(
            br#"{"url":"https://hooks.example","events":["praise.received","praise.received"],"format":"slack"}"#,
            &PROD,
        );
        assert_eq!(ok.map(|i| (i.events, i.format)), Ok((vec![EventType::PraiseReceived], Format::Slack)));
    }

    #[test]
    fn health_follows_the_attempts() {
        let input = EndpointInput {
            url: "https://hooks.example/x".into(),
            events: vec![EventType::FailureReported],
            format: Format::Standard,
            description: String::new(),
        };
        let mut endpoint = Endpoint::new(endpoint_id(&[1; 8]), input, new_secret(&[1; 24]), String::new(), 0);
        assert_eq!(HealthChange::after(AfterAttempt::Delivered, &endpoint, 1), None, "an active endpoint stays so");
        assert_eq!(HealthChange::after(AfterAttempt::RetryAt(9), &endpoint, 1), None);

        let failing = HealthChange::after(AfterAttempt::Exhausted, &endpoint, 5).unwrap();
        endpoint.apply(&failing, 5);
        assert_eq!((endpoint.status(), endpoint.failing_since_ms), (EndpointStatus::Failing, Some(5)));
        assert_eq!(HealthChange::after(AfterAttempt::Exhausted, &endpoint, 6), None, "failing since the first time");
        assert!(endpoint.wants(EventType::FailureReported), "a failing endpoint still receives");

        let gone = HealthChange::after(AfterAttempt::Disable, &endpoint, 0).unwrap();
        endpoint.apply(&gone, 7);
        assert_eq!(endpoint.status(), EndpointStatus::Disabled);
        assert!(!endpoint.wants(EventType::FailureReported), "a disabled endpoint receives nothing");
        assert!(endpoint.view().disabled_reason.unwrap().contains("1970-01-01T00:00:00.000Z"));

        let recovered = HealthChange::after(AfterAttempt::Delivered, &endpoint, 8).unwrap();
        endpoint.apply(&recovered, 8);
        assert_eq!(
            (endpoint.status(), endpoint.failing_since_ms, endpoint.disabled.clone()),
            (EndpointStatus::Active, None, None)
        );
        let view = serde_json::to_value(endpoint.view()).unwrap();
        assert_eq!(view["status"], "active");
    }
}
