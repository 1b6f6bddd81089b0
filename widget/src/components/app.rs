//! The root component: owns the [`State`], runs the I/O effects that the phase asks for, and
//! lays out the dialog's content for each phase.

use std::rc::Rc;

use tellus_core::entry::Scale;
use tellus_core::limits::MAX_COMMENT_CHARS;
use tellus_core::wire::FeedbackRequest;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::dialog::Dialog;
use crate::components::rating::Rating;
use crate::components::status::Status;
use crate::dom;
use crate::options::MountOptions;
use crate::services;
use crate::state::{Action, Phase, State};
use crate::strings::{Text, text};

const QUESTION_ID: &str = "tl-q";
const COMMENT_ID: &str = "tl-comment";

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    pub options: Rc<MountOptions>,
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

    {
        let dispatcher = state.dispatcher();
        use_effect_with(props.open_requests, move |requests| {
            if *requests > 0 {
                dispatcher.dispatch(Action::Open);
            }
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

    // Post the entry when the phase becomes Sending; the state captured here is that render's.
    {
        let sending = state.clone();
        let options = options.clone();
        use_effect_with(state.phase == Phase::Sending, move |is_sending| {
            if let (true, Some(rating)) = (*is_sending, sending.rating) {
                let request = FeedbackRequest {
                    rating,
                    comment: sending.comment.trim().to_owned(),
                    touchpoint: Some(options.touchpoint()),
                    lang: options.lang().to_owned(),
                    idempotency_key: sending.idempotency_key.clone().unwrap_or_default(),
                    ..FeedbackRequest::default()
                };
                let dispatcher = sending.dispatcher();
                spawn_local(async move {
                    let action = match services::send_feedback(&options.endpoint, &options.site, &request).await {
                        Ok(receipt) => Action::Sent(receipt),
                        Err(failure) => Action::SendFailed(failure),
                    };
                    dispatcher.dispatch(action);
                });
            }
        });
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
    let on_comment = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            dispatcher.dispatch(Action::Comment(area.value()));
        })
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

    let fields = match (&state.config, state.shows_form()) {
        (Some(config), true) => {
            let question = match config.scale {
                Scale::Csat => Text::QuestionCsat,
                Scale::Nps => Text::QuestionNps,
            };
            html! {
                <>
                    <p class="question" id={QUESTION_ID}>{ text(&lang, question) }</p>
                    <Rating
                        scale={config.scale}
                        lang={lang.clone()}
                        labelled_by={QUESTION_ID}
                        selected={state.rating}
                        on_rate={on_rate}
                    />
                    <label class="label" for={COMMENT_ID}>{ text(&lang, Text::CommentLabel) }</label>
                    <textarea
                        id={COMMENT_ID}
                        data-tellus="comment"
                        rows="3"
                        maxlength={MAX_COMMENT_CHARS.to_string()}
                        value={state.comment.clone()}
                        oninput={on_comment}
                    />
                </>
            }
        }
        _ => html! {},
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
        Phase::Sent { .. } => html! {
            <button type="button" class="primary" onclick={on_done}>{ text(&lang, Text::Close) }</button>
        },
        Phase::Loading => html! {},
    };

    html! {
        <Dialog title={title} lang={lang.clone()} on_close={on_close}>
            <form class="body" novalidate=true onsubmit={on_send}>
                { fields }
                <Status phase={state.phase.clone()} lang={lang.clone()} />
                <div class="actions">{ action }</div>
            </form>
        </Dialog>
    }
}
