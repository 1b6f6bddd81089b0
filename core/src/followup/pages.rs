//! The hosted pages of the follow-up, as HTML (pure, so escaping is unit-tested):
//!
//! - the receipt page (`/r/{receipt}`): the failure's status, the owner's reply and, once it is
//!   fixed, the re-rating form (a plain `<form method="post">`, so it works without JavaScript;
//!   a rating link from the email only preselects its radio button);
//! - the unsubscribe page (`/r/{receipt}/unsubscribe`): a question and a button (the GET changes
//!   nothing), then what was done;
//! - the page for a wrong, incomplete or dead link, which names nothing of any entry;
//! - the hosted feedback page (`/f/{site}?touchpoint=…`): the site's name, a sentence, and the
//!   widget's two script files, which open the dialog at once;
//! - the owner's section of feedback pages and QR codes (one call the summary page places) and
//!   the printable page of one touchpoint's code.
//!
//! The pages have no inline script or style (their CSP forbids both); their stylesheet is
//! `www/followup.css`.

use super::email::{rating_label, status_text};
use super::ratings;
use crate::entry::{Entry, Status};
use crate::html::escape;
use crate::i18n::Lang;
use crate::i18n::followup::{FollowUpStrings, of};
use crate::i18n::widget::Text;
use std::fmt::Write;

/// The stylesheet of the follow-up's pages.
pub const STYLESHEET: &str = "/followup.css";
/// The script that asks the loader to open the dialog at once (`tellus('open')` through the
/// loader's queue stub; a file, because the page's CSP allows no inline script).
pub const OPEN_SCRIPT: &str = "/hosted.js";

fn head(lang: Lang, title: &str, body_class: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="{STYLESHEET}">
</head>
<body class="{body_class}">
"#,
        dir = lang.dir(),
        title = escape(title),
    )
}

const FOOT: &str = "</main>\n</body>\n</html>\n";

/// A message shown at the top of the receipt page after a form was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The re-rating was stored (or had been, by an earlier confirmation).
    Rerated,
    /// The form came without a rating of the scale.
    ChooseRating,
}

/// What the receipt page shows.
pub struct ReceiptPage<'a> {
    pub site_name: &'a str,
    pub entry: &'a Entry,
    /// The receipt's segment of the address (`{site}.{entry}.{token}`), for the form's action.
    pub segment: &'a str,
    /// The rating a link chose, preselected in the form.
    pub chosen: Option<u8>,
    pub notice: Option<Notice>,
}

/// The receipt page, in the entry's language.
pub fn receipt_page(page: &ReceiptPage<'_>) -> String {
    let entry = page.entry;
    let s = crate::i18n::followup::of_tag(&entry.lang);
    let title = s.receipt_title.replace("{site}", page.site_name);
    let mut out = head(s.lang, &title, "followup receipt");
    let status = match entry.status {
        Some(Status::Fixed) => "fixed",
        Some(Status::Acknowledged) => "acknowledged",
        Some(Status::Open) => "open",
        None => "received",
    };
    let _ = write!(
        out,
        r#"<main>
<h1>{title}</h1>
<section aria-labelledby="h-status"><h2 id="h-status">{heading}</h2>
<p data-status="{status}">{text}</p>
</section>
"#,
        title = escape(&title),
        heading = escape(s.status_heading),
        text = escape(status_text(s, entry)),
    );
    if let Some(reply) = entry.reply.as_ref().filter(|r| !r.text.trim().is_empty()) {
        let lines: Vec<String> = reply.text.lines().map(escape).collect();
        let _ = write!(
            out,
            r#"<section aria-labelledby="h-reply"><h2 id="h-reply">{}</h2>
<blockquote data-reply><p>{}</p></blockquote>
</section>
"#,
            escape(&s.reply_heading.replace("{site}", page.site_name)),
            lines.join("<br>")
        );
    }
    match (entry.status, entry.rerating) {
        (_, Some(rerating)) => {
            if page.notice == Some(Notice::Rerated) {
                let _ = write!(
                    out,
                    r#"<p class="notice" role="status" data-rerated>{}</p>"#,
                    escape(s.widget(Text::Rerated))
                );
            }
            let _ = write!(
                out,
                "\n<p data-new-rating=\"{}\">{} {}</p>\n",
                rerating.rating,
                escape(s.your_new_rating),
                escape(&rating_label(s, entry.scale, rerating.rating))
            );
        }
        (Some(Status::Fixed), None) => rerate_form(&mut out, s, page),
        _ => {
            let _ = writeln!(out, "<p>{}</p>", escape(s.rate_later));
        }
    }
    let _ = writeln!(
        out,
        r#"<footer><p><a href="/r/{segment}/unsubscribe" data-unsubscribe>{}</a></p></footer>"#,
        escape(s.unsubscribe),
        segment = escape(page.segment),
    );
    out.push_str(FOOT);
    out
}

fn rerate_form(out: &mut String, s: &FollowUpStrings, page: &ReceiptPage<'_>) {
    let scale = page.entry.scale;
    let _ = write!(
        out,
        r#"<form method="post" action="/r/{segment}" class="rerate">
<fieldset><legend>{question}</legend>
"#,
        segment = escape(page.segment),
        question = escape(s.widget(Text::RerateQuestion)),
    );
    if page.notice == Some(Notice::ChooseRating) {
        let _ = write!(out, r#"<p class="error" role="alert">{}</p>"#, escape(s.widget(Text::ChooseRating)));
    }
    if scale == crate::entry::Scale::Nps {
        let _ = writeln!(
            out,
            "<p class=\"ends\">{}; {}</p>",
            escape(s.widget(Text::NpsLow)),
            escape(s.widget(Text::NpsHigh))
        );
    }
    out.push_str("<div class=\"ratings\">\n");
    for rating in ratings(scale) {
        let checked = if page.chosen == Some(rating) { " checked" } else { "" };
        let _ = writeln!(
            out,
            r#"<label for="rating-{rating}"><input type="radio" id="rating-{rating}" name="rating" value="{rating}" required{checked}> {}</label>"#,
            escape(&rating_label(s, scale, rating))
        );
    }
    let _ = write!(
        out,
        r#"</div>
</fieldset>
<button type="submit" data-action="confirm">{}</button>
</form>
"#,
        escape(s.confirm)
    );
}

/// The page for a link that opens nothing: a wrong or missing token, an unknown or deleted
/// entry. The same page whatever the cause, in the reader's language.
pub fn gone_page(lang: Lang) -> String {
    let s = of(lang);
    let mut out = head(lang, s.gone_title, "followup gone");
    let _ = write!(out, "<main>\n<h1>{}</h1>\n<p>{}</p>\n", escape(s.gone_title), escape(s.gone_text));
    out.push_str(FOOT);
    out
}

/// The page for a fault of ours (storage unreachable, say): try again later. Nothing of the
/// entry, and never the "nothing to show" page, which would say the link is dead.
pub fn trouble_page(lang: Lang) -> String {
    let s = of(lang);
    let text = s.widget(Text::Unexpected);
    let mut out = head(lang, text, "followup trouble");
    let _ = write!(out, "<main>\n<h1>{}</h1>\n", escape(text));
    out.push_str(FOOT);
    out
}

/// The unsubscribe page: the question with its button (`done == false`), or the confirmation.
pub fn unsubscribe_page(site_name: &str, entry: &Entry, segment: &str, done: bool) -> String {
    let s = crate::i18n::followup::of_tag(&entry.lang);
    let mut out = head(s.lang, s.unsubscribe_title, "followup unsubscribe");
    let _ = write!(out, "<main>\n<h1>{}</h1>\n", escape(s.unsubscribe_title));
    if done {
        let _ = write!(out, r#"<p class="notice" role="status" data-unsubscribed>{}</p>"#, escape(s.unsubscribed));
    } else {
        let _ = write!(
            out,
            r#"<p>{text}</p>
<form method="post" action="/r/{segment}/unsubscribe"><button type="submit" data-action="unsubscribe">{button}</button></form>"#,
            text = escape(&s.unsubscribe_text.replace("{site}", site_name)),
            segment = escape(segment),
            button = escape(s.unsubscribe_button),
        );
    }
    let _ = write!(out, "\n<p><a href=\"/r/{}\">{}</a></p>\n", escape(segment), escape(s.back_to_receipt));
    out.push_str(FOOT);
    out
}

/// The hosted feedback page's address for a touchpoint (`None`: the site as a whole).
pub fn feedback_url(base: &str, site: &str, touchpoint: Option<&str>) -> String {
    match touchpoint {
        Some(touchpoint) => {
            let query: String =
                url::form_urlencoded::Serializer::new(String::new()).append_pair("touchpoint", touchpoint).finish();
            format!("{base}/f/{site}?{query}")
        }
        None => format!("{base}/f/{site}"),
    }
}

/// The hosted feedback page: the widget on a plain page, opened at once, in `lang`.
pub fn feedback_page(lang: Lang, site_id: &str, site_name: &str, touchpoint: Option<&str>) -> String {
    let s = of(lang);
    let title = s.feedback_title.replace("{site}", site_name);
    let mut out = head(lang, &title, "followup hosted");
    let touchpoint_attr = touchpoint.map(|t| format!(r#" data-touchpoint="{}""#, escape(t))).unwrap_or_default();
    let _ = write!(
        out,
        r#"<main>
<h1>{title}</h1>
<p>{intro}</p>
<noscript><p>{noscript}</p></noscript>
</main>
<script src="{OPEN_SCRIPT}"></script>
<script src="/tellus.js" data-site="{site}" data-lang="{lang}"{touchpoint_attr} async></script>
</body>
</html>
"#,
        title = escape(&title),
        intro = escape(&s.feedback_intro.replace("{site}", site_name)),
        noscript = escape(s.noscript),
        site = escape(site_id),
    );
    out
}

/// One touchpoint's feedback page: its name (`None`: the whole site), address and QR code (an
/// SVG document made by the Worker's QR encoder).
pub struct TouchpointCode {
    pub touchpoint: Option<String>,
    pub url: String,
    pub svg: String,
}

/// The code as inline SVG, `size` CSS pixels square, named for assistive technology. The
/// encoder's document is used as it is, but for its XML declaration and its own width and height
/// on the `<svg>` tag (its `viewBox` keeps the drawing); inline, because the summary page holds
/// no `<img>` (a page of customer text is checked to have none).
fn qr_img(s: &FollowUpStrings, code: &TouchpointCode, size: u32) -> String {
    let Some(at) = code.svg.find("<svg") else { return String::new() };
    let rest = &code.svg[at + "<svg".len()..];
    let Some(tag_end) = rest.find('>') else { return String::new() };
    let (tag, body) = rest.split_at(tag_end);
    let attributes: Vec<&str> =
        split_attributes(tag).into_iter().filter(|a| !a.starts_with("width=") && !a.starts_with("height=")).collect();
    format!(
        r#"<svg class="qr" width="{size}" height="{size}" role="img" aria-label="{alt}" data-qr="{url}" {attrs}{body}"#,
        alt = escape(&s.qr_alt.replace("{url}", &code.url)),
        url = escape(&code.url),
        attrs = attributes.join(" "),
    )
}

/// The attributes of a start tag (`a="1" b="2"`), each as written; values are quoted, without
/// spaces or quotes inside them (the QR encoder's are numbers, colours and a namespace).
fn split_attributes(tag: &str) -> Vec<&str> {
    tag.split_whitespace().filter(|a| !a.is_empty() && *a != "/").collect()
}

fn printable_href(site_id: &str, touchpoint: Option<&str>) -> String {
    match touchpoint {
        Some(t) => format!(
            "/s/{}/touchpoints?{}",
            escape(site_id),
            escape(&url::form_urlencoded::Serializer::new(String::new()).append_pair("touchpoint", t).finish())
        ),
        None => format!("/s/{}/touchpoints", escape(site_id)),
    }
}

/// The owner's section of feedback pages and QR codes, for the summary page: one row per
/// touchpoint with its link, its QR code and its printable page, and a form for a new one.
pub fn touchpoint_section(lang: Lang, site_id: &str, codes: &[TouchpointCode]) -> String {
    let s = of(lang);
    let mut out = format!(
        r#"<section class="touchpoint-pages" aria-labelledby="h-touchpoint-pages"><h2 id="h-touchpoint-pages">{}</h2>
<p>{}</p>
<div class="table-scroll"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>
"#,
        escape(s.pages_heading),
        escape(s.pages_intro),
        escape(s.touchpoint),
        escape(s.link),
        escape(s.qr_code)
    );
    for code in codes {
        let name = code.touchpoint.as_deref().unwrap_or(s.whole_site);
        let _ = writeln!(
            out,
            r#"<tr data-touchpoint="{attr}"><th scope="row">{name}</th><td><a href="{url}" data-feedback-link>{url}</a></td><td>{img} <a href="{print}">{printable}</a></td></tr>"#,
            attr = escape(code.touchpoint.as_deref().unwrap_or("")),
            name = escape(name),
            url = escape(&code.url),
            img = qr_img(s, code, 160),
            print = printable_href(site_id, code.touchpoint.as_deref()),
            printable = escape(s.printable),
        );
    }
    let _ = write!(
        out,
        r#"</tbody></table></div>
<form method="get" action="/s/{site}/touchpoints" class="new-touchpoint"><label for="new-touchpoint">{label}</label> <input id="new-touchpoint" name="touchpoint" maxlength="200" required> <button type="submit">{button}</button></form>
</section>
"#,
        site = escape(site_id),
        label = escape(s.new_touchpoint),
        button = escape(s.make_link),
    );
    out
}

/// The printable page of one touchpoint: the site's name, an invitation, a large code and the
/// address written out (for phones without a camera app that reads codes).
pub fn printable_page(lang: Lang, site_id: &str, site_name: &str, code: &TouchpointCode) -> String {
    let s = of(lang);
    let name = code.touchpoint.as_deref().unwrap_or(s.whole_site);
    let title = format!("{site_name} — {name}");
    let mut out = head(lang, &title, "followup printable");
    let _ = write!(
        out,
        r#"<main>
<h1>{site}</h1>
<p class="invite">{invite}</p>
<p>{img}</p>
<p class="address"><a href="{url}">{url}</a></p>
<p class="touchpoint">{touchpoint}: {name}</p>
<p class="hint">{hint} <a href="/s/{site_id}">{back}</a></p>
"#,
        site = escape(site_name),
        invite = escape(s.scan_to_tell),
        img = qr_img(s, code, 320),
        url = escape(&code.url),
        touchpoint = escape(s.touchpoint),
        name = escape(name),
        hint = escape(s.print_hint),
        site_id = escape(site_id),
        back = escape(crate::i18n::page::of(lang).title),
    );
    out.push_str(FOOT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::tests::entry;

    fn page(entry: &Entry, chosen: Option<u8>, notice: Option<Notice>) -> String {
        receipt_page(&ReceiptPage { site_name: "Soup <&> Co", entry, segment: "seg", chosen, notice })
    }

    #[test]
    fn the_receipt_page_shows_status_and_reply_and_asks_only_once_fixed() {
        let mut e = entry();
        e.reply(e.created_ms + 1, "<b>Sorry</b>\nNew soup".into());
        let open = page(&e, Some(4), None);
        assert!(open.contains(r#"data-status="open""#));
        assert!(open.contains("&lt;b&gt;Sorry&lt;/b&gt;<br>New soup"));
        assert!(open.contains("Soup &lt;&amp;&gt; Co") && !open.contains("Soup <&> Co"));
        assert!(!open.contains("<form"), "nothing to rate before the fix");
        e.fix(e.created_ms + 2, String::new()).unwrap();
        let fixed = page(&e, Some(4), None);
        assert!(fixed.contains(r#"<form method="post" action="/r/seg""#));
        assert!(fixed.contains(r#"value="4" required checked>"#));
        assert_eq!(fixed.matches("checked").count(), 1);
        assert_eq!(fixed.matches(r#"type="radio""#).count(), 5);
        let none = page(&e, None, Some(Notice::ChooseRating));
        assert!(!none.contains("checked") && none.contains(r#"role="alert""#));
        e.rerate(e.created_ms + 3, 5).unwrap();
        let done = page(&e, Some(4), Some(Notice::Rerated));
        assert!(!done.contains("<form method=\"post\" action=\"/r/seg\""));
        assert!(done.contains(r#"data-new-rating="5""#) && done.contains("data-rerated"));
    }

    #[test]
    fn every_page_is_in_its_language_and_direction() {
        for lang in Lang::ALL {
            let mut e = entry();
            e.lang = lang.code().into();
            let html = page(&e, None, None);
            assert!(html.contains(&format!(r#"<html lang="{}" dir="{}">"#, lang.code(), lang.dir())));
            assert!(html.contains(&escape(of(lang).status_heading)));
            assert!(gone_page(lang).contains(&escape(of(lang).gone_text)));
            assert!(unsubscribe_page("Shop", &e, "seg", false).contains("action=\"/r/seg/unsubscribe\""));
            let hosted = feedback_page(lang, "shop-1", "Shop", Some("counter 1"));
            assert!(hosted.contains(&format!(r#"data-lang="{}""#, lang.code())));
            assert!(hosted.contains(r#"data-touchpoint="counter 1""#));
            assert!(hosted.contains(r#"<script src="/hosted.js"></script>"#));
        }
    }

    #[test]
    fn the_gone_page_names_nothing() {
        let html = gone_page(Lang::En);
        assert!(!html.contains("seg") && !html.contains("Soup"));
    }

    #[test]
    fn touchpoints_are_escaped_in_links_attributes_and_names() {
        assert_eq!(feedback_url("https://t.example", "shop-1", None), "https://t.example/f/shop-1");
        assert_eq!(
            feedback_url("https://t.example", "shop-1", Some("counter 1&x=\"2\"")),
            "https://t.example/f/shop-1?touchpoint=counter+1%26x%3D%222%22"
        );
        let code = TouchpointCode {
            touchpoint: Some("<til>".into()),
            url: feedback_url("https://t.example", "shop-1", Some("<til>")),
            svg: r#"<?xml version="1.0" standalone="yes"?><svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="264" height="264" viewBox="0 0 264 264"><path d="M0 0h8v8H0z"/></svg>"#.into(),
        };
        let section = touchpoint_section(Lang::En, "shop-1", std::slice::from_ref(&code));
        assert!(!section.contains("<til>"));
        assert!(section.contains(r#"<svg class="qr" width="160" height="160" role="img" aria-label="QR code that opens https://t.example/f/shop-1?touchpoint=%3Ctil%3E""#));
        assert!(section.contains(r#"xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 264 264"><path"#));
        assert!(!section.contains("<?xml") && !section.contains("264\" height") && !section.contains("<img"));
        assert!(section.contains(r#"href="/s/shop-1/touchpoints?touchpoint=%3Ctil%3E""#));
        let hosted = feedback_page(Lang::En, "shop-1", "<Shop>", Some("\"><script>"));
        assert!(!hosted.contains("\"><script>") && !hosted.contains("<Shop>"));
        let printable = printable_page(Lang::Ar, "shop-1", "Shop", &code);
        assert!(printable.contains(r#"dir="rtl""#) && printable.contains(r#"width="320""#));
    }
}
