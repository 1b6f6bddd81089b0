//! The return visit: what became of the customer's last failure (acknowledged, fixed, the
//! owner's reply) and, after a fix, "We fixed it — how are we doing now?" with its own rating
//! and Send. Shown above the question for a new entry, in a form of its own.

use tellus_core::entry::{Scale, Status};
use yew::prelude::*;

use crate::components::rating::{self, RatingProps};
use crate::components::status::failure_message;
use crate::state::{Action, Delivery, FollowUp};
use crate::strings::{Text, text};

const RERATE_ID: &str = "tl-rerate-q";

/// The news section, or nothing when there is no news.
pub fn news(follow_up: &FollowUp, scale: Scale, lang: &'static str, dispatch: &Callback<Action>) -> Html {
    let FollowUp::News { receipt, rating, delivery, .. } = follow_up else {
        return html! {};
    };
    let status = match receipt.status {
        Some(Status::Fixed) => Text::NewsFixed,
        Some(Status::Acknowledged) => Text::NewsAcknowledged,
        _ => Text::NewsOpen,
    };
    let reply = receipt.reply.as_ref().map(|reply| {
        html! {
            <div class="reply" data-tellus="reply">
                <p class="label">{ text(lang, Text::ReplyLabel) }</p>
                <blockquote>{ reply.text.clone() }</blockquote>
            </div>
        }
    });
    let on_submit = dispatch.reform(|event: SubmitEvent| {
        event.prevent_default();
        Action::SendRerate
    });
    let rerate = match delivery {
        Delivery::Sent => html! { <p class="thanks" data-tellus="rerated">{ text(lang, Text::Rerated) }</p> },
        _ if receipt.can_rerate => {
            let error = match delivery {
                Delivery::Failed(failure) => {
                    html! { <p class="error" data-tellus="error">{ failure_message(lang, failure) }</p> }
                }
                _ => html! {},
            };
            html! {
                <form class="rerate" onsubmit={on_submit}>
                    <p class="question" id={RERATE_ID}>{ text(lang, Text::RerateQuestion) }</p>
                    { rating::rating(&RatingProps {
                        scale,
                        lang,
                        labelled_by: RERATE_ID,
                        name: "tl-rerate",
                        selected: *rating,
                        on_rate: dispatch.reform(Action::Rerate),
                    }) }
                    { error }
                    <div class="actions">
                        <button type="submit" class="primary" data-tellus="rerate-send">{ text(lang, Text::Send) }</button>
                    </div>
                </form>
            }
        }
        _ => html! {},
    };
    html! {
        <section class="news" data-tellus="news" aria-labelledby="tl-news">
            <h3 id="tl-news">{ text(lang, Text::NewsTitle) }</h3>
            <p data-tellus="news-status">{ text(lang, status) }</p>
            { for reply }
            <div aria-live="polite">{ rerate }</div>
        </section>
    }
}
