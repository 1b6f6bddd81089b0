//! The root component: owns the [`State`], runs the I/O effects that the phase asks for, and
//! lays out the dialog's content for each phase.

use std::rc::Rc;

use tellus_core::entry::Scale;
use tellus_core::wire::FeedbackRequest;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::components::dialog::{DialogProps, dialog, use_focus_while_open};
use crate::components::news::news;
use crate::components::paths::paths;
use crate::components::rating::{self, RatingProps};
use crate::components::status::status;
use crate::dom;
use crate::json;
use crate::options::MountOptions;
use crate::services;
use crate::state::{Action, Delivery, Failure, FollowUp, Phase, State, news_mark};
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

#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer(State::default);
    let options = props.options.clone();
    let lang: AttrValue = AttrValue::from(options.lang().to_owned());

    // Every opening (the first included) also retries entries saved while offline: the page
    // may have come back online, and entries kept only in memory (storage refused) have no
    // later page load to be sent on.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(props.open_requests, move |requests| {
            if *requests > 0 {
                dispatcher.dispatch(Action::Open);
            }
            spawn_local(services::flush_queue());
        });
    }

    // Fetch the site's configuration whenever the phase asks for it (first open, retry).
    {
        let dispatcher = state.dispatcher();
        let options = options.clone();
        use_effect_with(state.phase == Phase::Loading, move |loading| {
            if *loading {
                spawn_local(async move {
                    let action = match services::load_config(&options.endpoint, &options.site).await {
                        Ok(config) => Action::ConfigLoaded(Rc::new(config)),
                        Err(failure) => Action::ConfigFailed(failure),
                    };
                    dispatcher.dispatch(action);
                });
            }
        });
    }

    // Once the configuration is there, ask about the customer's last failure (if any): news is
    // shown above the question, and counts as seen from then on (the badge goes).
    {
        let dispatcher = state.dispatcher();
        let options = options.clone();
        let root = props.root.clone();
        use_effect_with(state.config.is_some(), move |loaded| {
            if let (true, Some((id, token, _))) = (*loaded, storage::receipt(&options.site)) {
                spawn_local(async move {
                    match services::receipt_status(&options.endpoint, &options.site, &id, &token).await {
                        Ok(status) => {
                            let mark = news_mark(&status);
                            if status.rerating.is_some() {
                                storage::forget_receipt(&options.site, &id);
                            } else if !mark.is_empty() {
                                storage::mark_seen(&options.site, &mark);
                                dispatcher.dispatch(Action::News { receipt: Rc::new(status), token });
                            }
                        }
                        Err(Failure::Problem { status: 404, .. }) => storage::forget_receipt(&options.site, &id),
                        Err(_) => {}
                    }
                    dom::show_badge(&root, options.lang(), false);
                });
            }
        });
    }

    // Post the entry when the phase becomes Sending; the state captured here is that render's.
    // No answer at all (offline, blocked) saves it in the browser for the next page load.
    {
        let sending = state.clone();
        let options = options.clone();
        use_effect_with(state.phase == Phase::Sending, move |is_sending| {
            if let (true, Some(rating)) = (*is_sending, sending.rating) {
                let identify = options.identify.clone().unwrap_or_default();
                let (consent, contact) = sending.contact.for_request(&identify);
                let request = FeedbackRequest {
                    rating,
                    comment: sending.comment.trim().to_owned(),
                    dimensions: sending.dimensions.clone(),
                    touchpoint: Some(options.touchpoint()),
                    consent,
                    contact,
                    lang: options.lang().to_owned(),
                    idempotency_key: sending.idempotency_key.clone().unwrap_or_default(),
                };
                let dispatcher = sending.dispatcher();
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
                    dispatcher.dispatch(action);
                });
            }
        });
    }

    // Post the re-rating when it is sent; a delivered one closes the story (receipt forgotten).
    {
        let rerate = match &state.follow_up {
            FollowUp::News { receipt, token, rating: Some(rating), delivery: Delivery::Sending } => {
                Some((receipt.id.clone(), token.clone(), *rating))
            }
            _ => None,
        };
        let dispatcher = state.dispatcher();
        let options = options.clone();
        use_effect_with(rerate, move |rerate| {
            if let Some((id, token, rating)) = rerate.clone() {
                spawn_local(async move {
                    let action = match services::rerate(&options.endpoint, &options.site, &id, &token, rating).await {
                        Ok(status) => {
                            storage::forget_receipt(&options.site, &id);
                            Action::Rerated(Rc::new(status))
                        }
                        Err(failure) => Action::RerateFailed(failure),
                    };
                    dispatcher.dispatch(action);
                });
            }
        });
    }

    {
        let root = props.root.clone();
        use_effect_with(lang.clone(), move |lang| dom::label_launcher(&root, lang));
    }

    {
        let theme = state.config.as_ref().map(|config| config.theme_color.clone());
        let host = props.theme_host.clone();
        use_effect_with(theme, move |theme| {
            if let (Some(theme), Some(host)) = (theme, host) {
                dom::apply_theme(&host, theme);
            }
        });
    }

    use_focus_while_open(state.open, &props.root);

    if !state.open {
        return html! {};
    }

    let on_close = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::Close))
    };
    let on_rate = {
        let dispatcher = state.dispatcher();
        Callback::from(move |rating| dispatcher.dispatch(Action::Rate(rating)))
    };
    let dispatch = {
        let dispatcher = state.dispatcher();
        Callback::from(move |action| dispatcher.dispatch(action))
    };
    let on_send = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatcher.dispatch(Action::Send { fresh_key: services::idempotency_key() });
        })
    };
    let on_reload = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Reload))
    };
    let on_done = on_close.reform(|_: MouseEvent| ());

    let title = state
        .config
        .as_ref()
        .map(|config| AttrValue::from(config.name.clone()))
        .unwrap_or_else(|| AttrValue::Static(text(&lang, Text::Title)));

    let question = match (&state.config, state.shows_form()) {
        (Some(config), true) => {
            let question = match config.scale {
                Scale::Csat => Text::QuestionCsat,
                Scale::Nps => Text::QuestionNps,
            };
            html! {
                <>
                    <p class="question" id={QUESTION_ID}>{ text(&lang, question) }</p>
                    { rating::rating(&RatingProps {
                        scale: config.scale,
                        lang: lang.clone(),
                        labelled_by: AttrValue::Static(QUESTION_ID),
                        name: AttrValue::Static("tl-rating"),
                        selected: state.rating,
                        on_rate,
                    }) }
                </>
            }
        }
        _ => html! {},
    };
    let paths = match &state.config {
        Some(config) if state.shows_paths() => paths(&state, config, &options, &dispatch),
        _ => html! {},
    };
    let news = match &state.config {
        Some(config) => news(&state.follow_up, config.scale, &lang, &dispatch),
        None => html! {},
    };

    let action = match &state.phase {
        Phase::Rating { .. } | Phase::Draft | Phase::Failed(_) => html! {
            <button type="submit" class="primary" data-tellus="send">{ text(&lang, Text::Send) }</button>
        },
        // Disabling the focused button would drop focus out of the dialog; it stays enabled
        // and the reducer ignores a second Send while one is on its way.
        Phase::Sending => html! {
            <button type="submit" class="primary" data-tellus="send" aria-disabled="true">
                { text(&lang, Text::Sending) }
            </button>
        },
        Phase::LoadFailed(_) => html! {
            <button type="button" class="primary" onclick={on_reload}>{ text(&lang, Text::TryAgain) }</button>
        },
        Phase::Sent { .. } | Phase::Queued => html! {
            <button type="button" class="primary" onclick={on_done}>{ text(&lang, Text::Close) }</button>
        },
        Phase::Loading => html! {},
    };

    let content = html! {
        <>
            { news }
            <form class="body" novalidate=true onsubmit={on_send}>
                { question }
                { paths }
                { status(&state.phase, &lang) }
                <div class="actions">{ action }</div>
            </form>
        </>
    };
    dialog(DialogProps { title, lang, root: props.root.clone(), on_close, content })
}
