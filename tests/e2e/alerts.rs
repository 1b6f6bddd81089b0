//! Alerts in every chat format, end to end: one site with a Slack, a Discord, a Teams and a
//! Telegram endpoint (each a loopback receiver standing in for the platform) gets a failure whose
//! comment is hostile (markdown, mentions, markup, and as long as a customer may write: 2,000
//! characters; intake refuses control characters and bidirectional overrides, and core's unit
//! tests give the renderers those and 10,000 characters too).
//! Each request is checked against that platform's documented body rules and limits, and no
//! customer text comes through as a mention, a link or markup. A chat webhook that answers 404
//! (deleted) disables its endpoint, with the reason shown.

use crate::{Ctx, TestFn, TestSite};
use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use std::time::Duration;
use tellus_tests::http;
use tellus_tests::mailbox::recorded;
use tellus_tests::receiver::{Received, Receiver, Reply};

pub const TESTS: &[(&str, TestFn)] = crate::tests![
    every_chat_format_gets_a_body_its_platform_accepts_with_the_comment_defused,
    a_deleted_chat_webhook_disables_its_endpoint,
    the_owner_gets_the_whole_story_by_email_in_the_endpoints_language,
];

const BOT_TOKEN: &str = "123456:abcdefghijabcdefghijabcdefghij12345";

fn hostile_comment() -> String {
    let mut text = String::from(
        "@everyone @here <@123> <!channel> **bold** [click](https://evil.example) <script>alert(1)</script>\n",
    );
    while text.chars().count() < 2_000 {
        text.push_str("The food was cold and nobody came. ");
    }
    text.chars().take(2_000).collect()
}

fn register(ctx: &Ctx, site: &TestSite, body: Value) -> Result<Value> {
    let answer = http::post_json(
        &ctx.url(&format!("/v1/sites/{}/callbacks", site.id)),
        &[("authorization", &format!("Bearer {}", site.owner_key))],
        &body,
    )?;
    ensure!(answer.status == 201, "register {body}: {} {}", answer.status, answer.body);
    Ok(answer.json())
}

fn first(receiver: &Receiver, what: &str) -> Result<Received> {
    let got = tellus_tests::poll(what, Duration::from_secs(20), || receiver.received().into_iter().next())?;
    Ok(got)
}

/// Every string anywhere in a JSON value.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// No customer text that would ping, link or render as markup on Discord: `@everyone` and
/// `@here` are broken up (and `allowed_mentions` forbids every ping anyway), masked links are
/// escaped.
fn defused_for_discord(texts: &[String]) -> Result<()> {
    for text in texts {
        ensure!(!text.contains("@everyone") && !text.contains("@here"), "a mention came through: {text:.200}");
        ensure!(!text.contains("](https://evil.example)"), "a masked link came through: {text:.200}");
    }
    Ok(())
}

/// A hostile 2,000-character failure reaches Slack (Block Kit with a text fallback), Discord
/// (content and an embed), Teams (an Adaptive Card in the Workflows envelope) and Telegram (Bot
/// API sendMessage in HTML mode) within each platform's documented limits, cut with an ellipsis,
/// with every mention, link and tag of the customer's text defused; none of them is signed.
fn every_chat_format_gets_a_body_its_platform_accepts_with_the_comment_defused(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({"name": "Shop <&> @everyone"}))?;
    let slack = Receiver::start(Vec::new())?;
    let discord = Receiver::start(Vec::new())?;
    let teams = Receiver::start(Vec::new())?;
    let telegram = Receiver::start(Vec::new())?;
    let events = json!(["failure.reported"]);
    register(ctx, &site, json!({"format": "slack", "url": slack.url("/services/T/B/X"), "events": events}))?;
    register(ctx, &site, json!({"format": "discord", "url": discord.url("/api/webhooks/1/abc"), "events": events}))?;
    register(ctx, &site, json!({"format": "teams", "url": teams.url("/workflows/x"), "events": events, "lang": "fi"}))?;
    let chat = register(
        ctx,
        &site,
        json!({"format": "telegram", "url": telegram.url(""), "bot_token": BOT_TOKEN, "chat_id": "-1001234567890", "events": events, "lang": "ar"}),
    )?;
    ensure!(
        chat.get("secret").is_none() && !chat.to_string().contains(BOT_TOKEN),
        "the bot token is never shown: {chat}"
    );
    let answer = ctx.submit(
        &site,
        &json!({"rating": 1, "comment": hostile_comment(), "dimensions": ["responsiveness"],
                "touchpoint": {"page": "/checkout", "order": "A-17", "agent": "Mia"},
                "consent": true, "contact": {"name": "Ann", "email": "ann@example.com", "channel": "email"}}),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);

    // Slack: https://api.slack.com/reference/block-kit/blocks — `text` is the fallback; at most 50
    // blocks; a header's text ≤ 150; a section's text ≤ 3,000.
    let got = first(&slack, "the Slack message")?;
    ensure!(got.header("webhook-signature").is_none(), "Slack is not signed");
    let body = got.json();
    let fallback = body["text"].as_str().context("text")?;
    ensure!(!fallback.is_empty() && fallback.chars().count() <= 40_000, "text: {}", fallback.len());
    let blocks = body["blocks"].as_array().context("blocks")?;
    ensure!(!blocks.is_empty() && blocks.len() <= 50, "{} blocks", blocks.len());
    for block in blocks {
        if block["type"] == "header" {
            ensure!(block["text"]["text"].as_str().is_some_and(|t| t.chars().count() <= 150), "{block}");
        }
        if block["type"] == "section" {
            ensure!(block["text"]["text"].as_str().is_some_and(|t| t.chars().count() <= 3_000), "{block}");
        }
    }
    // Slack parses `<!channel>`, `<@U…>` and `<url|text>` in mrkdwn: the fallback must have the
    // customer's `<` escaped (the blocks carry it as rich text, which Slack does not parse).
    ensure!(!fallback.contains("<!") && !fallback.contains("<@") && !fallback.contains("<script"), "{fallback:.300}");
    ensure!(fallback.contains("&lt;!channel&gt;"), "the customer's <!channel> is escaped: {fallback:.300}");

    // Discord: https://discord.com/developers/docs/resources/webhook#execute-webhook — content ≤
    // 2,000; ≤ 10 embeds; title ≤ 256, description ≤ 4,096, ≤ 25 fields (name 256, value 1,024),
    // all embeds ≤ 6,000; mentions only as allowed_mentions says.
    let got = first(&discord, "the Discord message")?;
    let body = got.json();
    let content = body["content"].as_str().unwrap_or_default();
    let embeds = body["embeds"].as_array().cloned().unwrap_or_default();
    ensure!(!content.is_empty() || !embeds.is_empty(), "never empty: {body}");
    ensure!(content.chars().count() <= 2_000, "content: {}", content.chars().count());
    ensure!(embeds.len() <= 10, "{} embeds", embeds.len());
    let mut total = 0;
    for embed in &embeds {
        let count = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        ensure!(count(&embed["title"]) <= 256 && count(&embed["description"]) <= 4_096, "{embed:.300}");
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        ensure!(fields.len() <= 25, "{} fields", fields.len());
        for field in &fields {
            ensure!(count(&field["name"]) <= 256 && count(&field["value"]) <= 1_024, "{field}");
            total += count(&field["name"]) + count(&field["value"]);
        }
        total += count(&embed["title"]) + count(&embed["description"]) + count(&embed["footer"]["text"]);
    }
    ensure!(total <= 6_000, "embeds total {total}");
    ensure!(body["allowed_mentions"]["parse"] == json!([]), "no mention may ping: {}", body["allowed_mentions"]);
    let mut texts = Vec::new();
    strings(&body, &mut texts);
    defused_for_discord(&texts)?;

    // Teams (Workflows webhook): a message whose attachment is an Adaptive Card; the whole
    // request under ~28 KB.
    let got = first(&teams, "the Teams card")?;
    ensure!(got.body.len() <= 28 * 1024, "{} bytes", got.body.len());
    let body = got.json();
    ensure!(body["type"] == "message", "{body:.300}");
    let attachment = &body["attachments"][0];
    ensure!(attachment["contentType"] == "application/vnd.microsoft.card.adaptive", "{attachment:.300}");
    let card = &attachment["content"];
    ensure!(card["type"] == "AdaptiveCard" && card["version"].is_string(), "{card:.300}");
    ensure!(card["body"].as_array().is_some_and(|b| !b.is_empty()), "{card:.300}");
    let mut texts = Vec::new();
    strings(card, &mut texts);
    ensure!(texts.iter().any(|t| t.contains("Mia")), "the agent is in the story");

    // Telegram: https://core.telegram.org/bots/api#sendmessage — POST /bot{token}/sendMessage,
    // chat_id, text ≤ 4,096 characters, parse_mode HTML with only its tags.
    let got = first(&telegram, "the Telegram message")?;
    ensure!(got.path == format!("/bot{BOT_TOKEN}/sendMessage"), "{}", got.path);
    let body = got.json();
    // chat_id: "Integer or String" in the Bot API.
    let chat_id =
        body["chat_id"].as_i64().map(|n| n.to_string()).or_else(|| body["chat_id"].as_str().map(str::to_owned));
    ensure!(chat_id.as_deref() == Some("-1001234567890") && body["parse_mode"] == "HTML", "{body:.300}");
    let text = body["text"].as_str().context("text")?;
    ensure!(!text.is_empty() && text.chars().count() <= 4_096, "text: {}", text.chars().count());
    ensure!(!text.contains("<script"), "{text:.300}");
    let tags: Vec<&str> = text.split('<').skip(1).filter_map(|t| t.split(['>', ' ']).next()).collect();
    let allowed = [
        "b",
        "/b",
        "i",
        "/i",
        "a",
        "/a",
        "code",
        "/code",
        "pre",
        "/pre",
        "blockquote",
        "/blockquote",
        "u",
        "/u",
        "s",
        "/s",
    ];
    ensure!(tags.iter().all(|t| allowed.contains(t)), "only Telegram's HTML tags: {tags:?}");
    ensure!(text.contains("ann@example.com"), "the consented contact goes with a failure");
    Ok(())
}

/// A Discord webhook deleted in Discord answers 404: the endpoint is disabled at once (no
/// retries against a webhook that is gone), and its status and reason say so.
fn a_deleted_chat_webhook_disables_its_endpoint(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({}))?;
    let gone = Receiver::start(vec![Reply::status(404)])?;
    let endpoint = register(
        ctx,
        &site,
        json!({"format": "discord", "url": gone.url("/api/webhooks/9/gone"), "events": ["failure.reported"]}),
    )?;
    let id = endpoint["id"].as_str().context("id")?.to_owned();
    ctx.submit(&site, &json!({"rating": 1}))?;
    first(&gone, "the attempt")?;
    let auth = format!("Bearer {}", site.owner_key);
    let listed = tellus_tests::poll("the endpoint to be disabled", Duration::from_secs(20), || {
        let answer =
            http::get(&ctx.url(&format!("/v1/sites/{}/callbacks", site.id)), &[("authorization", &auth)]).ok()?;
        let endpoints = answer.json()["endpoints"].as_array().cloned()?;
        endpoints.into_iter().find(|e| e["id"] == id.as_str() && e["status"] == "disabled")
    })?;
    let reason = listed["disabled_reason"].as_str().unwrap_or_default();
    ensure!(reason.contains("Discord") && reason.contains("no longer exists"), "{reason}");
    // A second failure: nothing is made for the disabled endpoint (the answer comes after the
    // site's desk has made the failure's deliveries).
    ctx.submit(&site, &json!({"rating": 1}))?;
    let log =
        http::get(&ctx.url(&format!("/v1/sites/{}/callbacks/{id}/deliveries", site.id)), &[("authorization", &auth)])?;
    let log = log.json()["deliveries"].as_array().cloned().unwrap_or_default();
    ensure!(log.len() == 1 && log[0]["state"] == "failed" && log[0]["last_status"] == 404, "{log:?}");
    ensure!(gone.received().len() == 1, "a disabled endpoint gets nothing more");
    Ok(())
}

/// An owner who registered an email endpoint (in Polish) gets a failure by email through the
/// Email Service binding, recorded by `wrangler dev`: from the site's name, in the endpoint's
/// language, text and HTML, with the whole story (rating, what went wrong, comment, page, order,
/// agent, the consented contact, the deadlines, the link). The customer's markup arrives escaped
/// in the HTML. (`Reply-To` the consenting customer is set on the message core renders and
/// checked by its unit tests; wrangler's local binding does not record that header.)
fn the_owner_gets_the_whole_story_by_email_in_the_endpoints_language(ctx: &Ctx) -> Result<()> {
    let site = ctx.create_site(json!({"name": "Sklep <Ola>"}))?;
    let owner = format!("owner.{}@example.com", site.id);
    let endpoint =
        register(ctx, &site, json!({"format": "email", "email": owner, "events": ["failure.reported"], "lang": "pl"}))?;
    ensure!(endpoint.get("secret").is_none() && endpoint["signed"] == false, "email is not signed: {endpoint}");
    let customer = format!("ann.{}@example.com", site.id);
    let answer = ctx.submit(
        &site,
        &json!({"rating": 1, "comment": "Zimne jedzenie <b>i</b> nikt nie przyszedł", "dimensions": ["responsiveness"],
                "touchpoint": {"page": "/zamowienie", "order": "Z-9", "agent": "Ewa"},
                "consent": true, "contact": {"name": "Ann", "email": customer, "channel": "email"}}),
    )?;
    ensure!(answer.status == 201, "{}", answer.body);
    let id = answer.json()["id"].as_str().unwrap_or_default().to_owned();
    let mail = recorded(&owner, 1)?.remove(0);
    ensure!(mail.from.contains("Sklep <Ola>") || mail.from.contains("Sklep"), "from the site's name: {}", mail.from);
    ensure!(!mail.subject.is_empty() && mail.subject.contains("Sklep"), "{}", mail.subject);
    for part in ["Zimne jedzenie", "/zamowienie", "Z-9", "Ewa", "Ann", &customer, &format!("/entries/{id}")] {
        ensure!(mail.text.contains(part), "the text has {part}: {}", mail.text);
    }
    ensure!(
        mail.html.contains("&lt;b&gt;i&lt;/b&gt;") && !mail.html.contains("<b>i</b>"),
        "the comment is escaped in HTML"
    );
    ensure!(mail.html.contains("lang=\"pl\""), "in the endpoint's language");
    Ok(())
}
