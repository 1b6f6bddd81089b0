//! The root component: owns the [`State`], runs the I/O effects that the phase asks for, and
//! lays out the dialog's content for each phase.
//!
//! **A measured departure from Yew's idioms** (and from the Yew layout in `STYLE.md`, learned
//! from yew's `function_todomvc`: function components, hooks in `hooks/use_<x>.rs`, a
//! `Reducible` state). Every byte of the app is downloaded by every customer who opens it, and
//! each idiom has a price in wasm, measured (brotli bytes of the app; `docs/widget-size.md`):
//! - One component, and a struct component (`impl Component`) rather than a function component
//!   with hooks: with no function component left, Yew's hook runtime (hook slots,
//!   `use_reducer`, effect queues) is not linked at all (−2,406 B). Its effects run in
//!   [`Component::rendered`], each when the part of props or state it watches changed since the
//!   render before (what a hook's dependencies would do): [`Watched`] holds those parts.
//! - The dialog's parts (`dialog`, `rating`, `paths`, `news`, `status`) are view functions, not
//!   components: each component costs its own copy of Yew's lifecycle, scheduler runners and
//!   props wrappers (−658 B for the rating group, −1,966 B for the frame), and they have no
//!   state of their own. They report through the one `dispatch` callback instead of an
//!   `on_<verb>` per field.
//! - The reducer works in place ([`State::apply`] returns whether anything changed) rather
//!   than `Reducible` returning a new `Rc<State>` per action (−560 B).
//! - A literal `class` in every `html!` (a computed one builds Yew's `Classes`, −1,070 B), the
//!   frame found with `querySelector` rather than a `NodeRef` (−361 B).
//!
//! The reducer stays pure and unit-tested, and the effects read as what they watch, so the
//! shape of the code is still the Elm-like one the idioms are for.
//!
//! The app is mounted closed, when the customer shows interest (`lib.rs`): the first render
//! draws nothing and fetches the site's configuration, so the click's render (the opening)
//! usually draws the question at once, with no "Loading…" frame before it.

use std::rc::Rc;

use tellus_core::entry::Scale;
use tellus_core::wire::FeedbackRequest;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::dialog::{DialogProps, dialog, frame};
use crate::components::news::news;
use crate::components::paths::paths;
use crate::components::rating::{self, RatingProps};
use crate::components::status::status;
use crate::dom;
use crate::json;
use crate::options::MountOptions;
use crate::services;
use crate::services::Failure;
use crate::state::{Action, Delivery, FollowUp, Phase, State};
use crate::storage;
use crate::strings::{Text, text};

const QUESTION_ID: &str = "tl-q";

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    pub options: Rc<MountOptions>,
    /// The mount `<div>`, next to the loader's launcher (whose news badge is cleared here).
    pub root: web_sys::Element,
    /// Where `--tellus-theme` is set: the shadow host.
    pub theme_host: Option<HtmlElement>,
    /// Bumped by the exported `open()`; each change opens the dialog.
    pub open_requests: u32,
}

/// The root component.
pub struct App {
    state: State,
    /// What the effects saw after the last render; `None` before the first.
    watched: Option<Watched>,
    /// What had focus before the dialog opened, given focus back when it closes.
    opener: Option<Element>,
    /// Whether the customer's last failure was asked about (once, at the first opening with
    /// the configuration there).
    asked_news: bool,
}

/// The parts of props and state that effects watch, as they were after a render.
#[derive(Clone, Copy, PartialEq)]
struct Watched {
    open_requests: u32,
    lang: &'static str,
    loading: bool,
    /// The site's configuration is there (it arrives once: only a load that failed is retried).
    loaded: bool,
    sending: bool,
    rerating: bool,
    open: bool,
}

impl Component for App {
    type Message = Action;
    type Properties = AppProps;

    fn create(_ctx: &Context<Self>) -> Self {
        App { state: State::default(), watched: None, opener: None, asked_news: false }
    }

    fn update(&mut self, _ctx: &Context<Self>, action: Action) -> bool {
        self.state.apply(action)
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        let props = ctx.props();
        let state = &self.state;
        let now = Watched {
            open_requests: props.open_requests,
            lang: props.options.lang(),
            loading: state.phase == Phase::Loading,
            loaded: state.config.is_some(),
            sending: state.phase == Phase::Sending,
            rerating: matches!(state.follow_up, FollowUp::News { delivery: Delivery::Sending, .. }),
            open: state.open,
        };
        let before = self.watched.replace(now);
        let first = before.is_none();
        let before = before.unwrap_or(now);
        let link = ctx.link();
        let options = &props.options;

        // Mounting and every opening also retry entries saved while offline: the page may have
        // come back online, and entries kept only in memory (storage refused) have no later page
        // load to be sent on.
        if first || before.open_requests != now.open_requests {
            if now.open_requests > 0 {
                link.send_message(Action::Open);
            }
            spawn_local(services::flush_queue());
        }

        // Fetch the site's configuration whenever the phase asks for it (first open, retry).
        if (first || before.loading != now.loading) && now.loading {
            let (link, options) = (link.clone(), options.clone());
            spawn_local(async move {
                let action = match services::load_config(&options.endpoint, &options.site).await {
                    Ok(config) => Action::ConfigLoaded(Rc::new(config)),
                    Err(failure) => Action::ConfigFailed(failure),
                };
                link.send_message(action);
            });
        }

        // Once the configuration is there, the theme is applied; and once the dialog is open, too,
        // the customer's last failure (if any) is asked about: news is shown above the question,
        // and counts as seen from then on (the badge goes). Not before the opening: the app is
        // mounted on mere interest, and news the customer has not seen is not seen.
        if (first || before.loaded != now.loaded)
            && let (Some(config), Some(host)) = (&state.config, &props.theme_host)
        {
            dom::apply_theme(host, &config.theme_color);
        }
        if now.loaded && now.open && !self.asked_news {
            self.asked_news = true;
            if storage::receipt(&options.site).is_some() {
                let (link, options, root) = (link.clone(), options.clone(), props.root.clone());
                spawn_local(async move {
                    if let Some(news) = services::receipt_news(&options.endpoint, &options.site).await {
                        storage::mark_seen(&options.site, &news.mark);
                        link.send_message(Action::News { receipt: Rc::new(news.status), token: news.token });
                    }
                    dom::show_badge(&root, options.lang(), false);
                });
            }
        }

        // Post the entry when the phase becomes Sending, as this render's state has it. No
        // answer at all (offline, blocked) saves it in the browser for the next page load.
        if (first || before.sending != now.sending)
            && now.sending
            && let Some(rating) = state.rating
        {
            let identify = options.identify.clone().unwrap_or_default();
            let (consent, contact) = state.contact.for_request(&identify);
            let request = FeedbackRequest {
                rating,
                comment: state.comment.trim().to_owned(),
                dimensions: state.dimensions.clone(),
                touchpoint: Some(options.touchpoint()),
                consent,
                contact,
                lang: options.lang().to_owned(),
                idempotency_key: state.idempotency_key.clone().unwrap_or_default(),
            };
            let (link, options) = (link.clone(), options.clone());
            spawn_local(async move {
                let body = json::feedback_body(&request);
                let action = match services::send_feedback(&options.endpoint, &options.site, &body).await {
                    Ok(receipt) => {
                        services::keep_failure_receipt(&options.site, &receipt);
                        Action::Sent(receipt)
                    }
                    Err(Failure::Unreachable) => {
                        storage::enqueue(&options.endpoint, &options.site, body);
                        Action::Queued
                    }
                    Err(failure) => Action::SendFailed(failure),
                };
                link.send_message(action);
            });
        }

        // Post the re-rating when it is sent; a delivered one closes the story (receipt forgotten).
        if (first || before.rerating != now.rerating)
            && let FollowUp::News { receipt, token, rating: Some(rating), delivery: Delivery::Sending } =
                &state.follow_up
        {
            let (id, token, rating) = (receipt.id.clone(), token.clone(), *rating);
            let (link, options) = (link.clone(), options.clone());
            spawn_local(async move {
                let action = match services::rerate(&options.endpoint, &options.site, &id, &token, rating).await {
                    Ok(status) => {
                        storage::forget_receipt(&options.site, &id);
                        Action::Rerated(Rc::new(status))
                    }
                    Err(failure) => Action::RerateFailed(failure),
                };
                link.send_message(action);
            });
        }

        if first || before.lang != now.lang {
            dom::label_launcher(&props.root, now.lang);
        }

        // While open, focus is in the dialog: moved in on open, and given back to whatever
        // opened it (the launcher, or the host's own button) when it closes.
        if first || before.open != now.open {
            if let Some(opener) = self.opener.take() {
                dom::focus(&opener);
            }
            if let Some(dialog) = frame(&props.root).filter(|_| now.open) {
                self.opener = dom::focused_element(&dialog);
                dom::focus(&dialog);
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let state = &self.state;
        let options = props.options.clone();
        let lang = options.lang();
        if !state.open {
            return html! {};
        }

        let link = ctx.link();
        let on_close = link.callback(|()| Action::Close);
        let on_rate = link.callback(Action::Rate);
        let dispatch = link.callback(|action| action);
        let on_send = link.callback(|event: SubmitEvent| {
            event.prevent_default();
            Action::Send { fresh_key: services::idempotency_key() }
        });
        let on_reload = link.callback(|_: MouseEvent| Action::Reload);
        let on_done = on_close.reform(|_: MouseEvent| ());

        let title = state
            .config
            .as_ref()
            .map(|config| AttrValue::from(config.name.clone()))
            .unwrap_or_else(|| AttrValue::Static(text(lang, Text::Title)));

        let question = match (&state.config, state.shows_form()) {
            (Some(config), true) => {
                let question = match config.scale {
                    Scale::Csat => Text::QuestionCsat,
                    Scale::Nps => Text::QuestionNps,
                };
                html! {
                    <>
                        <p class="question" id={QUESTION_ID}>{ text(lang, question) }</p>
                        { rating::rating(&RatingProps {
                            scale: config.scale,
                            lang,
                            labelled_by: QUESTION_ID,
                            name: "tl-rating",
                            selected: state.rating,
                            on_rate,
                        }) }
                    </>
                }
            }
            _ => html! {},
        };
        let paths = match &state.config {
            Some(config) if state.shows_paths() => paths(state, config, &options, &dispatch),
            _ => html! {},
        };
        let news = match &state.config {
            Some(config) => news(&state.follow_up, config.scale, lang, &dispatch),
            None => html! {},
        };

        let action = match &state.phase {
            Phase::Rating { .. } | Phase::Draft | Phase::Failed(_) => html! {
                <button type="submit" class="primary" data-tellus="send">{ text(lang, Text::Send) }</button>
            },
            // Disabling the focused button would drop focus out of the dialog; it stays enabled
            // and the reducer ignores a second Send while one is on its way.
            Phase::Sending => html! {
                <button type="submit" class="primary" data-tellus="send" aria-disabled="true">
                    { text(lang, Text::Sending) }
                </button>
            },
            Phase::LoadFailed(_) => html! {
                <button type="button" class="primary" onclick={on_reload}>{ text(lang, Text::TryAgain) }</button>
            },
            Phase::Sent { .. } | Phase::Queued => html! {
                <button type="button" class="primary" onclick={on_done}>{ text(lang, Text::Close) }</button>
            },
            Phase::Loading => html! {},
        };

        let content = html! {
            <>
                { news }
                <form class="body" novalidate=true onsubmit={on_send}>
                    { question }
                    { paths }
                    { status(&state.phase, lang) }
                    <div class="actions">{ action }</div>
                </form>
            </>
        };
        dialog(DialogProps { title, lang, root: props.root.clone(), on_close, content })
    }
}
