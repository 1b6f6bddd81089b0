//! The live region: loading, sending, errors, the thank-you and "saved, will send", announced
//! politely. It is rendered for as long as the dialog is open, so screen readers notice when
//! its text changes.

use yew::prelude::*;

use crate::services::Failure;
use crate::state::Phase;
use crate::strings::{Text, text};

/// The live region for `phase` (a view function: a component of its own costs more wasm).
pub fn status(phase: &Phase, lang: &str) -> Html {
    let content = match phase {
        Phase::Loading => html! { <p class="muted">{ text(lang, Text::Loading) }</p> },
        Phase::Sending => html! { <p class="muted">{ text(lang, Text::Sending) }</p> },
        Phase::Rating { prompted: true } => error(text(lang, Text::ChooseRating)),
        Phase::LoadFailed(failure) | Phase::Failed(failure) => error(failure_message(lang, failure)),
        Phase::Sent { entry_id } => html! {
            <p class="thanks" data-tellus="thanks" data-entry-id={entry_id.clone()}>
                { text(lang, Text::Thanks) }
            </p>
        },
        Phase::Queued => html! { <p class="saved" data-tellus="queued">{ text(lang, Text::Queued) }</p> },
        Phase::Rating { prompted: false } | Phase::Draft => html! {},
    };
    html! { <div class="status" aria-live="polite">{ content }</div> }
}

fn error(message: &'static str) -> Html {
    html! { <p class="error" data-tellus="error">{ message }</p> }
}

/// What the customer is told, in their language: the likely cause where the widget can name it
/// (no connection, the site not set up for this page, too many tries), else that something went
/// wrong on our side. Never the server's `detail`, which is English and meant for the owner.
pub fn failure_message(lang: &str, failure: &Failure) -> &'static str {
    let key = match failure {
        Failure::Unreachable => Text::Unreachable,
        Failure::Problem { words, .. } => *words,
        Failure::Unexpected => Text::Unexpected,
    };
    text(lang, key)
}
