//! The two paths after the rating, both always shown: *tell us* ("what went wrong?", a
//! comment, an optional callback behind a consent checkbox) and *tell others* (the site's
//! review links, the Web Share API where the browser has it, copy link).
//!
//! The invitation to tell others is the same for every rating: the same words, in the same
//! place (after tell us), with the same look, whether the customer gave 1 or 5, 0 or 10. The
//! rating changes nothing here, because the review platforms and the law forbid inviting reviews
//! selectively:
//! - Trustpilot: customers must be "invited equally and identically", a business "may not
//!   selectively invite" (legal.trustpilot.com, *Guidelines for Businesses*), and asking "If you
//!   were happy… review us; if not, contact support" is named as not allowed (*Tips for
//!   businesses*: don't "request that a customer with a negative experience contact support
//!   before leaving a review").
//! - Google: merchants must not discourage or prohibit negative reviews, nor selectively solicit
//!   positive reviews from customers (Maps user-contributed content policy, *Fake engagement*).
//! - The US FTC: "Don't ask for reviews only from customers you think will leave positive
//!   ones" (*Soliciting and Paying for Online Reviews: A Guide for Marketers*, January 2022).
//!
//! "Tell us" stays open to everyone too: a happy customer may still have something to fix.
//!
//! These are view functions: they read the one [`State`] and report what the customer did as
//! [`Action`]s through the root's `dispatch`.

use std::rc::Rc;

use tellus_core::entry::{Channel, Dimension};
use tellus_core::limits::{MAX_COMMENT_CHARS, MAX_SHORT_TEXT_CHARS};
use tellus_core::wire::SiteConfig;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Event, HtmlInputElement, HtmlTextAreaElement};

use crate::components::app::dispatch;
use crate::options::MountOptions;
use crate::services;
use crate::state::{Action, ContactField, State};
use crate::strings::{Text, decimal, text};
use crate::vdom::{El, Node, h};

/// Both paths, tell us then tell others, whatever the rating (tell others alone once the entry
/// is sent, in the same place).
pub fn paths(state: &State, config: &Rc<SiteConfig>, options: &Rc<MountOptions>) -> [Node; 2] {
    let tell_us = state.shows_form().then(|| tell_us(state, options));
    [tell_us.into(), tell_others(config, options, state.shared).into()]
}

/// A path's `<section>`.
fn section(path: &'static str, heading_id: &'static str) -> El {
    h("section").attr("class", "path").attr("data-tellus", path).attr("aria-labelledby", heading_id)
}

/// The value of the input or text area an event came from.
fn input_value(event: &Event) -> String {
    let target = event.target();
    if let Some(area) = target.as_ref().and_then(|t| t.dyn_ref::<HtmlTextAreaElement>()) {
        return area.value();
    }
    target.as_ref().and_then(|t| t.dyn_ref::<HtmlInputElement>()).map(HtmlInputElement::value).unwrap_or_default()
}

/// Whether the checkbox an event came from is ticked.
fn input_checked(event: &Event) -> bool {
    event.target().as_ref().and_then(|t| t.dyn_ref::<HtmlInputElement>()).is_some_and(HtmlInputElement::checked)
}

fn tell_us(state: &State, options: &MountOptions) -> El {
    let lang = options.lang();
    let dimensions = Dimension::ALL.into_iter().map(|dimension| {
        Node::from(
            h("label")
                .attr("class", "check")
                .child(
                    h("input")
                        .attr("type", "checkbox")
                        .attr("data-dimension", dimension.as_str())
                        .checked(state.dimensions.contains(&dimension))
                        .on("change", move |_| dispatch(Action::ToggleDimension(dimension))),
                )
                .child(dimension_label(lang, dimension)),
        )
    });
    let contact = &state.contact;
    let identify = options.identify.clone().unwrap_or_default();
    let mut contact_fields =
        h("fieldset").attr("class", "contact").child(h("legend").child(text(lang, Text::ContactLegend))).child(
            h("label")
                .attr("class", "check")
                .child(
                    h("input")
                        .attr("type", "checkbox")
                        .attr("data-tellus", "consent")
                        .checked(contact.consent)
                        .on("change", |event| dispatch(Action::Consent(input_checked(&event)))),
                )
                .child(text(lang, Text::Consent)),
        );
    if contact.consent {
        let name = contact.name.clone().or(identify.name).unwrap_or_default();
        let email = contact.email.clone().or(identify.email).unwrap_or_default();
        let channel = |value: Channel, key: Text| {
            Node::from(
                h("label")
                    .attr("class", "check")
                    .child(
                        h("input")
                            .attr("type", "radio")
                            .attr("name", "tl-channel")
                            .attr("data-channel", if value == Channel::Email { "email" } else { "phone" })
                            .checked(contact.channel == Some(value))
                            .on("change", move |_| dispatch(Action::Channel(value))),
                    )
                    .child(text(lang, key)),
            )
        };
        contact_fields = contact_fields
            .children(input(lang, Text::Name, ContactField::Name, "text", "name", name))
            .children(input(lang, Text::Email, ContactField::Email, "email", "email", email))
            .children(input(lang, Text::Phone, ContactField::Phone, "tel", "tel", contact.phone.clone()))
            .child(
                h("fieldset")
                    .attr("class", "channel")
                    .child(h("legend").child(text(lang, Text::PreferredChannel)))
                    .child(channel(Channel::Email, Text::Email))
                    .child(channel(Channel::Phone, Text::Phone)),
            );
    }
    section("tell-us", "tl-us")
        .child(h("h3").attr("id", "tl-us").child(text(lang, Text::TellUs)))
        .child(h("fieldset").child(h("legend").child(text(lang, Text::WhatWentWrong))).children(dimensions))
        .child(h("label").attr("class", "label").attr("for", "tl-comment").child(text(lang, Text::CommentLabel)))
        .child(
            h("textarea")
                .attr("id", "tl-comment")
                .attr("data-tellus", "comment")
                .attr("rows", "3")
                .attr("maxlength", decimal(MAX_COMMENT_CHARS as u64))
                .value(state.comment.clone())
                .on("input", |event| dispatch(Action::Comment(input_value(&event)))),
        )
        .child(contact_fields)
}

/// One labelled contact field; `id` doubles as the `autocomplete` token and the test hook.
fn input(
    lang: &str,
    label: Text,
    field: ContactField,
    kind: &'static str,
    id: &'static str,
    value: String,
) -> [Node; 2] {
    let field_id = ["tl-", id].concat();
    [
        h("label").attr("class", "label").attr("for", field_id.clone()).child(text(lang, label)).into(),
        h("input")
            .attr("id", field_id)
            .attr("type", kind)
            .attr("autocomplete", id)
            .attr("data-contact", id)
            .attr("maxlength", decimal(MAX_SHORT_TEXT_CHARS as u64))
            .value(value)
            .on("input", move |event| dispatch(Action::EditContact(field, input_value(&event))))
            .into(),
    ]
}

fn tell_others(config: &Rc<SiteConfig>, options: &Rc<MountOptions>, shared: bool) -> El {
    let lang = options.lang();
    let links = config.review_links.iter().map(|link| {
        Node::from(
            h("a")
                .attr("class", "button")
                .attr("href", link.url.clone())
                .attr("target", "_blank")
                .attr("rel", "noopener")
                .attr("data-review", link.id.clone())
                .on("click", on_tell(options, Tell::Link(link.id.clone())))
                .child(link.label.clone()),
        )
    });
    let share = services::can_share().then(|| {
        h("button")
            .attr("type", "button")
            .attr("class", "button")
            .attr("data-tellus", "share")
            .on("click", on_tell(options, Tell::Share(config.name.clone())))
            .child(text(lang, Text::Share))
    });
    let thanks = shared.then(|| {
        h("p")
            .attr("class", "thanks")
            .attr("role", "status")
            .attr("data-tellus", "shared")
            .child(text(lang, Text::Shared))
    });
    section("tell-others", "tl-others")
        .child(h("h3").attr("id", "tl-others").child(text(lang, Text::TellOthers)))
        .child(h("p").attr("class", "muted").child(text(lang, Text::TellOthersHint)))
        .child(
            h("div").attr("class", "links").children(links).child(share).child(
                h("button")
                    .attr("type", "button")
                    .attr("class", "button")
                    .attr("data-tellus", "copy")
                    .on("click", on_tell(options, Tell::Copy))
                    .child(text(lang, Text::CopyLink)),
            ),
        )
        .child(thanks)
}

/// A tell-others choice.
#[derive(Clone)]
enum Tell {
    /// A review link, by its id: the browser opens it (the default action goes ahead).
    Link(String),
    /// The Web Share API, with the site's name as the title.
    Share(String),
    /// The page's address to the clipboard.
    Copy,
}

/// The click handler of a tell-others choice: does what it says, then counts the click once it
/// happened; the confirmation waits for the Worker's 204. One handler and one task type for
/// every choice.
fn on_tell(options: &Rc<MountOptions>, tell: Tell) -> impl Fn(Event) + 'static {
    let options = options.clone();
    move |_: Event| {
        let (options, tell) = (options.clone(), tell.clone());
        spawn_local(async move {
            let target = match tell {
                Tell::Link(id) => id,
                Tell::Share(title) if services::share_page(&title).await => "share".into(),
                Tell::Copy if services::copy_page_link().await => "copy".into(),
                Tell::Share(_) | Tell::Copy => return,
            };
            if services::count_click(&options.endpoint, &options.site, &target).await.is_ok() {
                dispatch(Action::Shared);
            }
        });
    }
}

/// The plain words for a SERVQUAL dimension.
fn dimension_label(lang: &str, dimension: Dimension) -> &'static str {
    let key = match dimension {
        Dimension::Reliability => Text::DimensionReliability,
        Dimension::Responsiveness => Text::DimensionResponsiveness,
        Dimension::Assurance => Text::DimensionAssurance,
        Dimension::Empathy => Text::DimensionEmpathy,
        Dimension::Tangibles => Text::DimensionTangibles,
    };
    text(lang, key)
}
