//! The live region: loading, sending, errors, the thank-you and "saved, will send", announced
//! politely. It is drawn for as long as the dialog is open, so screen readers notice when its
//! text changes.

use crate::services::Failure;
use crate::state::Phase;
use crate::strings::{Text, text};
use crate::vdom::{El, h};

/// The live region for `phase`.
pub fn status(phase: &Phase, lang: &str) -> El {
    let line = |class: &'static str, words: &'static str| Some(h("p").attr("class", class).child(words));
    let content = match phase {
        Phase::Loading => line("muted", text(lang, Text::Loading)),
        Phase::Sending => line("muted", text(lang, Text::Sending)),
        Phase::Rating { prompted: true } => Some(error(text(lang, Text::ChooseRating))),
        Phase::LoadFailed(failure) | Phase::Failed(failure) => Some(error(failure_message(lang, failure))),
        Phase::Sent { entry_id } => Some(
            h("p")
                .attr("class", "thanks")
                .attr("data-tellus", "thanks")
                .attr("data-entry-id", entry_id.clone())
                .child(text(lang, Text::Thanks)),
        ),
        Phase::Queued => {
            Some(h("p").attr("class", "saved").attr("data-tellus", "queued").child(text(lang, Text::Queued)))
        }
        Phase::Rating { prompted: false } | Phase::Draft => None,
    };
    h("div").attr("class", "status").attr("aria-live", "polite").child(content)
}

/// An error line.
pub fn error(message: &'static str) -> El {
    h("p").attr("class", "error").attr("data-tellus", "error").child(message)
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
