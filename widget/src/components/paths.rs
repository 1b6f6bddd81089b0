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
//! These are view functions of the root component rather than components of their own: they
//! read the one [`State`] and report through the one `dispatch` callback, which costs less
//! wasm than a props type and a callback per field.

use std::rc::Rc;

use tellus_core::entry::{Channel, Dimension};
use tellus_core::limits::{MAX_COMMENT_CHARS, MAX_SHORT_TEXT_CHARS};
use tellus_core::wire::SiteConfig;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::options::MountOptions;
use crate::services;
use crate::state::{Action, ContactField, State};
use crate::strings::{Text, decimal, text};

/// Both paths, tell us then tell others, whatever the rating (tell others alone once the entry
/// is sent).
pub fn paths(state: &State, config: &Rc<SiteConfig>, options: &Rc<MountOptions>, dispatch: &Callback<Action>) -> Html {
    let tell_us = if state.shows_form() {
        tell_us(state, options, dispatch)
    } else {
        html! {}
    };
    html! { <>{ tell_us }{ tell_others(config, options, state.shared, dispatch) }</> }
}

/// A path's `<section>`. `class` is a literal: a computed `class` goes through Yew's `Classes`
/// (a hashed set of strings, about 1 KB of brotli).
fn section(path: &'static str, heading_id: &'static str, body: Html) -> Html {
    html! { <section class="path" data-tellus={path} aria-labelledby={heading_id}>{ body }</section> }
}

fn tell_us(state: &State, options: &MountOptions, dispatch: &Callback<Action>) -> Html {
    let lang = options.lang();
    let dimensions = Dimension::ALL.into_iter().map(|dimension| {
        html! {
            <label class="check" key={dimension.as_str()}>
                <input
                    type="checkbox"
                    data-dimension={dimension.as_str()}
                    checked={state.dimensions.contains(&dimension)}
                    onchange={dispatch.reform(move |_: Event| Action::ToggleDimension(dimension))}
                />
                { dimension_label(lang, dimension) }
            </label>
        }
    });
    let on_comment = dispatch
        .reform(|event: InputEvent| Action::Comment(event.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let on_consent =
        dispatch.reform(|event: Event| Action::Consent(event.target_unchecked_into::<HtmlInputElement>().checked()));
    let contact = &state.contact;
    let identify = options.identify.clone().unwrap_or_default();
    let details = if contact.consent {
        let name = contact.name.clone().or(identify.name).unwrap_or_default();
        let email = contact.email.clone().or(identify.email).unwrap_or_default();
        let channel = |value: Channel, key: Text| {
            let checked = contact.channel == Some(value);
            html! {
                <label class="check">
                    <input
                        type="radio"
                        name="tl-channel"
                        data-channel={if value == Channel::Email { "email" } else { "phone" }}
                        checked={checked}
                        onchange={dispatch.reform(move |_: Event| Action::Channel(value))}
                    />
                    { text(lang, key) }
                </label>
            }
        };
        html! {
            <>
                { input(lang, Text::Name, ContactField::Name, "text", "name", name, dispatch) }
                { input(lang, Text::Email, ContactField::Email, "email", "email", email, dispatch) }
                { input(lang, Text::Phone, ContactField::Phone, "tel", "tel", contact.phone.clone(), dispatch) }
                <fieldset class="channel">
                    <legend>{ text(lang, Text::PreferredChannel) }</legend>
                    { channel(Channel::Email, Text::Email) }
                    { channel(Channel::Phone, Text::Phone) }
                </fieldset>
            </>
        }
    } else {
        html! {}
    };
    let body = html! {
        <>
            <h3 id="tl-us">{ text(lang, Text::TellUs) }</h3>
            <fieldset>
                <legend>{ text(lang, Text::WhatWentWrong) }</legend>
                { for dimensions }
            </fieldset>
            <label class="label" for="tl-comment">{ text(lang, Text::CommentLabel) }</label>
            <textarea
                id="tl-comment"
                data-tellus="comment"
                rows="3"
                maxlength={decimal(MAX_COMMENT_CHARS as u64)}
                value={state.comment.clone()}
                oninput={on_comment}
            />
            <fieldset class="contact">
                <legend>{ text(lang, Text::ContactLegend) }</legend>
                <label class="check">
                    <input type="checkbox" data-tellus="consent" checked={contact.consent} onchange={on_consent} />
                    { text(lang, Text::Consent) }
                </label>
                { details }
            </fieldset>
        </>
    };
    section("tell-us", "tl-us", body)
}

/// One labelled contact field; `id` doubles as the `autocomplete` token and the test hook.
fn input(
    lang: &str,
    label: Text,
    field: ContactField,
    kind: &'static str,
    id: &'static str,
    value: String,
    dispatch: &Callback<Action>,
) -> Html {
    let field_id = AttrValue::from(["tl-", id].concat());
    let oninput = dispatch.reform(move |event: InputEvent| {
        Action::EditContact(field, event.target_unchecked_into::<HtmlInputElement>().value())
    });
    html! {
        <>
            <label class="label" for={field_id.clone()}>{ text(lang, label) }</label>
            <input
                id={field_id}
                type={kind}
                autocomplete={id}
                data-contact={id}
                maxlength={decimal(MAX_SHORT_TEXT_CHARS as u64)}
                value={value}
                {oninput}
            />
        </>
    }
}

fn tell_others(config: &Rc<SiteConfig>, options: &Rc<MountOptions>, shared: bool, dispatch: &Callback<Action>) -> Html {
    let lang = options.lang();
    let links: Html = config
        .review_links
        .iter()
        .map(|link| {
            let onclick = on_tell(options, dispatch, Tell::Link(link.id.clone()));
            html! {
                <a class="button" href={link.url.clone()} target="_blank" rel="noopener" data-review={link.id.clone()} {onclick}>
                    { link.label.clone() }
                </a>
            }
        })
        .collect();
    let share = services::can_share().then(|| {
        let onclick = on_tell(options, dispatch, Tell::Share(config.name.clone()));
        html! { <button type="button" class="button" data-tellus="share" {onclick}>{ text(lang, Text::Share) }</button> }
    });
    let on_copy = on_tell(options, dispatch, Tell::Copy);
    let body = html! {
        <>
            <h3 id="tl-others">{ text(lang, Text::TellOthers) }</h3>
            <p class="muted">{ text(lang, Text::TellOthersHint) }</p>
            <div class="links">
                { links }
                { for share }
                <button type="button" class="button" data-tellus="copy" onclick={on_copy}>{ text(lang, Text::CopyLink) }</button>
            </div>
            if shared {
                <p class="thanks" role="status" data-tellus="shared">{ text(lang, Text::Shared) }</p>
            }
        </>
    };
    section("tell-others", "tl-others", body)
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
fn on_tell(options: &Rc<MountOptions>, dispatch: &Callback<Action>, tell: Tell) -> Callback<MouseEvent> {
    let (options, dispatch) = (options.clone(), dispatch.clone());
    Callback::from(move |_: MouseEvent| {
        let (options, dispatch, tell) = (options.clone(), dispatch.clone(), tell.clone());
        spawn_local(async move {
            let target = match tell {
                Tell::Link(id) => id,
                Tell::Share(title) if services::share_page(&title).await => "share".into(),
                Tell::Copy if services::copy_page_link().await => "copy".into(),
                Tell::Share(_) | Tell::Copy => return,
            };
            if services::count_click(&options.endpoint, &options.site, &target).await.is_ok() {
                dispatch.emit(Action::Shared);
            }
        });
    })
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
