//! The live region: loading, sending, errors, the thank-you and "saved, will send", announced
//! politely. It is rendered for as long as the dialog is open, so screen readers notice when
//! its text changes.

use yew::prelude::*;

use crate::state::{Failure, Phase};
use crate::strings::{Text, text};

/// The live region for `phase` (a view function: a component of its own costs more wasm).
pub fn status(phase: &Phase, lang: &str) -> Html {
    let content = match phase {
        Phase::Loading => html! { <p class="muted">{ text(lang, Text::Loading) }</p> },
        Phase::Sending => html! { <p class="muted">{ text(lang, Text::Sending) }</p> },
        Phase::Rating { prompted: true } => error(text(lang, Text::ChooseRating)),
        Phase::LoadFailed(failure) | Phase::Failed(failure) => error(&failure_message(lang, failure)),
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

fn error(message: &str) -> Html {
    html! { <p class="error" data-tellus="error">{ message.to_owned() }</p> }
}

/// What the customer is told: the server's own words for a problem (they name the cause, e.g.
/// an origin that is not allowed), a plain sentence otherwise.
pub fn failure_message(lang: &str, failure: &Failure) -> String {
    match failure {
        Failure::Unreachable => text(lang, Text::Unreachable).to_owned(),
        Failure::Problem { detail, .. } => detail.clone(),
        Failure::Unexpected => text(lang, Text::Unexpected).to_owned(),
    }
}
