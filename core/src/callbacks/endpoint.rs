//! Endpoints: what an owner registers (URL rules included), what is stored (secrets too, since
//! signing needs them), what the owner sees, and how an endpoint's health changes.

use super::delivery::AfterAttempt;
use super::{EventType, Format, iso8601};
use crate::input::fields::{Fields, InputError, parse_object};
use crate::input::url::is_loopback;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// Telegram's Bot API, where a `telegram` endpoint's requests go unless the owner names a
/// loopback stand-in (local development and tests only).
pub const TELEGRAM_API: &str = "https://api.telegram.org";
/// The hosts Discord serves incoming webhooks on (stable, and the PTB and Canary clients' own).
pub const DISCORD_HOSTS: [&str; 4] = ["discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"];
/// Longest email address (RFC 5321's path limit less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;
/// The language of an endpoint's alerts when its registration names none.
pub const DEFAULT_ALERT_LANG: &str = "en";

/// The body of `POST /v1/sites/{site}/callbacks`, validated. Which fields there are depends on
/// the format:
///
/// | format | destination | also |
/// |---|---|---|
/// | `standard`, `slack`, `teams` | `url`: any `https` URL | |
/// | `discord` | `url`: a Discord webhook (`https://discord.com/api/webhooks/{id}/{token}`) | |
/// | `telegram` | `bot_token` and `chat_id` (`url` only to name a loopback stand-in) | |
/// | `email` | `email`: the owner's address | |
///
/// Every format takes `events`, `description` and `lang` (the alert's language; see
/// [`super::words`]). A field a format does not use is refused rather than ignored, so a
/// mistaken registration is never half right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointInput {
    /// Where requests go: the webhook URL, Telegram's API (or its stand-in), or `mailto:` and
    /// the owner's address for email.
    pub url: String,
    pub events: Vec<EventType>,
    pub format: Format,
    pub description: String,
    /// One of [`super::words::LANGS`].
    pub lang: String,
    /// Telegram: the chat the bot posts to (`-100…` or `@channelname`).
    pub chat_id: Option<String>,
    /// Telegram: the bot's token, a secret kept like an endpoint secret.
    pub bot_token: Option<String>,
}

impl EndpointInput {
    /// Parses a registration body, reporting every bad field.
    pub fn parse(body: &[u8], rules: &UrlRules<'_>) -> Result<EndpointInput, InputError> {
        let map = parse_object(body).map_err(InputError::Body)?;
        // The format decides which fields there are and which URL rules apply, so it is looked
        // at first; its own errors are reported in their place below. An unknown format gets
        // the plain URL rules, so its other fields are still checked.
        let format = match map.get("format") {
            None | Some(Value::Null) => Some(Format::default()),
            Some(value) => value.as_str().and_then(Format::parse),
        };
        let checked_as = format.unwrap_or_default();
        let mut fields = Fields::new(&map);
        let mut unused: Vec<&'static str> = Vec::new();
        let mut chat_id = None;
        let mut bot_token = None;
        let url = match checked_as {
            Format::Email => {
                unused.extend(["url", "bot_token", "chat_id"]);
                let email = fields.required_string("email", MAX_EMAIL_CHARS);
                match email {
                    Some(email) if is_mail_address(&email) => Some(format!("mailto:{email}")),
                    Some(_) => {
                        fields.error("email", "must be an email address such as owner@example.com");
                        None
                    }
                    None => None,
                }
            }
            Format::Telegram => {
                unused.push("email");
                let url = match fields.string("url", crate::limits::MAX_URL_CHARS) {
                    None => Some(TELEGRAM_API.to_owned()),
                    Some(url) => match check_telegram_api(&url, rules) {
                        Ok(api) => Some(api),
                        Err(why) => {
                            fields.error("url", why);
                            None
                        }
                    },
                };
                bot_token = fields.required_string("bot_token", 120);
                if bot_token.as_deref().is_some_and(|token| !is_telegram_token(token)) {
                    fields.error("bot_token", "must be the token @BotFather gave the bot, such as 123456789:AAE…");
                    bot_token = None;
                }
                chat_id = match fields.take("chat_id") {
                    None => {
                        fields.error("chat_id", "is required: the chat's id (such as -1001234567890) or @channelname");
                        None
                    }
                    Some(value) => {
                        let id = telegram_chat_id(value);
                        if id.is_none() {
                            fields.error(
                                "chat_id",
                                "must be the chat's numeric id (such as -1001234567890) or a public channel's @username",
                            );
                        }
                        id
                    }
                };
                url
            }
            _ => {
                unused.extend(["email", "bot_token", "chat_id"]);
                let url = fields.required_string("url", crate::limits::MAX_URL_CHARS);
                let checked = match &url {
                    Some(url) if checked_as == Format::Discord => check_discord_url(url, rules),
                    Some(url) => check_url(url, rules),
                    None => Ok(()),
                };
                match checked {
                    Ok(()) => url,
                    Err(why) => {
                        fields.error("url", why);
                        None
                    }
                }
            }
        };
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
        if fields.take("format").is_some() && format.is_none() {
            fields.error("format", "must be one of standard, slack, discord, teams, telegram, email");
        }
        let description = fields.string("description", MAX_DESCRIPTION_CHARS).unwrap_or_default();
        let lang = match fields.string("lang", 10) {
            None => DEFAULT_ALERT_LANG.to_owned(),
            Some(lang) if super::words::is_alert_lang(&lang.to_ascii_lowercase()) => lang.to_ascii_lowercase(),
            Some(_) => {
                fields.error("lang", "must be one of en, et, fi, pl, ru, ar");
                DEFAULT_ALERT_LANG.to_owned()
            }
        };
        if format.is_some() {
            for name in unused {
                if fields.take(name).is_some() {
                    fields.error(name, format!("is not used by {} endpoints", checked_as.as_str()));
                }
            }
        }
        let errors = fields.finish();
        match (url, format) {
            (Some(url), Some(format)) if errors.is_empty() => {
                Ok(EndpointInput { url, events, format, description, lang, chat_id, bot_token })
            }
            _ => Err(InputError::Fields(errors)),
        }
    }
}

/// Whether `text` is a plain email address that is safe as a header value: `local@domain`,
/// at most 254 characters, the local part dot-separated RFC 5322 `atext`, the domain ASCII
/// labels (IDNs in their `xn--` form). Stricter than the widget's check on a customer's
/// address, because an owner's address goes into `To` and a customer's into `Reply-To`: no
/// spaces, quotes, commas or angle brackets can add a recipient or a header.
pub fn is_mail_address(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else { return false };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|part| !part.is_empty() && part.chars().all(atext));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| tld.len() >= 2 && !tld.chars().all(|c| c.is_ascii_digit()));
    text.len() <= MAX_EMAIL_CHARS && local_ok && domain_ok
}

/// A Discord incoming-webhook URL: `https://{discord host}/api[/v{n}]/webhooks/{id}/{token}`,
/// optionally with a query (`?thread_id=` posts into a thread). Loopback URLs pass as they are
/// where loopback is allowed (a local receiver stands in for Discord in tests).
pub fn check_discord_url(url: &str, rules: &UrlRules<'_>) -> Result<(), String> {
    check_url(url, rules)?;
    let refused = || {
        "must be a Discord webhook URL such as https://discord.com/api/webhooks/123…/abc… (channel settings, Integrations, Webhooks, Copy Webhook URL)".to_owned()
    };
    let parsed = ::url::Url::parse(url).map_err(|_| refused())?;
    let host = parsed.host().ok_or_else(refused)?;
    if is_loopback(host) {
        return Ok(());
    }
    let mut parts = parsed.path().trim_start_matches('/').split('/');
    let api = parts.next() == Some("api");
    let mut next = parts.next();
    if next.is_some_and(|v| v.len() > 1 && v.starts_with('v') && v[1..].bytes().all(|b| b.is_ascii_digit())) {
        next = parts.next();
    }
    let webhooks = next == Some("webhooks");
    let id = parts.next().is_some_and(|id| !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()));
    let token = parts
        .next()
        .is_some_and(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let whole = parts.next().is_none_or(str::is_empty) && parts.next().is_none();
    let discord = parsed.host_str().is_some_and(|name| DISCORD_HOSTS.contains(&name));
    if discord && api && webhooks && id && token && whole { Ok(()) } else { Err(refused()) }
}

/// The API base of a `telegram` endpoint that names one: Telegram's own, or a loopback
/// stand-in where loopback is allowed. Just the origin: the path is built from the token.
fn check_telegram_api(url: &str, rules: &UrlRules<'_>) -> Result<String, String> {
    check_url(url, rules)?;
    let just_origin = || "must be just Telegram's API origin, https://api.telegram.org (or leave it out)".to_owned();
    let parsed = ::url::Url::parse(url).map_err(|_| just_origin())?;
    if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(just_origin());
    }
    let origin = parsed.origin().ascii_serialization();
    let loopback = parsed.host().is_some_and(is_loopback);
    if loopback || origin.eq_ignore_ascii_case(TELEGRAM_API) {
        Ok(origin)
    } else {
        Err("must be Telegram's Bot API, https://api.telegram.org (or leave it out)".into())
    }
}

/// A bot token as @BotFather hands it out: the bot's numeric id, a colon, and the secret part
/// (35 characters today; a little leeway either way).
fn is_telegram_token(token: &str) -> bool {
    token.split_once(':').is_some_and(|(id, secret)| {
        (1..=20).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_digit())
            && (30..=100).contains(&secret.len())
            && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A Telegram `chat_id` ("Integer or String": a chat's number, or `@channelusername` of a
/// public channel), given as a JSON number or string.
fn telegram_chat_id(value: &Value) -> Option<String> {
    let text = match value {
        Value::Number(n) => n.as_i64().filter(|n| *n != 0)?.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    let numeric = (1..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && digits != "0";
    let username = text.strip_prefix('@').is_some_and(|name| {
        (5..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    (numeric || username).then_some(text)
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
    /// The language of the alert's words (endpoints stored before there was a choice: English).
    #[serde(default = "default_alert_lang")]
    pub lang: String,
    /// Telegram: the chat the bot posts to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    /// Telegram: the bot token. A secret like `secret`: stored because sending needs it, never
    /// shown again after registration, never in a view or a log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot_token: Option<String>,
}

fn default_alert_lang() -> String {
    DEFAULT_ALERT_LANG.to_owned()
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
            lang: input.lang,
            chat_id: input.chat_id,
            bot_token: input.bot_token,
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
            lang: self.lang.clone(),
            chat_id: self.chat_id.clone(),
            signed: self.format.is_signed(),
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
    /// The language of the alert's words.
    #[serde(default = "default_alert_lang")]
    pub lang: String,
    /// Telegram: the chat the bot posts to (the bot token is never shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<String>,
    /// Whether messages carry Standard Webhooks signatures (only `standard`: chat platforms
    /// and email cannot verify one).
    #[serde(default)]
    pub signed: bool,
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
            AfterAttempt::Disable => Some(HealthChange::Disable { reason: disable_reason(endpoint.format, now_ms) }),
            AfterAttempt::Exhausted if endpoint.failing_since_ms.is_none() => Some(HealthChange::Failing),
            AfterAttempt::Delivered if endpoint.status() != EndpointStatus::Active => Some(HealthChange::Recovered),
            _ => None,
        }
    }
}

/// Why an endpoint stopped receiving, in words the owner can act on (see
/// [`super::retry::outcome_for`] for what counts as gone on each platform).
fn disable_reason(format: Format, now_ms: u64) -> String {
    let at = iso8601(now_ms);
    match format {
        Format::Standard => format!("The receiver answered 410 Gone at {at}; replay a delivery to resume."),
        Format::Email => format!(
            "Cloudflare's Email Service refused this address for good at {at} (on the Workers Free plan it \
             delivers only to verified destination addresses); verify the address, then replay a delivery."
        ),
        Format::Slack | Format::Discord | Format::Teams => format!(
            "{} answered at {at} that this webhook no longer exists (it was deleted or its URL reset); \
             register the new webhook URL, or replay a delivery once it works again.",
            match format {
                Format::Slack => "Slack",
                Format::Discord => "Discord",
                _ => "Microsoft Teams",
            }
        ),
        Format::Telegram => format!(
            "Telegram refused the bot at {at}: its token was revoked, it was blocked or removed from the \
             chat, or the chat no longer exists; fix that, then replay a delivery to resume."
        ),
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
            lang: "en".into(),
            chat_id: None,
            bot_token: None,
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
        let body = br#"{"url":"http://hooks.example","events":["failure.reported","nope"],"format":"fax","x":1}"#;
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

    /// The fields of a registration with its errors, or the parsed input.
    fn parse(body: serde_json::Value, rules: &UrlRules<'_>) -> Result<EndpointInput, Vec<(String, String)>> {
        EndpointInput::parse(body.to_string().as_bytes(), rules).map_err(|err| match err {
            InputError::Fields(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
            InputError::Body(body) => vec![(String::new(), body.detail())],
        })
    }

    fn fields_of(result: Result<EndpointInput, Vec<(String, String)>>) -> Vec<String> {
        result.err().unwrap_or_default().into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn each_format_takes_its_own_fields_and_a_language() {
        let events = serde_json::json!(["failure.reported"]);
        let slack = parse(
            serde_json::json!({"url": "https://hooks.slack.com/services/T/B/x", "events": events, "format": "slack", "lang": "FI"}),
            &PROD,
        );
        let slack = slack.expect("a Slack registration");
        assert_eq!((slack.format, slack.lang.as_str(), slack.bot_token), (Format::Slack, "fi", None));
        let standard =
            parse(serde_json::json!({"url": "https://hooks.example/x", "events": events}), &PROD).expect("standard");
        assert_eq!(
            (standard.format, standard.lang.as_str()),
            (Format::Standard, "en"),
            "standard and English by default"
        );

        let teams_url = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x";
        let teams = parse(serde_json::json!({"url": teams_url, "events": events, "format": "teams"}), &PROD);
        assert_eq!(teams.map(|t| t.url), Ok(teams_url.to_owned()));

        let discord = "https://discord.com/api/webhooks/123456789012345678/abc-DEF_123";
        for url in [discord, "https://discordapp.com/api/v10/webhooks/1/x?thread_id=9", "http://127.0.0.1:9000/discord"]
        {
            let ok = parse(serde_json::json!({"url": url, "events": events, "format": "discord"}), &LOCAL);
            assert!(ok.is_ok(), "{url}: {ok:?}");
        }
        for url in [
            "https://hooks.example/api/webhooks/1/x",
            "https://discord.com/api/channels/1/messages",
            "https://discord.com/api/webhooks/abc/x",
            "https://discord.com/api/webhooks/1/x/github",
            "http://discord.com/api/webhooks/1/x",
        ] {
            let bad = parse(serde_json::json!({"url": url, "events": events, "format": "discord"}), &PROD);
            assert_eq!(fields_of(bad), ["url"], "{url}");
        }

        let telegram = parse(
            serde_json::json!({"format": "telegram", "bot_token": "123456789:AAE_example-token_example-token_12345", "chat_id": -1001234567890_i64, "events": events}),
            &PROD,
        )
        .expect("a Telegram registration");
        assert_eq!(telegram.url, TELEGRAM_API);
        assert_eq!(telegram.chat_id.as_deref(), Some("-1001234567890"));
        let channel = serde_json::json!({"format": "telegram", "bot_token": "1:abcdefghijabcdefghijabcdefghij12345", "chat_id": "@shop_alerts", "url": "http://127.0.0.1:9100", "events": events});
        assert_eq!(
            parse(channel, &LOCAL).map(|t| (t.url, t.chat_id)),
            Ok(("http://127.0.0.1:9100".into(), Some("@shop_alerts".into())))
        );
        let bad = parse(
            serde_json::json!({"format": "telegram", "bot_token": "not-a-token", "chat_id": "shop", "url": "https://evil.example", "events": events}),
            &PROD,
        );
        assert_eq!(fields_of(bad), ["url", "bot_token", "chat_id"]);
        let missing = parse(serde_json::json!({"format": "telegram", "events": events}), &PROD);
        assert_eq!(fields_of(missing), ["bot_token", "chat_id"]);

        let email = parse(
            serde_json::json!({"format": "email", "email": "owner@shop.example", "events": events, "lang": "ar"}),
            &PROD,
        );
        assert_eq!(email.map(|e| (e.url, e.lang)), Ok(("mailto:owner@shop.example".into(), "ar".into())));
        for address in [
            "owner",
            "owner@shop",
            "a b@shop.example",
            "owner@shop.example, x@evil.example",
            "\"x\"@shop.example",
            "o@-shop.example",
            "o@shop.123",
        ] {
            let bad = parse(serde_json::json!({"format": "email", "email": address, "events": events}), &PROD);
            assert_eq!(fields_of(bad), ["email"], "{address}");
        }
    }

    #[test]
    fn a_field_the_format_does_not_use_is_refused_and_every_error_is_reported() {
        let events = serde_json::json!(["failure.reported"]);
        let bad = parse(
            serde_json::json!({"format": "email", "email": "owner@shop.example", "url": "https://hooks.example", "bot_token": "x", "events": events}),
            &PROD,
        );
        let errors = bad.err().unwrap_or_default();
        assert_eq!(errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["url", "bot_token"]);
        assert!(errors.iter().all(|(_, message)| message == "is not used by email endpoints"), "{errors:?}");
        let bad = parse(
            serde_json::json!({"url": "https://hooks.example", "chat_id": 1, "events": events, "lang": "de"}),
            &PROD,
        );
        assert_eq!(fields_of(bad), ["lang", "chat_id"]);
        let bad = parse(serde_json::json!({"url": "https://hooks.example", "events": events, "format": 7}), &PROD);
        assert_eq!(fields_of(bad), ["format"]);
    }

    #[test]
    fn mail_addresses_are_plain_and_header_safe() {
        for good in ["owner@shop.example", "first.last+alerts@mail.shop.example", "o'neil@xn--mnchen-3ya.de"] {
            assert!(is_mail_address(good), "{good}");
        }
        for bad in [
            "",
            "@shop.example",
            "owner@",
            "owner@@shop.example",
            "a..b@shop.example",
            ".a@shop.example",
            "owner@shop.example\r\nBcc: x@evil.example",
            "<owner@shop.example>",
            "owner@shop_example.com",
            "ö@shop.example",
        ] {
            assert!(!is_mail_address(bad), "{bad}");
        }
        assert!(!is_mail_address(&format!("{}@shop.example", "a".repeat(65))));
    }

    #[test]
    fn the_view_shows_the_language_the_chat_and_whether_it_is_signed_but_no_token() {
        let input = EndpointInput::parse(
            br#"{"format":"telegram","bot_token":"123456789:AAE_example-token_example-token_12345","chat_id":"-100123","events":["failure.fixed"],"lang":"et"}"#,
            &PROD,
        )
        .expect("a Telegram registration");
        let endpoint = Endpoint::new(endpoint_id(&[1; 8]), input, new_secret(&[1; 24]), String::new(), 0);
        let view = serde_json::to_value(endpoint.view()).expect("view");
        assert_eq!(
            (view["format"].as_str(), view["lang"].as_str(), view["chat_id"].as_str()),
            (Some("telegram"), Some("et"), Some("-100123"))
        );
        assert_eq!(view["signed"], false);
        assert!(!view.to_string().contains("AAE_example"), "the bot token is never shown: {view}");
        // An endpoint stored before languages and chats existed reads as English.
        let old: Endpoint = serde_json::from_str(
            r#"{"id":"ep_1","url":"https://h.example","events":["failure.reported"],"format":"standard","secret":"whsec_x","created_ms":0}"#,
        )
        .expect("an old endpoint");
        assert_eq!((old.lang.as_str(), old.chat_id.as_deref(), old.view().signed), ("en", None, true));
    }

    #[test]
    fn health_follows_the_attempts() {
        let input = EndpointInput {
            url: "https://hooks.example/x".into(),
            events: vec![EventType::FailureReported],
            format: Format::Standard,
            description: String::new(),
            lang: "en".into(),
            chat_id: None,
            bot_token: None,
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
        let discord = Endpoint { format: Format::Discord, ..endpoint.clone() };
        let Some(HealthChange::Disable { reason }) = HealthChange::after(AfterAttempt::Disable, &discord, 0) else {
            panic!("a gone Discord webhook disables its endpoint")
        };
        assert!(reason.starts_with("Discord answered") && reason.contains("no longer exists"), "{reason}");

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
